//! Step 7, Tanka's `Sort`: a stable sort by Tanka's fixed kind order (kinds not in it
//! last), then kind, namespace, name and generateName.

use super::{kind, meta_str, Manifest};

/// The order in which Tanka lists (and applies) kinds.
const KIND_ORDER: &[&str] = &[
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "Ingress",
    "APIService",
];

/// Sorts the manifests in place.
pub fn sort(list: &mut [Manifest]) {
    let rank = |m: &Manifest| {
        KIND_ORDER
            .iter()
            .position(|k| *k == kind(m))
            .unwrap_or(KIND_ORDER.len())
    };
    list.sort_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then_with(|| kind(a).cmp(kind(b)))
            .then_with(|| meta_str(a, "namespace").cmp(meta_str(b, "namespace")))
            .then_with(|| meta_str(a, "name").cmp(meta_str(b, "name")))
            .then_with(|| meta_str(a, "generateName").cmp(meta_str(b, "generateName")))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kind_order_then_names() {
        let mk = |k: &str, ns: &str, n: &str| {
            json!({"kind": k, "metadata": {"namespace": ns, "name": n}})
                .as_object()
                .unwrap()
                .clone()
        };
        let mut list = vec![
            mk("Zebra", "a", "x"),
            mk("Deployment", "b", "x"),
            mk("Deployment", "a", "y"),
            mk("Alpha", "a", "x"),
            mk("Namespace", "", "n"),
            mk("APIService", "", "z"),
        ];
        sort(&mut list);
        let got: Vec<String> = list
            .iter()
            .map(|m| {
                format!(
                    "{}/{}/{}",
                    kind(m),
                    meta_str(m, "namespace"),
                    meta_str(m, "name")
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                "Namespace//n",
                "Deployment/a/y",
                "Deployment/b/x",
                "APIService//z",
                "Alpha/a/x",
                "Zebra/a/x"
            ]
        );
    }
}
