//! `gwsonnet validate` end to end, and the validator against real Gateway API CRDs:
//! no false positives on the Gateway API's own examples (`../shared`).
//!
//! The CRDs are read by the CRD loader (`--crds`), as the command reads them.

use crate::common;

use std::path::{Path, PathBuf};

use common::{gw, run, shared_fixture, tmp, write};
use gwsonnet::crd::Sources;
use gwsonnet::model::Registry;
use gwsonnet::validate::{Severity, Validator};
use serde_json::Value;
use yaml_rust2::{Yaml, YamlLoader};

const BAD_ROUTE: &str = "apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: {name: r, namespace: ns}
spec:
  parentRefs: [{name: gw}, {name: gw}]
  rules:
  - backendRefs: [{name: svc, port: 70000, extra: 1}]
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: s}
";

#[test]
fn violations_exit_2_with_identity_path_message_and_source() {
    let dir = tmp();
    write(dir.path(), "bad.yaml", BAD_ROUTE);
    let o = run(gw(dir.path()).args(["validate", "bad.yaml"]));
    assert_eq!(o.code, Some(2), "{}", o.context());
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", o.context());
    assert!(
        lines[0].starts_with(
            "bad.yaml#1: TCPRoute ns/r: warning: spec.rules[0].backendRefs[0].extra: unknown field"
        ),
        "{}",
        o.context()
    );
    assert_eq!(lines[1], "bad.yaml#1: TCPRoute ns/r: error: spec.rules[0].backendRefs[0].port: should be less than or equal to 65535 (value: 70000) [maximum]");
    assert!(
        lines[2].starts_with(
            "bad.yaml#1: TCPRoute ns/r: error: spec.parentRefs: sectionName or port must be unique"
        ),
        "{}",
        o.context()
    );
    // The List's Service is a kind of the Kubernetes API: checked, and valid.
    assert!(
        o.stderr
            .starts_with("INVALID: 2 objects checked, 1 invalid, 0 of unknown kinds; 2 errors"),
        "{}",
        o.context()
    );

    let o = run(gw(dir.path()).args(["validate", "--output", "json", "bad.yaml"]));
    assert_eq!(o.code, Some(2), "{}", o.context());
    let report: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(report["valid"], false);
    let f = &report["objects"][0]["findings"][1];
    assert_eq!(f["path"], "spec.rules[0].backendRefs[0].port");
    assert_eq!(f["constraint"], "maximum");
    assert_eq!(f["value"], "70000");
    assert_eq!(report["objects"][1]["kind"], "Service");
    assert_eq!(report["objects"][1]["valid"], true);
}

/// Drops the ANSI escape sequences of `s`.
fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("\x1b[") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 2..];
        let end = tail
            .find(|c: char| c.is_ascii_alphabetic())
            .map_or(tail.len(), |e| e + 1);
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// The human report is coloured with `--color always` (which wins over `NO_COLOR`),
/// plain in pipes by default and with `--color never`; `--validate`'s findings on
/// stderr follow the same flag. The words are the same either way.
#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let dir = tmp();
    write(dir.path(), "bad.yaml", BAD_ROUTE);
    let plain = run(gw(dir.path()).args(["validate", "bad.yaml"]));
    let o = run(gw(dir.path()).args(["validate", "--color", "always", "bad.yaml"]));
    assert_eq!(o.code, Some(2), "{}", o.context());
    assert!(
        o.stdout.contains("\x1b[1m\x1b[31merror\x1b[0m"),
        "{:?}",
        o.stdout
    );
    assert!(
        o.stdout
            .contains("\x1b[36mspec.rules[0].backendRefs[0].port\x1b[0m"),
        "{:?}",
        o.stdout
    );
    assert_eq!(strip_ansi(&o.stdout), plain.stdout);
    // A pipe, NO_COLOR unset: no escape codes; nor with --color never.
    let o = run(gw(dir.path())
        .env_remove("NO_COLOR")
        .args(["validate", "bad.yaml"]));
    assert_eq!(o.stdout, plain.stdout);
    assert!(
        !o.stdout.contains('\x1b') && !o.stderr.contains('\x1b'),
        "{}",
        o.context()
    );
    let o = run(gw(dir.path()).args(["validate", "--color", "never", "bad.yaml"]));
    assert_eq!(o.stdout, plain.stdout);
    // --validate of the jsonnet mode colours stderr only.
    write(
        dir.path(),
        "bad.jsonnet",
        &ROUTE_JSONNET.replace("PORT", "70000"),
    );
    let o = run(gw(dir.path()).args(["--validate", "--color", "always", "bad.jsonnet"]));
    assert_eq!(o.code, Some(2), "{}", o.context());
    assert!(
        o.stderr.contains("\x1b[1m\x1b[31merror\x1b[0m"),
        "{}",
        o.context()
    );
    assert!(!o.stdout.contains('\x1b'), "{}", o.context());
    let o = run(gw(dir.path()).args(["validate", "--color", "sometimes", "bad.yaml"]));
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(
        o.stderr.contains("--color must be auto, always or never"),
        "{}",
        o.context()
    );
}

