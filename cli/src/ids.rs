//! Files of ids (`--asset-ids-file`, `--external-ids-file`): one id per line, blank lines and
//! surrounding whitespace ignored, `-` for the standard input.
//!
//! Read line by line through one reused buffer, so that a file of hundreds of thousands of ids
//! costs the ids themselves and nothing more (no copy of the whole text). Every failure is an
//! [`Error::InvalidArgument`] naming the flag and the file, raised before any network call.

use kili::{Error, Result};
use std::io::BufRead;
use std::path::Path;

/// Whether `path` means the standard input (`-`).
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The ids listed in `path` (or the standard input for `-`), in file order, for `flag`.
///
/// Errors: [`Error::InvalidArgument`] naming `flag` when the file cannot be opened or read,
/// a line is not UTF-8, or the file holds no id at all (an empty list would mean "no filter"
/// to a listing and "nothing" to a mutation: both are more likely a mistake upstream).
pub fn read_ids(flag: &str, path: &Path) -> Result<Vec<String>> {
    if is_stdin(path) {
        let stdin = std::io::stdin();
        return read_from(flag, "the standard input", stdin.lock());
    }
    let name = path.display().to_string();
    let file = std::fs::File::open(path)
        .map_err(|e| Error::invalid_arg(flag, format!("cannot read {name}: {e}")))?;
    read_from(
        flag,
        &name,
        std::io::BufReader::with_capacity(64 * 1024, file),
    )
}

/// [`read_ids`] on an open reader; `name` is how messages refer to it.
pub fn read_from(flag: &str, name: &str, mut reader: impl BufRead) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    let mut line = Vec::with_capacity(256);
    let mut number = 0u64;
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::invalid_arg(flag, format!("cannot read {name}: {e}")))?;
        if n == 0 {
            break;
        }
        number += 1;
        let text = std::str::from_utf8(&line).map_err(|_| {
            Error::invalid_arg(flag, format!("{name}, line {number}: not UTF-8 text"))
        })?;
        // A byte-order mark (files saved by some Windows editors) is not part of the first id.
        let text = if number == 1 {
            text.strip_prefix('\u{feff}').unwrap_or(text)
        } else {
            text
        };
        let id = text.trim();
        if !id.is_empty() {
            ids.push(id.to_string());
        }
    }
    if ids.is_empty() {
        return Err(Error::invalid_arg(flag, format!("no ids in {name}")));
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_id_per_line_trimmed_blank_lines_skipped() {
        let text = "\u{feff}a1\n\n  a2  \r\n\t\na3";
        let ids = read_from("--asset-ids-file", "ids.txt", text.as_bytes()).unwrap();
        assert_eq!(ids, vec!["a1", "a2", "a3"]);
        // Commas are part of an id here (unlike the inline lists).
        let ids = read_from("--external-ids-file", "x", "three,with comma\n".as_bytes()).unwrap();
        assert_eq!(ids, vec!["three,with comma"]);
    }

    #[test]
    fn errors_name_the_flag_and_the_file() {
        let e = read_from("--asset-ids-file", "ids.txt", " \n\n".as_bytes()).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("--asset-ids-file") && msg.contains("no ids in ids.txt"),
            "{msg}"
        );

        let bad: &[u8] = b"ok\n\xff\xfe\n";
        let msg = read_from("--external-ids-file", "x.txt", bad)
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("--external-ids-file") && msg.contains("x.txt, line 2"),
            "{msg}"
        );

        let missing = Path::new("/nonexistent-dir-kili/ids.txt");
        let msg = read_ids("--asset-ids-file", missing)
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("--asset-ids-file") && msg.contains("/nonexistent-dir-kili/ids.txt"),
            "{msg}"
        );
        assert!(is_stdin(Path::new("-")) && !is_stdin(Path::new("./-")));
    }

    #[test]
    fn large_file() {
        // 300,000 ids through a real file: every one kept, in order.
        let dir = std::env::temp_dir().join(format!("kili-cli-ids-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("ids.txt");
        let mut text = String::with_capacity(300_000 * 12);
        for i in 0..300_000 {
            text.push_str(&format!("id-{i}\n"));
        }
        std::fs::write(&path, text).unwrap();
        let ids = read_ids("--asset-ids-file", &path).unwrap();
        assert_eq!(ids.len(), 300_000);
        assert_eq!(
            (ids[0].as_str(), ids[299_999].as_str()),
            ("id-0", "id-299999")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
