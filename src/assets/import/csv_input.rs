//! `from_csv`: reads the `content` and `externalId` columns of a CSV file with the `csv` crate
//! (quoted fields, embedded separators and newlines handled). Pure, blocking file I/O; called
//! before any network call.

use crate::error::{Error, Result};
use std::path::Path;

/// Reads `(contents, external_ids)` from the CSV file at `path` whose header names the columns
/// `content` and `externalId` (other columns are ignored). Errors name `from_csv` and, for a
/// bad row, its line.
pub fn read_text_assets(path: &Path, separator: u8) -> Result<(Vec<String>, Vec<String>)> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(true)
        .from_path(path)
        .map_err(|e| {
            Error::invalid_arg("from_csv", format!("cannot read {}: {e}", path.display()))
        })?;
    let headers = reader
        .headers()
        .map_err(|e| {
            Error::invalid_arg(
                "from_csv",
                format!("cannot read the header of {}: {e}", path.display()),
            )
        })?
        .clone();
    let column = |name: &str| {
        headers.iter().position(|h| h.trim() == name).ok_or_else(|| {
            Error::invalid_arg(
                "from_csv",
                format!(
                    "the header of {} must name the columns `content` and `externalId` (separator {:?}); `{name}` is missing (found: {})",
                    path.display(),
                    separator as char,
                    headers.iter().collect::<Vec<_>>().join(", ")
                ),
            )
        })
    };
    let (ci, ei) = (column("content")?, column("externalId")?);
    let (mut contents, mut ext) = (Vec::new(), Vec::new());
    for row in reader.records() {
        let row =
            row.map_err(|e| Error::invalid_arg("from_csv", format!("{}: {e}", path.display())))?;
        let line = row.position().map_or(0, |p| p.line());
        let get = |i: usize, name: &str| {
            row.get(i).map(str::to_owned).ok_or_else(|| {
                Error::invalid_arg(
                    "from_csv",
                    format!("{} line {line}: no `{name}` field", path.display()),
                )
            })
        };
        contents.push(get(ci, "content")?);
        ext.push(get(ei, "externalId")?);
    }
    Ok((contents, ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> tempfile_path::TempPath {
        tempfile_path::TempPath::with(text)
    }

    /// A tiny self-deleting temp file (no extra dependency).
    mod tempfile_path {
        pub struct TempPath(pub std::path::PathBuf);
        impl TempPath {
            pub fn with(text: &str) -> Self {
                let p = std::env::temp_dir()
                    .join(format!("kili-csv-{}.csv", uuid::Uuid::new_v4().simple()));
                std::fs::write(&p, text).unwrap();
                TempPath(p)
            }
        }
        impl Drop for TempPath {
            fn drop(&mut self) {
                let _ = std::fs::remove_file(&self.0);
            }
        }
    }

    #[test]
    fn reads_quoted_fields_and_other_separators() {
        let f = file("externalId;content;extra\na;\"hello; world\nsecond line\";1\nb;plain;2\n");
        let (c, e) = read_text_assets(&f.0, b';').unwrap();
        assert_eq!(c, vec!["hello; world\nsecond line", "plain"]);
        assert_eq!(e, vec!["a", "b"]);
    }

    #[test]
    fn missing_column_is_named() {
        let f = file("content,external_id\nx,y\n");
        let err = read_text_assets(&f.0, b',').unwrap_err().to_string();
        assert!(err.contains("`externalId` is missing"), "{err}");
    }

    #[test]
    fn missing_file_names_the_argument() {
        let err = read_text_assets(Path::new("/nonexistent/x.csv"), b',').unwrap_err();
        assert_eq!(err.details()["path"], "from_csv");
    }
}
