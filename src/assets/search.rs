//! Local validation of `label_category_search` with the shared grammar crate
//! (kili-label-format.md §3.2), before any network call.

use crate::error::{Error, Result};

/// Fails when `query` is not a valid category search.
///
/// Errors: [`Error::InvalidArgument`] on `label_category_search`, quoting the query and the
/// parser's message (which names the position).
pub fn validate(query: &str) -> Result<()> {
    kili_category_search::parse(query).map(|_| ()).map_err(|e| {
        Error::invalid_arg(
            "label_category_search",
            format!("invalid category search query \"{query}\": {e}"),
        )
    })
}
