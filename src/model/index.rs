//! The layout of a published library: its package name, import path, and which groups,
//! API versions and kinds it has (`lib/<group>/<version>/library.json` for the built-in
//! ones). The native library serves its file layout from this; the docs take the
//! package name and import path from it.

use std::{collections::BTreeMap, sync::OnceLock};

use serde::Deserialize;

/// Index files of the built-in libraries.
const BUILTIN_INDEXES: &[&str] = &[include_str!(
    "../../lib/gateway/0.8-experimental/library.json"
)];

/// A published library's layout.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibraryIndex {
    /// Package name, e.g. `gateway-api`.
    pub package: String,
    /// Import path of the package's `main.libsonnet`.
    pub url: String,
    /// Group alias → API version → kind field names, as published.
    pub groups: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

impl LibraryIndex {
    /// Directory of the package in import paths (`github.com/.../0.8-experimental`).
    pub fn root(&self) -> &str {
        self.url
            .strip_suffix("/main.libsonnet")
            .unwrap_or(&self.url)
    }

    /// Library version: the last element of the root (`0.8-experimental`).
    pub fn version(&self) -> &str {
        self.root().rsplit('/').next().unwrap_or_default()
    }

    /// The import path of `main.libsonnet` of another version of the same library.
    pub fn url_for_version(&self, version: &str) -> String {
        let repo = self.root().rsplit_once('/').map_or("", |(repo, _)| repo);
        format!("{repo}/{version}/main.libsonnet")
    }
}

/// The indexes of the built-in libraries (parsed once; validated by the tests).
///
/// # Panics
/// If an embedded index is malformed: compiled-in data the test suite checks.
pub fn builtin_indexes() -> &'static [LibraryIndex] {
    static INDEXES: OnceLock<Vec<LibraryIndex>> = OnceLock::new();
    INDEXES.get_or_init(|| {
        BUILTIN_INDEXES
            .iter()
            .map(|text| {
                serde_json::from_str(text).expect("built-in library index is valid (tested)")
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::builtin_indexes;

    #[test]
    fn builtin_indexes_parse_and_list_tcproute() {
        let index = &builtin_indexes()[0];
        assert_eq!(index.package, "gateway-api");
        assert_eq!(index.version(), "0.8-experimental");
        assert!(index.groups["gateway"]["v1alpha2"].contains(&"tcpRoute".to_string()));
        assert_eq!(
            index.url_for_version("1.0"),
            "github.com/jsonnet-libs/gateway-api-libsonnet/1.0/main.libsonnet"
        );
    }
}
