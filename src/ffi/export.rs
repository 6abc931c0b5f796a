//! The streaming export of the C ABI: the assets of a query written as NDJSON or CSV to a file
//! or a file descriptor (see `crate::export`).

use super::boundary::ensure_blocking_allowed;
use super::call_options::{self, kili_call_options_t};
use super::client::kili_client_t;
use super::error::kili_error_t;
use super::input::{handle, json_object, out_param, utf8};
use super::status::{kili_status_t, KILI_OK};
use crate::assets::AssetQuery;
use crate::error::Error;
use crate::export::{export_assets, export_assets_to_path, ExportFormat};
use std::ffi::c_char;

/// Exports the assets of a query to a file or a file descriptor and stores the number of
/// assets written in `*out_count`.
///
/// `args_json` takes the same JSON arguments as `kili_assets_query` (`project_id`, filters,
/// `fields`, `first`, `skip`, ...). `format` (UTF-8, `format_len` bytes) is `"ndjson"` (one
/// asset per line, exactly the cursor's JSON) or `"csv"` (columns = `fields`, or the flattened
/// keys of the first asset; values crossing lists and nested objects are written as JSON text).
///
/// The query is checked (arguments, project visible) before the destination is touched.
/// Destination: when `path` is not NULL, the file `path` (`path_len` bytes of UTF-8), written
/// to a new hidden file beside it (`.<name>.<unique>.part`) and renamed to `path` when complete
/// (an existing `path` is replaced only by a complete export; concurrent exports never share a
/// temporary file); otherwise the open file descriptor `fd` (>= 0, POSIX only), written from
/// its current position, flushed and **not** closed. Write failures name `path` or `fd`.
/// CSV without `fields` and without any matching asset is empty (no header row).
///
/// Memory stays bounded (pages stream through); progress is reported as `"export"` progress
/// events to the client's event callback. `call_opts` (may be NULL) bounds and cancels the
/// whole export.
///
/// Ownership: borrows everything for the call; `*out_count` is 0 on failure.
/// Thread-safety: any thread; the client may be shared. Blocking: until the export ends.
/// Statuses: `KILI_OK`; `KILI_INVALID_ARGUMENT` (NULL pointer, invalid UTF-8/JSON, unknown or
/// ill-typed argument, unknown format, neither path nor a valid fd, file not writable);
/// `KILI_AUTH`; `KILI_NOT_FOUND`; `KILI_RATE_LIMITED`; `KILI_NETWORK`; `KILI_TIMEOUT`;
/// `KILI_CANCELLED` (also a closed pipe); `KILI_GRAPHQL`; `KILI_SERVER`; `KILI_INVALID_STATE`;
/// `KILI_INTERNAL`. On failure a file `path` is not created; what was written to `fd` stays.
#[no_mangle]
pub unsafe extern "C" fn kili_assets_export(
    client: *const kili_client_t,
    args_json: *const c_char,
    args_len: usize,
    format: *const c_char,
    format_len: usize,
    path: *const c_char,
    path_len: usize,
    fd: i32,
    call_opts: *const kili_call_options_t,
    out_count: *mut u64,
    err: *mut *mut kili_error_t,
) -> kili_status_t {
    ffi_boundary!(err, {
        let out = out_param(out_count, "out_count", 0)?;
        let c = handle(client, "client")?;
        let args = json_object(args_json, args_len, "args_json")?;
        let format = ExportFormat::parse(utf8(format, format_len, "format")?)?;
        let opts = call_options::read(call_opts)?;
        let query = AssetQuery::from_json(args)?;
        ensure_blocking_allowed("kili_assets_export")?;
        let n = if !path.is_null() {
            let p = utf8(path, path_len, "path")?;
            if p.is_empty() {
                return Err(Error::invalid_arg(
                    "path",
                    "expected a file path, got an empty string",
                ));
            }
            export_assets_to_path(&c.client, query, format, std::path::Path::new(p), opts)?
        } else {
            write_to_fd(&c.client, query, format, fd, opts)?
        };
        *out = n;
        Ok(KILI_OK)
    })
}

#[cfg(unix)]
fn write_to_fd(
    client: &crate::Client,
    query: AssetQuery,
    format: ExportFormat,
    fd: i32,
    opts: crate::CallOptions,
) -> crate::Result<u64> {
    use std::os::fd::FromRawFd;
    if fd < 0 {
        return Err(Error::invalid_arg(
            "fd",
            format!("expected an open file descriptor (>= 0) when path is NULL, got {fd}"),
        ));
    }
    // SAFETY: the caller owns `fd` and keeps it open during the call; ManuallyDrop never
    // closes it.
    let mut file = std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(fd) });
    let mut w = std::io::BufWriter::new(&mut *file);
    let n = export_assets(client, query, format, &mut w, opts).map_err(|e| match e {
        // The export's write failures name the generic `output`; here it is `fd`.
        Error::InvalidArgument {
            path: Some(p),
            message,
        } if p == "output" => Error::invalid_arg("fd", message),
        other => other,
    })?;
    std::io::Write::flush(&mut w)
        .map_err(|e| Error::invalid_arg("fd", format!("cannot write to fd {fd}: {e}")))?;
    Ok(n)
}

#[cfg(not(unix))]
fn write_to_fd(
    _: &crate::Client,
    _: AssetQuery,
    _: ExportFormat,
    _: i32,
    _: crate::CallOptions,
) -> crate::Result<u64> {
    Err(Error::invalid_arg(
        "fd",
        "file descriptors are supported on POSIX systems only: pass a path",
    ))
}
