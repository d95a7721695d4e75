//! Step 1, Tanka's `Extract`: walks the value (object keys sorted, arrays in order) down
//! to every object whose `apiVersion` and `kind` are non-empty strings; those are the
//! manifests, keyed by their path (`.a.b.[0]`). `null` object fields are skipped (a
//! false `if` in Jsonnet); any other primitive outside a manifest is an error naming
//! its path and showing the innermost object around it. A top-level `__ksonnet` field
//! is dropped from every object walked.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::TankaError;
use crate::manifest::k8s_object::{self, NotObject};
use crate::tanka::manifest::{go_type, Manifest};

/// The manifests found, by path: [`TankaError::NotAnObject`] or
/// [`TankaError::InvalidManifest`] when one is not.
pub fn extract(data: &Value) -> Result<BTreeMap<String, Manifest>, TankaError> {
    let mut out = BTreeMap::new();
    walk(data, &mut Vec::new(), &mut out).map_err(Stop::error)?;
    Ok(out)
}

/// Why the walk stopped.
enum Stop {
    /// A primitive outside any manifest.
    Primitive {
        /// Path of the object or array holding it.
        base: String,
        /// The innermost object around it and why that object is no manifest.
        container: Option<(Map<String, Value>, String)>,
    },
    /// A manifest failed its schema check.
    Schema(TankaError),
}

impl Stop {
    fn error(self) -> TankaError {
        match self {
            Stop::Schema(e) => e,
            Stop::Primitive { base, container } => {
                let (object, why) = container.unwrap_or_default();
                TankaError::NotAnObject {
                    path: base,
                    object,
                    why,
                }
            }
        }
    }
}

fn full(path: &[String]) -> String {
    format!(".{}", path.join("."))
}

fn walk(
    v: &Value,
    path: &mut Vec<String>,
    out: &mut BTreeMap<String, Manifest>,
) -> Result<(), Stop> {
    match v {
        Value::Object(obj) => walk_object(obj, path, out),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(format!("[{i}]"));
                walk(item, path, out)?;
                path.pop();
            }
            Ok(())
        }
        _ => Err(Stop::Primitive {
            base: full(&path[..path.len().saturating_sub(1)]),
            container: None,
        }),
    }
}

fn walk_object(
    obj: &Map<String, Value>,
    path: &mut Vec<String>,
    out: &mut BTreeMap<String, Manifest>,
) -> Result<(), Stop> {
    let mut obj = obj.clone();
    obj.remove("__ksonnet");
    let not_manifest = why_not_manifest(&obj);
    if not_manifest.is_none() {
        let name = full(path);
        if let Some(fields) = super::unwrap::verify(&obj) {
            return Err(Stop::Schema(TankaError::InvalidManifest {
                name,
                fields,
                object: obj,
            }));
        }
        out.insert(name, obj);
        return Ok(());
    }
    // serde_json's map iterates in sorted key order, as Tanka walks.
    for (key, value) in &obj {
        if value.is_null() {
            continue;
        }
        path.push(key.clone());
        let walked = walk(value, path, out);
        path.pop();
        match walked {
            Err(Stop::Primitive {
                base,
                container: None,
            }) => {
                return Err(Stop::Primitive {
                    base,
                    container: Some((obj.clone(), not_manifest.unwrap_or_default())),
                })
            }
            other => other?,
        }
    }
    Ok(())
}

/// Why `obj` is not a manifest (Tanka's `isKubernetesManifest`), in Tanka's words;
/// `None` if it is one.
fn why_not_manifest(obj: &Map<String, Value>) -> Option<String> {
    Some(match k8s_object::identity(obj).err()? {
        NotObject::Missing(key) => format!("missing attribute \"{key}\""),
        NotObject::Empty(key) => format!("attribute \"{key}\" is empty"),
        NotObject::NotString(key, other) => format!(
            "attribute \"{key}\" is not a string, it is a {}",
            go_type(other)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cm(name: &str) -> Value {
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}})
    }

    #[test]
    fn finds_manifests_by_path() {
        let v = json!({"b": [cm("x"), {"c": cm("y")}], "a": cm("z"), "off": null});
        let got = extract(&v).unwrap();
        let keys: Vec<&str> = got.keys().map(String::as_str).collect();
        assert_eq!(keys, [".a", ".b.[0]", ".b.[1].c"]);
    }

    #[test]
    fn primitives_outside_manifests_are_errors() {
        let v = json!({"a": {"b": [{"c": 1}]}});
        let e = extract(&v).unwrap_err().to_string();
        assert!(
            e.starts_with("found invalid Kubernetes object (at .a.b.[0]): missing attribute \"apiVersion\"\n\nc: 1\n"),
            "{e}"
        );
        let e = extract(&json!({"kind": 1, "apiVersion": "v1", "x": "s"}))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("attribute \"kind\" is not a string, it is a float64"),
            "{e}"
        );
    }

    #[test]
    fn manifests_are_checked() {
        let v = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"labels": {"a": 1}}});
        let e = extract(&v).unwrap_err().to_string();
        assert!(e.starts_with(". has missing or invalid fields:\n"), "{e}");
        assert!(
            e.contains("  - metadata.name: missing or not of string type\n"),
            "{e}"
        );
        assert!(
            e.contains("contains non-string field 'a' of type 'float64'"),
            "{e}"
        );
    }
}
