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

use serde_json::Value;

use super::manifest::Manifest;
use super::spec::Environment;
use crate::error::TankaError;

/// Runs every step on the environment's `data`.
pub fn process(
    env: &Environment,
    data: &Value,
    filters: &filter::Filters,
) -> Result<Vec<Manifest>, TankaError> {
    if data.is_null() {
        return Ok(Vec::new());
    }
    let extracted = extract::extract(data).map_err(|e| TankaError::Extract {
        env: env.metadata.name.clone(),
        source: Box::new(e),
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
