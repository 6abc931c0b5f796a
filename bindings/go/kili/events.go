package kili

// #include <stddef.h>
import "C"

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime/cgo"
	"runtime/debug"
	"sync/atomic"
	"unsafe"
)

// liveEventHandles counts the handlers installed in the library and not yet dropped (a
// leak detector for the tests).
var liveEventHandles atomic.Int64

// Event is one event of a client: progress of a long call, a warning (deprecated argument,
// empty list, ignored argument) or a log line. Fields not used by a Type are zero.
type Event struct {
	// Type is "progress", "warning" or "log".
	Type string `json:"type"`
	// Operation, Done and Total describe progress ("append_many_to_dataset", 100, 250).
	Operation string `json:"operation,omitempty"`
	Done      uint64 `json:"done,omitempty"`
	Total     uint64 `json:"total,omitempty"`
	// Kind is the warning's kind: "deprecation", "empty_list", "ignored" or "other".
	Kind string `json:"kind,omitempty"`
	// Method is the SDK method a warning is about.
	Method string `json:"method,omitempty"`
	// Level is the log level: "debug", "info", "warn" or "error".
	Level string `json:"level,omitempty"`
	// Message is the human-readable text of a warning or log.
	Message string `json:"message,omitempty"`
	// Raw is the event's JSON object as the library sent it.
	Raw json.RawMessage `json:"-"`
}

// kiliGoEventCall is the C callback of every Go client: user_data is a cgo.Handle holding
// the func(Event) (never a Go pointer). It may run on a library thread.
//
//export kiliGoEventCall
func kiliGoEventCall(userData unsafe.Pointer, data *C.char, n C.size_t) {
	defer func() {
		if r := recover(); r != nil {
			// A Go panic must never unwind through the library's frames.
			fmt.Fprintf(os.Stderr, "kili: panic in the event handler (recovered): %v\n%s", r, debug.Stack())
		}
	}()
	h := cgo.Handle(uintptr(userData))
	handler := h.Value().(func(Event))
	raw := C.GoBytes(unsafe.Pointer(data), C.int(n))
	var ev Event
	if err := json.Unmarshal(raw, &ev); err != nil {
		ev = Event{Type: "log", Level: "warn", Message: "kili: undecodable event: " + err.Error()}
	}
	ev.Raw = raw
	handler(ev)
}

// kiliGoEventDrop releases the handle once the library no longer needs it (the client and
// all its cursors are freed).
//
//export kiliGoEventDrop
func kiliGoEventDrop(userData unsafe.Pointer) {
	cgo.Handle(uintptr(userData)).Delete()
	liveEventHandles.Add(-1)
}
