//! The `gwsonnet` binary: everything lives in the library crate.

/// mimalloc instead of the system allocator: evaluation allocates small objects at a
/// high rate, and glibc's malloc and free were a quarter of all instructions.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(gwsonnet::cli::main());
}
