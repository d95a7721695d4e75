//! The Gateway API project's own CEL tests (kubernetes-sigs/gateway-api
//! `tests/cel/*_test.go`, run there against a real API server), ported as data:
//! `tests/testdata/cel/*.jsonnet`, each naming its source file and tag. This runner
//! evaluates them with the binary, validates every case against the CRDs of every
//! Gateway API version in `../shared` of the case's channel, and checks what the
//! upstream test checks: a case with wanted substrings must fail with each of them in
//! the API server's wording, a case without must pass.
//!
//! It prints, per upstream file, the upstream case count, the cases ported and the
//! cases passing, and fails on any difference.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{gw, run, shared_fixture};
use gwsonnet::crd::Sources;
use gwsonnet::model::Registry;
use gwsonnet::validate::{Finding, Severity, Validator};
use serde_json::Value;

/// The CRD directories of `../shared` a channel's cases run against.
fn versions(channel: &str) -> &'static [&'static str] {
    match channel {
        "standard" => &["1.5", "1.6"],
        "experimental" => &["1.5-experimental", "1.6-experimental"],
        other => panic!("unknown channel {other}"),
    }
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

/// The data files, evaluated.
fn data_files() -> Vec<(PathBuf, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testdata/cel");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/testdata/cel")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonnet"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let o = run(gw(&dir).arg(&file));
            assert_eq!(o.code, Some(0), "{}: {}", file.display(), o.context());
            (file, serde_json::from_str(&o.stdout).expect("JSON"))
        })
        .collect()
}

/// The API server's wording of a finding: CEL messages as `<path>: Invalid value:
/// <message>`, the findings it reports with their own type (`Required value`,
/// `Unsupported value`, `Too long`) as `<path>: <message>`, the others as `<path>:
/// Invalid value: <value>: <path from the schema's root> in body <message>`; on a
/// status update the root is `status`.
fn api_wording(f: &Finding, status_update: bool) -> String {
    let body_path = match f.path.strip_prefix("status.") {
        Some(p) if status_update => p,
        _ => &f.path,
    };
    match f.constraint.as_str() {
        "x-kubernetes-validations" => format!("{}: Invalid value: {}", f.path, f.message),
        "required" | "enum" | "maxLength" => format!("{}: {}", f.path, f.message),
        _ => match &f.value {
            Some(v) => format!(
                "{}: Invalid value: {v}: {body_path} in body {}",
                f.path, f.message
            ),
            None => format!("{}: {body_path} in body {}", f.path, f.message),
        },
    }
}

/// The errors the API server would return for `object` (an update of `old` when
/// given), as one text; `Err` when a rule could not be checked.
fn api_errors(registry: &Registry, case: &Value) -> Result<String, String> {
    let object = &case["object"];
    let old = case.get("old");
    let status_update = case.get("statusUpdate") == Some(&Value::Bool(true));
    let kind = Validator::find_kind(registry, object).ok_or("no kind of the CRDs")?;
    let validator = Validator::new();
    let report = match old {
        Some(old) => validator.validate_update(&kind.schema, object, old),
        None => validator.validate(&kind.schema, object),
    };
    // The one "not checked" finding allowed is the API server's own note that a
    // blocking error kept the CEL rules from running (it returns it as an error too).
    let blocked = |f: &Finding| f.severity == Severity::NotChecked && f.path.is_empty();
    if let Some(f) = report
        .findings
        .iter()
        .find(|f| f.severity == Severity::NotChecked && !blocked(f))
    {
        return Err(f.to_string());
    }
    Ok(report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error || blocked(f))
        .map(|f| api_wording(f, status_update))
        .collect::<Vec<_>>()
        .join("\n"))
}

/// The upstream match: the substring, or it with "more" read as "longer" (the API
/// server's wording before Kubernetes 1.32).
fn matches(got: &str, want: &str) -> bool {
    got.contains(want) || got.contains(&want.replace("more", "longer"))
}

