//! `validate` and `--validate` as a CI job runs them: objects of kinds with no schema
//! are counted and warned about in every mode (`--strict`: errors), folders and stdin
//! are inputs, an input that fails is reported in its place while the others are
//! still checked (exit 1; 2 when there are only findings), counts agree in number,
//! and user text cannot inject terminal sequences or report lines.

use crate::common;

use std::path::Path;

use common::{gw, no_panic, run, tmp, write, Out};
use serde_json::Value;

const WIDGET: &str = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n";
const GOOD_CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good}\ndata: {a: x}\n";
const BAD_CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad}\ndata: {a: 1}\n";
/// What `validate` prints for [`BAD_CM`], after its source.
const BAD_CM_FINDING: &str =
    ": ConfigMap bad: error: data.a: must be of type string (value: 1) [type]\n";

/// Objects of two kinds with no schema and a ConfigMap, as Jsonnet.
const UNKNOWN_JSONNET: &str = "[ { apiVersion: 'example.com/v1', kind: k, metadata: { name: 'w' } } \
    for k in ['Widget', 'Gizmo'] ] + [ { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } } ]";

const WARNING_1: &str = "WARNING: 1 object of a kind with no schema was not checked: \
    Widget (example.com/v1); load their CRDs with --crds, or make this an error with --strict\n";
const WARNING_2: &str = "WARNING: 2 objects of kinds with no schema were not checked: \
    Widget (example.com/v1), Gizmo (example.com/v1); load their CRDs with --crds, or make \
    this an error with --strict\n";
const ERROR_2: &str = "ERROR: 2 objects of kinds with no schema were not checked: \
    Widget (example.com/v1), Gizmo (example.com/v1); load their CRDs with --crds\n";

#[track_caller]
fn exits(o: &Out, code: i32) {
    no_panic(o);
    assert_eq!(o.code, Some(code), "{}", o.context());
}

/// A Tanka project at `dir` with the environment `env` whose output is `main`.
fn tanka_env(dir: &Path, main: &str) {
    write(dir, "jsonnetfile.json", "{}");
    write(dir, "env/spec.json", "{\"spec\": {\"namespace\": \"ns\"}}");
    write(dir, "env/main.jsonnet", main);
}

#[test]
fn unknown_kinds_are_a_warning_in_every_mode_and_an_error_with_strict() {
    let dir = tmp();
    let d = dir.path();
    write(d, "w.yaml", &format!("{WIDGET}---\n{GOOD_CM}"));
    write(d, "u.jsonnet", UNKNOWN_JSONNET);
    write(
        d,
        "files.jsonnet",
        &format!("{{ ['f%d' % i]: ({UNKNOWN_JSONNET})[i] for i in [0, 1, 2] }}"),
    );
    tanka_env(d, UNKNOWN_JSONNET);

    // validate: the objects listed as skipped, the count on stderr, exit 0.
    let o = run(gw(d).args(["validate", "w.yaml"]));
    exits(&o, 0);
    assert_eq!(
        o.stdout,
        "w.yaml#1: Widget w: skipped: no schema for example.com/v1 Widget\n"
    );
    assert_eq!(
        o.stderr,
        format!(
            "{WARNING_1}1 object checked, 0 invalid, 1 of an unknown kind; 0 errors, \
             0 warnings, 0 not checked; 0 CEL rules evaluated, 0 transition rules skipped\n"
        )
    );
    let o = run(gw(d).args(["validate", "--output", "json", "w.yaml"]));
    exits(&o, 0);
    let report: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(report["valid"], true);
    assert_eq!(report["unknownKinds"][0]["kind"], "Widget");
    assert!(o.stderr.starts_with(WARNING_1), "{}", o.context());
    let o = run(gw(d).args(["validate", "--strict", "u.jsonnet"]));
    exits(&o, 2);
    assert!(o.stderr.starts_with(ERROR_2), "{}", o.context());
    assert!(
        o.stderr
            .contains("\nINVALID: 1 object checked, 0 invalid, 2 of unknown kinds;"),
        "{}",
        o.context()
    );

    // --validate of the jsonnet mode, in each output mode: the output is written, the
    // count is the only line on stderr; --strict lists each object as an error.
    for mode in [
        &["u.jsonnet"][..],
        &["-y", "u.jsonnet"],
        &["-m", "out", "-c", "files.jsonnet"],
    ] {
        let o = run(gw(d).arg("--validate").args(mode));
        exits(&o, 0);
        assert_eq!(o.stderr, WARNING_2, "{mode:?}");
        let o = run(gw(d).args(["--validate", "--strict"]).args(mode));
        exits(&o, 2);
        let file = mode.last().unwrap();
        assert_eq!(
            o.stderr,
            format!(
                "{file}: Widget w: error: no schema for example.com/v1 Widget\n\
                 {file}: Gizmo w: error: no schema for example.com/v1 Gizmo\n\
                 {ERROR_2}INVALID: 1 object checked, 0 invalid, 2 of unknown kinds; \
                 0 errors, 0 warnings, 0 not checked; 0 CEL rules evaluated, \
                 0 transition rules skipped\n"
            ),
            "{mode:?}"
        );
        assert!(!o.stdout.is_empty() || d.join("out").exists(), "{mode:?}");
    }
    let o = run(gw(d).args(["--strict", "u.jsonnet"]));
    exits(&o, 1);
    assert_eq!(
        o.stderr,
        "ERROR: --strict judges the objects --validate checks: add --validate\n"
    );

    // show, eval, export (`show` sorts the manifests as Tanka does: Gizmo first).
    for cmd in ["show", "eval"] {
        let o = run(gw(d).args([cmd, "--validate", "env"]));
        exits(&o, 0);
        let sorted = WARNING_2.replace(
            "Widget (example.com/v1), Gizmo (example.com/v1)",
            "Gizmo (example.com/v1), Widget (example.com/v1)",
        );
        assert!(
            o.stderr == WARNING_2 || o.stderr == sorted,
            "{cmd}: {}",
            o.context()
        );
        let o = run(gw(d).args([cmd, "--validate", "--strict", "env"]));
        exits(&o, 2);
        assert!(
            o.stderr
                .contains("\nERROR: 2 objects of kinds with no schema were not checked: "),
            "{cmd}: {}",
            o.context()
        );
        let o = run(gw(d).args([cmd, "--strict", "env"]));
        exits(&o, 1);
    }
    let o = run(gw(d).args(["export", "strict", "env", "--validate", "--strict"]));
    exits(&o, 2);
    assert!(
        o.stderr
            .contains("\nERROR: 2 objects of kinds with no schema were not checked: "),
        "{}",
        o.context()
    );
    assert!(!d.join("strict").exists());
    let o = run(gw(d).args(["export", "lax", "env", "--validate"]));
    exits(&o, 0);
    assert!(
        o.stderr.starts_with("WARNING: 2 objects of kinds"),
        "{}",
        o.context()
    );
    assert_eq!(o.stderr.lines().count(), 1, "{}", o.context());
    assert!(d.join("lax/manifest.json").exists());
}

