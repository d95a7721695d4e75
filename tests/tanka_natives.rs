//! Tanka's native functions (`std.native('parseYaml')` and friends) against the
//! results of Tanka's own Go code (`tests/testdata/tanka_natives/`, see its README),
//! evaluated in the plain jsonnet mode (`gwsonnet file.jsonnet`); `helmTemplate` runs a
//! stand-in `helm` script that records its command line (helm cannot be installed on
//! these machines), `kustomizeBuild` runs the real `kubectl kustomize` when installed.

use crate::common;

use std::path::Path;

use common::{gw, no_panic, run, tmp, write};
use serde_json::Value;

fn data() -> (Value, Value) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testdata/tanka_natives");
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
    };
    (read("inputs.json"), read("expected.json"))
}

/// Jsonnet source of one call: `std.native(name)(args...)`.
fn call(name: &str, args: &Value) -> String {
    let native = name.strip_suffix("Errors").unwrap_or(name);
    let args = match args {
        Value::Array(items) => items.iter().map(Value::to_string).collect::<Vec<_>>(),
        one => vec![one.to_string()],
    };
    format!("std.native('{native}')({})", args.join(", "))
}

/// Numbers compare as float64 (both sides went through one), everything else exactly.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// Runs every case of `name`: the successful ones in one file, each failing one alone
/// (it must fail; `message` says whether the error text must contain Go's, given Go's).
fn check(name: &str, message: impl Fn(&str) -> bool) {
    let (inputs, expected) = data();
    let inputs = inputs[name].as_array().unwrap();
    let expected = expected[name].as_array().unwrap();
    assert_eq!(inputs.len(), expected.len(), "{name}: goldens out of date");
    let dir = tmp();
    let mut failures = Vec::new();
    let ok: Vec<usize> = (0..inputs.len())
        .filter(|&i| expected[i]["isOk"] == Value::Bool(true))
        .collect();
    if !ok.is_empty() {
        let calls: Vec<String> = ok.iter().map(|&i| call(name, &inputs[i])).collect();
        write(
            dir.path(),
            "ok.jsonnet",
            &format!("[\n{}\n]\n", calls.join(",\n")),
        );
        let o = run(gw(dir.path()).arg("ok.jsonnet"));
        no_panic(&o);
        assert_eq!(o.code, Some(0), "{name}:\n{}", o.context());
        let got: Value = serde_json::from_str(&o.stdout).unwrap();
        for (k, &i) in ok.iter().enumerate() {
            if !same(&got[k], &expected[i]["ok"]) {
                failures.push(format!(
                    "case {i}: input {}\n  want {}\n  got  {}",
                    inputs[i], expected[i]["ok"], got[k]
                ));
            }
        }
    }
    for i in (0..inputs.len()).filter(|i| !ok.contains(i)) {
        write(dir.path(), "err.jsonnet", &call(name, &inputs[i]));
        let o = run(gw(dir.path()).arg("err.jsonnet"));
        no_panic(&o);
        let want = expected[i]["error"].as_str().unwrap();
        if o.code != Some(1) || (message(want) && !o.stderr.contains(want)) {
            failures.push(format!(
                "case {i}: input {}\n  want error {want:?}\n  got {}",
                inputs[i],
                o.context()
            ));
        }
    }
    assert!(failures.is_empty(), "{name}:\n{}", failures.join("\n"));
}

#[test]
fn parse_json_like_go() {
    check("parseJson", |_| true);
}

#[test]
fn parse_yaml_like_yaml_v3() {
    // Syntax errors are worded by yaml-rust2, not libyaml; the rest match Go's.
    let semantic = |e: &str| {
        [
            "unmarshal errors",
            "to json",
            "cannot decode",
            "anchor",
            "incompatible",
        ]
        .iter()
        .any(|w| e.contains(w))
    };
    check("parseYaml", semantic);
}

#[test]
fn manifest_json_from_json_like_json_indent() {
    check("manifestJsonFromJson", |_| true);
}

#[test]
fn manifest_yaml_from_json_like_yaml_v3() {
    check("manifestYamlFromJson", |_| true);
}

#[test]
fn escape_string_regex_like_quote_meta() {
    check("escapeStringRegex", |_| true);
}

#[test]
fn regex_match_like_go() {
    check("regexMatch", |_| true);
    check("regexMatchErrors", |_| false);
}

#[test]
fn regex_subst_like_go() {
    check("regexSubst", |_| true);
}

#[test]
fn sha256_like_go() {
    check("sha256", |_| true);
}

