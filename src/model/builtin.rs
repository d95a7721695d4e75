//! The built-in library, authored in `lib/` and compiled into the binary.
//!
//! `lib/gateway/0.8-experimental/library.json` names the library (`localName`,
//! `repository`, `output`) and what its schemas were taken from (`source`), lists the kinds it carries with the schema file of each
//! (an `openAPIV3Schema`, relative to the index), and lists the kinds of the published
//! layout it does not carry (`notBuiltIn`: group key → API version → kind keys). The
//! index is parsed on first use (a few hundred bytes); each schema file only when its
//! kind is first used. A malformed file is a bug of this crate, caught by the tests.

use std::{
    collections::BTreeMap,
    sync::{Arc, OnceLock},
};

use serde::Deserialize;

use super::{BuiltInFile, BuiltInProblem, Library, LibraryError, Schema};

/// The built-in library's index.
const INDEX: (&str, &str) = (
    "gateway/0.8-experimental/library.json",
    include_str!("../../lib/gateway/0.8-experimental/library.json"),
);

/// The embedded schema files: (path relative to the index, contents).
const SCHEMAS: &[(&str, &str)] = &[(
    "v1alpha2/tcpRoute.json",
    include_str!("../../lib/gateway/0.8-experimental/v1alpha2/tcpRoute.json"),
)];

/// `library.json`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Index {
    local_name: String,
    repository: String,
    output: String,
    /// What the schemas were taken from, for `gwsonnet --version`.
    source: String,
    kinds: Vec<IndexKind>,
    #[serde(default)]
    not_built_in: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

/// One carried kind of `library.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexKind {
    group: String,
    version: String,
    kind: String,
    schema: String,
}

/// Parses an embedded schema file, naming it in the error.
fn parse_schema(path: &str, text: &str) -> Result<Schema, LibraryError> {
    let fail = |problem: BuiltInProblem| LibraryError::BuiltIn {
        file: BuiltInFile::Schema(path.to_owned()),
        problem,
    };
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| fail(e.into()))?;
    Schema::from_json(&value).map_err(|e| fail(e.into()))
}

/// The built-in library's index, read.
fn read_index() -> Result<Index, LibraryError> {
    let (index_path, text) = INDEX;
    serde_json::from_str(text).map_err(|e| index_error(index_path, e.into()))
}

/// A problem of the built-in index at `path`.
fn index_error(path: &str, problem: BuiltInProblem) -> LibraryError {
    LibraryError::BuiltIn {
        file: BuiltInFile::Index(path.to_owned()),
        problem,
    }
}

/// What the built-in library's schemas were taken from (`source` of `library.json`).
///
/// # Errors
/// A malformed index.
pub fn builtin_library_source() -> Result<String, LibraryError> {
    Ok(read_index()?.source)
}

/// Builds the built-in library from its index; the schemas load on first use.
///
/// # Errors
/// A malformed index, or one that names a schema file that is not embedded.
pub fn parse_builtin_library() -> Result<Library, LibraryError> {
    let index_path = INDEX.0;
    let index = read_index()?;
    let dir = index_path.rsplit_once('/').map_or("", |(d, _)| d);
    let mut lib = Library::new(&index.local_name, &index.repository, &index.output);
    for k in &index.kinds {
        let Some(&(file, text)) = SCHEMAS.iter().find(|(f, _)| *f == k.schema) else {
            return Err(index_error(
                index_path,
                BuiltInProblem::NotEmbedded(k.schema.clone()),
            ));
        };
        let path = format!("{dir}/{file}");
        lib.add_kind(
            &k.group,
            &k.version,
            &k.kind,
            Box::new(move || parse_schema(&path, text)),
        )?;
    }
    for (group, versions) in &index.not_built_in {
        for (version, kinds) in versions {
            for kind in kinds {
                lib.add_not_carried(group, version, kind);
            }
        }
    }
    Ok(lib)
}

/// The built-in library (its index parsed at first use, shared by every registry).
pub fn builtin_library() -> Arc<Library> {
    builtin_library_ref().clone()
}

/// The built-in library, parsed at first use.
///
/// # Panics
/// If the embedded index is malformed: compiled-in data that the test suite validates,
/// so this cannot happen in a tested build.
pub(super) fn builtin_library_ref() -> &'static Arc<Library> {
    static LIBRARY: OnceLock<Arc<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        Arc::new(parse_builtin_library().expect("the built-in library index is valid (tested)"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_library_parses_and_every_schema_loads() {
        let lib = parse_builtin_library().unwrap();
        assert_eq!(lib.local_name(), "gateway-api");
        assert_eq!(
            lib.import_root(),
            "github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental"
        );
        let kinds = lib.kinds().unwrap();
        assert_eq!(kinds.len(), SCHEMAS.len());
        assert_eq!(lib.carried_names(), ["gateway.v1alpha2.tcpRoute"]);
        assert_eq!(lib.groups()["gateway"]["v1alpha2"].len(), 8);
        assert_eq!(lib.groups()["gateway"]["v1beta1"].len(), 4);
    }
}
