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
