//! Checked reading of C arguments: pointers, `const char *ptr, size_t len` UTF-8 strings,
//! JSON objects, and out-params (cleared before any other check so that they are NULL/0 on
//! every failure).

use crate::error::{Error, Result};
use std::ffi::c_char;

/// The error for a NULL pointer parameter.
pub(crate) fn null_arg(name: &str) -> Error {
    Error::invalid_arg(name, "must not be NULL")
}

/// Borrows the object behind a handle, or fails naming `name` when it is NULL.
///
/// # Safety
/// `ptr` is NULL or points to a live `T` created by this library.
pub(crate) unsafe fn handle<'a, T>(ptr: *const T, name: &str) -> Result<&'a T> {
    ptr.as_ref().ok_or_else(|| null_arg(name))
}

/// Mutably borrows the object behind a handle, or fails naming `name` when it is NULL.
///
/// # Safety
/// `ptr` is NULL or points to a live `T` created by this library, not used concurrently.
pub(crate) unsafe fn handle_mut<'a, T>(ptr: *mut T, name: &str) -> Result<&'a mut T> {
    ptr.as_mut().ok_or_else(|| null_arg(name))
}

/// Checks an out-param, sets it to `value` (its "failure" value) and returns it for writing.
///
/// # Safety
/// `ptr` is NULL or a writable slot of type `T`.
pub(crate) unsafe fn out_param<'a, T>(ptr: *mut T, name: &str, value: T) -> Result<&'a mut T> {
    let slot = ptr.as_mut().ok_or_else(|| null_arg(name))?;
    std::ptr::write(slot, value);
    Ok(slot)
}

/// Reads a UTF-8 string given as `ptr, len` (no NUL needed). `(NULL, 0)` is the empty string.
///
/// # Safety
/// `ptr` is NULL or points to `len` readable bytes that stay valid during the call.
pub(crate) unsafe fn utf8<'a>(ptr: *const c_char, len: usize, name: &str) -> Result<&'a str> {
    if ptr.is_null() {
        if len == 0 {
            return Ok("");
        }
        return Err(Error::invalid_arg(
            name,
            format!("is NULL but its length is {len}"),
        ));
    }
    let bytes = std::slice::from_raw_parts(ptr.cast::<u8>(), len);
    std::str::from_utf8(bytes).map_err(|e| {
        Error::invalid_arg(
            name,
            format!(
                "is not valid UTF-8: invalid byte at offset {}",
                e.valid_up_to()
            ),
        )
    })
}

/// Reads a UTF-8 string that must hold a JSON object, and checks it parses. The parsed value
/// is not kept: the core parses the text itself, this check only gives a message naming the
/// argument and the position.
///
/// # Safety
/// As for [`utf8`].
pub(crate) unsafe fn json_object<'a>(
    ptr: *const c_char,
    len: usize,
    name: &str,
) -> Result<&'a str> {
    let text = utf8(ptr, len, name)?;
    check_json_object(text, name)?;
    Ok(text)
}

/// Fails unless `text` is a syntactically valid JSON object.
pub(crate) fn check_json_object(text: &str, name: &str) -> Result<()> {
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .map_err(|e| Error::invalid_arg(name, format!("is not valid JSON: {e}")))?;
    if !text.trim_start().starts_with('{') {
        return Err(Error::invalid_arg(name, "must be a JSON object (`{...}`)"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_errors_name_the_argument_and_offset() {
        let bad = b"ab\xffcd";
        let e = unsafe { utf8(bad.as_ptr().cast(), bad.len(), "args_json") }.unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("args_json") && msg.contains("offset 2"),
            "{msg}"
        );
    }

    #[test]
    fn json_errors_name_the_position() {
        let e = check_json_object("{\"a\": }", "args_json").unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("args_json") && msg.contains("column 7"),
            "{msg}"
        );
        assert!(check_json_object("[1]", "args_json").is_err());
        assert!(check_json_object(" {\"a\": 1} ", "args_json").is_ok());
    }

    #[test]
    fn null_with_length_is_refused() {
        assert!(unsafe { utf8(std::ptr::null(), 3, "x") }.is_err());
        assert_eq!(unsafe { utf8(std::ptr::null(), 0, "x") }.unwrap(), "");
    }
}
