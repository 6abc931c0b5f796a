//go:build cgo && kili_pkgconfig

package kili

// Built with `-tags kili_pkgconfig`, the package links a libkili installed on the system,
// found through pkg-config's `kili` package (kili.pc, installed by packaging/install.sh),
// instead of the bundled one. It implies kili_system.

// #cgo pkg-config: kili
import "C"
