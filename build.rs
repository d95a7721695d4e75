//! Build script: on Linux the `gwsonnet` binary is linked as a position-dependent
//! executable (`-no-pie`).
//!
//! As a position-independent executable it carried about 51,000 dynamic relocations
//! (pointer tables of its dependencies: clap, CEL, chrono-tz, …) that the dynamic
//! loader applied at every start, writing to 1.3 MB of otherwise read-only pages:
//! a quarter of the instructions and most of the page faults of a one-line program.
//! Linked at a fixed address, those pointers are resolved at link time.
//! The cost: the binary's own code and data are not placed at a random address.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
