//! `kili_bytes_t`: the one buffer type for library-allocated output (JSON documents).

/// A library-allocated byte buffer holding UTF-8 JSON. `data[len]` is a NUL byte for C
/// convenience, but `len` is authoritative. `{NULL, 0}` means "no buffer".
///
/// Ownership: the caller owns a filled buffer and releases it with `kili_bytes_free` exactly
/// once; never `free()` it. Thread-safety: plain data, may be moved between threads.
#[repr(C)]
#[derive(Debug)]
pub struct kili_bytes_t {
    /// First byte, or NULL for no buffer.
    pub data: *const u8,
    /// Number of bytes, not counting the trailing NUL.
    pub len: usize,
}

impl kili_bytes_t {
    /// The empty value `{NULL, 0}`.
    pub(crate) const NONE: kili_bytes_t = kili_bytes_t {
        data: std::ptr::null(),
        len: 0,
    };

    /// Moves `v` into a library-owned buffer with a trailing NUL.
    pub(crate) fn from_vec(mut v: Vec<u8>) -> kili_bytes_t {
        v.push(0);
        let boxed = v.into_boxed_slice();
        let len = boxed.len() - 1;
        let data = Box::into_raw(boxed) as *const u8;
        kili_bytes_t { data, len }
    }

    /// A buffer holding the JSON text of `value`.
    pub(crate) fn from_json(value: &serde_json::Value) -> crate::Result<kili_bytes_t> {
        serde_json::to_vec(value)
            .map(kili_bytes_t::from_vec)
            .map_err(|e| crate::Error::Internal(format!("could not serialise a JSON result: {e}")))
    }
}

/// Releases a buffer filled by the library and resets it to `{NULL, 0}`. NULL `bytes`, or a
/// buffer already `{NULL, 0}`, is a no-op, so calling it twice on the same struct is safe.
///
/// Ownership: takes the memory `bytes->data` points to. Thread-safety: any thread, but not
/// concurrently on the same struct. Non-blocking. Never fails.
#[no_mangle]
pub unsafe extern "C" fn kili_bytes_free(bytes: *mut kili_bytes_t) {
    let Some(b) = bytes.as_mut() else { return };
    if !b.data.is_null() {
        let slice = std::ptr::slice_from_raw_parts_mut(b.data as *mut u8, b.len + 1);
        let _ = super::boundary::run_or((), || drop(Box::from_raw(slice)));
    }
    *b = kili_bytes_t::NONE;
}
