//! Step 7, Tanka's `Sort`: a stable sort by Tanka's fixed kind order (kinds not in it
//! last), then kind, namespace, name and generateName.

use crate::tanka::manifest::{kind, meta_str, Manifest};

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

/// Sorts the manifests in place. Each manifest's key (its kind's rank, kind, namespace,
/// name, generateName) is read once, not at every comparison; ties keep their order.
pub fn sort(list: &mut [Manifest]) {
    let order: Vec<usize> = {
        let mut keyed: Vec<_> = list
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let kind = kind(m);
                let rank = KIND_ORDER
                    .iter()
                    .position(|k| *k == kind)
                    .unwrap_or(KIND_ORDER.len());
                let key = (
                    rank,
                    kind,
                    meta_str(m, "namespace"),
                    meta_str(m, "name"),
                    meta_str(m, "generateName"),
                );
                (key, i)
            })
            .collect();
        keyed.sort_unstable();
        keyed.into_iter().map(|(_, i)| i).collect()
    };
    let mut taken: Vec<Manifest> = list.iter_mut().map(std::mem::take).collect();
    for (slot, i) in list.iter_mut().zip(order) {
        *slot = std::mem::take(&mut taken[i]);
    }
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
