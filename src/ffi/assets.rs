//! The asset verbs of the C ABI: query (a cursor), count, and mutate (one entry point naming
//! the action).

use super::boundary::ensure_blocking_allowed;
use super::bytes::kili_bytes_t;
use super::call_options::{self, kili_call_options_t};
use super::client::kili_client_t;
use super::cursor::kili_cursor_t;
use super::error::kili_error_t;
use super::input::{handle, json_object, out_param, utf8};
use super::status::{kili_status_t, KILI_OK};
use crate::call::CancelToken;
use crate::error::Error;
use std::ffi::c_char;

/// Starts a query over the assets of a project and returns a cursor.
///
/// `args_json` is a JSON object with the Python SDK's `assets()` parameter names:
/// `project_id` (required), `fields`, `first`, `skip`, `disable_tqdm`, the filters
/// (`asset_id_in`, `external_id_in`, `status_in`, `label_category_search`, ...) and their
/// deprecated aliases (reported as warning events). Unknown names are an error naming the
/// closest valid one. Bad arguments fail here, before any network call.
///
/// Media: `download_media` (bool) saves each asset's media under `local_media_dir` and
/// rewrites `content`/`jsonContent` to local paths. `download_media_errors` says what a failed
/// download does: `"raise"` (default) ends the listing with that error; `"report"` delivers
/// the asset with the failed fields' URLs kept and a key `"downloadErrors"`: a list of
/// `{"field": "content"|"jsonContent"|"ocrMetadata", "url": <URL without query string>,
/// "code": <status name, e.g. "NOT_FOUND">, "message": ...}` (plus a warning event per
/// failure). Cancellation, the call's timeout and local directory errors end the listing in
/// both modes. Any other value is `KILI_INVALID_ARGUMENT`; without `download_media` the value
/// is checked, then ignored.
///
/// `call_opts` (may be NULL): its cancel token stays attached to the cursor (triggering it
/// later stops the cursor with `KILI_CANCELLED`); its timeout applies as described in
/// `kili_call_options_t`.
///
/// Ownership: on `KILI_OK` the caller owns `*out_cursor` (free with `kili_cursor_free`);
/// otherwise it is NULL. Borrows `client` and the inputs for the call only.
/// Thread-safety: any thread; the client may be shared. Blocking: until the listing has
/// started (the first request); later pages are fetched in the background.
/// Statuses: `KILI_OK`; `KILI_INVALID_ARGUMENT` (NULL pointer, invalid UTF-8/JSON, unknown or
/// ill-typed argument, bad `call_opts.struct_size`); `KILI_AUTH`; `KILI_NOT_FOUND`;
/// `KILI_RATE_LIMITED`; `KILI_NETWORK`; `KILI_TIMEOUT`; `KILI_CANCELLED`; `KILI_GRAPHQL`;
/// `KILI_SERVER`; `KILI_INVALID_STATE`; `KILI_INTERNAL`.
#[no_mangle]
pub unsafe extern "C" fn kili_assets_query(
    client: *const kili_client_t,
    args_json: *const c_char,
    args_len: usize,
    call_opts: *const kili_call_options_t,
    out_cursor: *mut *mut kili_cursor_t,
    err: *mut *mut kili_error_t,
) -> kili_status_t {
    ffi_boundary!(err, {
        let out = out_param(out_cursor, "out_cursor", std::ptr::null_mut())?;
        let c = handle(client, "client")?;
        let args = json_object(args_json, args_len, "args_json")?;
        let mut opts = call_options::read(call_opts)?;
        ensure_blocking_allowed("kili_assets_query")?;
        // A child token: kili_cursor_free cancels the cursor's own work without triggering
        // the caller's token, which may be shared with other calls.
        let stop = opts
            .cancel
            .as_ref()
            .map_or_else(CancelToken::new, CancelToken::child);
        opts.cancel = Some(stop.clone());
        let inner = c.client.assets_json(args, opts)?;
        *out = Box::into_raw(Box::new(kili_cursor_t::new(inner, stop, c.events.clone())));
        Ok(KILI_OK)
    })
}