/// On a terminal (a pseudo-terminal from `script`, when installed) `auto` colours,
/// unless `NO_COLOR` is set.
#[test]
fn colour_on_a_terminal_unless_no_color() {
    let dir = tmp();
    write(dir.path(), "bad.yaml", BAD_ROUTE);
    let on_tty = |no_color: Option<&str>| {
        let mut c = std::process::Command::new("script");
        c.current_dir(dir.path())
            .args([
                "-qec",
                &format!("{} validate bad.yaml", common::BIN),
                "/dev/null",
            ])
            .env_remove("NO_COLOR");
        if let Some(v) = no_color {
            c.env("NO_COLOR", v);
        }
        c.output().ok().filter(|o| o.status.code() == Some(2))
    };
    let Some(o) = on_tty(None) else {
        println!("skipped: no usable `script` for a pseudo-terminal");
        return;
    };
    assert!(String::from_utf8_lossy(&o.stdout).contains("\x1b[31merror"));
    let o = on_tty(Some("1")).expect("script ran before");
    assert!(!String::from_utf8_lossy(&o.stdout).contains('\x1b'));
    // An empty NO_COLOR does not count.
    let o = on_tty(Some("")).expect("script ran before");
    assert!(String::from_utf8_lossy(&o.stdout).contains("\x1b[31merror"));
}

#[test]
fn valid_jsonnet_exits_0_and_strict_fails_on_unknown_kinds() {
    let dir = tmp();
    let bench = Path::new(env!("CARGO_MANIFEST_DIR")).join("jsonnet/bench/tcproutes.jsonnet");
    let o = run(gw(dir.path())
        .args(["validate", "--tla-code", "n=20"])
        .arg(&bench));
    assert_eq!(o.code, Some(0), "{}", o.context());
    assert_eq!(o.stdout, "");
    assert!(
        o.stderr.starts_with("20 objects checked, 0 invalid"),
        "{}",
        o.context()
    );

    write(
        dir.path(),
        "svc.json",
        r#"{"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "s"}}"#,
    );
    let o = run(gw(dir.path()).args(["validate", "svc.json"]));
    assert_eq!(o.code, Some(0), "{}", o.context());
    let o = run(gw(dir.path()).args(["validate", "--strict", "svc.json"]));
    assert_eq!(o.code, Some(2), "{}", o.context());
    assert_eq!(
        o.stdout,
        "svc.json: Widget s: error: no schema for example.com/v1 Widget\n"
    );

    let o = run(gw(dir.path()).args(["validate", "missing.jsonnet"]));
    assert_eq!(o.code, Some(1), "{}", o.context());
    write(dir.path(), "err.jsonnet", "error 'boom'");
    let o = run(gw(dir.path()).args(["validate", "err.jsonnet"]));
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(o.stderr.contains("RUNTIME ERROR: boom"), "{}", o.context());
    let o = run(gw(dir.path()).args(["validate", "--output", "xml", "svc.json"]));
    assert_eq!(o.code, Some(1), "{}", o.context());
}

/// Test-only YAML → JSON (the CRD loader has its own).
fn yaml_to_json(y: &Yaml) -> Value {
    match y {
        Yaml::Real(r) => serde_json::from_str(r).unwrap_or(Value::Null),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(a) => Value::Array(a.iter().map(yaml_to_json).collect()),
        Yaml::Hash(h) => Value::Object(
            h.iter()
                .map(|(k, v)| {
                    let k = match k {
                        Yaml::String(s) => s.clone(),
                        other => format!("{other:?}"),
                    };
                    (k, yaml_to_json(v))
                })
                .collect(),
        ),
        _ => Value::Null,
    }
}

fn documents(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .iter()
        .map(yaml_to_json)
        .filter(|d| !d.is_null())
        .collect()
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A registry of the CRDs in `dir`, through the CRD loader (`--crds`).
fn crd_registry(dir: &Path) -> Registry {
    let sources = Sources {
        crds: vec![dir.to_path_buf()],
        configs: Vec::new(),
        ..Sources::default()
    };
    gwsonnet::crd::add_to(Registry::new(), &sources).expect("the CRDs load")
}

/// The Kubernetes objects of the Gateway API examples.
fn example_objects(dir: &Path) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for file in yaml_files(dir) {
        let name = file.strip_prefix(dir).unwrap().display().to_string();
        for doc in documents(&file) {
            if doc.get("apiVersion").is_some() && doc.get("kind").is_some() {
                out.push((name.clone(), doc));
            }
        }
    }
    out
}