/// A stand-in `helm` (a shell script: helm cannot be installed here) that records its
/// arguments one a line in `args.txt`, its stdin in `stdin.txt`, and prints two
/// manifests and a comment-only document, as `helm template` does.
fn fake_helm(dir: &Path) -> std::path::PathBuf {
    let script = write(
        dir,
        "bin/helm",
        r#"#!/bin/sh
here=$(dirname "$0")
: > "$here/args.txt"
for a in "$@"; do printf '%s\n' "$a" >> "$here/args.txt"; done
cat > "$here/stdin.txt"
cat <<'YAML'
---
# Source: chart/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: my-cm
data:
  on: yes
  port: 0x1F
---
# Source: chart/templates/empty.yaml
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
YAML
"#,
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// `PATH` with `dir` first.
fn path_with(dir: &Path) -> String {
    format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

#[test]
fn helm_template_runs_helm_with_tankas_command_line() {
    let dir = tmp();
    fake_helm(dir.path());
    write(dir.path(), "env/charts/x/Chart.yaml", "name: x\n");
    write(
        dir.path(),
        "env/main.jsonnet",
        r#"std.native('helmTemplate')('rel', './charts/x', {
  calledFrom: std.thisFile,
  values: { replicas: 1000000, enabled: 'yes', list: [1, 2], empty: {} },
  namespace: 'ns',
  apiVersions: ['v1', 'apps/v1'],
  kubeVersion: '1.29',
  skipTests: true,
  noHooks: true,
})
"#,
    );
    let o = run(gw(dir.path())
        .arg("env/main.jsonnet")
        .env("PATH", path_with(&dir.path().join("bin"))));
    no_panic(&o);
    assert_eq!(o.code, Some(0), "{}", o.context());
    let got: Value = serde_json::from_str(&o.stdout).unwrap();
    let want = serde_json::json!({
        "config_map_my_cm": {
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "my-cm"},
            "data": {"on": "yes", "port": 31}
        },
        "deployment_web": {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}}
    });
    assert_eq!(got, want);
    let args = std::fs::read_to_string(dir.path().join("bin/args.txt")).unwrap();
    assert_eq!(
        args,
        "template\nrel\nenv/charts/x\n--values\n-\n--api-versions=v1\n--api-versions=apps/v1\n\
         --include-crds\n--skip-tests\n--kube-version=1.29\n--no-hooks\n--namespace=ns\n"
    );
    // The values as yaml.v3 writes them after Go's JSON round trip.
    let stdin = std::fs::read_to_string(dir.path().join("bin/stdin.txt")).unwrap();
    assert_eq!(
        stdin,
        "empty: {}\nenabled: \"yes\"\nlist:\n    - 1\n    - 2\nreplicas: 1e+06\n"
    );
}

#[test]
fn helm_template_renders_a_chart_once_per_arguments() {
    let dir = tmp();
    let script = fake_helm(dir.path());
    // Count the runs next to the recorded arguments.
    let text = std::fs::read_to_string(&script).unwrap().replace(
        "here=$(dirname \"$0\")\n",
        "here=$(dirname \"$0\")\necho run >> \"$here/runs.txt\"\n",
    );
    std::fs::write(&script, text).unwrap();
    write(dir.path(), "charts/x/Chart.yaml", "name: x\n");
    write(
        dir.path(),
        "main.jsonnet",
        r#"local t(v) = std.native('helmTemplate')('r', './charts/x', {calledFrom: std.thisFile, values: {v: v}});
[t(1), t(1), t(2)]
"#,
    );
    let o = run(gw(dir.path())
        .arg("main.jsonnet")
        .env("PATH", path_with(&dir.path().join("bin"))));
    no_panic(&o);
    assert_eq!(o.code, Some(0), "{}", o.context());
    let runs = std::fs::read_to_string(dir.path().join("bin/runs.txt")).unwrap();
    assert_eq!(runs, "run\nrun\n");
}

#[test]
fn helm_template_errors() {
    let dir = tmp();
    fake_helm(dir.path());
    write(dir.path(), "charts/x/Chart.yaml", "name: x\n");
    let cases = [
        (
            "std.native('helmTemplate')('r', './charts/x', {})",
            "'opts.calledFrom' is unset or empty",
        ),
        (
            "std.native('helmTemplate')('r', './charts/missing', {calledFrom: std.thisFile})",
            "helmTemplate: Failed to find a chart at 'charts/missing'",
        ),
        (
            "std.native('helmTemplate')('r', './charts/x', {calledFrom: std.thisFile, includeCrds: 'yes'})",
            "of type bool",
        ),
        (
            "std.native('helmTemplate')('r', './charts/x', {calledFrom: std.thisFile, nameFormat: '{{ toYaml . }}'})",
            "parsing name format: function \"toYaml\" not defined",
        ),
    ];
    for (code, needle) in cases {
        write(dir.path(), "main.jsonnet", code);
        let o = run(gw(dir.path())
            .arg("main.jsonnet")
            .env("PATH", path_with(&dir.path().join("bin"))));
        no_panic(&o);
        assert_eq!(o.code, Some(1), "{code}:\n{}", o.context());
        assert!(o.stderr.contains(needle), "{code}:\n{}", o.context());
    }
    // Without helm on PATH: a clear error, not a spawn failure.
    write(
        dir.path(),
        "main.jsonnet",
        "std.native('helmTemplate')('r', './charts/x', {calledFrom: std.thisFile})",
    );
    let empty = tmp();
    let o = run(gw(dir.path())
        .arg("main.jsonnet")
        .env("PATH", empty.path())
        .env_remove("TANKA_HELM_PATH"));
    no_panic(&o);
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(
        o.stderr.contains("`helm` is not installed"),
        "{}",
        o.context()
    );
}

