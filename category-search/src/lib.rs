//! Kili's label category-search language, shared by the client (validation before any call)
//! and the emulator (evaluation of `label.search`).
//!
//! Grammar (kili-label-format.md §3.2, as the official SDK checks it):
//!
//! ```text
//! query     = or_expr ;
//! or_expr   = and_expr { "OR" and_expr } ;      (* lowest precedence *)
//! and_expr  = operand { "AND" operand } ;
//! operand   = condition | "(" or_expr ")" ;
//! condition = name "." name "." "count" op number ;
//! name      = letter { letter | digit | "_" | "-" | "*" } ;   (ASCII)
//! op        = ">=" | "<=" | "==" | ">" | "<" ;
//! ```
//!
//! Whitespace may appear between any two tokens and is never required; keywords are
//! case-sensitive literals without word boundaries. One deliberate deviation: digits are ASCII
//! only (the SDK's regex also accepts other Unicode decimal digits).
//!
//! Counting (§3.4, an inferred rule): `count(label, J, C)` is the number of distinct objects of
//! category `C` answered for job `J` anywhere in the label (top level, any `children` map, every
//! video frame): a classification payload selecting `C` counts once per parent object, an
//! annotation counts once per distinct `mid`.

mod count;
mod parse;

pub use count::count;
pub use parse::{parse, ParseError};

use serde_json::Value;

/// Comparison operator of a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Ge,
    Le,
    Eq,
    Gt,
    Lt,
}

/// A parsed category search. Immutable, `Send + Sync`.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    /// `job.category.count op value`
    Condition {
        job: String,
        category: String,
        op: Op,
        value: f64,
    },
    /// All operands hold.
    And(Vec<Query>),
    /// At least one operand holds.
    Or(Vec<Query>),
}

impl Query {
    /// Whether the label whose `jsonResponse` is `json_response` satisfies the query.
    pub fn evaluate(&self, json_response: &Value) -> bool {
        match self {
            Query::Condition {
                job,
                category,
                op,
                value,
            } => {
                let n = count(json_response, job, category) as f64;
                match op {
                    Op::Ge => n >= *value,
                    Op::Le => n <= *value,
                    Op::Eq => n == *value,
                    Op::Gt => n > *value,
                    Op::Lt => n < *value,
                }
            }
            Query::And(items) => items.iter().all(|q| q.evaluate(json_response)),
            Query::Or(items) => items.iter().any(|q| q.evaluate(json_response)),
        }
    }
}
