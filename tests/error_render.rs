//! The top-level text of typed errors, as the command line prints them (issue 19): each
//! bad command line of `tests/testdata/error_render/cases.jsonl` — usage errors, every
//! CRD file and library config problem, OpenAPI documents, schemas that fail when a kind
//! loads, cache URLs — gives the exit code and standard error of
//! `expected.txt`, which `regen.py` made with the binary of 70fbe66, before these errors
//! were typed. Runs in a copy of `fixtures/` (some cases write).

use crate::common;

use std::fs;
use std::path::Path;

use common::{assert_same, tmp, BIN};

/// Copies the folder `from` into `to`, recursively.
fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn bad_command_lines_print_the_same_text() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testdata/error_render");
    let dir = tmp();
    let work = dir.path().join("fixtures");
    copy_dir(&data.join("fixtures"), &work);
    let mut got = String::new();
    let cases = fs::read_to_string(data.join("cases.jsonl")).unwrap();
    for line in cases.lines() {
        let args: Vec<String> = serde_json::from_str(line).unwrap();
        let out = std::process::Command::new(BIN)
            .args(&args)
            .current_dir(&work)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let mut err = String::from_utf8_lossy(&out.stderr).into_owned();
        if !err.is_empty() && !err.ends_with('\n') {
            err.push_str("\n(no newline at end)\n");
        }
        let code = out.status.code().expect("exited, not killed");
        assert_ne!(code, 0, "{line} must fail");
        got.push_str(&format!("### {line}\nexit {code}\n{err}"));
    }
    let want = fs::read_to_string(data.join("expected.txt")).unwrap();
    assert_same(&got, &want, "error_render/expected.txt");
}
