//go:build cgo && kili_system && !kili_pkgconfig

package kili

// Built with `-tags kili_system`, the package links a libkili installed on the system
// instead of the bundled one: found in the compiler's default paths, or where CGO_CFLAGS
// and CGO_LDFLAGS point (see ffi.go). It is loaded at run time when it is a shared library.

// #cgo LDFLAGS: -lkili
import "C"
