//! Tanka's `pkg/kubernetes/manifest`: one Kubernetes object as the processing steps
//! ([`super::process`]), the environment loader and `export` handle it, with the
//! accessors Tanka's `Manifest` methods give (`Metadata()`, `Kind()`, names) and the Go
//! type names its error messages use.

use serde_json::{Map, Value};

/// One Kubernetes object (a JSON object with `apiVersion`, `kind` and `metadata`).
pub type Manifest = Map<String, Value>;

/// `manifest.metadata`, created empty when absent or not an object (as Tanka's
/// `Metadata()` does).
pub fn metadata(m: &mut Manifest) -> &mut Map<String, Value> {
    child_object(m, "metadata")
}

/// `obj[key]` as an object, replaced by `{}` when absent or not an object (Tanka's
/// `safeMSI`).
pub fn child_object<'m>(obj: &'m mut Map<String, Value>, key: &str) -> &'m mut Map<String, Value> {
    if !obj.get(key).is_some_and(Value::is_object) {
        obj.insert(key.to_owned(), Value::Object(Map::new()));
    }
    match obj.get_mut(key) {
        Some(Value::Object(o)) => o,
        _ => unreachable!("just made an object"),
    }
}

/// A string field of a manifest's metadata, `""` when absent.
pub fn meta_str<'m>(m: &'m Manifest, key: &str) -> &'m str {
    m.get("metadata")
        .and_then(|md| md.get(key))
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// The manifest's `kind` (`""` when not a string).
pub fn kind(m: &Manifest) -> &str {
    m.get("kind").and_then(Value::as_str).unwrap_or("")
}

/// The Go type name of a decoded JSON value.
pub fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}
