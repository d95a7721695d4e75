//! What makes a value a Kubernetes object, answered once: a JSON object whose
//! `apiVersion` and `kind` are non-empty strings (Tanka's `isKubernetesManifest`, which
//! `--validate` follows so that it finds the objects Tanka exports). [`identity`] says
//! which and why not; the JSON writer's tap ([`has_identity_fields`]) hands on every
//! object holding both fields, and its reader decides with [`identity`].
//!
//! Contact points: the writer's tap ([`super::json`]), `validate`'s object discovery
//! and kind lookup (`crate::validate::service`, `crate::validate::Validator::find_kind`),
//! Tanka's extraction (`crate::tanka::process::extract`).

use serde_json::{Map, Value};

/// The fields that name an object's kind.
pub const IDENTITY_FIELDS: [&str; 2] = ["apiVersion", "kind"];

/// Why an object is not a Kubernetes object: the first identity field that fails.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NotObject<'a> {
    /// The field is absent or `null`.
    Missing(&'static str),
    /// The field is an empty string.
    Empty(&'static str),
    /// The field is not a string: its value.
    NotString(&'static str, &'a Value),
}

impl NotObject<'_> {
    /// The field that fails.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Missing(f) | Self::Empty(f) | Self::NotString(f, _) => f,
        }
    }
}

/// The `apiVersion` and `kind` of `obj` when it is a Kubernetes object, else the first
/// field that fails (`apiVersion` first).
pub fn identity(obj: &Map<String, Value>) -> Result<(&str, &str), NotObject<'_>> {
    let field = |name: &'static str| match obj.get(name) {
        None | Some(Value::Null) => Err(NotObject::Missing(name)),
        Some(Value::String(s)) if s.is_empty() => Err(NotObject::Empty(name)),
        Some(Value::String(s)) => Ok(s.as_str()),
        Some(other) => Err(NotObject::NotString(name, other)),
    };
    Ok((field(IDENTITY_FIELDS[0])?, field(IDENTITY_FIELDS[1])?))
}

/// Whether an object with the fields `has` tells holds both identity fields: a
/// candidate, which [`identity`] then judges by their values.
pub fn has_identity_fields(has: impl Fn(&str) -> bool) -> bool {
    IDENTITY_FIELDS.iter().all(|f| has(f))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(o) => o,
            _ => unreachable!("the cases are objects"),
        }
    }

    #[test]
    fn objects_lists_and_non_objects() {
        let list = obj(json!({"apiVersion": "v1", "kind": "List", "items": [{"kind": "X"}]}));
        assert_eq!(
            identity(&list),
            Ok(("v1", "List")),
            "a List is an object; its items are judged one by one"
        );
        let o = obj(json!({"kind": "X"}));
        assert!(matches!(
            identity(&o),
            Err(NotObject::Missing("apiVersion"))
        ));
        let o = obj(json!({"apiVersion": "v1", "kind": ""}));
        assert!(matches!(identity(&o), Err(NotObject::Empty("kind"))));
        let o = obj(json!({"apiVersion": 1, "kind": "K"}));
        assert!(matches!(
            identity(&o),
            Err(NotObject::NotString("apiVersion", Value::Number(_)))
        ));
        let o = obj(json!({"a": {"apiVersion": "v1", "kind": "K"}}));
        assert!(
            matches!(identity(&o), Err(NotObject::Missing("apiVersion"))),
            "a nested object does not make its parent one"
        );
        assert!(has_identity_fields(|f| ["kind", "apiVersion"].contains(&f)));
        assert!(!has_identity_fields(|f| f == "kind"));
    }
}
