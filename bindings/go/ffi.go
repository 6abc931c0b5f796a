package kili

// How cgo finds kili.h and libkili.
//
// By default the module builds inside the kili-native repository: the header comes from
// <repo>/include and the library from cargo's debug target dir, with an rpath so that tests
// and examples run without LD_LIBRARY_PATH. `cargo build -p kili` must have run first
// (bindings/go/test.sh does it).
//
// Elsewhere, override both with the usual cgo variables, which cgo puts before these
// directives (so their -I, -L and rpath win; test.sh does this for CARGO_TARGET_DIR):
//
//	CGO_CFLAGS="-I/opt/kili/include" CGO_LDFLAGS="-L/opt/kili/lib -Wl,-rpath,/opt/kili/lib" go build
//
// or, with a kili.pc installed, build with `-tags kili_pkgconfig` (see ffi_pkgconfig.go).

/*
#cgo CFLAGS: -I${SRCDIR}/../../include
#cgo !kili_pkgconfig LDFLAGS: -L${SRCDIR}/../../target/debug -lkili -Wl,-rpath,${SRCDIR}/../../target/debug
#include <stdlib.h>
#include "kili.h"
*/
import "C"

import (
	"fmt"
	"sync"
	"unsafe"
)

// HeaderVersion is the version of the kili.h this package was compiled against.
const HeaderVersion = C.KILI_VERSION

// ABIVersion is the C ABI version this package was compiled against.
const ABIVersion = C.KILI_ABI_VERSION

// Version returns the version of the loaded native library ("MAJOR.MINOR.PATCH").
// Safe for concurrent use.
func Version() string { return C.GoString(C.kili_version()) }

var abiCheck = sync.OnceValue(func() error {
	if got := uint32(C.kili_abi_version()); got != uint32(C.KILI_ABI_VERSION) {
		return &Error{
			Status:  StatusInvalidState,
			Message: fmt.Sprintf("the loaded libkili has C ABI version %d but this package was built for %d (header %s, library %s): rebuild against a matching library", got, uint32(C.KILI_ABI_VERSION), HeaderVersion, Version()),
		}
	}
	return nil
})

// cString returns a pointer/length pair for b without copying; b must stay alive during
// the C call (the caller keeps it referenced). A nil/empty slice gives (NULL, 0).
func cBytes(b []byte) (*C.char, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	return (*C.char)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// takeBytes copies a library buffer into Go memory and frees it.
func takeBytes(b *C.kili_bytes_t) []byte {
	if b.data == nil {
		return nil
	}
	out := C.GoBytes(unsafe.Pointer(b.data), C.int(b.len))
	C.kili_bytes_free(b)
	return out
}
