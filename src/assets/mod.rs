//! The asset module: filters, fields, the query path (and, in sibling files, mutations and
//! imports).

pub mod fields;
pub mod filters;
pub mod import;
pub mod mutate;
pub mod query;
pub mod search;

pub use filters::{AssetFilters, AssetQuery, StepAndStatus};
pub use query::AssetStream;
