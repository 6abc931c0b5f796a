//! Typed reading of one JSON argument object of a mutation (`{"asset_ids": [...], ...}`).
//!
//! Every error is an [`Error::InvalidArgument`] naming the path of the bad value
//! (`priorities[3]`) and what was expected; an unknown key names the closest valid key.
//! Pure functions, no I/O; a [`Reader`] borrows the object and is used by one thread.

use crate::args::type_name;
use crate::error::{Error, Result};
use serde_json::{Map, Value};

/// A borrowed JSON argument object with the list of keys its action accepts.
pub(crate) struct Reader<'a> {
    map: &'a Map<String, Value>,
}

impl<'a> Reader<'a> {
    /// Checks that `args` is an object whose keys all belong to `allowed`.
    pub(crate) fn new(args: &'a Value, action: &str, allowed: &[&str]) -> Result<Self> {
        let map = args.as_object().ok_or_else(|| {
            Error::invalid_arg(
                "args",
                format!("the arguments of `{action}` must be a JSON object"),
            )
        })?;
        if let Some(key) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
            // The core's wording, so that every argument object reports unknown keys alike.
            return Err(crate::args::unknown_key_error("", key, allowed));
        }
        Ok(Reader { map })
    }

    /// The value of `key`, `None` when absent or `null`.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// A required string.
    pub(crate) fn req_str(&self, key: &str) -> Result<String> {
        self.opt_str(key)?
            .ok_or_else(|| Error::invalid_arg(key, "is required (a string)"))
    }

    /// An optional string.
    pub(crate) fn opt_str(&self, key: &str) -> Result<Option<String>> {
        self.get(key).map(|v| as_str(v, key)).transpose()
    }

    /// An optional boolean.
    pub(crate) fn opt_bool(&self, key: &str) -> Result<Option<bool>> {
        self.get(key).map(|v| as_bool(v, key)).transpose()
    }

    /// An optional list whose entries are read with `item` (given the entry and its path).
    pub(crate) fn opt_list<T>(
        &self,
        key: &str,
        mut item: impl FnMut(&'a Value, &str) -> Result<T>,
    ) -> Result<Option<Vec<T>>> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let arr = v
            .as_array()
            .ok_or_else(|| Error::invalid_arg(key, "expected a list"))?;
        // One path buffer for the whole list: a 100k-entry list would otherwise format 100k
        // strings that only an error ever reads.
        let mut path = String::with_capacity(key.len() + 12);
        let mut out = Vec::with_capacity(arr.len());
        for (i, e) in arr.iter().enumerate() {
            use std::fmt::Write;
            path.clear();
            let _ = write!(path, "{key}[{i}]");
            out.push(item(e, &path)?);
        }
        Ok(Some(out))
    }

    /// An optional list of strings (no `null` entries).
    pub(crate) fn opt_str_list(&self, key: &str) -> Result<Option<Vec<String>>> {
        self.opt_list(key, as_str)
    }
}

/// `v` as a string, or an error naming `path`.
pub(crate) fn as_str(v: &Value, path: &str) -> Result<String> {
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| Error::invalid_arg(path, format!("expected a string, got {}", type_name(v))))
}

/// `v` as a boolean, or an error naming `path`.
pub(crate) fn as_bool(v: &Value, path: &str) -> Result<bool> {
    v.as_bool().ok_or_else(|| {
        Error::invalid_arg(path, format!("expected a boolean, got {}", type_name(v)))
    })
}

/// `v` as an integer, or an error naming `path`.
pub(crate) fn as_i64(v: &Value, path: &str) -> Result<i64> {
    v.as_i64().ok_or_else(|| {
        Error::invalid_arg(path, format!("expected an integer, got {}", type_name(v)))
    })
}

/// `v` as a finite number, or an error naming `path`.
pub(crate) fn as_f64(v: &Value, path: &str) -> Result<f64> {
    v.as_f64()
        .filter(|f| f.is_finite())
        .ok_or_else(|| Error::invalid_arg(path, format!("expected a number, got {}", type_name(v))))
}

/// `v` as an object, or an error naming `path`.
pub(crate) fn as_object<'v>(v: &'v Value, path: &str) -> Result<&'v Map<String, Value>> {
    v.as_object().ok_or_else(|| {
        Error::invalid_arg(path, format!("expected an object, got {}", type_name(v)))
    })
}

/// `None` for `null`, else `read(v)`: the reading of list entries where `null` means "leave
/// unchanged".
pub(crate) fn nullable<'v, T>(
    v: &'v Value,
    path: &str,
    read: impl FnOnce(&'v Value, &str) -> Result<T>,
) -> Result<Option<T>> {
    if v.is_null() {
        Ok(None)
    } else {
        read(v, path).map(Some)
    }
}

/// Fails unless `len` equals `expected`, naming `key`.
pub(crate) fn check_len(key: &str, len: usize, expected: usize, of: &str) -> Result<()> {
    if len == expected {
        Ok(())
    } else {
        Err(Error::invalid_arg(
            key,
            format!("has {len} entries; expected {expected}, one per entry of `{of}`"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_key_names_the_closest_valid_one() {
        let v = json!({"asset_id": ["a"]});
        let err = Reader::new(
            &v,
            "add_to_review",
            &["asset_ids", "external_ids", "project_id"],
        )
        .err()
        .unwrap();
        let msg = err.to_string();
        assert!(
            msg.contains("`asset_id`") && msg.contains("did you mean `asset_ids`"),
            "{msg}"
        );
    }

    #[test]
    fn list_entries_name_their_index() {
        let v = json!({"xs": ["a", 3]});
        let r = Reader::new(&v, "t", &["xs"]).unwrap();
        let err = r.opt_str_list("xs").err().unwrap();
        assert_eq!(err.details()["path"], "xs[1]");
        assert!(err.to_string().contains("expected a string, got a number"));
    }

    #[test]
    fn null_is_absent() {
        let v = json!({"xs": null});
        let r = Reader::new(&v, "t", &["xs"]).unwrap();
        assert!(r.opt_str_list("xs").unwrap().is_none());
    }
}
