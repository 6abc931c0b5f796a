//go:build cgo && !kili_system && !kili_pkgconfig

// bindings/go/release.sh rewrites the constraint above to exclude the platforms it bundles
// a libkili.a for (their bundled_<GOOS>_<GOARCH>.go links it); keep it on the first line.

package kili

// By default the package links the libkili.a bundled with the released module for the
// target platform. This file is built when there is none: a platform the release does not
// bundle, or the kili-native source tree (which never holds built libraries). The undefined
// identifier below is the error message the compiler prints. The fix is a libkili from
// elsewhere: build with `-tags kili_system` (a libkili in the compiler's default paths, or
// with CGO_CFLAGS=-I<prefix>/include CGO_LDFLAGS="-L<prefix>/lib -Wl,-rpath,<prefix>/lib"),
// or with `-tags kili_pkgconfig` (an installed kili.pc); see ffi.go and the README.

// Inside the source tree there is no bundled kili/include/kili.h: find the repository's
// header so that cgo gets as far as the message below instead of failing on a missing
// kili.h. (In a released module ffi.go's -I finds the bundled header first.)

// #cgo CFLAGS: -I${SRCDIR}/../../../include
import "C"

var _ = kili_bundles_no_libkili_for_this_GOOS_GOARCH__build_with_tags_kili_system_or_kili_pkgconfig__see_README
