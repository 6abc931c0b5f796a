//! The C library of kili-native: `libkili.so` and `libkili.a`.
//!
//! Everything exported is defined in the core crate's `ffi` module (feature `capi`), from
//! which `include/kili.h` is generated; this crate only links it into a C library and chooses
//! the library's global allocator. Keeping both here means a Rust program that depends on the
//! `kili` crate gets neither the exported C symbols nor an allocator it did not ask for.

pub use kili_core::ffi::*;

/// The C library's allocator: mimalloc, or malloc when `KILI_ALLOCATOR=system` is set at the
/// first allocation (see `kili::alloc`). A program linking `libkili.a` gets it for the Rust
/// side of the library only; C code keeps calling its own `malloc`.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: kili_core::alloc::KiliAlloc = kili_core::alloc::KiliAlloc;

#[cfg(all(test, feature = "mimalloc"))]
mod tests {
    extern "C" {
        /// mimalloc's own API: whether `p` lies in one of its heaps.
        fn mi_is_in_heap_region(p: *const std::ffi::c_void) -> bool;
    }

    #[test]
    fn the_global_allocator_is_the_chosen_one() {
        let block = vec![7u8; 4096];
        // SAFETY: a read-only query about a live pointer.
        let in_mimalloc = unsafe { mi_is_in_heap_region(block.as_ptr().cast()) };
        let system = std::env::var("KILI_ALLOCATOR").as_deref() == Ok("system");
        assert_eq!(
            kili_core::alloc::name(),
            if system { "system" } else { "mimalloc" }
        );
        assert_eq!(
            in_mimalloc, !system,
            "a Box/Vec comes from the allocator the environment chose"
        );
    }
}