#[test]
fn gateway_api_examples_validate_clean_against_the_1_5_crds() {
    let Some(examples) = shared_fixture("gateway-api/examples-1.5.1") else {
        return;
    };
    let objects = example_objects(&examples);
    assert!(objects.len() > 50, "{}", objects.len());
    for channel in ["1.5", "1.5-experimental"] {
        let Some(crds) = shared_fixture(&format!("gateway-api/crds/{channel}")) else {
            return;
        };
        let registry = crd_registry(&crds);
        let validator = Validator::new();
        let (mut checked, mut rules) = (0, 0);
        let mut problems = Vec::new();
        for (file, o) in &objects {
            let Some(kind) = Validator::find_kind(&registry, o) else {
                continue;
            };
            checked += 1;
            let r = validator.validate(&kind.schema, o);
            rules += r.rules_checked;
            for f in r.findings {
                if f.severity != Severity::Warning {
                    problems.push(format!("{channel} {file} {}: {f}", o["kind"]));
                }
            }
        }
        println!("{channel}: {checked} objects, {rules} CEL rules evaluated");
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        assert!(
            checked > 40 && rules > 100,
            "{channel}: {checked} objects, {rules} rules"
        );
    }
}

/// Every CEL rule of a schema, with the rules of every node below it.
fn rules_of(schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(m) => {
            if let Some(Value::Array(rules)) = m.get("x-kubernetes-validations") {
                out.extend(
                    rules
                        .iter()
                        .filter_map(|r| r["rule"].as_str().map(str::to_owned)),
                );
            }
            m.values().for_each(|v| rules_of(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| rules_of(v, out)),
        _ => {}
    }
}

#[test]
fn every_cel_rule_of_every_gateway_api_version_is_checked_or_a_transition_rule() {
    let Some(crds) = shared_fixture("gateway-api/crds") else {
        return;
    };
    let validator = Validator::new();
    let (mut checked, mut transition) = (0, 0);
    let mut unchecked = Vec::new();
    for file in yaml_files(&crds) {
        for doc in documents(&file) {
            let mut rules = Vec::new();
            rules_of(&doc, &mut rules);
            for rule in rules {
                match validator.rule_support(&rule) {
                    Ok(true) => checked += 1,
                    Ok(false) => transition += 1,
                    Err(why) => unchecked.push(format!("{}: {why}: {rule}", file.display())),
                }
            }
        }
    }
    println!("{checked} rules checked, {transition} transition rules skipped");
    assert!(unchecked.is_empty(), "{}", unchecked.join("\n"));
    assert!(checked > 3000, "{checked}");
}

#[test]
fn the_command_loads_crds_and_takes_many_files() {
    let (Some(crds), Some(examples)) = (
        shared_fixture("gateway-api/crds/1.5"),
        shared_fixture("gateway-api/examples-1.5.1/standard"),
    ) else {
        return;
    };
    let dir = tmp();
    // Every standard example at once: clean, exit 0.
    let files: Vec<String> = yaml_files(&examples)
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let mut args = vec![
        "validate".to_string(),
        "--crds".into(),
        crds.display().to_string(),
    ];
    args.extend(files);
    let o = run(gw(dir.path()).args(&args));
    assert_eq!(o.code, Some(0), "{}", o.context());
    // A program using the 1.5 library natively: every violation, exit 2.
    write(
        dir.path(),
        "bad.jsonnet",
        "local route = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/1.5/main.libsonnet').gateway.v1.httpRoute;\n\
         route.new('web') + route.metadata.withNamespace('ns') + route.spec.withHostnames(['-bad-'])\n\
         + route.spec.withRules([route.spec.rules.withBackendRefs([route.spec.rules.backendRefs.withName('svc')])])\n",
    );
    let o = run(gw(dir.path()).args([
        "validate",
        "--crds",
        &crds.display().to_string(),
        "bad.jsonnet",
    ]));
    assert_eq!(o.code, Some(2), "{}", o.context());
    assert!(
        o.stdout.contains("bad.jsonnet: HTTPRoute ns/web: error: spec.hostnames[0]: should match")
            && o.stdout.contains(
                "bad.jsonnet: HTTPRoute ns/web: error: spec.rules[0].backendRefs[0]: Must have port for Service reference"
            ),
        "{}",
        o.context()
    );
}

/// `--coverage --output json` for every Gateway API version in `../shared`: every CEL
/// rule but the transition rules is checked, and so is every schema constraint.
#[test]
fn coverage_is_complete_for_every_gateway_api_version() {
    let Some(crds) = shared_fixture("gateway-api/crds") else {
        return;
    };
    let mut versions: Vec<PathBuf> = std::fs::read_dir(&crds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    versions.sort();
    assert!(!versions.is_empty());
    let dir = tmp();
    for v in &versions {
        let o = run(gw(dir.path())
            .args(["validate", "--coverage", "--output", "json", "--crds"])
            .arg(v));
        assert_eq!(o.code, Some(0), "{}: {}", v.display(), o.context());
        let report: Value = serde_json::from_str(&o.stdout).unwrap();
        let total = &report["total"];
        let rules = &total["celRules"];
        assert!(rules["present"].as_u64().unwrap() > 0, "{}", v.display());
        assert_eq!(
            rules["checked"].as_u64().unwrap() + rules["transitionSkipped"].as_u64().unwrap(),
            rules["present"].as_u64().unwrap(),
            "{}: {}",
            v.display(),
            rules["notChecked"]
        );
        assert_eq!(rules["percent"], 100.0, "{}", v.display());
        let constraints = &total["schemaConstraints"];
        assert_eq!(
            constraints["checked"],
            constraints["present"],
            "{}: {}",
            v.display(),
            constraints["notChecked"]
        );
        let kinds = report["kinds"].as_array().unwrap();
        assert!(
            kinds.iter().any(|k| k["kind"] == "HTTPRoute"),
            "{}",
            v.display()
        );
    }
}

/// The human coverage report: one line per kind, the transition rules counted
/// apart, a total; no file is needed.
#[test]
fn coverage_human_lines_and_total() {
    let dir = tmp();
    let o = run(gw(dir.path()).args(["validate", "--coverage"]));
    assert_eq!(o.code, Some(0), "{}", o.context());
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", o.context());
    assert!(
        lines[0].ends_with(
            "gateway.networking.k8s.io/v1alpha2/TCPRoute: CEL rules 3/3 checked (100.0%), \
             0 transition rules skipped; schema constraints 92/92 checked (100.0%)"
        ),
        "{}",
        o.context()
    );
    assert!(
        lines[1].starts_with("total (1 kinds): CEL rules 3/3"),
        "{}",
        o.context()
    );
    let o = run(gw(dir.path()).args(["validate"]));
    assert_eq!(o.code, Some(1), "{}", o.context());
    let o = run(gw(dir.path()).args(["validate", "--coverage", "x.yaml"]));
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(o.stderr.contains("--coverage"), "{}", o.context());
}

/// A TCPRoute whose port is out of range, as Jsonnet (`PORT` is replaced).
const ROUTE_JSONNET: &str = "{ route: { apiVersion: 'gateway.networking.k8s.io/v1alpha2', \
    kind: 'TCPRoute', metadata: { name: 'r', namespace: 'ns' }, spec: { parentRefs: \
    [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 's', port: PORT }] }] } }, \
    other: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } } }";

/// `--validate` of the jsonnet mode: the output is written either way; findings go to
/// stderr in the human format and an error makes the exit status 2.
#[test]
fn jsonnet_mode_validate_flag() {
    let dir = tmp();
    write(
        dir.path(),
        "bad.jsonnet",
        &ROUTE_JSONNET.replace("PORT", "70000"),
    );
    write(
        dir.path(),
        "good.jsonnet",
        &ROUTE_JSONNET.replace("PORT", "80"),
    );
    let o = run(gw(dir.path()).args(["--validate", "bad.jsonnet"]));
    assert_eq!(o.code, Some(2), "{}", o.context());
    assert!(o.stdout.contains("\"port\": 70000"), "{}", o.context());
    assert!(
        o.stderr.starts_with("bad.jsonnet: TCPRoute ns/r: error: spec.rules[0].backendRefs[0].port: should be less than or equal to 65535 (value: 70000) [maximum]\nINVALID: 2 objects checked, 1 invalid"),
        "{}",
        o.context()
    );
    // With -o the file is written too.
    let o = run(gw(dir.path()).args(["--validate", "-o", "out.json", "bad.jsonnet"]));
    assert_eq!(o.code, Some(2), "{}", o.context());
    assert!(dir.path().join("out.json").exists());
    let o = run(gw(dir.path()).args(["--validate", "good.jsonnet"]));
    assert_eq!(o.code, Some(0), "{}", o.context());
    assert_eq!(o.stderr, "", "{}", o.context());
    // Without the flag nothing is checked.
    let o = run(gw(dir.path()).args(["bad.jsonnet"]));
    assert_eq!(o.code, Some(0), "{}", o.context());
}

/// `--validate` of the jsonnet mode checks objects while the output is written (on
/// worker threads, many objects at a time): every invalid object of a large result is
/// reported once, in output order, in every output mode, and the output is the same
/// bytes as without the flag.
#[test]
fn jsonnet_mode_validate_flag_reports_many_objects_in_order_in_every_mode() {
    let dir = tmp();
    let route = ROUTE_JSONNET.replace("PORT", "if i % 7 == 3 then 70000 else 80");
    let route = route.replacen("name: 'r'", "name: 'r' + i", 1);
    write(
        dir.path(),
        "many.jsonnet",
        &format!("[ {route} for i in std.range(0, 99) ]"),
    );
    write(
        dir.path(),
        "files.jsonnet",
        &format!("{{ ['f%03d' % i]: {route} for i in std.range(0, 99) }}"),
    );
    let bad: Vec<usize> = (0..100).filter(|i| i % 7 == 3).collect();
    let expected: String = bad
        .iter()
        .map(|i| format!("TCPRoute ns/r{i}: error: spec.rules[0].backendRefs[0].port"))
        .collect::<Vec<_>>()
        .join("\n");
    // Each element also has a ConfigMap, a kind of the Kubernetes API: checked, valid.
    let summary = format!("INVALID: 200 objects checked, {} invalid", bad.len());
    for (args, unchecked) in [
        (&["many.jsonnet"][..], &["many.jsonnet"][..]),
        (&["-y", "many.jsonnet"], &["-y", "many.jsonnet"]),
        (
            &["-m", "out", "-c", "files.jsonnet"],
            &["-m", "out2", "-c", "files.jsonnet"],
        ),
    ] {
        let o = run(gw(dir.path()).arg("--validate").args(args));
        assert_eq!(o.code, Some(2), "{}", o.context());
        let lines: String = o
            .stderr
            .lines()
            .filter(|l| !l.starts_with("INVALID"))
            .map(|l| l.split_once(": ").map_or(l, |(_, rest)| rest))
            .map(|l| l.split(": should").next().unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(lines, expected, "{args:?}: {}", o.context());
        assert!(o.stderr.contains(&summary), "{args:?}: {}", o.context());
        let plain = run(gw(dir.path()).args(unchecked));
        assert_eq!(plain.code, Some(0), "{}", plain.context());
        assert_eq!(o.stdout.replace("out/", "out2/"), plain.stdout, "{args:?}");
    }
    assert_eq!(
        std::fs::read(dir.path().join("out/f042")).unwrap(),
        std::fs::read(dir.path().join("out2/f042")).unwrap()
    );
}

/// `--validate` of `show` (the processed manifests) and `eval` (the objects of the
/// value, found as Tanka's extraction finds them): output printed, exit 2.
#[test]
fn show_and_eval_validate_flag() {
    let d = tmp();
    write(d.path(), "jsonnetfile.json", "{}");
    write(
        d.path(),
        "env/spec.json",
        "{\"spec\": {\"namespace\": \"ns\"}}",
    );
    write(
        d.path(),
        "env/main.jsonnet",
        &ROUTE_JSONNET.replace("PORT", "0"),
    );
    write(
        d.path(),
        "ok/spec.json",
        "{\"spec\": {\"namespace\": \"ns\"}}",
    );
    write(
        d.path(),
        "ok/main.jsonnet",
        &ROUTE_JSONNET.replace("PORT", "8080"),
    );
    for cmd in ["show", "eval"] {
        let o = run(gw(d.path()).args([cmd, "--validate", "env"]));
        assert_eq!(o.code, Some(2), "{cmd}: {}", o.context());
        assert!(o.stdout.contains("TCPRoute"), "{cmd}: {}", o.context());
        assert!(
            o.stderr.starts_with("env: TCPRoute ns/r: error: spec.rules[0].backendRefs[0].port: should be greater than or equal to 1 (value: 0) [minimum]\n"),
            "{cmd}: {}",
            o.context()
        );
        let o = run(gw(d.path()).args([cmd, "--validate", "ok"]));
        assert_eq!(o.code, Some(0), "{cmd}: {}", o.context());
        assert_eq!(o.stderr, "", "{cmd}: {}", o.context());
        let o = run(gw(d.path()).args([cmd, "env"]));
        assert_eq!(o.code, Some(0), "{cmd}: {}", o.context());
    }
}

/// `--validate` of `export`: every manifest of every environment is checked before
/// anything is written; an error anywhere writes nothing (not even the valid
/// environments' files) and exits 2, naming the environment.
#[test]
fn export_validate_flag_writes_nothing_on_findings() {
    let d = tmp();
    write(d.path(), "jsonnetfile.json", "{}");
    for (env, port) in [("a", "8080"), ("b", "0")] {
        write(
            d.path(),
            &format!("envs/{env}/spec.json"),
            "{\"spec\": {\"namespace\": \"ns\"}}",
        );
        write(
            d.path(),
            &format!("envs/{env}/main.jsonnet"),
            &ROUTE_JSONNET.replace("PORT", port),
        );
    }
    let o = run(gw(d.path()).args(["export", "out", "envs", "-r", "--validate"]));
    assert_eq!(o.code, Some(2), "{}", o.context());
    assert!(
        o.stderr.starts_with("envs/b/main.jsonnet: TCPRoute ns/r: error: spec.rules[0].backendRefs[0].port: should be greater than or equal to 1 (value: 0) [minimum]\n"),
        "{}",
        o.context()
    );
    assert!(!d.path().join("out").exists(), "{}", o.context());
    // The valid environment alone exports; without the flag, the invalid one does.
    let o = run(gw(d.path()).args(["export", "out", "envs/a", "--validate"]));
    assert_eq!(o.code, Some(0), "{}", o.context());
    assert_eq!(o.stderr, "", "{}", o.context());
    assert!(d.path().join("out/manifest.json").exists());
    let o = run(gw(d.path()).args(["export", "unchecked", "envs/b"]));
    assert_eq!(o.code, Some(0), "{}", o.context());
    assert!(d.path().join("unchecked/manifest.json").exists());
}

/// A CRD version marked `served: false` is still a kind of the library, but an object
/// using it gets a warning (not an error: exit 0); the served version gets none.
#[test]
fn unserved_versions_are_warned_about() {
    let dir = tmp();
    write(
        dir.path(),
        "crds/widgets.yaml",
        "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: integer, maximum: 10}}}
  - name: v1beta1
    served: false
    storage: false
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: integer, maximum: 10}}}
",
    );
    write(
        dir.path(),
        "w.yaml",
        "apiVersion: example.com/v1beta1
kind: Widget
metadata: {name: old, namespace: ns}
spec: {size: 3}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: new, namespace: ns}
spec: {size: 3}
",
    );
    let o = run(gw(dir.path()).args(["validate", "--crds", "crds", "w.yaml"]));
    assert_eq!(o.code, Some(0), "{}", o.context());
    assert_eq!(
        o.stdout,
        "w.yaml#1: Widget ns/old: warning: apiVersion: version v1beta1 of Widget is not served \
         (the CRD says served: false) (value: \"example.com/v1beta1\") [served]\n",
        "{}",
        o.context()
    );
    // The warning comes with the violations, which still fail the run.
    write(
        dir.path(),
        "bad.yaml",
        "apiVersion: example.com/v1beta1\nkind: Widget\nmetadata: {name: old}\nspec: {size: 11}\n",
    );
    let o = run(gw(dir.path()).args(["validate", "--crds", "crds", "bad.yaml"]));
    assert_eq!(o.code, Some(2), "{}", o.context());
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", o.context());
    assert!(
        lines[0].contains("warning: apiVersion: version v1beta1"),
        "{}",
        o.context()
    );
    assert!(
        lines[1].contains("error: spec.size: should be less than or equal to 10"),
        "{}",
        o.context()
    );
}

