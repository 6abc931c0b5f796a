package kili

// How cgo finds kili.h and libkili: one of three link modes, chosen by build tags.
//
//   - Default (no tag): the header and a static libkili.a bundled in the released module,
//     kili/include/kili.h and kili/lib/<GOOS>_<GOARCH>/libkili.a; bindings/go/release.sh
//     adds them and generates bundled_<GOOS>_<GOARCH>.go, which links the archive. Plain
//     `go build`, no Rust toolchain, and the binary does not need libkili.so at run time.
//     Where nothing is bundled (another platform, or this source tree, which has no
//     bundled library) nobundle.go stops the build with a message saying what to do.
//   - `-tags kili_system` (ffi_system.go): `-lkili`, a libkili installed on the system;
//     point at it with CGO_CFLAGS="-I<prefix>/include" and
//     CGO_LDFLAGS="-L<prefix>/lib -Wl,-rpath,<prefix>/lib" when it is not in the compiler's
//     default paths (cgo puts these variables before the directives below, so they win).
//     bindings/go/test.sh builds this way against cargo's debug libkili.so.
//   - `-tags kili_pkgconfig` (ffi_pkgconfig.go): a system libkili found through
//     pkg-config's `kili` package (packaging/install.sh installs kili.pc).
//
// Whatever the mode, the bundled header comes first unless CGO_CFLAGS names another: the Go
// code is written against it, and abiCheck compares it with the loaded library at run time.

/*
#cgo CFLAGS: -I${SRCDIR}/include
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
