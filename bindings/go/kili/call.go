package kili

// #include "kili.h"
import "C"

import (
	"context"
	"math"
	"sync"
	"time"
)

// cancelToken owns a kili_cancel_t. trigger may race with free: the mutex makes a trigger
// after free a no-op instead of a use-after-free. Safe for concurrent use.
type cancelToken struct {
	mu  sync.Mutex
	ptr *C.kili_cancel_t
}

func newCancelToken() *cancelToken { return &cancelToken{ptr: C.kili_cancel_new()} }

func (t *cancelToken) trigger() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.ptr != nil {
		C.kili_cancel_trigger(t.ptr, nil)
	}
}

func (t *cancelToken) free() {
	t.mu.Lock()
	defer t.mu.Unlock()
	C.kili_cancel_free(t.ptr)
	t.ptr = nil
}

// callScope binds one blocking C call (or one cursor) to a context: the context's deadline
// becomes timeout_ms and its cancellation triggers a C cancel token, from the goroutine
// context.AfterFunc starts (none is started for contexts that can never end).
type callScope struct {
	ctx  context.Context
	tok  *cancelToken
	stop func() bool
}

// withToken forces a token even for such contexts (cursors use it to stop in-flight
// fetches on Close).
func newCallScope(ctx context.Context, withToken bool) *callScope {
	s := &callScope{ctx: ctx}
	if ctx.Done() != nil || withToken {
		s.tok = newCancelToken()
	}
	if ctx.Done() != nil {
		s.stop = context.AfterFunc(ctx, s.tok.trigger)
	}
	return s
}

// options fills a kili_call_options_t for the scope. The cancel pointer is C memory, so the
// struct may live in Go memory when passed to C.
func (s *callScope) options() C.kili_call_options_t {
	var o C.kili_call_options_t
	C.kili_call_options_init(&o)
	if d, ok := s.ctx.Deadline(); ok {
		// Round up so the library never gives up before the context does.
		ms := (time.Until(d) + time.Millisecond - 1).Milliseconds()
		switch {
		case ms < 1:
			ms = 1
		case ms > math.MaxUint32:
			ms = math.MaxUint32
		}
		o.timeout_ms = C.uint32_t(ms)
	}
	if s.tok != nil {
		o.cancel = s.tok.ptr
	}
	return o
}

// release stops watching the context and frees the token (a trigger already running
// finishes first, thanks to the token's mutex).
func (s *callScope) release() {
	if s.stop != nil {
		s.stop()
	}
	if s.tok != nil {
		s.tok.free()
	}
}
