//! Reading JSON argument objects (the C ABI's form of every call) with the Python SDK's
//! snake_case parameter names.
//!
//! [`Args`] wraps one JSON object and a list of known names: an unknown key is an
//! [`Error::InvalidArgument`] naming the key and the closest valid name; each typed getter
//! returns `Ok(None)` for a missing key or `null`, and an error naming the path
//! (`status_in[1]`) and the expected type or values otherwise. Reuse it for any argument
//! object (assets, mutations, options). Stateless apart from the borrowed object; `Send + Sync`.

use crate::error::{Error, Result};
use serde_json::{Map, Value};

/// Parses `text` as a JSON object. `what` names the argument in errors (e.g. `args`).
///
/// Errors: [`Error::InvalidArgument`] naming the line/column of a syntax error, or saying that
/// the value is not an object.
pub fn parse_object(text: &str, what: &str) -> Result<Map<String, Value>> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        Error::invalid_arg(
            what,
            format!(
                "invalid JSON at line {} column {}: {e}",
                e.line(),
                e.column()
            ),
        )
    })?;
    match v {
        Value::Object(m) => Ok(m),
        other => Err(Error::invalid_arg(
            what,
            format!("expected a JSON object, got {}", type_name(&other)),
        )),
    }
}

/// The JSON type name of a value, for error messages.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The name in `candidates` closest to `name` (Jaro-Winkler similarity), if any is
/// reasonably close.
pub fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(name, c), *c))
        .filter(|(s, _)| *s > 0.7)
        .max_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal))
        .map(|(_, c)| c)
}

/// The error for an unknown argument name.
pub fn unknown_key_error(prefix: &str, key: &str, known: &[&str]) -> Error {
    let hint = match closest(key, known) {
        Some(c) => format!("; did you mean `{c}`?"),
        None => format!("; valid names are: {}", known.join(", ")),
    };
    Error::invalid_arg(
        format!("{prefix}{key}"),
        format!("unknown argument `{key}`{hint}"),
    )
}

/// A JSON argument object checked against its known names. `prefix` is prepended to every
/// path in errors (`""` at top level, `"step_id_and_status_in[0]."` for nested objects).
#[derive(Debug, Clone, Copy)]
pub struct Args<'a> {
    obj: &'a Map<String, Value>,
    prefix: &'a str,
}

