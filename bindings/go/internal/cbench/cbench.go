// Package cbench is the C baseline of the Go cursor benchmark: the listing loop written in C
// over kili_cursor_next, with no Go code per asset. Test support only; not part of the API.
package cbench

/*
#cgo CFLAGS: -I${SRCDIR}/../../../../include
#cgo LDFLAGS: -L${SRCDIR}/../../../../target/debug -lkili -Wl,-rpath,${SRCDIR}/../../../../target/debug
#include <stdint.h>
#include "kili.h"

// Lists every asset of the query, one kili_cursor_next per asset; returns the count, or -1
// with *status set.
static int64_t cbench_list(const kili_client_t *client, const char *args, size_t len, kili_status_t *status) {
	kili_cursor_t *cur = NULL;
	kili_error_t *err = NULL;
	*status = kili_assets_query(client, args, len, NULL, &cur, &err);
	if (*status != KILI_OK) {
		kili_error_free(err);
		return -1;
	}
	int64_t n = 0;
	kili_bytes_t item = {0};
	while ((*status = kili_cursor_next(cur, &item, &err)) == KILI_OK) {
		n++;
		kili_bytes_free(&item);
	}
	kili_error_free(err);
	kili_cursor_free(cur);
	return *status == KILI_DONE ? n : -1;
}
*/
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"
)

// Client is a bare kili_client_t. Not safe for concurrent Close.
type Client struct{ ptr *C.kili_client_t }

// Open creates a client from a C ABI options JSON object.
func Open(options string) (*Client, error) {
	b := []byte(options)
	var c *C.kili_client_t
	var err *C.kili_error_t
	if st := C.kili_client_new((*C.char)(unsafe.Pointer(&b[0])), C.size_t(len(b)), &c, &err); st != C.KILI_OK {
		msg := C.GoString(C.kili_error_message(err))
		C.kili_error_free(err)
		return nil, fmt.Errorf("kili_client_new: %s", msg)
	}
	runtime.KeepAlive(b)
	return &Client{ptr: c}, nil
}

// List runs the C listing loop over the query args (a JSON object) and returns the count.
func (c *Client) List(args string) (int64, error) {
	b := []byte(args)
	var st C.kili_status_t
	n := C.cbench_list(c.ptr, (*C.char)(unsafe.Pointer(&b[0])), C.size_t(len(b)), &st)
	runtime.KeepAlive(b)
	if n < 0 {
		return 0, fmt.Errorf("listing failed: %s", C.GoString(C.kili_status_str(st)))
	}
	return int64(n), nil
}

// Close frees the client.
func (c *Client) Close() { C.kili_client_free(c.ptr); c.ptr = nil }