#[test]
fn folders_are_inputs_recursive_with_a_flag() {
    let dir = tmp();
    let d = dir.path();
    write(d, "m/a.yaml", GOOD_CM);
    write(
        d,
        "m/b.json",
        r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "bad"}, "data": {"a": 1}}"#,
    );
    write(d, "m/sub/c.yml", BAD_CM);
    write(d, "m/jsonnetfile.json", "{}");
    write(d, "m/vendor/lib/x.yaml", BAD_CM);
    write(d, "m/README.md", "not an input");
    std::fs::create_dir(d.join("empty")).unwrap();

    let o = run(gw(d).args(["validate", "m"]));
    exits(&o, 2);
    assert_eq!(o.stdout, format!("m/b.json{BAD_CM_FINDING}"));
    assert!(
        o.stderr
            .starts_with("INVALID: 2 objects checked, 1 invalid"),
        "{}",
        o.context()
    );
    let o = run(gw(d).args(["validate", "-R", "m"]));
    exits(&o, 2);
    assert_eq!(
        o.stdout,
        format!("m/b.json{BAD_CM_FINDING}m/sub/c.yml{BAD_CM_FINDING}")
    );
    let o = run(gw(d).args(["validate", "--recursive", "m/sub"]));
    exits(&o, 2);

    // A folder with nothing to check fails, and says so; the other inputs are checked.
    let o = run(gw(d).args(["validate", "empty", "m/a.yaml"]));
    exits(&o, 1);
    assert_eq!(
        o.stderr,
        "ERROR: reading folder empty: no .yaml, .yml, .json or .jsonnet file in it\n\
         ERROR: 1 input failed; 1 object checked, 0 invalid, 0 of unknown kinds; 0 errors, \
         0 warnings, 0 not checked; 0 CEL rules evaluated, 0 transition rules skipped\n"
    );
}

#[test]
fn stdin_is_an_input_as_yaml_or_json() {
    let dir = tmp();
    let d = dir.path();
    let o = run(gw(d)
        .args(["validate", "-"])
        .write_stdin(format!("{GOOD_CM}---\n{BAD_CM}")));
    exits(&o, 2);
    assert_eq!(o.stdout, format!("<stdin>#2{BAD_CM_FINDING}"));
    // What `gwsonnet x.jsonnet` prints, piped in.
    let json = "{\n   \"apiVersion\": \"v1\", \"kind\": \"ConfigMap\",\n   \"metadata\": {\"name\": \"bad\"}, \"data\": {\"a\": 1}\n}\n";
    let o = run(gw(d).args(["validate", "-"]).write_stdin(json));
    exits(&o, 2);
    assert_eq!(o.stdout, format!("<stdin>{BAD_CM_FINDING}"));
    let o = run(gw(d).args(["validate", "-"]).write_stdin("a: [1\n"));
    exits(&o, 1);
    assert!(
        o.stderr.starts_with("ERROR: <stdin>:2: "),
        "{}",
        o.context()
    );
    let o = run(gw(d).args(["validate", "-", "-"]).write_stdin(GOOD_CM));
    exits(&o, 1);
    assert_eq!(
        o.stderr,
        "ERROR: validate: - (stdin) can be given only once\n"
    );
}

