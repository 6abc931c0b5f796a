package kili

// #include "kili.h"
import "C"

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// deadlineSlack is how close to a context deadline a library timeout counts as that
// deadline (timeout_ms is rounded to whole milliseconds).
const deadlineSlack = 20 * time.Millisecond

// Error is the error of every failed call: the C ABI status, the library's message and its
// details object (always "status"; when known "path" of the failing argument, the HTTP
// status, GraphQL "errors", and per-item "outcomes" for StatusPartialFailure).
//
// Match categories with errors.Is against the sentinels (errors.Is(err, kili.ErrNotFound)),
// or errors.As to read the fields. When a call stopped because its context ended, the error
// also matches the context's error (context.Canceled or context.DeadlineExceeded).
// An Error is immutable after it is returned and safe to share between goroutines. It never
// contains the API key.
type Error struct {
	Status  Status
	Message string
	// Details is the library's details JSON object (never nil for library errors).
	Details json.RawMessage

	cause error // the context error when the call was stopped by its context
}

// Sentinels for errors.Is: an *Error matches the sentinel of its Status.
var (
	ErrInvalidArgument = &Error{Status: StatusInvalidArgument}
	ErrInvalidState    = &Error{Status: StatusInvalidState}
	ErrAuth            = &Error{Status: StatusAuth}
	ErrNotFound        = &Error{Status: StatusNotFound}
	ErrRateLimited     = &Error{Status: StatusRateLimited}
	ErrNetwork         = &Error{Status: StatusNetwork}
	ErrTimeout         = &Error{Status: StatusTimeout}
	ErrCancelled       = &Error{Status: StatusCancelled}
	ErrGraphQL         = &Error{Status: StatusGraphQL}
	ErrServer          = &Error{Status: StatusServer}
	ErrPartialFailure  = &Error{Status: StatusPartialFailure}
	ErrInternal        = &Error{Status: StatusInternal}
	// ErrClosed is returned by calls on a closed Client (it is also an ErrInvalidState).
	ErrClosed = &Error{Status: StatusInvalidState, Message: "kili: the client is closed"}
)

func (e *Error) Error() string {
	if e.Message == "" {
		return "kili: " + e.Status.String()
	}
	return fmt.Sprintf("kili: %s: %s", e.Status, e.Message)
}

// Is reports whether target is the sentinel of e's status (a message-less *Error with the
// same Status), or ErrClosed itself.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	if t == ErrClosed {
		return e == ErrClosed
	}
	return t.Message == "" && t.Details == nil && t.Status == e.Status
}

// Unwrap returns the context error that stopped the call, if any.
func (e *Error) Unwrap() error { return e.cause }

// Path returns the failing argument path of an invalid-argument error ("status_in[1]"),
// or "" when the details do not name one.
func (e *Error) Path() string {
	var d struct {
		Path string `json:"path"`
	}
	_ = json.Unmarshal(e.Details, &d)
	return d.Path
}

// Outcomes returns the per-item outcomes carried by a StatusPartialFailure error.
func (e *Error) Outcomes() (*Outcomes, bool) {
	var d struct {
		Outcomes *Outcomes `json:"outcomes"`
	}
	if json.Unmarshal(e.Details, &d) != nil || d.Outcomes == nil {
		return nil, false
	}
	return d.Outcomes, true
}

// takeError converts a C error into an *Error and frees it. status is the call's status;
// ctx (may be nil) is the call's context, attached as cause when it has ended.
func takeError(status C.kili_status_t, cerr *C.kili_error_t, ctx context.Context) error {
	e := &Error{Status: Status(status)}
	if cerr != nil {
		e.Status = Status(C.kili_error_code(cerr))
		e.Message = C.GoString(C.kili_error_message(cerr))
		e.Details = json.RawMessage(C.GoString(C.kili_error_details_json(cerr)))
		C.kili_error_free(cerr)
	}
	if e.Details == nil {
		e.Details = json.RawMessage(`{}`)
	}
	return withContext(e, ctx)
}

// withContext attaches the context's error to a cancellation or timeout, so that callers
// can test errors.Is(err, context.DeadlineExceeded). A deadline reported by the library as
// a cancellation (our watcher triggered the token) is a timeout.
func withContext(e *Error, ctx context.Context) error {
	if ctx == nil || (e.Status != StatusCancelled && e.Status != StatusTimeout) {
		return e
	}
	cerr := ctx.Err()
	if cerr == nil && e.Status == StatusTimeout {
		// The library's timeout_ms came from the deadline and may fire a hair before the
		// context notices.
		if d, ok := ctx.Deadline(); ok && time.Until(d) < deadlineSlack {
			cerr = context.DeadlineExceeded
		}
	}
	if cerr == nil {
		return e
	}
	e.cause = cerr
	if cerr == context.DeadlineExceeded {
		e.Status = StatusTimeout
	}
	return e
}

// contextError is the error of a call refused because its context already ended.
func contextError(ctx context.Context) error {
	st := StatusCancelled
	if ctx.Err() == context.DeadlineExceeded {
		st = StatusTimeout
	}
	return &Error{Status: st, Message: ctx.Err().Error(), Details: json.RawMessage(`{}`), cause: ctx.Err()}
}
