//! The `gwsonnet` binary: everything lives in the library crate.

fn main() {
    std::process::exit(gwsonnet::cli::main());
}
