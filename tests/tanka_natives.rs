//! Tanka's native functions (`std.native('parseYaml')` and friends) against the
//! results of Tanka's own Go code (`tests/testdata/tanka_natives/`, see its README),
//! evaluated in the plain jsonnet mode (`gwsonnet file.jsonnet`); `helmTemplate` runs a
//! stand-in `helm` script that records its command line (helm cannot be installed on
//! these machines), `kustomizeBuild` runs the real `kubectl kustomize` when installed.

mod common;

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
/// (it must fail; `message` says whether the error text must contain Go's).
fn check(name: &str, message: bool) {
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
        if o.code != Some(1) || (message && !o.stderr.contains(want)) {
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
    check("parseJson", true);
}

#[test]
fn parse_yaml_like_yaml_v3() {
    check("parseYaml", false);
}

#[test]
fn manifest_json_from_json_like_json_indent() {
    check("manifestJsonFromJson", true);
}

#[test]
fn manifest_yaml_from_json_like_yaml_v3() {
    check("manifestYamlFromJson", true);
}

#[test]
fn escape_string_regex_like_quote_meta() {
    check("escapeStringRegex", true);
}

#[test]
fn regex_match_like_go() {
    check("regexMatch", true);
    check("regexMatchErrors", false);
}

#[test]
fn regex_subst_like_go() {
    check("regexSubst", true);
}

#[test]
fn sha256_like_go() {
    check("sha256", true);
}
