//! doc-util (`lib/doc-util/main.libsonnet`) against goldens of the real docsonnet
//! doc-util: every `tests/testdata/docutil/NAME.jsonnet` snippet, evaluated by the
//! `gwsonnet` binary, must print `NAME.json`. The goldens were produced by running the
//! same snippets with go-jsonnet against jsonnet-libs/docsonnet's doc-util (HEAD); they
//! cover the shapes of `d.fn`, `d.obj`, `d.val`, `d.arg`, `d.pkg`, `d.T`, the
//! modifiers, field visibility and `d.render`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testdata/docutil")
}

/// Evaluates a snippet with `gwsonnet -e`, returning stdout (or the failure).
fn eval(code: &str) -> Result<String, String> {
    let out = Command::new(env!("CARGO_BIN_EXE_gwsonnet"))
        .arg("-e")
        .arg(code)
        .output()
        .map_err(|e| format!("running gwsonnet: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn doc_util_matches_upstream_goldens() {
    let mut names: Vec<PathBuf> = std::fs::read_dir(testdata())
        .expect("tests/testdata/docutil exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonnet"))
        .collect();
    names.sort();
    assert!(names.len() >= 10, "goldens missing: {names:?}");
    let mut failures = Vec::new();
    for snippet in &names {
        let code = std::fs::read_to_string(snippet).unwrap();
        let want = std::fs::read_to_string(snippet.with_extension("json")).unwrap();
        match eval(&code) {
            Ok(got) if got.trim_end() == want.trim_end() => {}
            Ok(got) => failures.push(format!(
                "{}: output differs\n--- got\n{got}\n--- want\n{want}",
                snippet.display()
            )),
            Err(e) => failures.push(format!("{}: failed: {e}", snippet.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn doc_util_is_served_at_the_github_path_too() {
    let got = eval(
        "local d = import 'github.com/jsonnet-libs/docsonnet/doc-util/main.libsonnet';\n\
         d.fn('new returns an instance of TCPRoute', [d.arg('name', d.T.string)])",
    )
    .unwrap();
    let want = std::fs::read_to_string(testdata().join("fn_new_tcproute.json")).unwrap();
    assert_eq!(got.trim_end(), want.trim_end());
}
