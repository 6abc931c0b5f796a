package kili

// #include "kili.h"
import "C"

import (
	"context"
	"encoding/json"
	"iter"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Rows is a cursor over the assets of a query (a kili_cursor_t), shaped like sql.Rows:
//
//	rows, err := client.Assets(ctx, kili.AssetsQuery{...})
//	if err != nil { ... }
//	defer rows.Close()
//	for rows.Next() {
//		a := rows.Asset()
//	}
//	if err := rows.Err(); err != nil { ... }
//
// The library prefetches pages in the background; Rows takes assets from it in batches
// (WithCursorBatchSize) so that the cgo crossing is paid once per batch, not per asset.
// Rows closes itself when Next returns false. Ownership: Close releases it (idempotent);
// a cleanup frees a forgotten Rows when it becomes unreachable. Thread-safety: Next, Asset
// and Err must be called from one goroutine at a time; Close may be called from any
// goroutine, and interrupts a Next blocked on the network.
type Rows struct {
	mu      sync.Mutex // held during C calls on ptr
	ptr     *C.kili_cursor_t
	scope   *callScope
	cleanup runtime.Cleanup
	batch   int
	closing atomic.Bool // set by Close: a cancellation it causes is not an error

	page []json.RawMessage
	idx  int
	cur  Asset
	err  error
}

// rowsResources is what the cleanup of a forgotten Rows frees; it must not reference Rows.
type rowsResources struct {
	ptr   *C.kili_cursor_t
	scope *callScope
}

// Assets starts a query over the assets of a project. Bad arguments fail here, before any
// request. The context bounds the whole listing: cancelling it (or its deadline) stops the
// cursor, and Next then returns false with Err matching ErrCancelled/ErrTimeout and
// ctx.Err().
//
// Errors: as CountAssets.
func (c *Client) Assets(ctx context.Context, q AssetsQuery) (*Rows, error) {
	if ctx.Err() != nil {
		return nil, contextError(ctx)
	}
	args, err := marshalArgs("Assets", q)
	if err != nil {
		return nil, err
	}
	var rows *Rows
	err = c.use(func(p *C.kili_client_t) error {
		scope := newCallScope(ctx, true)
		opts := scope.options()
		ap, an := cBytes(args)
		var cur *C.kili_cursor_t
		var cerr *C.kili_error_t
		st := C.kili_assets_query(p, ap, an, &opts, &cur, &cerr)
		runtime.KeepAlive(args)
		if st != C.KILI_OK {
			scope.release()
			return takeError(st, cerr, ctx)
		}
		rows = &Rows{ptr: cur, scope: scope, batch: c.batch}
		rows.cleanup = runtime.AddCleanup(rows, func(r rowsResources) {
			C.kili_cursor_free(r.ptr)
			r.scope.release()
		}, rowsResources{cur, scope})
		return nil
	})
	return rows, err
}

// Next advances to the next asset, fetching a batch from the library when needed. It
// returns false at the end or on error (see Err), and then closes the Rows.
func (r *Rows) Next() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ptr == nil {
		return false
	}
	if r.idx >= len(r.page) && !r.fetch() {
		r.closeLocked()
		return false
	}
	a, err := decodeAsset(r.page[r.idx])
	r.page[r.idx] = nil // let the GC reclaim consumed assets early
	r.idx++
	if err != nil {
		r.err = err
		r.closeLocked()
		return false
	}
	r.cur = a
	return true
}

// fetch replaces the page with the next batch; false at the end or on error.
func (r *Rows) fetch() bool {
	var out C.kili_bytes_t
	var cerr *C.kili_error_t
	st := C.kili_cursor_next_page(r.ptr, C.size_t(r.batch), &out, &cerr)
	runtime.KeepAlive(r)
	switch st {
	case C.KILI_OK:
	case C.KILI_DONE:
		return false
	default:
		err := takeError(st, cerr, r.scope.ctx)
		if !r.closing.Load() {
			r.err = err
		}
		return false
	}
	// Decode straight from the library's buffer: json.RawMessage copies what it keeps, so
	// the buffer is freed right after.
	buf := unsafe.Slice((*byte)(unsafe.Pointer(out.data)), int(out.len))
	r.page = r.page[:0]
	err := json.Unmarshal(buf, &r.page)
	C.kili_bytes_free(&out)
	if err != nil {
		r.err = &Error{Status: StatusInternal, Message: "undecodable page from the library: " + err.Error(), Details: json.RawMessage(`{}`)}
		return false
	}
	r.idx = 0
	return len(r.page) > 0
}

// Asset returns the asset Next moved to. Each call returns the same value until the next
// call to Next.
func (r *Rows) Asset() Asset { return r.cur }

// Err returns the error that ended the iteration, or nil if it ended normally (or has not
// ended yet). Closing the Rows early is not an error.
func (r *Rows) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// ExpectedTotal returns how many assets the query is expected to yield, once the server
// has reported it (usually after the first batch); ok is false before that, and after
// Close.
func (r *Rows) ExpectedTotal() (total int64, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ptr == nil {
		return 0, false
	}
	var t C.int64_t
	if C.kili_cursor_expected_total(r.ptr, &t, nil) != C.KILI_OK || t < 0 {
		return 0, false
	}
	return int64(t), true
}

// Close releases the cursor and cancels its background fetches. It is idempotent and may
// be called from any goroutine; a Next blocked on the network returns promptly. It never
// fails.
func (r *Rows) Close() error {
	// Trigger first, without the lock: a Next blocked in the library holds it.
	r.closing.Store(true)
	if r.scope != nil && r.scope.tok != nil {
		r.scope.tok.trigger()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closeLocked()
	return nil
}

func (r *Rows) closeLocked() {
	if r.ptr == nil {
		return
	}
	r.cleanup.Stop()
	C.kili_cursor_free(r.ptr)
	r.ptr = nil
	r.scope.release()
	r.page = nil
}

// All returns an iterator over the remaining assets, for range-over-func:
//
//	for a, err := range rows.All() { ... }
//
// It yields (asset, nil) for each asset, then (Asset{}, err) once if the listing failed.
// Leaving the loop early closes the Rows.
func (r *Rows) All() iter.Seq2[Asset, error] {
	return func(yield func(Asset, error) bool) {
		defer r.Close()
		for r.Next() {
			if !yield(r.Asset(), nil) {
				return
			}
		}
		if err := r.Err(); err != nil {
			yield(Asset{}, err)
		}
	}
}
