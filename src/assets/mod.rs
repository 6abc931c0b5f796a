//! The asset module: filters, fields, the query path (and, in sibling files, mutations and
//! imports).

pub mod extras;
pub mod fields;
pub mod filters;
pub mod import;
pub mod json_response_url;
pub mod media;
pub mod mutate;
pub mod parsed_label;
pub mod query;
pub mod search;

pub use filters::{AssetFilters, AssetQuery, StepAndStatus};
pub use query::AssetStream;