#[test]
fn a_failing_input_is_reported_in_its_place_and_the_others_are_checked() {
    let dir = tmp();
    let d = dir.path();
    write(d, "err.jsonnet", "error 'boom'");
    write(d, "bad.yaml", BAD_CM);
    // The second of three documents does not parse: the first and third are checked.
    write(
        d,
        "broken.yaml",
        &format!("{GOOD_CM}---\na: [1\n---\n{BAD_CM}"),
    );
    let inputs = ["missing.yaml", "err.jsonnet", "broken.yaml", "bad.yaml"];
    let o = run(gw(d).arg("validate").args(inputs));
    exits(&o, 1);
    assert_eq!(
        o.stdout,
        format!("broken.yaml#3{BAD_CM_FINDING}bad.yaml{BAD_CM_FINDING}")
    );
    let stderr: Vec<&str> = o.stderr.lines().collect();
    assert_eq!(
        stderr[0],
        "ERROR: reading missing.yaml: No such file or directory"
    );
    assert_eq!(stderr[1], "RUNTIME ERROR: boom");
    // go-jsonnet's report of err.jsonnet: its frames, then an empty line.
    assert_eq!(
        stderr[2..5],
        ["\terr.jsonnet:1:1-13\t$", "\tDuring evaluation\t", ""]
    );
    assert!(
        stderr[5].starts_with("ERROR: broken.yaml:7: "),
        "{}",
        o.context()
    );
    assert_eq!(
        stderr[6],
        "ERROR: 3 inputs failed; 3 objects checked, 2 invalid, 0 of unknown kinds; \
         2 errors, 0 warnings, 0 not checked; 0 CEL rules evaluated, 0 transition rules skipped"
    );
    assert_eq!(stderr.len(), 7, "{}", o.context());

    let o = run(gw(d).args(["validate", "--output", "json"]).args(inputs));
    exits(&o, 1);
    let report: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(report["valid"], false);
    let sources = |key: &str| -> Vec<String> {
        report[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["source"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        sources("errors"),
        ["missing.yaml", "err.jsonnet", "broken.yaml#2"]
    );
    assert_eq!(
        sources("objects"),
        ["broken.yaml#1", "broken.yaml#3", "bad.yaml"]
    );
    let boom = report["errors"][1]["error"].as_str().unwrap();
    assert!(boom.starts_with("RUNTIME ERROR: boom\n"), "{boom}");
    assert!(o.stderr.contains("RUNTIME ERROR: boom"), "{}", o.context());

    // Only findings: exit 2; only failures: exit 1.
    let o = run(gw(d).args(["validate", "bad.yaml"]));
    exits(&o, 2);
    let o = run(gw(d).args(["validate", "err.jsonnet"]));
    exits(&o, 1);
}

#[test]
fn user_text_cannot_inject_terminal_sequences_or_report_lines() {
    let dir = tmp();
    let d = dir.path();
    // A name with ESC, CR, LF and a fake report line; a label key with a BEL.
    write(
        d,
        "evil.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"x\\e[2J\\r\\nevil.yaml: ConfigMap ok: error: fake\"\n  \
         labels: {\"k\\a\": v}\n---\napiVersion: \"example.com/v1\\e]0;title\\a\"\nkind: \"W\\u202e\"\nmetadata: {name: w}\n",
    );
    let o = run(gw(d).args(["validate", "--color", "never", "evil.yaml"]));
    exits(&o, 2);
    for text in [&o.stdout, &o.stderr] {
        assert!(
            !text.contains(['\x1b', '\r', '\x07', '\u{202e}']),
            "{}",
            o.context()
        );
    }
    // One line per finding (name and label key), one for the unknown kind.
    assert_eq!(o.stdout.lines().count(), 3, "{}", o.context());
    assert!(
        o.stdout.starts_with(
            "evil.yaml#1: ConfigMap x\\x1b[2J\\r\\nevil.yaml: ConfigMap ok: error: fake: error: "
        ),
        "{}",
        o.context()
    );
    assert!(
        o.stderr
            .contains("W\\u{202e} (example.com/v1\\x1b]0;title\\x07)"),
        "{}",
        o.context()
    );

    // --validate's report on stderr too.
    write(
        d,
        "evil.jsonnet",
        "{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x\\u001b[2Jy\\nz' }, data: { a: 1 } }",
    );
    let o = run(gw(d).args(["--validate", "evil.jsonnet"]));
    exits(&o, 2);
    assert!(!o.stderr.contains(['\x1b', '\r']), "{}", o.context());
    assert!(
        o.stderr
            .starts_with("evil.jsonnet: ConfigMap x\\x1b[2Jy\\nz: error: "),
        "{}",
        o.context()
    );
}
