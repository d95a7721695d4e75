//! Build script: links the `gwsonnet` executable position-dependent (non-PIE) on
//! GNU/Linux, and records what `gwsonnet --version` reports about the build.
//!
//! Non-PIE: a PIE's loader applies every absolute address in its read-only data at
//! start-up (51,000 relocations here, half of them in the time-zone tables CEL's
//! timestamps carry), which copies some 330 pages the run never reads again: a fixed
//! cost larger than jrsonnet's whole start-up. The price is that the executable's own
//! code and data are not address-randomised (libraries, heap and stacks still are).
//!
//! Version facts, as environment variables of the compilation (read with `env!` by
//! `src/cli/version.rs`): `GWSONNET_GIT_COMMIT` and `GWSONNET_GIT_DATE` (the commit
//! checked out and its committer date; `unknown` outside a git work tree of this
//! crate, e.g. when built from a crate tarball), and `GWSONNET_JRSONNET_VERSION` (the
//! locked version of `jrsonnet-evaluator` in Cargo.lock, else its requirement in
//! Cargo.toml).

use std::path::Path;
use std::process::Command;

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");

    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    // Only when this crate's own Cargo.toml is tracked there: a crate tarball unpacked
    // inside some other work tree (or cargo package's copy under target/) says unknown.
    let ours = git(&["ls-files", "--error-unmatch", "Cargo.toml"]).is_some();
    let commit = git(&["rev-parse", "--short=12", "HEAD"]).filter(|_| ours);
    let date = git(&["log", "-1", "--format=%cs", "HEAD"]).filter(|_| ours);
    println!(
        "cargo:rustc-env=GWSONNET_GIT_COMMIT={}",
        commit.as_deref().unwrap_or("unknown")
    );
    println!(
        "cargo:rustc-env=GWSONNET_GIT_DATE={}",
        date.as_deref().unwrap_or("unknown")
    );
    // Build again when HEAD moves: HEAD itself, the branch it names, packed refs.
    // (Only files that exist: cargo reruns the script every build for a missing one.)
    let mut watched = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    watched.extend(git(&["symbolic-ref", "-q", "HEAD"]));
    for file in watched {
        if let Some(path) = git(&["rev-parse", "--git-path", &file]) {
            if Path::new(&dir).join(&path).exists() {
                println!("cargo:rerun-if-changed={path}");
            }
        }
    }

    let jrsonnet = locked_version(&Path::new(&dir).join("Cargo.lock"), "jrsonnet-evaluator")
        .or_else(|| required_version(&Path::new(&dir).join("Cargo.toml"), "jrsonnet-evaluator"))
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=GWSONNET_JRSONNET_VERSION={jrsonnet}");
    println!("cargo:rerun-if-changed=Cargo.lock");
}

/// The trimmed output of `git args` in the crate's folder, when git runs and succeeds
/// there (the folder is inside a work tree).
fn git(args: &[&str]) -> Option<String> {
    let dir = std::env::var("CARGO_MANIFEST_DIR").ok()?;
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (out.status.success() && !text.is_empty()).then(|| text.to_owned())
}

/// The version of package `name` in a Cargo.lock: the `version = "…"` line after its
/// `name = "…"` line.
fn locked_version(lock: &Path, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(lock).ok()?;
    let mut lines = text.lines();
    lines.find(|l| l.trim() == format!("name = \"{name}\""))?;
    let version = lines.next()?.trim().strip_prefix("version = \"")?;
    Some(version.strip_suffix('"')?.to_owned())
}

/// The version requirement of dependency `name` in a Cargo.toml (`name = "=X"` gives
/// `X`).
fn required_version(manifest: &Path, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(manifest).ok()?;
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{name} = \"")))?;
    let value = line.split('"').nth(1)?;
    Some(value.trim_start_matches('=').to_owned())
}
