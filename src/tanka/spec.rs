//! Tanka's `pkg/spec`: the environment object (`v1alpha1.Environment`: metadata and
//! spec) as Tanka parses it from `spec.json` or an inline environment, serialises it
//! into the `tanka.dev/environment` ext-code, and hashes it into the environment label.
//! Contact points: [`super::environment`] loads environments into it; the processing
//! steps ([`super::process`]) read its namespace, labels and resource defaults.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::TankaError;

/// `metadata` of an environment.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Metadata {
    /// The environment's name (static: its directory relative to the root).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The entry file relative to the root (set by the loader).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// The environment's labels.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// `spec.resourceDefaults`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ResourceDefaults {
    /// Annotations every manifest gets unless it sets them.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Labels every manifest gets unless it sets them.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// `spec.expectVersions`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ExpectVersions {
    /// The Tanka version range the environment expects (kept, not checked).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub tanka: String,
}

/// `spec` of an environment: Tanka's `v1alpha1.Spec`, its fields in Tanka's order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Spec {
    /// The cluster's API server.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub api_server: String,
    /// Kubeconfig context names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub context_names: Vec<String>,
    /// The default namespace of the manifests (`default` unless set).
    pub namespace: String,
    /// Tanka's diff strategy.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub diff_strategy: String,
    /// Tanka's apply strategy.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub apply_strategy: String,
    /// Put the `tanka.dev/environment` label on every manifest.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub inject_labels: bool,
    /// The fields hashed into the environment label (default: name and namespace).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tanka_env_label_from_fields: Vec<String>,
    /// Labels and annotations every manifest gets.
    pub resource_defaults: ResourceDefaults,
    /// Versions the environment expects.
    pub expect_versions: ExpectVersions,
    /// The jsonnet implementation `tk export` should use (kept, not used).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub export_jsonnet_implementation: String,
}

impl Default for Spec {
    fn default() -> Self {
        Self {
            api_server: String::new(),
            context_names: Vec::new(),
            namespace: "default".into(),
            diff_strategy: String::new(),
            apply_strategy: String::new(),
            inject_labels: false,
            tanka_env_label_from_fields: Vec::new(),
            resource_defaults: ResourceDefaults::default(),
            expect_versions: ExpectVersions::default(),
            export_jsonnet_implementation: String::new(),
        }
    }
}

/// A Tanka environment without its data (Tanka's `v1alpha1.Environment`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Environment {
    /// `tanka.dev/v1alpha1`.
    pub api_version: String,
    /// `Environment`.
    pub kind: String,
    /// Name, entry file, labels.
    pub metadata: Metadata,
    /// The settings.
    pub spec: Spec,
}

impl Default for Environment {
    fn default() -> Self {
        Self {
            api_version: "tanka.dev/v1alpha1".into(),
            kind: "Environment".into(),
            metadata: Metadata::default(),
            spec: Spec::default(),
        }
    }
}

impl Environment {
    /// Reads an environment object (from `spec.json` or an inline environment) as
    /// Tanka's `spec.Parse` does: unknown fields ignored, an `apiServer` without a
    /// scheme gets `https://`, the deprecated top-level `namespace`/`server`/`team`.
    pub fn parse(value: &Value, what: &'static str) -> Result<Self, TankaError> {
        let mut env: Environment = serde_json::from_value(value.clone())
            .map_err(|source| TankaError::Spec { what, source })?;
        let top = |k: &str| value.get(k).and_then(Value::as_str).map(str::to_owned);
        if env.spec.namespace.is_empty() {
            if let Some(n) = top("namespace") {
                env.spec.namespace = n;
            }
        }
        if env.spec.api_server.is_empty() {
            if let Some(s) = top("server") {
                env.spec.api_server = s;
            }
        }
        if let Some(t) = top("team") {
            env.metadata.labels.entry("team".into()).or_insert(t);
        }
        if !env.spec.api_server.is_empty() && !has_scheme(&env.spec.api_server) {
            env.spec.api_server = format!("https://{}", env.spec.api_server);
        }
        Ok(env)
    }

