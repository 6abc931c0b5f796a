//! The allocator of every Rust allocation in a program linking kili (cargo feature
//! `mimalloc`, on by default): mimalloc, or the C library's `malloc` when the environment
//! variable `KILI_ALLOCATOR` is `system` at the first allocation.
//!
//! Why: a listing allocates and frees a tree of JSON values per asset, and glibc's `malloc`
//! spent a third of the client's CPU on it (bench/PROFILE.md); mimalloc cuts that client CPU
//! by about a fifth. Why the switch: memory checkers (AddressSanitizer / LeakSanitizer,
//! valgrind) only see `malloc`, so the test suites that run under them select `system` to
//! keep every Rust-side allocation in view.
//!
//! The choice is made once, inside the first allocation, and never changes, so a block is
//! always freed by the allocator that gave it. Rust programs that install their own
//! `#[global_allocator]` build kili with `default-features = false`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU8, Ordering};

/// The dispatching allocator (see the module documentation). Thread-safe, like any
/// `GlobalAlloc`.
pub struct KiliAlloc;

const UNDECIDED: u8 = 0;
const MIMALLOC: u8 = 1;
const SYSTEM: u8 = 2;

static CHOICE: AtomicU8 = AtomicU8::new(UNDECIDED);

#[inline]
fn system() -> bool {
    match CHOICE.load(Ordering::Relaxed) {
        UNDECIDED => decide() == SYSTEM,
        c => c == SYSTEM,
    }
}

/// Reads the environment without allocating (this runs inside the allocator). Racing first
/// allocations all read the same variable, so they all store the same answer.
#[cold]
fn decide() -> u8 {
    // SAFETY: a NUL-terminated name; the value is only read while no allocation can run
    // `setenv` on this thread.
    let value = unsafe { libc::getenv(c"KILI_ALLOCATOR".as_ptr()) };
    let c = if !value.is_null() && unsafe { std::ffi::CStr::from_ptr(value) } == c"system" {
        SYSTEM
    } else {
        MIMALLOC
    };
    CHOICE.store(c, Ordering::Relaxed);
    c
}

/// Which allocator this process uses: `"mimalloc"` or `"system"`.
pub fn name() -> &'static str {
    if system() {
        "system"
    } else {
        "mimalloc"
    }
}

// SAFETY: every call is forwarded to one allocator, the same for the life of the process.
unsafe impl GlobalAlloc for KiliAlloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if system() {
            System.alloc(layout)
        } else {
            mimalloc::MiMalloc.alloc(layout)
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if system() {
            System.alloc_zeroed(layout)
        } else {
            mimalloc::MiMalloc.alloc_zeroed(layout)
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if system() {
            System.dealloc(ptr, layout)
        } else {
            mimalloc::MiMalloc.dealloc(ptr, layout)
        }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if system() {
            System.realloc(ptr, layout, new_size)
        } else {
            mimalloc::MiMalloc.realloc(ptr, layout, new_size)
        }
    }
}

#[global_allocator]
static GLOBAL: KiliAlloc = KiliAlloc;

#[cfg(test)]
mod tests {
    #[test]
    fn the_choice_follows_the_environment() {
        // Decided at this test binary's first allocation, from the environment it started
        // with (the harness may run it either way).
        let want = match std::env::var("KILI_ALLOCATOR").as_deref() {
            Ok("system") => "system",
            _ => "mimalloc",
        };
        assert_eq!(super::name(), want);
        let v: Vec<u64> = (0..10_000).collect();
        assert_eq!(v.iter().sum::<u64>(), 49_995_000);
    }
}