#[test]
fn a_yaml_syntax_error_names_file_and_line() {
    let dir = tmp();
    write(dir.path(), "bad.yaml", "kind: Service\na: [1\n");
    let o = run(gw(dir.path()).args(["validate", "bad.yaml"]));
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(
        o.stderr.starts_with("ERROR: bad.yaml:3: "),
        "{}",
        o.context()
    );
}

const GOOD_ROUTE: &str = "apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: {name: good, namespace: ns}
spec:
  parentRefs: [{name: gw}]
  rules:
  - backendRefs: [{name: svc, port: 80}]
";

/// Multi-document YAML streams and `List` kinds, valid and invalid, in both output
/// formats: the objects of a `List` are checked one by one (a finding names the
/// document), a valid run exits 0 with `"valid": true`.
#[test]
fn multi_document_streams_and_lists_valid_and_invalid_in_both_formats() {
    let dir = tmp();
    let list = |port: u32| {
        format!(
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: gateway.networking.k8s.io/v1alpha2\n  \
             kind: TCPRoute\n  metadata: {{name: listed, namespace: ns}}\n  spec:\n    \
             parentRefs: [{{name: gw}}]\n    rules:\n    - backendRefs: [{{name: svc, port: {port}}}]\n"
        )
    };
    write(
        dir.path(),
        "good.yaml",
        &format!("{GOOD_ROUTE}---\n{}", list(8080)),
    );
    let o = run(gw(dir.path()).args(["validate", "good.yaml"]));
    assert_eq!(o.code, Some(0), "{}", o.context());
    assert_eq!(o.stdout, "", "{}", o.context());
    assert!(
        o.stderr.starts_with("2 objects checked, 0 invalid"),
        "{}",
        o.context()
    );
    let o = run(gw(dir.path()).args(["validate", "--output", "json", "good.yaml"]));
    assert_eq!(o.code, Some(0), "{}", o.context());
    let report: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(report["valid"], true, "{}", o.context());
    // Every kind known: `--strict` has nothing to object to.
    let o = run(gw(dir.path()).args(["validate", "--strict", "good.yaml"]));
    assert_eq!(o.code, Some(0), "{}", o.context());

    write(
        dir.path(),
        "bad.yaml",
        &format!("{GOOD_ROUTE}---\n{}", list(0)),
    );
    let o = run(gw(dir.path()).args(["validate", "bad.yaml"]));
    assert_eq!(o.code, Some(2), "{}", o.context());
    assert_eq!(
        o.stdout,
        "bad.yaml#2: TCPRoute ns/listed: error: spec.rules[0].backendRefs[0].port: \
         should be greater than or equal to 1 (value: 0) [minimum]\n",
        "{}",
        o.context()
    );
    let o = run(gw(dir.path()).args(["validate", "--output", "json", "bad.yaml"]));
    assert_eq!(o.code, Some(2), "{}", o.context());
    let report: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(report["valid"], false, "{}", o.context());
}

