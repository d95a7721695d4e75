//! `gwsonnet validate` end to end, and the validator against real Gateway API CRDs:
//! no false positives on the Gateway API's own examples (`../shared`).
//!
//! The CRDs are read by the CRD loader (`--crds`), as the command reads them.

mod common;

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
    assert_eq!(lines.len(), 4, "{}", o.context());
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
    assert_eq!(
        lines[3],
        "bad.yaml#2: Service s: skipped: no schema for v1 Service"
    );
    assert!(
        o.stderr
            .starts_with("INVALID: 1 objects checked, 1 invalid, 1 of unknown kinds; 2 errors"),
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
    assert_eq!(report["unknownKinds"][0]["kind"], "Service");
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
        r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}}"#,
    );
    let o = run(gw(dir.path()).args(["validate", "svc.json"]));
    assert_eq!(o.code, Some(0), "{}", o.context());
    let o = run(gw(dir.path()).args(["validate", "--strict", "svc.json"]));
    assert_eq!(o.code, Some(2), "{}", o.context());
    assert_eq!(
        o.stdout,
        "svc.json: Service s: error: no schema for v1 Service\n"
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

/// The errors the API server would return for `object`, as one text: CEL messages
/// and structural findings as `<path> in body <message>` (its wording), for the
/// substring checks of the Gateway API's own CEL tests.
fn api_errors(registry: &Registry, object: &Value) -> String {
    let kind = Validator::find_kind(registry, object).expect("a kind of the CRDs");
    let report = Validator::new().validate(&kind.schema, object);
    // The one "not checked" finding allowed is the API server's own note that a
    // blocking error kept the CEL rules from running (it returns it as an error too).
    let blocked =
        |f: &&gwsonnet::validate::Finding| f.severity == Severity::NotChecked && f.path.is_empty();
    let other = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::NotChecked && !blocked(f));
    assert_eq!(other.count(), 0, "{report:?}");
    report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error || blocked(f))
        .map(|f| match f.constraint.as_str() {
            "x-kubernetes-validations" => format!("{}: Invalid value: {}", f.path, f.message),
            _ => match &f.value {
                Some(v) => format!("Invalid value: {v}: {} in body {}", f.path, f.message),
                None => format!("{} in body {}", f.path, f.message),
            },
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs ported cases: each `(name, object, wanted error substrings)`; no wanted
/// substring means the object must be valid.
fn check_ported(registry: &Registry, cases: &[(&str, Value, &[&str])]) {
    let mut failures = Vec::new();
    for (name, object, want) in cases {
        let got = api_errors(registry, object);
        if want.is_empty() != got.is_empty() || want.iter().any(|w| !got.contains(w)) {
            failures.push(format!("{name}:\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// kubernetes-sigs/gateway-api `tests/cel/backendtlspolicy_test.go` (read at commit
/// 4564255ac), as JSON objects: Go's zero values kept where the Go types serialize
/// them (`hostname: ""`, `validation: {}`).
#[test]
fn ported_gateway_api_cel_tests_backend_tls_policy() {
    let Some(crds) = shared_fixture("gateway-api/crds/1.5") else {
        return;
    };
    let registry = crd_registry(&crds);
    let policy = |target_refs: Value, validation: Value| {
        serde_json::json!({
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "BackendTLSPolicy",
            "metadata": {"name": "foo", "namespace": "default"},
            "spec": {"targetRefs": target_refs, "validation": validation}
        })
    };
    let svc = |name: &str, section: Option<&str>| {
        let mut r = serde_json::json!({"group": "", "kind": "Service", "name": name});
        if let Some(s) = section {
            r["sectionName"] = s.into();
        }
        r
    };
    let system =
        serde_json::json!({"wellKnownCACertificates": "System", "hostname": "foo.example.com"});
    let refs = |v: Vec<Value>| Value::Array(v);
    const UNIQUE: &str = "sectionName must be unique when targetRefs includes 2 or more references to the same target";
    const SPECIFIED: &str = "sectionName must be specified when targetRefs includes 2 or more references to the same target";
    let mut other_group = svc("example", Some("foo"));
    other_group["group"] = "svc.other.io".into();
    let mut other_kind = svc("example", Some("foo"));
    other_kind["kind"] = "NotService".into();
    let target_cases: Vec<(&str, Value, &[&str])> = vec![
        (
            "duplicate target refs without section name",
            policy(
                refs(vec![svc("example", None), svc("example", None)]),
                system.clone(),
            ),
            &[UNIQUE],
        ),
        (
            "duplicate target refs with only one section name",
            policy(
                refs(vec![
                    svc("example", None),
                    svc("example2", None),
                    svc("example", Some("foo")),
                ]),
                system.clone(),
            ),
            &[SPECIFIED],
        ),
        (
            "duplicate target refs with duplicate section names",
            policy(
                refs(vec![
                    svc("example", Some("foo")),
                    svc("example", Some("bar")),
                    svc("example", Some("foo")),
                ]),
                system.clone(),
            ),
            &[UNIQUE],
        ),
        (
            "single targetRef without sectionName",
            policy(refs(vec![svc("example", None)]), system.clone()),
            &[],
        ),
        (
            "single targetRef with sectionName",
            policy(refs(vec![svc("example", Some("foo"))]), system.clone()),
            &[],
        ),
        (
            "different section names",
            policy(
                refs(vec![
                    svc("example", Some("foo")),
                    svc("example", Some("bar")),
                    svc("example", Some("jin")),
                ]),
                system.clone(),
            ),
            &[],
        ),
        (
            "different names",
            policy(
                refs(vec![
                    svc("example", Some("foo")),
                    svc("example2", Some("foo")),
                    svc("example3", Some("foo")),
                ]),
                system.clone(),
            ),
            &[],
        ),
        (
            "different kinds",
            policy(
                refs(vec![svc("example", Some("foo")), other_kind]),
                system.clone(),
            ),
            &[],
        ),
        (
            "different groups",
            policy(
                refs(vec![svc("example", Some("foo")), other_group]),
                system.clone(),
            ),
            &[],
        ),
    ];
    check_ported(&registry, &target_cases);

    let target = refs(vec![
        serde_json::json!({"group": "group", "kind": "kind", "name": "name", "sectionName": "section"}),
    ]);
    let v = |validation: Value| policy(target.clone(), validation);
    let ca = serde_json::json!([{"group": "group", "kind": "kind", "name": "name"}]);
    let with_sans = |sans: Value| {
        v(
            serde_json::json!({"caCertificateRefs": ca, "hostname": "foo.example.com", "subjectAltNames": sans}),
        )
    };
    const WK_PATTERN: &str = r"spec.validation.wellKnownCACertificates in body should match '^(System|([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]))$'";
    let validation_cases: Vec<(&str, Value, &[&str])> = vec![
        ("WellKnownCACertificates", v(system.clone()), &[]),
        (
            "implementation-specific WellKnownCACertificates",
            v(
                serde_json::json!({"wellKnownCACertificates": "my.company.com/my-custom-ca-certificates", "hostname": "foo.example.com"}),
            ),
            &[],
        ),
        (
            "CACertificateRefs",
            v(serde_json::json!({"caCertificateRefs": ca, "hostname": "foo.example.com"})),
            &[],
        ),
        (
            "missing fields",
            v(serde_json::json!({"hostname": ""})),
            &[
                "spec.validation.hostname in body should be at least 1 chars long",
                "must specify either CACertificateRefs or WellKnownCACertificates",
            ],
        ),
        (
            "both CACertificateRefs and WellKnownCACertificates",
            v(
                serde_json::json!({"caCertificateRefs": ca, "wellKnownCACertificates": "System", "hostname": "foo.example.com"}),
            ),
            &["must not contain both CACertificateRefs and WellKnownCACertificates"],
        ),
        (
            "invalid WellKnownCACertificates",
            v(
                serde_json::json!({"wellKnownCACertificates": "MySystem", "hostname": "foo.example.com"}),
            ),
            &[WK_PATTERN],
        ),
        (
            "implementation-specific without prefix",
            v(
                serde_json::json!({"wellKnownCACertificates": "my-system", "hostname": "foo.example.com"}),
            ),
            &[WK_PATTERN],
        ),
        (
            "implementation-specific with invalid prefix",
            v(
                serde_json::json!({"wellKnownCACertificates": "in..va..lid./my-custom-ca-certificates", "hostname": "foo.example.com"}),
            ),
            &[WK_PATTERN],
        ),
        (
            "empty Hostname",
            v(serde_json::json!({"caCertificateRefs": ca, "hostname": ""})),
            &["spec.validation.hostname in body should be at least 1 chars long"],
        ),
        (
            "SAN type Hostname",
            with_sans(serde_json::json!([{"type": "Hostname", "hostname": "foo.example.com"}])),
            &[],
        ),
        (
            "SAN type URI",
            with_sans(serde_json::json!([{"type": "URI", "uri": "spiffe://mycluster.example"}])),
            &[],
        ),
        (
            "SAN Hostname empty",
            with_sans(serde_json::json!([{"type": "Hostname"}])),
            &["SubjectAltName element must contain Hostname, if Type is set to Hostname"],
        ),
        (
            "SAN URI with Hostname",
            with_sans(serde_json::json!([{"type": "URI", "hostname": "foo.example.com"}])),
            &["SubjectAltName element must not contain Hostname, if Type is not set to Hostname"],
        ),
        (
            "SAN URI empty",
            with_sans(serde_json::json!([{"type": "URI"}])),
            &["SubjectAltName element must contain URI, if Type is set to URI"],
        ),
        (
            "SAN Hostname with URI",
            with_sans(serde_json::json!([{"type": "Hostname", "uri": "test"}])),
            &["SubjectAltName element must not contain URI, if Type is not set to URI"],
        ),
        (
            "SAN Hostname with both",
            with_sans(
                serde_json::json!([{"type": "Hostname", "hostname": "foo.example.com", "uri": "test"}]),
            ),
            &["SubjectAltName element must not contain URI, if Type is not set to URI"],
        ),
        (
            "incorrect URI SAN",
            with_sans(serde_json::json!([{"type": "URI", "uri": "foo.example.com"}])),
            &[
                r"spec.validation.subjectAltNames[0].uri in body should match '^(([^:/?#]+):)(//([^/?#]*))([^?#]*)(\?([^#]*))?(#(.*))?'",
            ],
        ),
    ];
    check_ported(&registry, &validation_cases);
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

/// kubernetes-sigs/gateway-api `tests/cel/httproute_test.go` (commit 4564255ac):
/// `TestHTTPPathMatch` and `TestBackendObjectReference`, against the 1.5 CRDs.
#[test]
fn ported_gateway_api_cel_tests_http_route_paths_and_backend_refs() {
    let Some(crds) = shared_fixture("gateway-api/crds/1.5") else {
        return;
    };
    let registry = crd_registry(&crds);
    let route = |rule: Value| {
        serde_json::json!({
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "HTTPRoute",
            "metadata": {"name": "foo", "namespace": "default"},
            "spec": {"rules": [rule]}
        })
    };
    let path = |ty: &str, value: &str| {
        route(serde_json::json!({
            "matches": [{"path": {"type": ty, "value": value}}],
            "backendRefs": [{"name": "test", "port": 8080}]
        }))
    };
    const CHARS: &str = "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']";
    let backend = |r: Value| route(serde_json::json!({"backendRefs": [r]}));
    const PORT: &str = "Must have port for Service reference";
    let cases: Vec<(&str, Value, &[&str])> = vec![
        ("path does not start with '/'", path("PathPrefix", "foo"), &["value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']"]),
        ("prefix (/.)", path("PathPrefix", "/."), &["must not end with '/.' when type one of ['Exact', 'PathPrefix']"]),
        ("exact (/./)", path("Exact", "/foo/./bar"), &["must not contain '/./' when type one of ['Exact', 'PathPrefix']"]),
        ("invalid type", path("FooBar", "/path"), &["supported values: \"Exact\", \"PathPrefix\", \"RegularExpression\""]),
        ("RegularExpression", path("RegularExpression", "/foo/./bar"), &[]),
        ("valid prefix", path("PathPrefix", "/path"), &[]),
        ("special characters", path("Exact", "/abc/123'/a-b-c/d@gmail/%0A"), &[]),
        ("prefix (/[])", path("PathPrefix", "/[]"), &[CHARS]),
        ("exact (/^)", path("Exact", "/^"), &[CHARS]),
        ("default groupkind with port", backend(serde_json::json!({"name": "backend", "port": 99})), &[]),
        ("default groupkind with no port", backend(serde_json::json!({"name": "backend"})), &[PORT]),
        ("explicit service with port", backend(serde_json::json!({"group": "", "kind": "Service", "name": "backend", "port": 99})), &[]),
        ("explicit service with no port", backend(serde_json::json!({"group": "", "kind": "Service", "name": "backend"})), &[PORT]),
        ("explicit ref with no port", backend(serde_json::json!({"group": "foo.example.com", "kind": "Foo", "name": "backend"})), &[]),
    ];
    check_ported(&registry, &cases);
}

/// kubernetes-sigs/gateway-api `tests/cel/httproute_experimental_test.go` (commit
/// 4564255ac): `TestHTTPRouteTimeouts` (CEL `duration()` comparisons and the
/// pattern), against the 1.5-experimental CRDs.
#[test]
fn ported_gateway_api_cel_tests_http_route_timeouts() {
    let Some(crds) = shared_fixture("gateway-api/crds/1.5-experimental") else {
        return;
    };
    let registry = crd_registry(&crds);
    let route = |timeouts: Value| {
        serde_json::json!({
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "HTTPRoute",
            "metadata": {"name": "foo", "namespace": "default"},
            "spec": {"rules": [{"timeouts": timeouts}]}
        })
    };
    const US: &str = "Invalid value: \"100us\": spec.rules[0].timeouts.request in body should match '^([0-9]{1,5}(h|m|s|ms)){1,4}$'";
    const NS: &str = "Invalid value: \"500ns\": spec.rules[0].timeouts.request in body should match '^([0-9]{1,5}(h|m|s|ms)){1,4}$'";
    const DAY: &str = "Invalid value: \"1d\": spec.rules[0].timeouts.request in body should match '^([0-9]{1,5}(h|m|s|ms)){1,4}$'";
    const HALF: &str = "Invalid value: \"0.5s\": spec.rules[0].timeouts.request in body should match '^([0-9]{1,5}(h|m|s|ms)){1,4}$'";
    let cases: Vec<(&str, Value, &[&str])> = vec![
        (
            "unit us",
            route(serde_json::json!({"request": "100us"})),
            &[US],
        ),
        (
            "unit ns",
            route(serde_json::json!({"request": "500ns"})),
            &[NS],
        ),
        (
            "request and backendRequest",
            route(serde_json::json!({"request": "4s", "backendRequest": "2s"})),
            &[],
        ),
        (
            "request 0s",
            route(serde_json::json!({"request": "0s"})),
            &[],
        ),
        (
            "day unit",
            route(serde_json::json!({"request": "1d"})),
            &[DAY],
        ),
        (
            "decimal",
            route(serde_json::json!({"request": "0.5s"})),
            &[HALF],
        ),
        (
            "infinite request, backendRequest 1ms",
            route(serde_json::json!({"request": "0s", "backendRequest": "1ms"})),
            &[],
        ),
        (
            "1s over 200ms",
            route(serde_json::json!({"request": "1s", "backendRequest": "200ms"})),
            &[],
        ),
        (
            "10s equal 10s",
            route(serde_json::json!({"request": "10s", "backendRequest": "10s"})),
            &[],
        ),
        (
            "200ms under 1s",
            route(serde_json::json!({"request": "200ms", "backendRequest": "1s"})),
            &["backendRequest timeout cannot be longer than request timeout"],
        ),
    ];
    check_ported(&registry, &cases);
}

/// kubernetes-sigs/gateway-api `tests/cel/gateway_test.go` (commit 4564255ac):
/// `TestValidateGateway`'s listener and `spec.addresses` cases (the status ones need a
/// status update), against the 1.5 CRDs.
#[test]
fn ported_gateway_api_cel_tests_gateway_listeners() {
    let Some(crds) = shared_fixture("gateway-api/crds/1.5") else {
        return;
    };
    let registry = crd_registry(&crds);
    let gateway = |listeners: Value| {
        serde_json::json!({
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "Gateway",
            "metadata": {"name": "foo", "namespace": "default"},
            "spec": {"gatewayClassName": "foo", "listeners": listeners}
        })
    };
    let l = |name: &str, protocol: &str, port: u16| serde_json::json!({"name": name, "protocol": protocol, "port": port});
    let with = |mut l: Value, key: &str, v: Value| {
        l[key] = v;
        l
    };
    let one = |x: Value| gateway(Value::Array(vec![x]));
    let addresses = |a: Value| {
        let mut g = one(l("http", "HTTP", 80));
        g["spec"]["addresses"] = a;
        g
    };
    let terminate = serde_json::json!({"mode": "Terminate"});
    let cert = serde_json::json!({"mode": "Terminate", "certificateRefs": [{"name": "foo"}]});
    let options = serde_json::json!({"mode": "Terminate", "options": {"networking.example.com/tls-version": "1.2"}});
    const NO_TLS: &str = "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']";
    const NO_HOST: &str = "hostname must not be specified for protocols ['TCP', 'UDP']";
    const CERTS: &str = "certificateRefs or options must be specified when mode is Terminate";
    const COMBINATION: &str =
        "Combination of port, protocol and hostname must be unique for each listener";
    let foo = |name: &str, port: u16| with(l(name, "HTTP", port), "hostname", "foo.com".into());
    let cases: Vec<(&str, Value, &[&str])> = vec![
        (
            "tls with http",
            one(with(l("http", "HTTP", 8080), "tls", serde_json::json!({}))),
            &[NO_TLS],
        ),
        (
            "https with Passthrough",
            one(with(
                l("https", "HTTPS", 8080),
                "tls",
                serde_json::json!({"mode": "Passthrough"}),
            )),
            &["tls mode must be Terminate for protocol HTTPS"],
        ),
        (
            "https, tls without mode",
            one(with(
                l("https", "HTTPS", 8080),
                "tls",
                serde_json::json!({"certificateRefs": [{"name": "foo"}]}),
            )),
            &[],
        ),
        (
            "tls with tcp",
            one(with(l("tcp", "TCP", 8080), "tls", serde_json::json!({}))),
            &[NO_TLS],
        ),
        ("https without tls", one(l("https", "HTTPS", 8443)), &[]),
        (
            "tls protocol without tls",
            one(l("tls", "TLS", 8443)),
            &["tls mode must be set for protocol TLS"],
        ),
        ("http without tls", one(l("http", "HTTP", 8080)), &[]),
        ("tcp without tls", one(l("tcp", "TCP", 8080)), &[]),
        ("udp without tls", one(l("udp", "UDP", 8080)), &[]),
        (
            "hostname with tcp",
            one(with(l("tcp", "TCP", 8080), "hostname", "foo".into())),
            &[NO_HOST],
        ),
        (
            "hostname with udp",
            one(with(l("udp", "UDP", 8080), "hostname", "foo".into())),
            &[NO_HOST],
        ),
        (
            "https terminate without certificateRefs",
            one(with(l("https", "HTTPS", 8443), "tls", terminate.clone())),
            &[CERTS],
        ),
        (
            "tls terminate without certificateRefs",
            one(with(l("tls", "TLS", 8443), "tls", terminate.clone())),
            &[CERTS],
        ),
        (
            "https terminate with certificateRefs",
            one(with(l("https", "HTTPS", 8443), "tls", cert.clone())),
            &[],
        ),
        (
            "tls terminate with certificateRefs",
            one(with(l("tls", "TLS", 8443), "tls", cert.clone())),
            &[],
        ),
        (
            "https terminate with options",
            one(with(l("https", "HTTPS", 8443), "tls", options.clone())),
            &[],
        ),
        (
            "tls terminate with options",
            one(with(l("tls", "TLS", 8443), "tls", options.clone())),
            &[],
        ),
        (
            "names not unique",
            gateway(serde_json::json!([
                l("http", "HTTP", 80),
                l("http", "HTTP", 8000),
                l("http", "HTTP", 8080)
            ])),
            &["Listener name must be unique within the Gateway"],
        ),
        (
            "names unique",
            gateway(serde_json::json!([
                l("http-1", "HTTP", 80),
                l("http-2", "HTTP", 8000),
                l("http-3", "HTTP", 8080)
            ])),
            &[],
        ),
        (
            "port, protocol and hostname not unique",
            gateway(serde_json::json!([foo("foo", 80), foo("bar", 80)])),
            &[COMBINATION],
        ),
        (
            "port and protocol not unique, no hostnames",
            gateway(serde_json::json!([
                l("foo", "HTTP", 80),
                l("bar", "HTTP", 80)
            ])),
            &[COMBINATION],
        ),
        (
            "port unique",
            gateway(serde_json::json!([foo("foo", 80), foo("bar", 8000)])),
            &[],
        ),
        ("hostname unique", gateway(serde_json::json!([foo("foo", 80), with(l("bar", "HTTP", 80), "hostname", "bar.com".into())])), &[]),
        ("one omitted hostname", gateway(serde_json::json!([foo("foo", 80), l("bar", "HTTP", 80)])), &[]),
        ("protocol unique", gateway(serde_json::json!([foo("foo", 8000), with(with(l("bar", "HTTPS", 8000), "hostname", "foo.com".into()), "tls", serde_json::json!({"certificateRefs": [{"name": "foo"}]}))])), &[]),
        ("valid addresses", addresses(serde_json::json!([{"type": "IPAddress", "value": "1.2.3.4"}, {"type": "IPAddress", "value": "1111:2222:3333:4444::"}, {"type": "Hostname", "value": "foo.bar"}])), &[]),
        ("invalid addresses", addresses(serde_json::json!([{"type": "IPAddress", "value": "1.2.3.4:8080"}, {"type": "Hostname", "value": "*foo/bar"}, {"type": "Hostname", "value": "12:34:56::"}])), &["Invalid value: \"1.2.3.4:8080\": spec.addresses[0].value in body must be of type ipv4"]),
        ("duplicate addresses", addresses(serde_json::json!([{"type": "IPAddress", "value": "1.2.3.4"}, {"type": "IPAddress", "value": "1.2.3.4"}, {"type": "Hostname", "value": "foo.bar"}, {"type": "Hostname", "value": "foo.bar"}])), &["IPAddress values must be unique", "Hostname values must be unique"]),
        ("addresses without values", addresses(serde_json::json!([{"type": "IPAddress"}, {"type": "Hostname"}])), &[]),
        ("addresses with and without values", addresses(serde_json::json!([{"type": "Hostname"}, {"type": "IPAddress"}, {"type": "IPAddress", "value": "1.2.3.4"}, {"type": "Hostname", "value": "foo.bar"}, {"type": "IPAddress"}, {"type": "Hostname"}, {"type": "IPAddress", "value": "2.3.4.5"}, {"type": "Hostname", "value": "bar.bar"}])), &[]),
    ];
    check_ported(&registry, &cases);
}

/// kubernetes-sigs/gateway-api `tests/cel/grpcroute_test.go` (commit 4564255ac):
/// `TestGRPCRouteFilter` and `TestGRPCMethodMatch`, against the 1.5 CRDs. Go's zero
/// values kept: `&HTTPRequestMirrorFilter{}` is `{"backendRef": {"name": ""}}`.
#[test]
fn ported_gateway_api_cel_tests_grpc_route() {
    let Some(crds) = shared_fixture("gateway-api/crds/1.5") else {
        return;
    };
    let registry = crd_registry(&crds);
    let route = |rule: Value| {
        serde_json::json!({
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "GRPCRoute",
            "metadata": {"name": "foo", "namespace": "default"},
            "spec": {"rules": [rule]}
        })
    };
    let filter = |f: Value| route(serde_json::json!({"filters": [f]}));
    let headers = serde_json::json!({"set": [{"name": "name", "value": "foo"}], "add": [{"name": "add", "value": "foo"}], "remove": ["remove"]});
    let empty_mirror = serde_json::json!({"backendRef": {"name": ""}});
    const REQ_SPEC: &str =
        "filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type";
    const RESP_SPEC: &str =
        "filter.responseHeaderModifier must be specified for ResponseHeaderModifier filter.type";
    const MIRROR_NIL: &str =
        "filter.requestMirror must be nil if the filter.type is not RequestMirror";
    const MIRROR_SPEC: &str =
        "filter.requestMirror must be specified for RequestMirror filter.type";
    const REQ_NIL: &str =
        "filter.requestHeaderModifier must be nil if the filter.type is not RequestHeaderModifier";
    const EXT_SPEC: &str = "filter.extensionRef must be specified for ExtensionRef filter.type";
    let method = |m: Value| route(serde_json::json!({"matches": [{"method": m}]}));
    const SERVICE: &str = r"service must only contain valid characters (matching ^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$)";
    const METHOD: &str =
        "method must only contain valid characters (matching ^[A-Za-z_][A-Za-z_0-9]*$)";
    let cases: Vec<(&str, Value, &[&str])> = vec![
        (
            "RequestHeaderModifier",
            filter(
                serde_json::json!({"type": "RequestHeaderModifier", "requestHeaderModifier": headers}),
            ),
            &[],
        ),
        (
            "RequestHeaderModifier with requestMirror",
            filter(
                serde_json::json!({"type": "RequestHeaderModifier", "requestMirror": empty_mirror}),
            ),
            &[REQ_SPEC, MIRROR_NIL],
        ),
        (
            "RequestHeaderModifier empty",
            filter(serde_json::json!({"type": "RequestHeaderModifier"})),
            &[REQ_SPEC],
        ),
        (
            "ResponseHeaderModifier",
            filter(
                serde_json::json!({"type": "ResponseHeaderModifier", "responseHeaderModifier": headers}),
            ),
            &[],
        ),
        (
            "ResponseHeaderModifier with requestMirror",
            filter(
                serde_json::json!({"type": "ResponseHeaderModifier", "requestMirror": empty_mirror}),
            ),
            &[RESP_SPEC, MIRROR_NIL],
        ),
        (
            "ResponseHeaderModifier empty",
            filter(serde_json::json!({"type": "ResponseHeaderModifier"})),
            &[RESP_SPEC],
        ),
        (
            "RequestMirror",
            filter(
                serde_json::json!({"type": "RequestMirror", "requestMirror": {"backendRef": {"group": "group", "kind": "kind", "name": "name", "namespace": "ns", "port": 22}}}),
            ),
            &[],
        ),
        (
            "RequestMirror with requestHeaderModifier",
            filter(serde_json::json!({"type": "RequestMirror", "requestHeaderModifier": {}})),
            &[REQ_NIL, MIRROR_SPEC],
        ),
        (
            "RequestMirror empty",
            filter(serde_json::json!({"type": "RequestMirror"})),
            &[MIRROR_SPEC],
        ),
        (
            "ExtensionRef",
            filter(
                serde_json::json!({"type": "ExtensionRef", "extensionRef": {"group": "group", "kind": "kind", "name": "name"}}),
            ),
            &[],
        ),
        (
            "ExtensionRef with requestMirror",
            filter(serde_json::json!({"type": "ExtensionRef", "requestMirror": empty_mirror})),
            &[MIRROR_NIL, EXT_SPEC],
        ),
        (
            "ExtensionRef empty",
            filter(serde_json::json!({"type": "ExtensionRef"})),
            &[EXT_SPEC],
        ),
        (
            "1 service",
            method(serde_json::json!({"service": "foo.Test.Example"})),
            &[],
        ),
        (
            "1 method",
            method(serde_json::json!({"method": "Login"})),
            &[],
        ),
        (
            "neither service nor method",
            method(serde_json::json!({})),
            &["One or both of 'service' or 'method"],
        ),
        (
            "regex, no type",
            method(serde_json::json!({"service": ".*", "method": ".*"})),
            &[SERVICE, METHOD],
        ),
        (
            "regex, Exact",
            method(serde_json::json!({"type": "Exact", "service": ".*", "method": ".*"})),
            &[SERVICE, METHOD],
        ),
        (
            "regex method, no type",
            method(serde_json::json!({"method": ".*"})),
            &[METHOD],
        ),
        (
            "regex service, Exact",
            method(serde_json::json!({"type": "Exact", "service": ".*"})),
            &[SERVICE],
        ),
        (
            "regex, RegularExpression",
            method(
                serde_json::json!({"type": "RegularExpression", "service": ".*", "method": ".*"}),
            ),
            &[],
        ),
        (
            "valid, no type",
            method(serde_json::json!({"service": "foo.Test.Example", "method": "Login"})),
            &[],
        ),
        (
            "valid, Exact",
            method(
                serde_json::json!({"type": "Exact", "service": "foo.Test.Example", "method": "Login"}),
            ),
            &[],
        ),
        (
            "leading dot, Exact",
            method(serde_json::json!({"type": "Exact", "service": ".foo.Test.Example"})),
            &[],
        ),
    ];
    check_ported(&registry, &cases);
}

/// kubernetes-sigs/gateway-api `tests/cel/listenerset_test.go` and
/// `gatewayclass_test.go` (commit 4564255ac), against the 1.5 CRDs. The GatewayClass
/// test is a transition rule (`controllerName` is immutable): its object must be
/// valid on creation, and the rule is counted as skipped.
#[test]
fn ported_gateway_api_cel_tests_listener_set_and_gateway_class() {
    let Some(crds) = shared_fixture("gateway-api/crds/1.5") else {
        return;
    };
    let registry = crd_registry(&crds);
    let set = |listener: Value| {
        serde_json::json!({
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "ListenerSet",
            "metadata": {"name": "foo", "namespace": "default"},
            "spec": {"parentRef": {"kind": "Gateway", "name": "example"}, "listeners": [listener]}
        })
    };
    let tls = |t: Option<Value>| {
        let mut l = serde_json::json!({"name": "tls", "protocol": "TLS", "port": 8443});
        if let Some(t) = t {
            l["tls"] = t;
        }
        set(l)
    };
    let cases: Vec<(&str, Value, &[&str])> = vec![
        (
            "tls config present with tls protocol",
            tls(Some(serde_json::json!({"mode": "Passthrough"}))),
            &[],
        ),
        (
            "tls config not set with tls protocol",
            tls(None),
            &["tls mode must be set for protocol TLS"],
        ),
        (
            "tls config present but empty",
            tls(Some(serde_json::json!({}))),
            &["certificateRefs or options must be specified when mode is Terminate"],
        ),
        (
            "http base listener",
            set(serde_json::json!({"name": "http", "protocol": "HTTP", "port": 80})),
            &[],
        ),
    ];
    check_ported(&registry, &cases);

    let class = serde_json::json!({
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "GatewayClass",
        "metadata": {"name": "foo"},
        "spec": {"controllerName": "example.net/gateway-controller-1"}
    });
    assert_eq!(api_errors(&registry, &class), "");
    let kind = Validator::find_kind(&registry, &class).unwrap();
    let report = Validator::new().validate(&kind.schema, &class);
    assert_eq!(report.transition_rules_skipped, 1, "{report:?}");
}

/// kubernetes-sigs/gateway-api `tests/cel/httproute_standard_test.go` (commit
/// 4564255ac): `TestHTTPRouteParentRefStandard`, against the 1.5 CRDs (the route has
/// no rules: the CRD's default rule is applied before the CEL rules run).
#[test]
fn ported_gateway_api_cel_tests_http_route_parent_refs() {
    let Some(crds) = shared_fixture("gateway-api/crds/1.5") else {
        return;
    };
    let registry = crd_registry(&crds);
    let route = |refs: Value| {
        serde_json::json!({
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "HTTPRoute",
            "metadata": {"name": "foo", "namespace": "default"},
            "spec": {"parentRefs": refs}
        })
    };
    let r = |name: &str, section: Option<&str>, namespace: Option<&str>| {
        let mut p = serde_json::json!({"kind": "Gateway", "group": "gateway.networking.k8s.io", "name": name});
        if let Some(s) = section {
            p["sectionName"] = s.into();
        }
        if let Some(n) = namespace {
            p["namespace"] = n.into();
        }
        p
    };
    const UNIQUE: &str = "sectionName must be unique when parentRefs includes 2 or more references to the same parent";
    const SPECIFIED: &str = "sectionName must be specified when parentRefs includes 2 or more references to the same parent";
    let two = |a: Value, b: Value| route(Value::Array(vec![a, b]));
    let cases: Vec<(&str, Value, &[&str])> = vec![
        (
            "duplicates without section name",
            two(r("example", None, None), r("example", None, None)),
            &[UNIQUE],
        ),
        (
            "duplicates with one section name",
            two(r("example", None, None), r("example", Some("foo"), None)),
            &[SPECIFIED],
        ),
        (
            "duplicates with duplicate section names",
            two(
                r("example", Some("foo"), None),
                r("example", Some("foo"), None),
            ),
            &[UNIQUE],
        ),
        (
            "single without sectionName",
            route(serde_json::json!([r("example", None, None)])),
            &[],
        ),
        (
            "single with sectionName",
            route(serde_json::json!([r("example", Some("foo"), None)])),
            &[],
        ),
        (
            "different section names",
            two(
                r("example", Some("foo"), None),
                r("example", Some("bar"), None),
            ),
            &[],
        ),
        (
            "different names",
            two(
                r("example", Some("foo"), None),
                r("example2", Some("foo"), None),
            ),
            &[],
        ),
        (
            "first has namespace",
            two(r("example", None, Some("test")), r("example", None, None)),
            &[],
        ),
        (
            "second has namespace",
            two(r("example", None, None), r("example", None, Some("test"))),
            &[],
        ),
    ];
    check_ported(&registry, &cases);
}

/// kubernetes-sigs/gateway-api `tests/cel/httproute_test.go` (commit 4564255ac):
/// `TestHTTPRouteFilter` (18 cases), against the 1.5 CRDs.
#[test]
fn ported_gateway_api_cel_tests_http_route_filters() {
    let Some(crds) = shared_fixture("gateway-api/crds/1.5") else {
        return;
    };
    let registry = crd_registry(&crds);
    let filter = |f: Value| {
        serde_json::json!({
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "HTTPRoute",
            "metadata": {"name": "foo", "namespace": "default"},
            "spec": {"rules": [{"filters": [f]}]}
        })
    };
    let t = |ty: &str| serde_json::json!({"type": ty});
    let with = |mut f: Value, k: &str, v: Value| {
        f[k] = v;
        f
    };
    let mirror = serde_json::json!({"backendRef": {"name": ""}});
    let headers = serde_json::json!({"set": [{"name": "name", "value": "foo"}], "add": [{"name": "add", "value": "foo"}], "remove": ["remove"]});
    let full_path = serde_json::json!({"type": "ReplaceFullPath", "replaceFullPath": "path"});
    const MIRROR_NIL: &str =
        "filter.requestMirror must be nil if the filter.type is not RequestMirror";
    const REQ_SPEC: &str =
        "filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type";
    const MIRROR_SPEC: &str =
        "filter.requestMirror must be specified for RequestMirror filter.type";
    const REDIRECT_SPEC: &str =
        "filter.requestRedirect must be specified for RequestRedirect filter.type";
    const EXT_SPEC: &str = "filter.extensionRef must be specified for ExtensionRef filter.type";
    const CORS_SPEC: &str = "filter.cors must be specified for CORS filter.type";
    const REWRITE_SPEC: &str = "filter.urlRewrite must be specified for URLRewrite filter.type";
    let cases: Vec<(&str, Value, &[&str])> = vec![
        ("RequestHeaderModifier", filter(with(t("RequestHeaderModifier"), "requestHeaderModifier", headers)), &[]),
        ("RequestHeaderModifier with requestMirror", filter(with(t("RequestHeaderModifier"), "requestMirror", mirror.clone())), &[REQ_SPEC, MIRROR_NIL]),
        ("RequestHeaderModifier empty", filter(t("RequestHeaderModifier")), &[REQ_SPEC]),
        ("RequestMirror", filter(with(t("RequestMirror"), "requestMirror", serde_json::json!({"backendRef": {"group": "group", "kind": "kind", "name": "name", "namespace": "ns", "port": 22}}))), &[]),
        ("RequestMirror with requestHeaderModifier", filter(with(t("RequestMirror"), "requestHeaderModifier", serde_json::json!({}))), &["filter.requestHeaderModifier must be nil if the filter.type is not RequestHeaderModifier", MIRROR_SPEC]),
        ("RequestMirror empty", filter(t("RequestMirror")), &[MIRROR_SPEC]),
        ("RequestRedirect", filter(with(t("RequestRedirect"), "requestRedirect", serde_json::json!({"scheme": "http", "hostname": "hostname", "path": full_path, "port": 8080, "statusCode": 302}))), &[]),
        ("RequestRedirect with requestMirror", filter(with(t("RequestRedirect"), "requestMirror", mirror.clone())), &[MIRROR_NIL, REDIRECT_SPEC]),
        ("RequestRedirect empty", filter(t("RequestRedirect")), &[REDIRECT_SPEC]),
        ("ExtensionRef", filter(with(t("ExtensionRef"), "extensionRef", serde_json::json!({"group": "group", "kind": "kind", "name": "name"}))), &[]),
        ("ExtensionRef with requestMirror", filter(with(t("ExtensionRef"), "requestMirror", mirror.clone())), &[MIRROR_NIL, EXT_SPEC]),
        ("ExtensionRef empty", filter(t("ExtensionRef")), &[EXT_SPEC]),
        ("URLRewrite", filter(with(t("URLRewrite"), "urlRewrite", serde_json::json!({"hostname": "hostname", "path": full_path}))), &[]),
        ("CORS with requestMirror", filter(with(t("CORS"), "requestMirror", mirror.clone())), &[CORS_SPEC, MIRROR_NIL]),
        ("CORS empty", filter(t("CORS")), &[CORS_SPEC]),
        ("CORS", filter(with(t("CORS"), "cors", serde_json::json!({"allowOrigins": ["*"]}))), &[]),
        ("URLRewrite with requestMirror", filter(with(t("URLRewrite"), "requestMirror", mirror.clone())), &[MIRROR_NIL, REWRITE_SPEC]),
        ("URLRewrite empty", filter(t("URLRewrite")), &[REWRITE_SPEC]),
    ];
    check_ported(&registry, &cases);
}

/// kubernetes-sigs/gateway-api `tests/cel/httproute_test.go` (commit 4564255ac):
/// `TestHTTPPathModifier` and `TestHTTPBackendRef`, against the 1.5 CRDs.
#[test]
fn ported_gateway_api_cel_tests_http_path_modifier_and_backend_ref_filters() {
    let Some(crds) = shared_fixture("gateway-api/crds/1.5") else {
        return;
    };
    let registry = crd_registry(&crds);
    let route = |rule: Value| {
        serde_json::json!({
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "HTTPRoute",
            "metadata": {"name": "foo", "namespace": "default"},
            "spec": {"rules": [rule]}
        })
    };
    let modifier = |path: Value| {
        route(
            serde_json::json!({"filters": [{"type": "RequestRedirect", "requestRedirect": {"path": path}}]}),
        )
    };
    let rewrite = |p: &str| serde_json::json!({"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": p}}});
    let cors = |o: &str| serde_json::json!({"type": "CORS", "cors": {"allowOrigins": [o]}});
    let repeated = route(serde_json::json!({
        "matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
        "backendRefs": [{"name": "test-service", "port": 80, "filters": [
            rewrite("foo"), rewrite("bar"), cors("http://foo.example.com"), cors("http://bar.example.com")
        ]}]
    }));
    let cases: Vec<(&str, Value, &[&str])> = vec![
        (
            "valid ReplaceFullPath",
            modifier(serde_json::json!({"type": "ReplaceFullPath", "replaceFullPath": "foo"})),
            &[],
        ),
        (
            "ReplaceFullPath without replaceFullPath",
            modifier(serde_json::json!({"type": "ReplaceFullPath"})),
            &["replaceFullPath must be specified when type is set to 'ReplaceFullPath'"],
        ),
        (
            "replaceFullPath with ReplacePrefixMatch",
            modifier(serde_json::json!({"type": "ReplacePrefixMatch", "replaceFullPath": "foo"})),
            &["type must be 'ReplaceFullPath' when replaceFullPath is set"],
        ),
        (
            "valid ReplacePrefixMatch",
            modifier(
                serde_json::json!({"type": "ReplacePrefixMatch", "replacePrefixMatch": "/foo"}),
            ),
            &[],
        ),
        (
            "ReplacePrefixMatch without replacePrefixMatch",
            modifier(serde_json::json!({"type": "ReplacePrefixMatch"})),
            &["replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'"],
        ),
        (
            "replacePrefixMatch with ReplaceFullPath",
            modifier(serde_json::json!({"type": "ReplaceFullPath", "replacePrefixMatch": "/foo"})),
            &["type must be 'ReplacePrefixMatch' when replacePrefixMatch is set"],
        ),
        (
            "repeated URLRewrite and CORS in backendRefs",
            repeated,
            &[
                "CORS filter cannot be repeated",
                "URLRewrite filter cannot be repeated",
            ],
        ),
    ];
    check_ported(&registry, &cases);
}

/// kubernetes-sigs/gateway-api `tests/cel/httproute_test.go` (commit 4564255ac):
/// `TestHTTPRouteCORS` (20 cases: the origin pattern, wildcard rules, the method
/// enum), against the 1.5 CRDs.
#[test]
fn ported_gateway_api_cel_tests_http_route_cors() {
    let Some(crds) = shared_fixture("gateway-api/crds/1.5") else {
        return;
    };
    let registry = crd_registry(&crds);
    let cors = |c: Value| {
        serde_json::json!({
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "HTTPRoute",
            "metadata": {"name": "foo", "namespace": "default"},
            "spec": {"rules": [{"filters": [{"type": "CORS", "cors": c}]}]}
        })
    };
    let origins = |o: &[&str]| cors(serde_json::json!({"allowOrigins": o}));
    let bad_origins = [
        "https://xpto.com:notaport",
        "http://www.example.com:111111",
        "http://www.example.com:",
        "http://www.example.com/cart",
        "spiffe://www.example.com",
        "http://*bar.com",
        "http://bar*.com",
        "http://bar.*.com",
        "http://*bar",
        "http://bar*",
        "http://*.bar.*.dev",
    ];
    let mut cases: Vec<(String, Value, Vec<String>)> = vec![
        ("valid origins".into(), origins(&["https://xpto.com", "http://*.abcd.com", "http://*.abcd.com:12345", "https://*:443", "https://*"]), vec![]),
        ("wildcard only".into(), origins(&["*"]), vec![]),
        ("wildcard with others".into(), origins(&["*", "https://xpto.com"]), vec!["AllowOrigins cannot contain '*' alongside other origins".into()]),
        ("no scheme".into(), origins(&["https://xpto.com", "xpto.com"]), vec!["Invalid value: \"xpto.com\": spec.rules[0].filters[0].cors.allowOrigins[1] in body should match".into()]),
        ("http://*.com".into(), origins(&["https://*.com"]), vec![]),
        ("value before the scheme".into(), origins(&["xpto/https://xpto.com"]), vec!["Invalid value: \"xpto/https://xpto.com\"".into()]),
        ("invalid method".into(), cors(serde_json::json!({"allowMethods": ["BAZINGA"]})), vec!["Unsupported value: \"BAZINGA\"".into()]),
        ("wildcard with methods".into(), cors(serde_json::json!({"allowMethods": ["GET", "*", "POST"]})), vec!["AllowMethods cannot contain '*' alongside other methods".into()]),
        ("valid methods".into(), cors(serde_json::json!({"allowMethods": ["GET", "OPTIONS", "POST"]})), vec![]),
    ];
    for o in bad_origins {
        let want = format!("Invalid value: \"{o}\": spec.rules[0].filters[0].cors.allowOrigins[0] in body should match");
        cases.push((o.into(), origins(&[o]), vec![want]));
    }
    let wants: Vec<Vec<&str>> = cases
        .iter()
        .map(|(_, _, w)| w.iter().map(String::as_str).collect())
        .collect();
    let cases: Vec<(&str, Value, &[&str])> = cases
        .iter()
        .zip(&wants)
        .map(|((name, object, _), want)| (name.as_str(), object.clone(), want.as_slice()))
        .collect();
    check_ported(&registry, &cases);
}

/// kubernetes-sigs/gateway-api `tests/cel/httproute_test.go` (commit 4564255ac):
/// part of `TestHTTPRouteRule` (redirect with backendRefs, `replacePrefixMatch` with
/// one PathPrefix match, the 128-match limit), against the 1.5 CRDs.
#[test]
fn ported_gateway_api_cel_tests_http_route_rules() {
    let Some(crds) = shared_fixture("gateway-api/crds/1.5") else {
        return;
    };
    let registry = crd_registry(&crds);
    let route = |rules: Value| {
        serde_json::json!({
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "HTTPRoute",
            "metadata": {"name": "foo", "namespace": "default"},
            "spec": {"rules": rules}
        })
    };
    let backend = serde_json::json!([{"name": "test-service", "port": 80}]);
    let redirect = serde_json::json!({"type": "RequestRedirect", "requestRedirect": {"scheme": "https", "statusCode": 301}});
    let header = serde_json::json!({"type": "RequestHeaderModifier", "requestHeaderModifier": {"set": [{"name": "name", "value": "foo"}]}});
    let prefix = |v: &str| serde_json::json!({"path": {"type": "PathPrefix", "value": v}});
    let regex = serde_json::json!({"path": {"type": "RegularExpression", "value": "/foo"}});
    let with_prefix = |ty: &str, key: &str, matches: Value| {
        route(
            serde_json::json!([{"matches": matches, "filters": [{"type": ty, key: {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "foo"}}}]}]),
        )
    };
    const REWRITE: &str = "When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified";
    const REDIRECT: &str = "When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified";
    let many = |n: usize| {
        let rules: Vec<Value> = (0..16)
            .map(|r| {
                let k = n / 16 + usize::from(r < n % 16);
                let matches: Vec<Value> = (0..k).map(|i| prefix(&format!("/r{r}/m{i}"))).collect();
                serde_json::json!({"matches": matches})
            })
            .collect();
        route(Value::Array(rules))
    };
    let cases: Vec<(&str, Value, &[&str])> = vec![
        (
            "redirect with backendRefs",
            route(serde_json::json!([{"filters": [redirect], "backendRefs": backend}])),
            &["RequestRedirect filter must not be used together with backendRefs"],
        ),
        (
            "redirect without backendRefs",
            route(serde_json::json!([{"filters": [redirect]}])),
            &[],
        ),
        (
            "backendRefs with another filter",
            route(serde_json::json!([{"filters": [header], "backendRefs": backend}])),
            &[],
        ),
        (
            "backendRefs without filters",
            route(serde_json::json!([{"backendRefs": backend}])),
            &[],
        ),
        (
            "URLRewrite with one PathPrefix",
            with_prefix(
                "URLRewrite",
                "urlRewrite",
                serde_json::json!([prefix("/foo")]),
            ),
            &[],
        ),
        (
            "URLRewrite with two matches",
            with_prefix(
                "URLRewrite",
                "urlRewrite",
                serde_json::json!([prefix("/foo"), prefix("/bar")]),
            ),
            &[REWRITE],
        ),
        (
            "URLRewrite with a RegularExpression match",
            with_prefix("URLRewrite", "urlRewrite", serde_json::json!([regex])),
            &[REWRITE],
        ),
        (
            "RequestRedirect with one PathPrefix",
            with_prefix(
                "RequestRedirect",
                "requestRedirect",
                serde_json::json!([prefix("/foo")]),
            ),
            &[],
        ),
        (
            "RequestRedirect with two matches",
            with_prefix(
                "RequestRedirect",
                "requestRedirect",
                serde_json::json!([prefix("/foo"), prefix("/bar")]),
            ),
            &[REDIRECT],
        ),
        (
            "RequestRedirect with a RegularExpression match",
            with_prefix(
                "RequestRedirect",
                "requestRedirect",
                serde_json::json!([regex]),
            ),
            &[REDIRECT],
        ),
        // The rule says `<= 128`, whatever its message says.
        ("128 matches", many(128), &[]),
        (
            "129 matches",
            many(129),
            &["total number of matches across all rules in a route must be less than 128"],
        ),
    ];
    check_ported(&registry, &cases);
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
        o.stderr.starts_with("bad.jsonnet: TCPRoute ns/r: error: spec.rules[0].backendRefs[0].port: should be less than or equal to 65535 (value: 70000) [maximum]\nINVALID: 1 objects checked, 1 invalid"),
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
