// Package kili is the Go SDK of kili-native for the asset module of the Kili Technology
// labeling platform: list, count, import, update, rename, delete, send to review and send
// back to queue the assets of a project. It is a thin cgo layer over the C ABI in
// include/kili.h; the Rust core does the work (HTTP, retries, rate limiting, pagination with
// background prefetch, argument validation).
//
// Conventions, as in database/sql:
//
//   - NewClient returns a *Client safe for concurrent use; Close it when done (Close is
//     idempotent; a runtime cleanup frees forgotten clients and cursors).
//   - Every call takes a context.Context: cancelling it triggers the library's cancel token,
//     and its deadline becomes the call's timeout. Such errors match both the kili sentinel
//     (ErrCancelled, ErrTimeout) and the context's error.
//   - Client.Assets returns *Rows (Next/Asset/Err/Close, plus All for range-over-func).
//   - Arguments are typed structs whose json tags are the Python SDK's snake_case parameter
//     names, so the Python documentation applies field by field.
//   - Errors are *Error{Status, Message, Details}; test categories with errors.Is against
//     ErrNotFound, ErrAuth, ErrRateLimited, ErrInvalidArgument, ...
//   - Events (progress, warnings, logs) reach the handler given to WithEventHandler; the
//     library receives a cgo.Handle, never a Go pointer.
//
// Import path github.com/kili-technology/kili-native/bindings/go/kili. Building: the
// released module bundles the header and a static libkili.a per supported platform, which
// plain `go build` links (cgo and a C compiler needed; no Rust toolchain; nothing of libkili
// needed at run time). `-tags kili_system` links a libkili installed on the system instead
// (with CGO_CFLAGS / CGO_LDFLAGS when it is not in the default paths), `-tags kili_pkgconfig`
// one found through pkg-config. See ffi.go and the module's README.md.
package kili
