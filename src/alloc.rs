//! A global allocator for programs built on kili (cargo feature `mimalloc`, off by default;
//! the C library in capi/ and the `kili-native` CLI install it with `#[global_allocator]`):
//! mimalloc, or the C library's `malloc` when the environment variable `KILI_ALLOCATOR` is
//! `system` at the first allocation.
//!
//! Why: a listing allocates and frees a tree of JSON values per asset, and glibc's `malloc`
//! spent a third of the client's CPU on it (bench/PROFILE.md); mimalloc cuts that client CPU
//! by about a fifth. Why the switch: memory checkers (AddressSanitizer / LeakSanitizer,
//! valgrind) only see `malloc`, so the test suites that run under them select `system` to
//! keep every Rust-side allocation in view.
//!
//! The choice is made once, inside the first allocation, and never changes, so a block is
//! always freed by the allocator that gave it. mimalloc then commits its arenas on demand
//! rather than eagerly (its default on Linux): eager commit doubled a listing's peak RSS
//! (20 MB instead of 10 MB for a 10k listing); `MIMALLOC_ARENA_EAGER_COMMIT` still overrides. Nothing is installed by the `kili` crate
//! itself: a Rust program opts in with
//! `#[global_allocator] static A: kili::alloc::KiliAlloc = kili::alloc::KiliAlloc;`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU8, Ordering};

/// The dispatching allocator (see the module documentation). Thread-safe, like any
/// `GlobalAlloc`.
pub struct KiliAlloc;

const UNDECIDED: u8 = 0;
const MIMALLOC: u8 = 1;
const SYSTEM: u8 = 2;

static CHOICE: AtomicU8 = AtomicU8::new(UNDECIDED);

/// `mi_option_arena_eager_commit` in mimalloc.h's `mi_option_e` (the same index in v2 and v3).
const MI_OPTION_ARENA_EAGER_COMMIT: std::ffi::c_int = 4;

extern "C" {
    /// mimalloc's own API (linked through the mimalloc crate's static library).
    fn mi_option_set_default(option: std::ffi::c_int, value: std::ffi::c_long);
    #[cfg(test)]
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
}

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
        // SAFETY: sets a default before mimalloc's first allocation; an environment value
        // (read by mimalloc itself) wins over it.
        unsafe { mi_option_set_default(MI_OPTION_ARENA_EAGER_COMMIT, 0) };
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
        if want == "mimalloc" && std::env::var_os("MIMALLOC_ARENA_EAGER_COMMIT").is_none() {
            // SAFETY: a plain read of an option.
            let eager = unsafe { super::mi_option_get(super::MI_OPTION_ARENA_EAGER_COMMIT) };
            assert_eq!(eager, 0, "arenas committed on demand");
        }
        let v: Vec<u64> = (0..10_000).collect();
        assert_eq!(v.iter().sum::<u64>(), 49_995_000);
    }
}
