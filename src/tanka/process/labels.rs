//! Step 4, Tanka's `Label`: with `spec.injectLabels`, every manifest gets the label
//! `tanka.dev/environment` = the environment's name label (see
//! [`crate::tanka::spec::Environment::name_label`]).

use serde_json::Value;

use crate::error::TankaError;
use crate::tanka::manifest::{child_object, metadata, Manifest};
use crate::tanka::spec::Environment;

/// The label Tanka puts on every manifest of an environment with `injectLabels`.
pub const LABEL_ENVIRONMENT: &str = "tanka.dev/environment";

/// Adds the environment label when the environment asks for it.
pub fn label(mut list: Vec<Manifest>, env: &Environment) -> Result<Vec<Manifest>, TankaError> {
    if !env.spec.inject_labels {
        return Ok(list);
    }
    let label = env.name_label()?;
    for m in &mut list {
        let labels = child_object(metadata(m), "labels");
        labels.insert(LABEL_ENVIRONMENT.into(), Value::String(label.clone()));
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn injects_the_name_label() {
        let mut env = Environment::default();
        env.metadata.name = "environments/default".into();
        env.metadata.namespace = "environments/default/main.jsonnet".into();
        let m = json!({"kind": "A", "metadata": {"name": "a"}})
            .as_object()
            .unwrap()
            .clone();
        assert!(label(vec![m.clone()], &env).unwrap()[0]["metadata"]
            .get("labels")
            .is_none());
        env.spec.inject_labels = true;
        let out = label(vec![m], &env).unwrap();
        let got = out[0]["metadata"]["labels"][LABEL_ENVIRONMENT]
            .as_str()
            .unwrap();
        assert_eq!(got.len(), 48);
        assert_eq!(got, env.name_label().unwrap());
    }
}