impl<'a> Args<'a> {
    /// Wraps `obj`, failing on the first key that is not in `known`.
    pub fn new(obj: &'a Map<String, Value>, known: &[&str], prefix: &'a str) -> Result<Self> {
        if let Some(k) = obj.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(unknown_key_error(prefix, k, known));
        }
        Ok(Args { obj, prefix })
    }

    /// The full path of `key` for error messages.
    pub fn path(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// The raw value, `None` when missing or `null`.
    pub fn value(&self, key: &str) -> Option<&'a Value> {
        self.obj.get(key).filter(|v| !v.is_null())
    }

    /// Whether the key is present with a non-null value.
    pub fn has(&self, key: &str) -> bool {
        self.value(key).is_some()
    }

    fn type_err(&self, path: String, expected: &str, got: &Value) -> Error {
        Error::invalid_arg(path, format!("expected {expected}, got {}", type_name(got)))
    }

    /// A string.
    pub fn string(&self, key: &str) -> Result<Option<String>> {
        match self.value(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(self.type_err(self.path(key), "a string", v)),
        }
    }

    /// A boolean.
    pub fn bool(&self, key: &str) -> Result<Option<bool>> {
        match self.value(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(v) => Err(self.type_err(self.path(key), "a boolean (true or false)", v)),
        }
    }

    /// An integer (any sign).
    pub fn i64(&self, key: &str) -> Result<Option<i64>> {
        match self.value(key) {
            None => Ok(None),
            Some(v) => match v.as_i64() {
                Some(i) => Ok(Some(i)),
                None => Err(self.type_err(self.path(key), "an integer", v)),
            },
        }
    }

    /// A non-negative integer.
    pub fn u64(&self, key: &str) -> Result<Option<u64>> {
        match self.i64(key)? {
            None => Ok(None),
            Some(i) if i >= 0 => Ok(Some(i as u64)),
            Some(i) => Err(Error::invalid_arg(
                self.path(key),
                format!("expected an integer >= 0, got {i}"),
            )),
        }
    }

    /// A number (integers accepted).
    pub fn f64(&self, key: &str) -> Result<Option<f64>> {
        match self.value(key) {
            None => Ok(None),
            Some(v) => match v.as_f64() {
                Some(f) => Ok(Some(f)),
                None => Err(self.type_err(self.path(key), "a number", v)),
            },
        }
    }

    /// A string that must be one of `allowed`.
    pub fn enum_value(&self, key: &str, allowed: &[&str]) -> Result<Option<String>> {
        match self.string(key)? {
            None => Ok(None),
            Some(s) => check_enum(&self.path(key), &s, allowed).map(|_| Some(s)),
        }
    }

    /// A list of strings (`null` items are refused).
    pub fn string_list(&self, key: &str) -> Result<Option<Vec<String>>> {
        match self.value(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::String(s) => Ok(s.clone()),
                    other => {
                        Err(self.type_err(format!("{}[{i}]", self.path(key)), "a string", other))
                    }
                })
                .collect::<Result<Vec<_>>>()
                .map(Some),
            Some(v) => Err(self.type_err(self.path(key), "an array of strings", v)),
        }
    }

    /// A list of strings each in `allowed`.
    pub fn enum_list(&self, key: &str, allowed: &[&str]) -> Result<Option<Vec<String>>> {
        let list = self.string_list(key)?;
        if let Some(items) = &list {
            for (i, s) in items.iter().enumerate() {
                check_enum(&format!("{}[{i}]", self.path(key)), s, allowed)?;
            }
        }
        Ok(list)
    }

    /// A JSON object (returned as is).
    pub fn object(&self, key: &str) -> Result<Option<&'a Map<String, Value>>> {
        match self.value(key) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m)),
            Some(v) => Err(self.type_err(self.path(key), "an object", v)),
        }
    }

    /// A list of objects, each given to `f` wrapped in an [`Args`] of its own (prefix
    /// `key[i].`) checked against `known`.
    pub fn object_list<T>(
        &self,
        key: &str,
        known: &[&str],
        mut f: impl FnMut(Args<'_>) -> Result<T>,
    ) -> Result<Option<Vec<T>>> {
        match self.value(key) {
            None => Ok(None),
            Some(Value::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, v) in items.iter().enumerate() {
                    let path = format!("{}[{i}]", self.path(key));
                    let Value::Object(m) = v else {
                        return Err(self.type_err(path, "an object", v));
                    };
                    let prefix = format!("{path}.");
                    let a = Args::new(m, known, &prefix)?;
                    out.push(f(a)?);
                }
                Ok(Some(out))
            }
            Some(v) => Err(self.type_err(self.path(key), "an array of objects", v)),
        }
    }
}

/// Fails unless `value` is one of `allowed`; the error names `path` and lists the values.
pub fn check_enum(path: &str, value: &str, allowed: &[&str]) -> Result<()> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(Error::invalid_arg(
            path,
            format!("expected one of {}, got \"{value}\"", allowed.join(", ")),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_suggests_closest() {
        let m = parse_object(r#"{"status_inn": []}"#, "args").unwrap();
        let e = Args::new(&m, &["status_in", "skip"], "").unwrap_err();
        let s = e.to_string();
        assert!(
            s.contains("`status_inn`") && s.contains("did you mean `status_in`"),
            "{s}"
        );
    }

    #[test]
    fn typed_getters_name_paths() {
        let m = parse_object(
            r#"{"a": ["X", 1], "b": "Z", "c": -1, "d": [{"x": 1, "y": 2}]}"#,
            "args",
        )
        .unwrap();
        let a = Args::new(&m, &["a", "b", "c", "d"], "").unwrap();
        assert!(a
            .string_list("a")
            .unwrap_err()
            .to_string()
            .contains("`a[1]`"));
        let e = a.enum_value("b", &["X", "Y"]).unwrap_err().to_string();
        assert!(
            e.contains("`b`") && e.contains("X, Y") && e.contains("\"Z\""),
            "{e}"
        );
        assert!(a.u64("c").unwrap_err().to_string().contains(">= 0"));
        let e = a
            .object_list("d", &["x"], |_| Ok(()))
            .unwrap_err()
            .to_string();
        assert!(e.contains("d[0].y"), "{e}");
        assert_eq!(a.string("missing").unwrap(), None);
    }

    #[test]
    fn parse_errors_name_position() {
        let e = parse_object("{\n  \"a\": }", "args")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2"), "{e}");
    }
}
