//! Smoke pass of the benchmark harness (`benches/harness.py --smoke`, what `benches/run.sh`
//! runs at full size): tiny workloads with the peers already installed, nothing installed
//! or built, every peer's output checked equal to gwsonnet's, the table printed. Measures
//! nothing; it keeps the harness working as the code changes. Runs the debug binary, and
//! the output floor when `cargo test` has built `examples/bench_floor.rs`.

use std::path::Path;
use std::process::Command;

use crate::common;

use common::*;

#[test]
fn harness_smoke_pass() {
    let python = Command::new("python3").args(["-c", "import yaml"]).output();
    if !python.is_ok_and(|o| o.status.success()) {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "python3 with PyYAML is needed by the benchmark harness, and CI=true"
        );
        println!("skipped: python3 with PyYAML not found");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cmd = Command::new("python3");
    cmd.arg(root.join("benches/harness.py"))
        .args(["--smoke", "--gwsonnet", BIN]);
    if let Some(shared) = shared_fixture("gateway-api/crds/1.5-experimental") {
        cmd.arg("--shared")
            .arg(shared.ancestors().nth(3).expect("../shared"));
    } else {
        cmd.args(["--shared", "/nonexistent"]);
    }
    let floor = Path::new(BIN)
        .with_file_name("examples")
        .join("bench_floor");
    if floor.exists() {
        cmd.arg("--floor").arg(&floor);
    }
    let o = cmd
        .env_remove("JSONNET_PATH")
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success(),
        "harness failed ({}):\n{stdout}\n{}",
        o.status,
        clip(&stderr)
    );
    for row in ["hello ", "routes-20 ", "show-20 ", "export-3 "] {
        assert!(stdout.contains(row), "no {row:?} row in:\n{stdout}");
    }
    if floor.exists() {
        assert!(
            stdout.contains("floor (serde_json"),
            "no floor row in:\n{stdout}"
        );
    }
}
