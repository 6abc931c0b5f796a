package kili

// #include "kili.h"
import "C"

// Status is a kili_status_t: the outcome category of a call. Values equal the C ABI's
// KILI_* constants and are never renumbered.
type Status int32

// The statuses of the C ABI (see include/kili.h).
const (
	StatusOK              Status = C.KILI_OK
	StatusDone            Status = C.KILI_DONE
	StatusInvalidArgument Status = C.KILI_INVALID_ARGUMENT
	StatusInvalidState    Status = C.KILI_INVALID_STATE
	StatusAuth            Status = C.KILI_AUTH
	StatusNotFound        Status = C.KILI_NOT_FOUND
	StatusRateLimited     Status = C.KILI_RATE_LIMITED
	StatusNetwork         Status = C.KILI_NETWORK
	StatusTimeout         Status = C.KILI_TIMEOUT
	StatusCancelled       Status = C.KILI_CANCELLED
	StatusGraphQL         Status = C.KILI_GRAPHQL
	StatusServer          Status = C.KILI_SERVER
	StatusPartialFailure  Status = C.KILI_PARTIAL_FAILURE
	StatusInternal        Status = C.KILI_INTERNAL
)

// String names the status as the C header does ("KILI_NOT_FOUND", ...).
func (s Status) String() string { return C.GoString(C.kili_status_str(C.kili_status_t(s))) }