/// The CEL features of the report, each with a valid and an invalid object:
/// `messageExpression`, `reason` and `fieldPath` (in the JSON output), a rule calling
/// a function not implemented ("not checked", exit 0), and the transition rules
/// (`oldSelf`) counted in the summary. (The message expression spells numbers from a
/// list: `'min ' + string(self.min)` has no size in cel-go's estimate, and the API
/// server refuses a CRD with it, kubernetes/kubernetes#124234.)
#[test]
fn cel_message_expression_reason_field_path_not_checked_and_transition_rules() {
    let dir = tmp();
    write(
        dir.path(),
        "crds/gadgets.yaml",
        "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  names: {kind: Gadget, plural: gadgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              min: {type: integer}
              max: {type: integer}
              size: {type: string}
            x-kubernetes-validations:
            - rule: self.min <= self.max
              messageExpression: \"'min ' + ['0', '1', '2', '3'][self.min] + ' exceeds max ' + ['0', '1', '2', '3'][self.max]\"
              reason: FieldValueForbidden
              fieldPath: .min
            - rule: self == oldSelf
              message: spec is immutable
          other:
            type: object
            properties:
              size: {type: string}
            x-kubernetes-validations:
            - rule: \"!has(self.size) || quantity(self.size).isGreaterThan(quantity('0'))\"
",
    );
    write(
        dir.path(),
        "good.yaml",
        "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g, namespace: ns}\n\
         spec: {min: 1, max: 2}\n",
    );
    let o = run(gw(dir.path()).args(["validate", "--crds", "crds", "good.yaml"]));
    assert_eq!(o.code, Some(0), "{}", o.context());
    assert_eq!(o.stdout, "", "{}", o.context());
    assert_eq!(
        o.stderr,
        "1 object checked, 0 invalid, 0 of unknown kinds; 0 errors, 0 warnings, \
         0 not checked; 1 CEL rule evaluated, 1 transition rule skipped\n",
        "{}",
        o.context()
    );

    write(
        dir.path(),
        "bad.yaml",
        "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g, namespace: ns}\n\
         spec: {min: 3, max: 2}\n",
    );
    let o =
        run(gw(dir.path()).args(["validate", "--crds", "crds", "--output", "json", "bad.yaml"]));
    assert_eq!(o.code, Some(2), "{}", o.context());
    let report: Value = serde_json::from_str(&o.stdout).unwrap();
    let f = &report["objects"][0]["findings"][0];
    assert_eq!(f["path"], "spec.min", "{}", o.context());
    assert_eq!(f["message"], "min 3 exceeds max 2", "{}", o.context());
    assert_eq!(f["reason"], "FieldValueForbidden", "{}", o.context());
    assert_eq!(
        f["constraint"],
        "x-kubernetes-validations",
        "{}",
        o.context()
    );

    // A rule calling a function this crate lacks is never passed silently, and never
    // fails the run.
    write(
        dir.path(),
        "unchecked.yaml",
        "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g, namespace: ns}\n\
         other: {size: 1Gi}\n",
    );
    let o = run(gw(dir.path()).args(["validate", "--crds", "crds", "unchecked.yaml"]));
    assert_eq!(o.code, Some(0), "{}", o.context());
    assert!(
        o.stdout.starts_with(
            "unchecked.yaml: Gadget ns/g: not checked: other: rule not checked, it uses \
             isGreaterThan, quantity (not implemented)"
        ),
        "{}",
        o.context()
    );
    assert!(o.stderr.contains("1 not checked"), "{}", o.context());
}

