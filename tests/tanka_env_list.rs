//! `gwsonnet env list` on the environments of Tanka's `pkg/tanka/testdata`
//! (re-created in `tests/testdata/tanka_env_list`, see its PROVENANCE): every command
//! line of `golden.json`, recorded by running a real `tk` (`oracle/`), exits with the
//! same code and prints the same stdout, byte for byte. `{testdata}` in an argument is
//! the absolute path of the testdata folder (Tanka prints paths relative to the project
//! root, so the output does not depend on it); stderr is not compared, gwsonnet words
//! its errors its own way.

use std::path::Path;

use crate::common;

use common::*;

#[test]
fn env_list_prints_what_tk_prints() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testdata/tanka_env_list");
    let testdata = dir.join("testdata");
    let golden: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("golden.json")).unwrap()).unwrap();
    let cases = golden.as_array().unwrap();
    assert!(cases.len() >= 30, "golden.json lost its cases");
    for case in cases {
        let args: Vec<String> = case["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                a.as_str()
                    .unwrap()
                    .replace("{testdata}", testdata.to_str().unwrap())
            })
            .collect();
        let o = run(gw(&testdata).args(["env", "list"]).args(&args));
        let code = case["code"].as_i64().unwrap() as i32;
        assert_eq!(o.code, Some(code), "{args:?}: {}", o.context());
        assert_eq!(o.stdout, case["stdout"].as_str().unwrap(), "{args:?}");
    }
}

#[test]
fn env_list_lists_the_working_directory_and_reports_failures() {
    let d = tmp();
    write(d.path(), "jsonnetfile.json", "{}");
    write(
        d.path(),
        "envs/a/main.jsonnet",
        "{ apiVersion: 'tanka.dev/v1alpha1', kind: 'Environment', metadata: { name: 'a' }, spec: {}, data: error 'never evaluated' }",
    );
    let o = run(gw(d.path()).args(["env", "list", "--names"]));
    assert_eq!(
        (o.code, o.stdout.as_str()),
        (Some(0), "a\n"),
        "{}",
        o.context()
    );
    write(d.path(), "envs/b/main.jsonnet", "function(x) x");
    let o = run(gw(d.path()).args(["env", "list"]));
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(
        o.stderr.starts_with("ERROR: ") && o.stderr.contains("envs/b/main.jsonnet"),
        "{}",
        o.context()
    );
}
