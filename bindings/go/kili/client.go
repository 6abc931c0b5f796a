package kili

// #include <stdlib.h>
// #include "kili.h"
import "C"

import (
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
)

// Client is a connection to one Kili endpoint with one API key (a kili_client_t).
//
// Ownership: create it with NewClient and release it with Close; a cleanup registered with
// runtime.AddCleanup frees a forgotten client when it becomes unreachable, but do not rely
// on it. Rows obtained from a client keep working after the client is closed.
// Thread-safety: safe for concurrent use by any number of goroutines; Close waits for the
// calls in progress to return.
type Client struct {
	mu      sync.RWMutex // read-held during C calls, write-held by Close
	ptr     *C.kili_client_t
	cleanup runtime.Cleanup
	batch   int
}

// NewClient creates a client. It may contact the server to check the API key.
//
// Errors: ErrInvalidArgument (unknown or ill-typed option, no API key), ErrAuth,
// ErrNetwork, ErrTimeout, ErrServer; ErrInvalidState when the loaded library's ABI does
// not match this package.
func NewClient(opts ...Option) (*Client, error) {
	if err := abiCheck(); err != nil {
		return nil, err
	}
	cfg := clientConfig{json: map[string]any{}, batchSize: 256}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.batchSize < 1 {
		return nil, &Error{Status: StatusInvalidArgument, Message: fmt.Sprintf("WithCursorBatchSize: expected at least 1, got %d", cfg.batchSize), Details: json.RawMessage(`{"path":"cursor_batch_size"}`)}
	}
	text, err := json.Marshal(cfg.json)
	if err != nil {
		return nil, &Error{Status: StatusInvalidArgument, Message: "client options: " + err.Error(), Details: json.RawMessage(`{}`)}
	}
	p, n := cBytes(text)
	var ptr *C.kili_client_t
	var cerr *C.kili_error_t
	st := C.kili_client_new(p, n, &ptr, &cerr)
	runtime.KeepAlive(text)
	if st != C.KILI_OK {
		return nil, takeError(st, cerr, nil)
	}
	c := &Client{ptr: ptr, batch: cfg.batchSize}
	if cfg.onEvent != nil {
		if err := setEventHandler(ptr, cfg.onEvent); err != nil {
			C.kili_client_free(ptr)
			return nil, err
		}
	}
	c.cleanup = runtime.AddCleanup(c, func(p *C.kili_client_t) { C.kili_client_free(p) }, ptr)
	return c, nil
}

// Close releases the client. It is idempotent and safe to call concurrently with other
// methods (it waits for them); later calls return ErrClosed. It never fails.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ptr != nil {
		c.cleanup.Stop()
		C.kili_client_free(c.ptr)
		c.ptr = nil
	}
	return nil
}

// use runs f with the live client pointer under the read lock, or returns ErrClosed.
func (c *Client) use(f func(p *C.kili_client_t) error) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		return ErrClosed
	}
	err := f(c.ptr)
	runtime.KeepAlive(c)
	return err
}
