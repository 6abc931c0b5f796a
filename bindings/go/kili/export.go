package kili

// #include "kili.h"
import "C"

import (
	"context"
	"encoding/json"
	"os"
	"runtime"
)

// ExportFormat is the output format of ExportAssets: ExportNDJSON or ExportCSV. Any other
// value is refused by the library with ErrInvalidArgument naming "format".
type ExportFormat string

const (
	// ExportNDJSON writes one JSON object per line ("\n"-terminated), exactly the assets
	// Rows would return (the same objects as Asset.Raw).
	ExportNDJSON ExportFormat = "ndjson"
	// ExportCSV writes a header row (the query's Fields, or the flattened keys of the first
	// asset such as "currentStep.name"), then one row per asset; nested objects and values
	// crossing lists (e.g. "labels.author.email") are written as JSON text.
	ExportCSV ExportFormat = "csv"
)

// ExportAssets streams the assets of q to the file path in format and returns the number
// of assets written. The file is written as path+".part" and renamed to path when
// complete, so a failed or cancelled export leaves no file under path (nor the ".part").
// Pages stream through the library (memory stays bounded whatever the number of assets);
// progress arrives as Event{Type: "progress", Operation: "export"} to the WithEventHandler
// handler. The context bounds the whole export: its cancellation stops it with
// ErrCancelled (matching context.Canceled), its deadline with ErrTimeout.
//
// Safe for concurrent use (the Client may be shared); blocks the goroutine until the
// export ends. Errors: ErrInvalidArgument (before any request: bad arguments, an unknown
// format naming "format", an empty path naming "path"; later: a file that cannot be
// written, naming "path"), ErrAuth, ErrNotFound (unknown or invisible project),
// ErrRateLimited, ErrNetwork, ErrTimeout/ErrCancelled, ErrGraphQL, ErrServer, ErrClosed.
func (c *Client) ExportAssets(ctx context.Context, q AssetsQuery, format ExportFormat, path string) (int, error) {
	if path == "" {
		return 0, &Error{Status: StatusInvalidArgument, Message: "path: expected a file path, got an empty string",
			Details: json.RawMessage(`{"status":"INVALID_ARGUMENT","path":"path"}`)}
	}
	return c.export(ctx, q, format, []byte(path), -1)
}

// ExportAssetsTo streams the assets of q to the open file f in format, from its current
// position, and returns the number of assets written. f is flushed by the library and NOT
// closed: the caller keeps owning it and must not close it during the call. On failure what
// was already written stays in f. Note that (*os.File).Fd puts f in blocking mode.
// POSIX only (elsewhere the library refuses a descriptor with ErrInvalidArgument naming
// "fd"). Events, context, concurrency and errors as ExportAssets; a nil f is
// ErrInvalidArgument naming "file", a closed pipe ErrCancelled.
func (c *Client) ExportAssetsTo(ctx context.Context, q AssetsQuery, format ExportFormat, f *os.File) (int, error) {
	if f == nil {
		return 0, &Error{Status: StatusInvalidArgument, Message: "file: expected an open *os.File, got nil",
			Details: json.RawMessage(`{"status":"INVALID_ARGUMENT","path":"file"}`)}
	}
	fd := f.Fd()
	// Keeps f (and so its descriptor, closed by f's cleanup) alive until the C call returned.
	defer runtime.KeepAlive(f)
	if fd > 1<<31-1 { // an invalid descriptor (^uintptr(0) for a closed file)
		return 0, &Error{Status: StatusInvalidArgument, Message: "file: the file is closed",
			Details: json.RawMessage(`{"status":"INVALID_ARGUMENT","path":"file"}`)}
	}
	return c.export(ctx, q, format, nil, int32(fd))
}

// export calls kili_assets_export: a non-empty path selects the file, else fd.
func (c *Client) export(ctx context.Context, q AssetsQuery, format ExportFormat, path []byte, fd int32) (int, error) {
	if ctx.Err() != nil {
		return 0, contextError(ctx)
	}
	args, err := marshalArgs("ExportAssets", q)
	if err != nil {
		return 0, err
	}
	fmtBytes := []byte(format)
	var count C.uint64_t
	err = c.use(func(p *C.kili_client_t) error {
		scope := newCallScope(ctx, false)
		defer scope.release()
		opts := scope.options()
		ap, an := cBytes(args)
		fp, fn := cBytes(fmtBytes)
		pp, pn := cBytes(path)
		var cerr *C.kili_error_t
		st := C.kili_assets_export(p, ap, an, fp, fn, pp, pn, C.int32_t(fd), &opts, &count, &cerr)
		runtime.KeepAlive(args)
		runtime.KeepAlive(fmtBytes)
		runtime.KeepAlive(path)
		if st != C.KILI_OK {
			return takeError(st, cerr, ctx)
		}
		return nil
	})
	return int(count), err
}
