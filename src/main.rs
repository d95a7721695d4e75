//! The `gwsonnet` binary: everything lives in the library crate.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// mimalloc instead of the system allocator: evaluation allocates small objects at a
/// high rate, and glibc's malloc and free were a quarter of all instructions.
#[global_allocator]
static ALLOCATOR: Allocator = Allocator;

/// mimalloc, asked for plain blocks when the alignment needs nothing more than what
/// every mimalloc block has (8 bytes).
///
/// The `mimalloc` crate's allocator passes every request to `mi_malloc_aligned`. When
/// the page of a size class has no free block left, that takes the aligned slow path,
/// which for sizes other than powers of two over-allocates from the next size class
/// instead of refilling its own: from then on every such allocation is slow and
/// larger than needed (a quarter of a million times for 2,000 routes).
struct Allocator;

/// The alignment every mimalloc block has.
const PLAIN_ALIGN: usize = 8;

// SAFETY: blocks come from mimalloc with at least the requested size and alignment
// (plain mimalloc blocks are 8-aligned; larger alignments use the aligned functions),
// and mimalloc frees and reallocates any of its blocks by pointer.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGN {
            mi::mi_malloc(layout.size()).cast()
        } else {
            mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }
    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGN {
            mi::mi_zalloc(layout.size()).cast()
        } else {
            mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
        }
    }
    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        mi::mi_free(ptr.cast::<c_void>());
    }
    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGN {
            mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
        } else {
            mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
        }
    }
}

fn main() {
    std::process::exit(gwsonnet::cli::main());
}