/// No false positives on the project's own examples: `jsonnet/examples` (with the
/// libraries their comments name; the Kubernetes one with none), both benchmark programs against every Gateway API
/// version they target, and the Tanka environments of `jsonnet/tanka`.
#[test]
fn the_project_examples_validate_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tmp();
    let clean = |o: &common::Out, n: usize| {
        assert_eq!(o.code, Some(0), "{}", o.context());
        assert_eq!(o.stdout, "", "{}", o.context());
        let objects = if n == 1 { "object" } else { "objects" };
        let want = format!("{n} {objects} checked, 0 invalid, 0 of unknown kinds; 0 errors, 0 warnings, 0 not checked");
        assert!(o.stderr.starts_with(&want), "{}", o.context());
    };
    let o = run(gw(dir.path())
        .arg("validate")
        .arg(root.join("jsonnet/examples/tcproute.jsonnet")));
    clean(&o, 1);
    let o = run(gw(dir.path())
        .arg("validate")
        .arg(root.join("jsonnet/examples/deployment.jsonnet")));
    clean(&o, 3);
    let o = run(gw(dir.path())
        .args(["validate", "--tla-code", "n=20"])
        .arg(root.join("jsonnet/bench/tcproutes.jsonnet")));
    clean(&o, 20);
    let (Some(crds), Some(metallb)) = (
        shared_fixture("gateway-api/crds"),
        shared_fixture("crd-libraries/metallb/config.yml"),
    ) else {
        return;
    };
    let o = run(gw(dir.path())
        .arg("validate")
        .arg("--crds")
        .arg(crds.join("1.5"))
        .arg("--crd-library")
        .arg(&metallb)
        .arg(root.join("jsonnet/examples/crds.jsonnet")));
    clean(&o, 3);
    for v in ["1.5", "1.5-experimental", "1.6", "1.6-experimental"] {
        let o = run(gw(dir.path())
            .args(["validate", "--tla-code", "n=20", "--crds"])
            .arg(crds.join(v))
            .arg(root.join("benches/validate/httproutes.jsonnet")));
        clean(&o, 20);
    }
    let tanka = root.join("jsonnet/tanka");
    // The static environment exercises Tanka's processing with objects the API server
    // would reject: validation says so (and warns of what it would drop).
    let o = run(gw(&tanka).args(["show", "--validate", "environments/static"]));
    assert_eq!(o.code, Some(2), "{}", o.context());
    let found: Vec<&str> = o
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("environments/static: "))
        .collect();
    assert_eq!(
        found,
        [
            "ConfigMap apps/numbers: warning: values: unknown field \"values\" (the API server prunes it) [unknown field]",
            "CustomResourceDefinition widgets.example.com: error: spec.names: Required value [required]",
            "CustomResourceDefinition widgets.example.com: error: spec.versions: Required value [required]",
            "CustomResourceDefinition widgets.example.com: error: metadata.name: must be spec.names.plural+\".\"+spec.group (value: \"widgets.example.com\") [crdname]",
            "ClusterRole apps/forced: warning: metadata.namespace: Forbidden: not allowed on this type (a cluster-scoped kind; the API server drops the namespace) (value: \"apps\") [scope]",
            "Deployment apps/web: error: spec.selector: Required value [required]",
        ],
        "{}",
        o.context()
    );
    let o = run(gw(&tanka).args(["show", "--validate", "environments/function"]));
    assert_eq!(o.code, Some(2), "{}", o.context());
    assert!(o.stderr.starts_with("environments/function: Deployment fn/fn: error: spec.selector: Required value [required]\nINVALID: 1 object checked"), "{}", o.context());
    for env in [
        &["environments/inline", "--name", "dev"],
        &["environments/inline", "--name", "prod"],
    ] {
        let o = run(gw(&tanka).args(["show", "--validate"]).args(env));
        assert_eq!(o.code, Some(0), "{env:?}: {}", o.context());
        assert_eq!(o.stderr, "", "{env:?}: {}", o.context());
    }
}
