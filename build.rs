//! Build script: links the `gwsonnet` executable position-dependent (non-PIE) on
//! GNU/Linux. A PIE's loader applies every absolute address in its read-only data
//! at start-up (51,000 relocations here, half of them in the time-zone tables CEL's
//! timestamps carry), which copies some 330 pages the run never reads again: a
//! fixed cost larger than jrsonnet's whole start-up. The price is that the
//! executable's own code and data are not address-randomised (libraries, heap and
//! stacks still are).

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
