//! Recursive-descent parser for the category-search grammar.

use crate::{Op, Query};

/// Why a query does not parse. `position` is a byte offset into the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset of the first character that could not be read.
    pub position: usize,
    /// What was expected there.
    pub expected: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "expected {} at position {}",
            self.expected, self.position
        )
    }
}

impl std::error::Error for ParseError {}

/// Parses a whole category search. The entire string must match the grammar.
pub fn parse(query: &str) -> Result<Query, ParseError> {
    let mut p = Parser {
        s: query.as_bytes(),
        pos: 0,
        depth: 0,
    };
    let q = p.or_expr()?;
    p.ws();
    if p.pos != p.s.len() {
        return Err(p.err("`AND`, `OR`, `)` or the end of the query"));
    }
    Ok(q)
}

/// Nesting limit: deeper queries are refused instead of exhausting the stack.
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn err(&self, expected: &str) -> ParseError {
        ParseError {
            position: self.pos,
            expected: expected.to_string(),
        }
    }

    fn ws(&mut self) {
        while self.pos < self.s.len() && matches!(self.s[self.pos], b' ' | b'\t' | b'\r' | b'\n') {
            self.pos += 1;
        }
    }

    fn eat(&mut self, lit: &str) -> bool {
        self.ws();
        if self.s[self.pos..].starts_with(lit.as_bytes()) {
            self.pos += lit.len();
            true
        } else {
            false
        }
    }

    fn or_expr(&mut self) -> Result<Query, ParseError> {
        let mut items = vec![self.and_expr()?];
        while self.eat("OR") {
            items.push(self.and_expr()?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap()
        } else {
            Query::Or(items)
        })
    }

    fn and_expr(&mut self) -> Result<Query, ParseError> {
        let mut items = vec![self.operand()?];
        while self.eat("AND") {
            items.push(self.operand()?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap()
        } else {
            Query::And(items)
        })
    }

    fn operand(&mut self) -> Result<Query, ParseError> {
        if self.eat("(") {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(self.err("at most 64 nested parentheses"));
            }
            let q = self.or_expr()?;
            if !self.eat(")") {
                return Err(self.err("`)`"));
            }
            self.depth -= 1;
            return Ok(q);
        }
        self.condition()
    }

    fn condition(&mut self) -> Result<Query, ParseError> {
        let job = self.name("a job name (a letter, then letters, digits, `_`, `-` or `*`)")?;
        if !self.eat(".") {
            return Err(self.err("`.` after the job name"));
        }
        let category =
            self.name("a category name (a letter, then letters, digits, `_`, `-` or `*`)")?;
        if !self.eat(".") {
            return Err(self.err("`.count` after the category name"));
        }
        if !self.eat("count") {
            return Err(self.err("`count`"));
        }
        self.ws();
        let op = if self.eat(">=") {
            Op::Ge
        } else if self.eat("<=") {
            Op::Le
        } else if self.eat("==") {
            Op::Eq
        } else if self.eat(">") {
            Op::Gt
        } else if self.eat("<") {
            Op::Lt
        } else {
            return Err(self.err("a comparison operator (`>=`, `<=`, `==`, `>` or `<`)"));
        };
        let value = self.number()?;
        Ok(Query::Condition {
            job,
            category,
            op,
            value,
        })
    }

    fn name(&mut self, what: &str) -> Result<String, ParseError> {
        self.ws();
        let start = self.pos;
        match self.s.get(self.pos) {
            Some(c) if c.is_ascii_alphabetic() => self.pos += 1,
            _ => return Err(self.err(what)),
        }
        while let Some(c) = self.s.get(self.pos) {
            if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'*') {
                self.pos += 1;
            } else {
                break;
            }
        }
        Ok(String::from_utf8_lossy(&self.s[start..self.pos]).into_owned())
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.s.get(self.pos).is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?` — an exponent is only
    /// consumed when complete, as with the SDK's regex alternatives.
    fn number(&mut self) -> Result<f64, ParseError> {
        self.ws();
        let start = self.pos;
        if matches!(self.s.get(self.pos), Some(b'+' | b'-')) {
            self.pos += 1;
        }
        let int_digits = self.digits();
        let mut frac_digits = 0;
        let mut has_dot = false;
        if self.s.get(self.pos) == Some(&b'.') {
            let save = self.pos;
            self.pos += 1;
            frac_digits = self.digits();
            if int_digits == 0 && frac_digits == 0 {
                self.pos = save;
            } else {
                has_dot = true;
            }
        }
        if int_digits == 0 && frac_digits == 0 {
            self.pos = start;
            return Err(self.err("a number"));
        }
        let _ = has_dot;
        if matches!(self.s.get(self.pos), Some(b'e' | b'E')) {
            let save = self.pos;
            self.pos += 1;
            if matches!(self.s.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                self.pos = save;
            }
        }
        let text = std::str::from_utf8(&self.s[start..self.pos]).unwrap_or("");
        text.parse::<f64>().map_err(|_| ParseError {
            position: start,
            expected: "a number".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_sdk_samples() {
        for q in [
            "JOB_CLASSIF.CATEGORY_A.count > 0",
            "JOB_CLASSIF.CATEGORY_A.count > 0 OR JOB_NER.CATEGORY_B.count > 0",
            "(JOB_CLASSIF.CATEGORY_A.count == 1 OR JOB_NER.CATEGORY_B.count > 0) AND JOB_BBOX.CATEGORY_C.count > 10",
            "JOB.class_A.count > 0 AND (JOB2.class_B.count == 3 OR JOB2.class_C.count < 3)",
            "JOB. class_A.  count > 0 AND      JOB2.class_B. count ==   3",
            "JoB46_Hhzef*bzf66.class_Auzf657bdh----_.count > 0 ",
            "((A.X.count > 0))",
            "A.X.count >= 1.5",
            "A.X.count > -1",
            "A.X.count>=-2.5e-1",
            "A.X.count>0",
            "A.B.count>0AND C.D.count<1",
            "A.B.count>0ANDC.D.count<1",
            "AND.OR.count > 0",
            "A.X.count > .5",
            "A.X.count > 1.",
            "A.X.count > 007",
            "A.X.count > 1e3",
        ] {
            assert!(parse(q).is_ok(), "should accept {q:?}: {:?}", parse(q));
        }
    }

    #[test]
    fn rejects_the_sdk_counter_examples() {
        for q in [
            "class_A.count > 0",
            "JOB.class_A > 0",
            "(A.X.count > 0",
            "A.X.count != 1",
            "A.X.count = 1",
            "A.X.count => 1",
            "A.X.count > 0 and B.Y.count > 0",
            "NOT A.X.count > 0",
            "A.X.count > 0 AND",
            "()",
            "",
            "   ",
            "0JOB.CAT.count > 0",
            "_JOB.CAT.count > 0",
            "JOB.0CAT.count > 0",
            "JOB.*.count > 0",
            "JOB.SUB.CAT.count > 0",
            "A.X.COUNT > 0",
            "A.X.count > 1_000",
            "A.X.count > 0x1",
            "A.X.count > nan",
            "A.X.count > 1e",
            "A.X.count > - 1",
        ] {
            assert!(parse(q).is_err(), "should reject {q:?}");
        }
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let q = parse("A.X.count > 0 OR B.Y.count > 0 AND C.Z.count > 0").unwrap();
        match q {
            Query::Or(items) => {
                assert_eq!(items.len(), 2);
                assert!(matches!(items[1], Query::And(_)));
            }
            other => panic!("unexpected tree {other:?}"),
        }
    }

    #[test]
    fn error_names_the_position() {
        let e = parse("A.X.count ! 1").unwrap_err();
        assert_eq!(e.position, 10);
        assert!(e.to_string().contains("comparison operator"));
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowing() {
        let q = format!("{}A.X.count > 0{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(parse(&q).is_err());
    }
}