    /// The environment as the `tanka.dev/environment` ext-code (JSON, no data).
    pub fn to_code(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// The value at `path` (json names) as Tanka's `getDeepFieldAsString` reads it:
    /// strings, booleans as `true`/`false`, unset strings empty; in a map of labels or
    /// annotations the entry named (Tanka takes a map's only entry whatever its key).
    /// `None` for lists, unknown fields and missing map entries (Tanka panics there).
    fn field_string(&self, path: &[&str]) -> Option<String> {
        let in_map = |map: &BTreeMap<String, String>, key: &str| {
            map.get(key)
                .or_else(|| (map.len() == 1).then(|| map.values().next()).flatten())
                .cloned()
        };
        let (m, sp) = (&self.metadata, &self.spec);
        Some(match path {
            ["apiVersion"] => self.api_version.clone(),
            ["kind"] => self.kind.clone(),
            ["metadata", "name"] => m.name.clone(),
            ["metadata", "namespace"] => m.namespace.clone(),
            ["metadata", "labels", k] => in_map(&m.labels, k)?,
            ["spec", "apiServer"] => sp.api_server.clone(),
            ["spec", "namespace"] => sp.namespace.clone(),
            ["spec", "diffStrategy"] => sp.diff_strategy.clone(),
            ["spec", "applyStrategy"] => sp.apply_strategy.clone(),
            ["spec", "injectLabels"] => sp.inject_labels.to_string(),
            ["spec", "exportJsonnetImplementation"] => sp.export_jsonnet_implementation.clone(),
            ["spec", "expectVersions", "tanka"] => sp.expect_versions.tanka.clone(),
            ["spec", "resourceDefaults", "labels", k] => in_map(&sp.resource_defaults.labels, k)?,
            ["spec", "resourceDefaults", "annotations", k] => {
                in_map(&sp.resource_defaults.annotations, k)?
            }
            _ => return None,
        })
    }

    /// Tanka's `NameLabel`: the first 48 hex digits of the SHA-256 of the values of
    /// `spec.tankaEnvLabelFromFields` (default `.metadata.name`, `.metadata.namespace`)
    /// joined with `:`.
    pub fn name_label(&self) -> Result<String, TankaError> {
        let default = [
            ".metadata.name".to_owned(),
            ".metadata.namespace".to_owned(),
        ];
        let fields = if self.spec.tanka_env_label_from_fields.is_empty() {
            &default[..]
        } else {
            &self.spec.tanka_env_label_from_fields[..]
        };
        let mut parts = Vec::new();
        for field in fields {
            let path: Vec<&str> = field.trim_start_matches('.').split('.').collect();
            let value = self
                .field_string(&path)
                .ok_or_else(|| TankaError::NameLabel {
                    field: field.clone(),
                })?;
            parts.push(value);
        }
        let hash = Sha256::digest(parts.join(":").as_bytes());
        let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        Ok(hex[..48].to_owned())
    }
}

/// `^.+://`
fn has_scheme(s: &str) -> bool {
    s.find("://").is_some_and(|i| i > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn spec_defaults_and_ext_code() {
        let env = Environment::parse(&json!({"spec": {"apiServer": "k8s:6443"}, "data": 1}), "x")
            .unwrap();
        assert_eq!(env.spec.namespace, "default");
        assert_eq!(env.spec.api_server, "https://k8s:6443");
        assert_eq!(
            env.to_code(),
            r#"{"apiVersion":"tanka.dev/v1alpha1","kind":"Environment","metadata":{},"spec":{"apiServer":"https://k8s:6443","namespace":"default","resourceDefaults":{},"expectVersions":{}}}"#
        );
    }

    #[test]
    fn name_label_is_tankas() {
        let mut env = Environment::default();
        env.metadata.name = "environments/default".into();
        env.metadata.namespace = "environments/default/main.jsonnet".into();
        // sha256("environments/default:environments/default/main.jsonnet")[:48]
        let full = Sha256::digest(b"environments/default:environments/default/main.jsonnet");
        let hex: String = full.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(env.name_label().unwrap(), hex[..48]);
        env.spec.tanka_env_label_from_fields = vec![
            ".metadata.labels.team".into(),
            ".spec.injectLabels".into(),
            ".spec.apiServer".into(),
        ];
        assert!(env.name_label().is_err(), "no such label");
        env.metadata.labels.insert("team".into(), "core".into());
        let full = Sha256::digest(b"core:false:");
        let hex: String = full.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(env.name_label().unwrap(), hex[..48]);
        env.spec.tanka_env_label_from_fields = vec![".spec.contextNames".into()];
        assert!(env.name_label().is_err(), "lists are not strings");
    }
}
