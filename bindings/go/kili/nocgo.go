//go:build !cgo

package kili

// The package is a cgo wrapper of the C library libkili: without cgo there is nothing to
// build. The undefined identifier below is the error message the compiler prints (the
// package's other files need cgo, so go build excludes them and this is the only error).

var _ = kili_needs_cgo__build_with_CGO_ENABLED_1_and_a_C_compiler_gcc_or_clang_on_PATH