#[test]
fn the_gateway_api_cel_tests_pass() {
    let mut registries: BTreeMap<&str, Registry> = BTreeMap::new();
    for v in ["1.5", "1.6", "1.5-experimental", "1.6-experimental"] {
        let Some(dir) = shared_fixture(&format!("gateway-api/crds/{v}")) else {
            return;
        };
        registries.insert(v, crd_registry(&dir));
    }
    let mut failures = Vec::new();
    let mut table = Vec::new();
    for (file, data) in data_files() {
        let data_name = file.file_name().unwrap().to_string_lossy().into_owned();
        for (source, port) in data["files"].as_object().expect("files") {
            let cases = port["cases"].as_array().expect("cases");
            let upstream = port["upstream"].as_u64().expect("upstream count") as usize;
            let mut passing = 0;
            for case in cases {
                let name = case["name"].as_str().expect("name");
                let want: Vec<&str> = case["want"]
                    .as_array()
                    .expect("want")
                    .iter()
                    .map(|w| w.as_str().expect("a string"))
                    .collect();
                let mut ok = true;
                for channel in port["channels"].as_array().expect("channels") {
                    for v in versions(channel.as_str().unwrap()) {
                        let got = api_errors(&registries[v], case);
                        let bad = match &got {
                            Err(e) => Some(format!("not checked: {e}")),
                            Ok(got) if want.is_empty() != got.is_empty() => Some(got.clone()),
                            Ok(got) if want.iter().any(|w| !matches(got, w)) => Some(got.clone()),
                            Ok(_) => None,
                        };
                        if let Some(got) = bad {
                            ok = false;
                            failures.push(format!(
                                "{data_name} {source} [{v}] {name}:\n  want {want:?}\n  got  {got:?}"
                            ));
                        }
                    }
                }
                passing += usize::from(ok);
            }
            table.push(format!(
                "{source}: {upstream} upstream, {} ported, {passing} passing",
                cases.len()
            ));
            if cases.len() != upstream {
                failures.push(format!(
                    "{source}: {} cases ported of {upstream}",
                    cases.len()
                ));
            }
        }
    }
    println!("{}", table.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Validating many objects at once (on every core, each node's outcome on a small
/// value remembered: `validate_all`) reports exactly what validating them one by one
/// does, in input order: every case of every channel, twice over, so each value is
/// also seen again after its outcome was remembered.
#[test]
fn batch_validation_reports_what_one_by_one_validation_does() {
    for v in ["1.5", "1.6", "1.5-experimental", "1.6-experimental"] {
        let Some(dir) = shared_fixture(&format!("gateway-api/crds/{v}")) else {
            return;
        };
        let registry = crd_registry(&dir);
        let data = data_files();
        let cases: Vec<&Value> = data
            .iter()
            .flat_map(|(_, d)| d["files"].as_object().expect("files").values())
            .flat_map(|port| port["cases"].as_array().expect("cases"))
            .filter(|case| case.get("old").is_none())
            .map(|case| &case["object"])
            .collect();
        let objects: Vec<_> = cases
            .iter()
            .chain(&cases)
            .filter_map(|o| Some((Validator::find_kind(&registry, o)?, *o)))
            .collect();
        assert!(objects.len() > 300, "{v}: only {} objects", objects.len());
        let one = Validator::new();
        let expected: Vec<_> = objects
            .iter()
            .map(|(kind, o)| one.validate_kind(kind, o))
            .collect();
        let batch: Vec<_> = objects.iter().map(|(k, o)| (*k, (*o).clone())).collect();
        let got = gwsonnet::validate::validate_all(batch);
        assert_eq!(got.len(), expected.len());
        for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
            assert_eq!(g, e, "{v}: object {i}: {}", objects[i].1);
        }
        assert!(
            expected
                .iter()
                .any(|r| r.findings.iter().any(|f| f.path.contains('.'))),
            "{v}: no finding below the object's root"
        );
    }
}

#[test]
fn every_gateway_api_and_metallb_crd_is_within_the_estimated_cost_limits() {
    // Real API servers accepted all of these CRDs: the cost estimate must refuse none.
    let Some(gateway) = shared_fixture("gateway-api/crds") else {
        return;
    };
    let Some(metallb) = shared_fixture("crd-libraries/metallb/crds/0.14") else {
        return;
    };
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&gateway)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 16, "{dirs:?}");
    dirs.push(metallb);
    let validator = Validator::new();
    let mut refused = Vec::new();
    for dir in &dirs {
        let registry = crd_registry(dir);
        let (mut kinds, mut expressions) = (0, 0);
        let mut most = (0, String::new());
        let mut largest_total = (0, String::new());
        for lib in registry.libraries() {
            for versions in lib.groups().values() {
                for slots in versions.values() {
                    for slot in slots.values() {
                        let Some(Ok(kind)) = slot.kind() else {
                            continue;
                        };
                        if kind.crd.is_none() {
                            continue;
                        }
                        kinds += 1;
                        let name = kind.api_version_kind();
                        refused.extend(validator.crd_refusals(kind).iter().cloned());
                        let costs = validator.estimated_costs(kind);
                        expressions += costs.len();
                        let total: u64 = costs.iter().map(|e| e.cost).sum();
                        if total > largest_total.0 {
                            largest_total = (total, name.clone());
                        }
                        for e in costs {
                            if e.cost > most.0 {
                                most = (e.cost, format!("{name} {}", e.path));
                            }
                        }
                    }
                }
            }
        }
        let dir = dir.file_name().unwrap().to_string_lossy();
        println!(
            "{dir}: {kinds} kinds, {expressions} expressions; most expensive {} ({}); largest total {} ({})",
            most.0, most.1, largest_total.0, largest_total.1
        );
        assert!(kinds > 0, "{dir}");
        assert!(most.0 <= gwsonnet::validate::ESTIMATED_RULE_LIMIT);
        assert!(largest_total.0 <= gwsonnet::validate::ESTIMATED_SCHEMA_LIMIT);
    }
    assert!(refused.is_empty(), "{}", refused.join("\n"));
}
