//! Tanka's `pkg/process`: the evaluated value of an environment becomes the list of
//! Kubernetes manifests that `show` prints, one step a file, composed in Tanka's order:
//! [`extract`] → [`unwrap`] → [`namespace`] → [`labels`] → [`defaults`] → [`filter`]
//! → [`sort`]. Contact points: [`super::environment`] gives the environment,
//! [`super`] (`show`) calls [`process`].

pub mod defaults;
pub mod extract;
pub mod filter;
pub mod labels;
pub mod namespace;
pub mod sort;
pub mod unwrap;

use serde_json::{Map, Value};

use super::environment::Environment;
use crate::error::Error;

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

/// Runs every step on the environment's `data`.
pub fn process(
    env: &Environment,
    data: &Value,
    filters: &filter::Filters,
) -> Result<Vec<Manifest>, Error> {
    if data.is_null() {
        return Ok(Vec::new());
    }
    let extracted = extract::extract(data).map_err(|e| {
        Error::Tanka(format!(
            "got an error while extracting env `{}`: {e}",
            env.metadata.name
        ))
    })?;
    let list = unwrap::unwrap(extracted)?;
    let list = namespace::namespace(list, &env.spec.namespace);
    let list = labels::label(list, env)?;
    let list = defaults::resource_defaults(list, &env.spec.resource_defaults);
    let mut list = if filters.is_empty() {
        list
    } else {
        filters.filter(list)
    };
    sort::sort(&mut list);
    Ok(list)
}
