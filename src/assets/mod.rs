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

/// The length of `v` as JSON text, counted without building the text (page sizing and
/// mutation batch budgets run it per page / per item).
pub(crate) fn json_len(v: &serde_json::Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0 += b.len();
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut c = Count(0);
    // Writing into a counter cannot fail.
    let _ = serde_json::to_writer(&mut c, v);
    c.0
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_len_is_the_text_length() {
        let v =
            serde_json::json!({"jsonMetadata": "{\"a\": \"é\"}", "priority": 3, "l": [1.5, null]});
        assert_eq!(super::json_len(&v), v.to_string().len());
    }
}