/// Whether `kustomize` or `kubectl` is installed; when not, the test is skipped (and
/// fails under `CI=true`).
fn kustomize_available() -> bool {
    let found = ["kustomize", "kubectl"].iter().any(|b| {
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .any(|d| d.join(b).is_file())
    });
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "neither kustomize nor kubectl is installed"
        );
        eprintln!("skipped: neither kustomize nor kubectl is installed");
    }
    found
}

#[test]
fn kustomize_build_runs_kustomize_or_kubectl() {
    if !kustomize_available() {
        return;
    }
    let dir = tmp();
    write(
        dir.path(),
        "env/kz/kustomization.yaml",
        "resources:\n- cm.yaml\nnamePrefix: p-\n",
    );
    write(
        dir.path(),
        "env/kz/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: \"1\"\n  y: 0x1F\n",
    );
    write(
        dir.path(),
        "env/main.jsonnet",
        "std.native('kustomizeBuild')('./kz', {calledFrom: std.thisFile})",
    );
    let o = run(gw(dir.path()).arg("env/main.jsonnet"));
    no_panic(&o);
    assert_eq!(o.code, Some(0), "{}", o.context());
    let got: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(
        got,
        serde_json::json!({"config_map_p_a": {
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "p-a"},
            "data": {"x": "1", "y": 31}
        }})
    );
}

#[test]
fn kustomize_build_command_line_and_errors() {
    let dir = tmp();
    let script = write(
        dir.path(),
        "bin/kz",
        "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/args.txt\"\nprintf 'apiVersion: v1\\nkind: Secret\\nmetadata:\\n  name: s\\n'\n",
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    write(dir.path(), "env/kz/kustomization.yaml", "resources: []\n");
    write(
        dir.path(),
        "env/main.jsonnet",
        "std.native('kustomizeBuild')('kz/', {calledFrom: std.thisFile})",
    );
    let o = run(gw(dir.path())
        .arg("env/main.jsonnet")
        .env("TANKA_KUSTOMIZE_PATH", &script));
    no_panic(&o);
    assert_eq!(o.code, Some(0), "{}", o.context());
    assert!(o.stdout.contains("\"secret_s\""), "{}", o.context());
    write(
        dir.path(),
        "env/main.jsonnet",
        "std.native('kustomizeBuild')('kz/', {calledFrom: std.thisFile, nameFormat: '{{ .metadata.name }}-{{ .kind | lower }}'})",
    );
    let o = run(gw(dir.path())
        .arg("env/main.jsonnet")
        .env("TANKA_KUSTOMIZE_PATH", &script));
    assert_eq!(o.code, Some(0), "{}", o.context());
    assert!(o.stdout.contains("\"s-secret\""), "{}", o.context());
    let args = std::fs::read_to_string(dir.path().join("bin/args.txt")).unwrap();
    assert_eq!(args, "build\nenv/kz\n");
    // Neither kustomize nor kubectl.
    let empty = tmp();
    let o = run(gw(dir.path())
        .arg("env/main.jsonnet")
        .env("PATH", empty.path())
        .env_remove("TANKA_KUSTOMIZE_PATH"));
    no_panic(&o);
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(
        o.stderr
            .contains("neither `kustomize` nor `kubectl` is installed"),
        "{}",
        o.context()
    );
    write(
        dir.path(),
        "env/main.jsonnet",
        "std.native('kustomizeBuild')('nope', {calledFrom: std.thisFile})",
    );
    let o = run(gw(dir.path()).arg("env/main.jsonnet"));
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(
        o.stderr
            .contains("kustomizeBuild: Failed to find kustomization at 'env/nope'"),
        "{}",
        o.context()
    );
}

#[test]
fn unknown_natives_stay_null_and_natives_work_with_exec() {
    let dir = tmp();
    let o = run(gw(dir.path()).args([
        "-e",
        "[std.native('noSuchNative'), std.native('sha256')('abc')]",
    ]));
    common::ok(
        &o,
        "[\n   null,\n   \"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"\n]\n",
    );
}