/// Counts the assets matching a query into `*out_count`.
///
/// `args_json` is a JSON object with the Python SDK's `count_assets()` parameter names
/// (`project_id` and the same filters as `kili_assets_query`).
///
/// Ownership: borrows everything; `*out_count` is 0 on failure.
/// Thread-safety: any thread; the client may be shared. Blocking: yes (one request, with
/// retries), bounded by `call_opts`' timeout and cancel token.
/// Statuses: `KILI_OK`; `KILI_INVALID_ARGUMENT`; `KILI_AUTH`; `KILI_NOT_FOUND`;
/// `KILI_RATE_LIMITED`; `KILI_NETWORK`; `KILI_TIMEOUT`; `KILI_CANCELLED`; `KILI_GRAPHQL`;
/// `KILI_SERVER`; `KILI_INVALID_STATE`; `KILI_INTERNAL`.
#[no_mangle]
pub unsafe extern "C" fn kili_assets_count(
    client: *const kili_client_t,
    args_json: *const c_char,
    args_len: usize,
    call_opts: *const kili_call_options_t,
    out_count: *mut u64,
    err: *mut *mut kili_error_t,
) -> kili_status_t {
    ffi_boundary!(err, {
        let out = out_param(out_count, "out_count", 0)?;
        let c = handle(client, "client")?;
        let args = json_object(args_json, args_len, "args_json")?;
        let opts = call_options::read(call_opts)?;
        ensure_blocking_allowed("kili_assets_count")?;
        *out = c.client.count_assets_json(args, opts)?;
        Ok(KILI_OK)
    })
}

/// Runs one asset action and returns its result as JSON in `*out_result`.
///
/// `action` (UTF-8, `action_len` bytes) is one of `append_many_to_dataset`,
/// `update_properties_in_assets`, `change_asset_external_ids`, `delete_many_from_dataset`,
/// `add_to_review`, `send_back_to_queue`, `set_assets_priority`,
/// `assign_assets_to_labelers`, `update_asset_consensus`, `add_metadata`, `set_metadata`,
/// `skip_or_unskip`; `args_json` is a JSON object with that Python SDK method's parameter
/// names. The result is `{"result": <that method's return value>, "outcomes": ...}` (e.g.
/// `{"id": ..., "asset_ids": [...]}` for an import, the asset id for `skip_or_unskip`) with
/// per-item outcomes. When some items fail the status is
/// `KILI_PARTIAL_FAILURE` and the error details carry the per-item outcomes.
///
/// Ownership: on `KILI_OK` the caller owns `*out_result` (free with `kili_bytes_free`);
/// otherwise it is `{NULL, 0}`. Thread-safety: any thread; the client may be shared.
/// Blocking: yes (uploads and batched requests), bounded by `call_opts`; progress is
/// reported as events.
/// Statuses: `KILI_OK`; `KILI_PARTIAL_FAILURE`; `KILI_INVALID_ARGUMENT` (also an unknown
/// action); `KILI_AUTH`; `KILI_NOT_FOUND`; `KILI_RATE_LIMITED`; `KILI_NETWORK`;
/// `KILI_TIMEOUT`; `KILI_CANCELLED`; `KILI_GRAPHQL`; `KILI_SERVER`; `KILI_INVALID_STATE`;
/// `KILI_INTERNAL`.
#[no_mangle]
pub unsafe extern "C" fn kili_assets_mutate(
    client: *const kili_client_t,
    action: *const c_char,
    action_len: usize,
    args_json: *const c_char,
    args_len: usize,
    call_opts: *const kili_call_options_t,
    out_result: *mut kili_bytes_t,
    err: *mut *mut kili_error_t,
) -> kili_status_t {
    ffi_boundary!(err, {
        let out = out_param(out_result, "out_result", kili_bytes_t::NONE)?;
        let c = handle(client, "client")?;
        let action = utf8(action, action_len, "action")?;
        if action.is_empty() {
            return Err(Error::invalid_arg("action", "must name an asset action"));
        }
        let args = json_object(args_json, args_len, "args_json")?;
        let opts = call_options::read(call_opts)?;
        ensure_blocking_allowed("kili_assets_mutate")?;
        let result = c.client.mutate_json(action, args, opts)?;
        *out = kili_bytes_t::from_json(&result)?;
        Ok(KILI_OK)
    })
}
