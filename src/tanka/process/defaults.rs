//! Step 5, Tanka's `ResourceDefaults`: `spec.resourceDefaults.annotations` and
//! `.labels` are added to every manifest that does not set them itself.

use serde_json::Value;

use crate::tanka::manifest::{child_object, metadata, Manifest};
use crate::tanka::spec::ResourceDefaults;

/// Adds the defaults a manifest lacks.
pub fn resource_defaults(mut list: Vec<Manifest>, defaults: &ResourceDefaults) -> Vec<Manifest> {
    for m in &mut list {
        for (field, values) in [
            ("annotations", &defaults.annotations),
            ("labels", &defaults.labels),
        ] {
            if values.is_empty() {
                continue;
            }
            let target = child_object(metadata(m), field);
            for (k, v) in values {
                target
                    .entry(k.clone())
                    .or_insert_with(|| Value::String(v.clone()));
            }
        }
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fills_only_missing_keys() {
        let mut d = ResourceDefaults::default();
        d.labels.insert("team".into(), "core".into());
        d.labels.insert("app".into(), "default".into());
        let m = json!({"kind": "A", "metadata": {"name": "a", "labels": {"app": "mine"}}});
        let out = resource_defaults(vec![m.as_object().unwrap().clone()], &d);
        assert_eq!(
            out[0]["metadata"]["labels"],
            json!({"app": "mine", "team": "core"})
        );
        assert!(out[0]["metadata"].get("annotations").is_none());
    }
}
