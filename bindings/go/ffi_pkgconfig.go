//go:build kili_pkgconfig

package kili

// Built with `-tags kili_pkgconfig`, the header and the library are found through
// pkg-config's `kili` package instead of the repository layout.

// #cgo pkg-config: kili
import "C"
