//! The schema model is lossless: every `openAPIV3Schema` of the CRDs in
//! `../shared/gateway-api/crds/**` and `../shared/crd-libraries/**` (multi-document YAML
//! and JSON; documents that are not CRDs are skipped) converts to `model::Schema` and
//! back to the same JSON value, integers staying integers. A keyword the model does
//! not know is an error naming it and its path. Without `../shared` the test prints
//! "skipped: …" (and fails under `CI=true`).

use crate::common;

use std::path::{Path, PathBuf};

use gwsonnet::model::{Schema, SchemaProblem};
use serde_json::Value;
use yaml_rust2::{Yaml, YamlLoader};

/// Every `.yaml`/`.yml`/`.json` file below `dir`, sorted.
fn crd_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            crd_files(&p, out);
        } else if p
            .extension()
            .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
        {
            out.push(p);
        }
    }
}

/// A YAML node as JSON: integers stay integers, other numbers are floats.
fn yaml_to_json(y: &Yaml) -> Result<Value, String> {
    Ok(match y {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::Real(text) => {
            let f: f64 = text.parse().map_err(|_| format!("number {text}"))?;
            serde_json::Number::from_f64(f)
                .map(Value::Number)
                .ok_or_else(|| format!("number {text}"))?
        }
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Array(items) => {
            Value::Array(items.iter().map(yaml_to_json).collect::<Result<_, _>>()?)
        }
        Yaml::Hash(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                let key = match k {
                    Yaml::String(s) | Yaml::Real(s) => s.clone(),
                    Yaml::Integer(i) => i.to_string(),
                    Yaml::Boolean(b) => b.to_string(),
                    other => return Err(format!("mapping key {other:?}")),
                };
                out.insert(key, yaml_to_json(v)?);
            }
            Value::Object(out)
        }
        Yaml::Alias(_) | Yaml::BadValue => return Err(format!("unsupported node {y:?}")),
    })
}

/// The documents of a file, as JSON.
fn documents(path: &Path) -> Result<Vec<Value>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    if path.extension().is_some_and(|x| x == "json") {
        return serde_json::from_str(&text)
            .map(|v| vec![v])
            .map_err(|e| e.to_string());
    }
    let docs = YamlLoader::load_from_str(&text).map_err(|e| e.to_string())?;
    docs.iter().map(yaml_to_json).collect()
}

/// `(JSON path in the document, schema)` of every `openAPIV3Schema` of a CRD document.
fn schemas(doc: &Value) -> Vec<(String, &Value)> {
    if doc["kind"] != "CustomResourceDefinition" {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(versions) = doc["spec"]["versions"].as_array() {
        for (i, v) in versions.iter().enumerate() {
            let s = &v["schema"]["openAPIV3Schema"];
            if !s.is_null() {
                out.push((format!(".spec.versions[{i}].schema.openAPIV3Schema"), s));
            }
        }
    }
    let s = &doc["spec"]["validation"]["openAPIV3Schema"];
    if !s.is_null() {
        out.push((".spec.validation.openAPIV3Schema".to_owned(), s));
    }
    out
}

/// Whether some number of `v` is an integer, so the check below is not vacuous.
fn has_integer(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.is_i64() || n.is_u64(),
        Value::Array(items) => items.iter().any(has_integer),
        Value::Object(m) => m.values().any(has_integer),
        _ => false,
    }
}

#[test]
fn every_shared_crd_schema_round_trips() {
    let mut files = Vec::new();
    for dir in ["gateway-api/crds", "crd-libraries"] {
        let Some(dir) = common::shared_fixture(dir) else {
            return;
        };
        crd_files(&dir, &mut files);
    }
    assert!(!files.is_empty(), "no CRD files in ../shared");
    let (mut count, mut integers, mut failures) = (0, 0, Vec::new());
    for file in &files {
        let docs = match documents(file) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{}: {e}", file.display()));
                continue;
            }
        };
        for (d, doc) in docs.iter().enumerate() {
            for (at, json) in schemas(doc) {
                count += 1;
                integers += usize::from(has_integer(json));
                let place = format!("{} document {d} {at}", file.display());
                match Schema::from_json(json) {
                    Ok(schema) if schema.to_json() == *json => {}
                    Ok(_) => failures.push(format!("{place}: differs after the round trip")),
                    Err(e) => failures.push(format!("{place}: {e}")),
                }
            }
        }
    }
    println!("{count} schemas from {} files round-trip", files.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(count > 200, "only {count} schemas found");
    assert!(
        integers > 0,
        "no schema has an integer: the number check is vacuous"
    );
}

#[test]
fn an_unknown_keyword_in_a_real_schema_is_named_with_its_path() {
    let Some(file) = common::shared_fixture(
        "gateway-api/crds/1.1/gateway.networking.k8s.io_referencegrants.yaml",
    ) else {
        return;
    };
    let docs = documents(&file).expect("readable CRD");
    let mut schema = schemas(&docs[0])[0].1.clone();
    schema["properties"]["spec"]["properties"]["from"]["items"]["x-kubernetes-unknown"] =
        Value::Bool(true);
    let e = Schema::from_json(&schema).expect_err("unknown keyword");
    assert_eq!(e.path, ".properties.spec.properties.from.items");
    assert!(
        matches!(&e.problem, SchemaProblem::UnknownKeyword(k) if k == "x-kubernetes-unknown"),
        "{e}"
    );
}
