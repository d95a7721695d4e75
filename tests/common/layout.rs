//! How the conformance vectors of `../shared/conformance` are laid out and invoked, shared
//! by `tests/conformance.rs` (values and exit codes) and `tests/error_text.rs` (go-jsonnet's
//! error text): the flags of each upstream runner, the go-jsonnet `testdata` farm, and the
//! `suite/file  # reason` lists.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fs;
use std::path::Path;

/// The names of the files of `dir` ending in `ext`, sorted.
pub fn sorted_files(dir: &Path, ext: &str) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(ext))
        .collect();
    v.sort();
    v
}

/// The flags C++ jsonnet's `run_tests.sh` gives a test_suite file: TLAs for `tla.*`
/// files, ext vars for the others.
pub fn cpp_args(file: &str) -> Vec<OsString> {
    let (s, c) = if file.starts_with("tla.") {
        ("--tla-str", "--tla-code")
    } else {
        ("--ext-str", "--ext-code")
    };
    vec![
        s.into(),
        "var1=test".into(),
        c.into(),
        "var2={x:1,y:2}".into(),
    ]
}

/// The ext vars go-jsonnet's main_test.go gives the `extvar_*` tests.
pub fn go_ext_args(name: &str) -> Vec<OsString> {
    const WITH_META: &[&str] = &[
        "extvar_code",
        "extvar_error",
        "extvar_hermetic",
        "extvar_mutually_recursive",
        "extvar_self_recursive",
        "extvar_static_error",
        "extvar_string",
    ];
    if !WITH_META.contains(&name) {
        return Vec::new();
    }
    let ext_str = [("stringVar", "2 + 2")];
    let ext_code = [
        ("codeVar", "3 + 3"),
        ("errorVar", "error 'xxx'"),
        ("staticErrorVar", ")"),
        ("UndeclaredX", "x"),
        (
            "selfRecursiveVar",
            r#"[42, std.extVar("selfRecursiveVar")[0] + 1]"#,
        ),
        (
            "mutuallyRecursiveVar1",
            r#"[42, std.extVar("mutuallyRecursiveVar2")[0] + 1]"#,
        ),
        (
            "mutuallyRecursiveVar2",
            r#"[42, std.extVar("mutuallyRecursiveVar1")[0] + 1]"#,
        ),
    ];
    let mut args = Vec::new();
    for (k, v) in ext_str {
        args.push("--ext-str".into());
        args.push(format!("{k}={v}").into());
    }
    for (k, v) in ext_code {
        args.push("--ext-code".into());
        args.push(format!("{k}={v}").into());
    }
    args
}

#[cfg(unix)]
fn symlink(src: &Path, dst: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(src, dst)
}

#[cfg(not(unix))]
fn symlink(src: &Path, dst: &Path) -> std::io::Result<()> {
    if src.is_dir() {
        std::os::windows::fs::symlink_dir(src, dst)
    } else {
        std::os::windows::fs::symlink_file(src, dst)
    }
}

/// Makes `dst` a symlink to `src` unless it already is one.
fn ensure_symlink(src: &Path, dst: &Path) -> std::io::Result<()> {
    if fs::read_link(dst).map(|t| t == src).unwrap_or(false) {
        return Ok(());
    }
    let _ = fs::remove_file(dst);
    symlink(src, dst)
}

/// Builds `<farm>/testdata/` mirroring `dir` with symlinks, plus an extension-less alias
/// `X` -> `X.jsonnet` for every test, so the CLI can be run as `gwsonnet testdata/X` like
/// go-jsonnet's test harness names its programs. Returns the names that got an alias.
/// The farm lives under cargo's target tmp dir and is reused between runs (removing
/// ~2,000 links each time costs seconds on a `discard`-mounted disk).
pub fn build_go_farm(dir: &Path, farm: &Path) -> BTreeSet<String> {
    let td = farm.join("testdata");
    fs::create_dir_all(&td).unwrap();
    let mut existing = BTreeSet::new();
    for entry in fs::read_dir(dir).unwrap().filter_map(|e| e.ok()) {
        let name = entry.file_name();
        ensure_symlink(&entry.path(), &td.join(&name)).unwrap_or_else(|e| {
            panic!("symlink {}: {e}", entry.path().display());
        });
        existing.insert(name.to_string_lossy().into_owned());
    }
    let mut aliased = BTreeSet::new();
    for file in sorted_files(dir, ".jsonnet") {
        let stem = file.trim_end_matches(".jsonnet").to_string();
        if existing.contains(&stem) {
            continue;
        }
        if ensure_symlink(&dir.join(&file), &td.join(&stem)).is_ok() {
            aliased.insert(stem);
        }
    }
    aliased
}

/// Reads a `suite/file.jsonnet  # reason` list (`#` comment lines and blank lines
/// allowed); every entry needs a reason, names a suite and is listed once.
pub fn load_skips(path: &Path) -> BTreeMap<String, String> {
    let text = fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("reading skip list {}: {e}", path.display()));
    let mut skips = BTreeMap::new();
    for (no, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (entry, reason) = match line.split_once('#') {
            Some((e, r)) => (e.trim(), r.trim()),
            None => (line, ""),
        };
        assert!(
            !reason.is_empty(),
            "{}:{}: skip entry `{entry}` has no `# reason`",
            path.display(),
            no + 1
        );
        assert!(
            entry.starts_with("jsonnet/") || entry.starts_with("go-jsonnet/"),
            "{}:{}: skip entry `{entry}` must be `jsonnet/FILE` or `go-jsonnet/FILE`",
            path.display(),
            no + 1
        );
        assert!(
            skips
                .insert(entry.to_string(), reason.to_string())
                .is_none(),
            "{}:{}: duplicate skip entry `{entry}`",
            path.display(),
            no + 1
        );
    }
    skips
}
