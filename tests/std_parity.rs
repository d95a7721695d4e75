//! `std` functions whose jrsonnet behaviour differs from go-jsonnet's are overridden
//! natively (src/engine/overrides/). Each program in tests/testdata/std/ was run
//! through go-jsonnet 0.22 to make its `.golden`; gwsonnet must print the same bytes.

use std::{fs, path::Path, process::Command};

#[test]
fn std_overrides_match_go_jsonnet() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testdata/std");
    let mut checked = 0;
    for entry in fs::read_dir(&dir).expect("tests/testdata/std exists") {
        let program = entry.expect("readable dir entry").path();
        if program.extension().and_then(|e| e.to_str()) != Some("jsonnet") {
            continue;
        }
        let golden = fs::read_to_string(program.with_extension("golden"))
            .unwrap_or_else(|e| panic!("golden of {}: {e}", program.display()));
        let out = Command::new(env!("CARGO_BIN_EXE_gwsonnet"))
            .arg(&program)
            .output()
            .expect("gwsonnet runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{} failed: {}",
            program.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        if stdout != golden {
            let first = stdout
                .lines()
                .zip(golden.lines())
                .enumerate()
                .find(|(_, (a, b))| a != b);
            panic!(
                "{} differs from go-jsonnet at {:?}",
                program.display(),
                first
            );
        }
        checked += 1;
    }
    assert!(
        checked >= 3,
        "expected the std parity programs, found {checked}"
    );
}

#[test]
fn filter_map_reports_the_error_of_an_element_its_filter_evaluates() {
    // go-jsonnet 0.22: `RUNTIME ERROR: e`; jrsonnet's own filter reported "infinite
    // recursion detected". Each kept element is mapped once, when first needed.
    let run = |code: &str| {
        Command::new(env!("CARGO_BIN_EXE_gwsonnet"))
            .args(["-e", code])
            .output()
            .expect("gwsonnet runs")
    };
    let out = run("std.filterMap(function(x) x > 1, function(x) x, [1, 2, error 'e'])");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("RUNTIME ERROR: e\n"), "{stderr}");
    let out = run(
        "local a = std.filterMap(function(x) true, function(x) std.trace('m', x), [1, 2]);\n[a[0], a[0]]",
    );
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "TRACE: <cmdline>:1 m\n"
    );
}

#[test]
fn starts_with_and_ends_with_compare_as_go_does() {
    // go-jsonnet 0.22's std.jsonnet: `false` when the first is shorter, else the
    // `std.substr` piece compared with the second; jrsonnet's own raised "both arguments
    // should be of the same type" for the first two.
    for (code, want) in [
        ("std.startsWith('abc', [1])", "false\n"),
        ("std.startsWith([1], 'abc')", "false\n"),
        ("std.endsWith('héllo', 'llo')", "true\n"),
        ("std.startsWith('', '')", "true\n"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_gwsonnet"))
            .args(["-e", code])
            .output()
            .expect("gwsonnet runs");
        assert_eq!(String::from_utf8_lossy(&out.stdout), want, "{code}");
    }
}

/// go-jsonnet's errors for `std` functions given arguments of the wrong type
/// (`tests/testdata/std_errors/cases.jsonl`, made by its `regen.py`): gwsonnet's standard
/// error is go's byte for byte, except for the calls listed with their cause in
/// `known_differences.txt`; a listed call that is now identical fails too (remove it).
#[test]
fn std_argument_errors_match_go_jsonnet() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testdata/std_errors");
    let known: Vec<String> = fs::read_to_string(dir.join("known_differences.txt"))
        .expect("known_differences.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split("  # ").next().unwrap_or(l).to_owned())
        .collect();
    let cases = fs::read_to_string(dir.join("cases.jsonl")).expect("cases.jsonl");
    let mut problems = Vec::new();
    let (mut total, mut identical) = (0, 0);
    for line in cases.lines() {
        let case: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let (code, want) = (
            case["code"].as_str().unwrap(),
            case["stderr"].as_str().unwrap(),
        );
        let out = Command::new(env!("CARGO_BIN_EXE_gwsonnet"))
            .args(["-e", code])
            .output()
            .expect("gwsonnet runs");
        assert_eq!(out.status.code(), Some(1), "{code} must fail");
        let got = String::from_utf8_lossy(&out.stderr);
        let listed = known.iter().any(|k| k == code);
        total += 1;
        match (got == want, listed) {
            (true, false) => identical += 1,
            (true, true) => {
                problems.push(format!("{code}: now identical, remove it from the list"))
            }
            (false, true) => {}
            (false, false) => problems.push(format!(
                "{code}:\n--- go ---\n{want}--- gwsonnet ---\n{got}"
            )),
        }
    }
    assert!(total > 600, "only {total} cases");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(
        identical + known.len(),
        total,
        "every listed call is a case"
    );
}
