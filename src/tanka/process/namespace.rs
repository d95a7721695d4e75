//! Step 3, Tanka's `Namespace`: manifests without `metadata.namespace` get the
//! environment's `spec.namespace`, except cluster-scoped kinds; the annotation
//! `tanka.dev/namespaced` (`"true"` or not) overrides the kind. As in Tanka, an empty
//! `metadata.annotations` is removed, and nothing happens when the namespace is empty.

use serde_json::Value;

use crate::tanka::manifest::{child_object, kind, metadata, Manifest};

/// The annotation that says whether a manifest is namespaced.
pub const ANNOTATION_NAMESPACED: &str = "tanka.dev/namespaced";

/// Kinds Tanka never puts into a namespace.
const CLUSTER_WIDE: &[&str] = &[
    "APIService",
    "CertificateSigningRequest",
    "ClusterRole",
    "ClusterRoleBinding",
    "ComponentStatus",
    "CSIDriver",
    "CSINode",
    "CustomResourceDefinition",
    "MutatingWebhookConfiguration",
    "Namespace",
    "Node",
    "NodeMetrics",
    "PersistentVolume",
    "PodSecurityPolicy",
    "PriorityClass",
    "RuntimeClass",
    "SelfSubjectAccessReview",
    "SelfSubjectRulesReview",
    "StorageClass",
    "SubjectAccessReview",
    "TokenReview",
    "ValidatingWebhookConfiguration",
    "VolumeAttachment",
];

/// Sets the default namespace `def` where it applies.
pub fn namespace(mut list: Vec<Manifest>, def: &str) -> Vec<Manifest> {
    if def.is_empty() {
        return list;
    }
    for m in &mut list {
        let mut namespaced = !CLUSTER_WIDE.contains(&kind(m));
        let md = metadata(m);
        let annotations = child_object(md, "annotations");
        if let Some(v) = annotations.get(ANNOTATION_NAMESPACED) {
            namespaced = v.as_str() == Some("true");
        }
        let empty = annotations.is_empty();
        if namespaced && !md.get("namespace").is_some_and(Value::is_string) {
            md.insert("namespace".into(), Value::String(def.to_owned()));
        }
        if empty {
            md.remove("annotations");
        }
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(v: Value) -> Manifest {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn defaults_and_overrides() {
        let list = vec![
            m(json!({"kind": "ConfigMap", "metadata": {"name": "a", "annotations": {}}})),
            m(json!({"kind": "ClusterRole", "metadata": {"name": "b"}})),
            m(json!({"kind": "ConfigMap", "metadata": {"name": "c", "namespace": "x"}})),
            m(
                json!({"kind": "Foo", "metadata": {"name": "d", "annotations": {"tanka.dev/namespaced": "false"}}}),
            ),
            m(
                json!({"kind": "ClusterRole", "metadata": {"name": "e", "annotations": {"tanka.dev/namespaced": "true"}}}),
            ),
        ];
        let out = namespace(list, "ns");
        let ns: Vec<Option<&str>> = out
            .iter()
            .map(|m| m["metadata"].get("namespace").and_then(Value::as_str))
            .collect();
        assert_eq!(ns, [Some("ns"), None, Some("x"), None, Some("ns")]);
        assert!(out[0]["metadata"].get("annotations").is_none());
        assert!(out[1]["metadata"].get("annotations").is_none());
        let untouched = namespace(
            vec![m(json!({"kind": "A", "metadata": {"annotations": {}}}))],
            "",
        );
        assert!(untouched[0]["metadata"].get("annotations").is_some());
    }
}
