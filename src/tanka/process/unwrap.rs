//! Step 2, Tanka's `Unwrap`: a manifest with an `items` array is a list; its items
//! replace it (named `<path>.items[<i>]`), each checked as a manifest. Also the schema
//! check every manifest passes (Tanka's `Manifest.Verify`; its failure is
//! [`TankaError::InvalidManifest`]).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::TankaError;
use crate::tanka::manifest::{go_type, Manifest};

/// The manifests in path order, lists replaced by their items.
pub fn unwrap(extracted: BTreeMap<String, Manifest>) -> Result<Vec<Manifest>, TankaError> {
    let mut out = BTreeMap::new();
    for (path, m) in extracted {
        let Some(Value::Array(items)) = m.get("items") else {
            out.insert(path, m);
            continue;
        };
        for (i, item) in items.iter().enumerate() {
            let Value::Object(child) = item else {
                return Err(TankaError::ListItemNotObject {
                    go_type: go_type(item),
                });
            };
            let name = format!("{path}.items[{i}]");
            if let Some(fields) = verify(child) {
                return Err(TankaError::InvalidManifest {
                    name,
                    fields,
                    object: child.clone(),
                });
            }
            out.insert(name, child.clone());
        }
    }
    Ok(out.into_values().collect())
}

/// Tanka's `Verify`: the invalid fields and why, sorted; `None` when valid.
pub fn verify(m: &Map<String, Value>) -> Option<Vec<(String, String)>> {
    const STR: &str = "missing or not of string type";
    let mut fields = Vec::new();
    for key in ["apiVersion", "kind"] {
        if !m.get(key).is_some_and(Value::is_string) {
            fields.push((key.to_owned(), STR.to_owned()));
        }
    }
    if !matches!(m.get("items"), Some(Value::Array(_))) {
        let md = m.get("metadata");
        if !md.is_some_and(Value::is_object) {
            fields.push(("metadata".into(), "missing or not an object".into()));
        }
        let has = |k: &str| md.and_then(|md| md.get(k)).is_some_and(Value::is_string);
        if !has("name") && !has("generateName") {
            fields.push(("metadata.name".into(), STR.into()));
        }
        for key in ["labels", "annotations"] {
            let v = md.and_then(|md| md.get(key));
            if let Some(why) = v.and_then(string_map_error) {
                fields.push((format!("metadata.{key}"), why));
            }
        }
    }
    fields.sort();
    (!fields.is_empty()).then_some(fields)
}

/// Why `v` is not a map of strings (`null` is fine).
fn string_map_error(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Object(o) => o
            .iter()
            .find(|(_, v)| !v.is_string())
            .map(|(k, v)| format!("contains non-string field '{k}' of type '{}'", go_type(v))),
        other => Some(format!(
            "must be object, but got '{}' instead",
            go_type(other)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_are_unwrapped() {
        let list = json!({"apiVersion": "v1", "kind": "List", "items": [
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}},
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"generateName": "b-"}}
        ]});
        let one = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}});
        let mut m = BTreeMap::new();
        m.insert(".l".to_owned(), list.as_object().unwrap().clone());
        m.insert(".a".to_owned(), one.as_object().unwrap().clone());
        let got = unwrap(m).unwrap();
        let kinds: Vec<&str> = got.iter().map(crate::tanka::manifest::kind).collect();
        assert_eq!(kinds, ["Service", "ConfigMap", "Secret"]);
    }

    #[test]
    fn bad_items_are_errors() {
        let list = json!({"apiVersion": "v1", "kind": "List", "items": [{"kind": "X"}]});
        let mut m = BTreeMap::new();
        m.insert(".l".to_owned(), list.as_object().unwrap().clone());
        let TankaError::InvalidManifest { name, fields, .. } = unwrap(m).unwrap_err() else {
            panic!("not an invalid manifest");
        };
        assert_eq!(name, ".l.items[0]");
        assert_eq!(
            fields[0],
            ("apiVersion".into(), "missing or not of string type".into())
        );
    }
}
