//! Why a library cannot be built or one of its kinds loaded: [`LibraryError`], whose
//! variants name where the definition came from (a file built into the binary, a
//! definition of an OpenAPI document, a CRD version) and carry a typed problem. Each
//! `Display` is the text after `ERROR: `, the same words the loaders always used.
//!
//! Contact points: [`super::Library`] and [`super::KindSlot`] return it (a place taken
//! twice, a schema that does not load); the loaders build it (`crate::openapi`,
//! `crate::crd`, [`super::builtin`]); `crate::error::Error::LibraryKinds` carries it to
//! the command line. Kinds load once and their error is shared, so it is `Clone`
//! (causes that are not are kept in an `Arc`).

use std::{ops::Range, path::PathBuf, sync::Arc};

use super::{SchemaError, SchemaProblem};

/// A library that cannot be built or one of whose kinds cannot be loaded.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LibraryError {
    /// Two kinds at one place of a library.
    #[error("{library}: {place} is defined twice ({first} and {second})")]
    DefinedTwice {
        /// The library's import root.
        library: String,
        /// The place, `<group key>.<version key>.<kind key>`.
        place: String,
        /// The kind there first.
        first: Box<KindName>,
        /// The kind added second.
        second: Box<KindName>,
    },
    /// A file built into the binary does not read.
    #[error("built-in {file}: {problem}")]
    BuiltIn {
        /// The file.
        file: BuiltInFile,
        /// What is wrong with it.
        #[source]
        problem: BuiltInProblem,
    },
    /// The text of an OpenAPI document's definition does not read.
    #[error("{origin}: definition {name}: {problem}")]
    Definition {
        /// The document (a path, or `built-in Kubernetes 1.30`).
        origin: String,
        /// The definition.
        name: String,
        /// Why its text does not read.
        #[source]
        problem: DefinitionProblem,
    },
    /// An OpenAPI document has no definition of that name.
    #[error("{origin}: no definition {name}")]
    NoDefinition {
        /// The document.
        origin: String,
        /// The name asked for.
        name: String,
    },
    /// A schema node of an OpenAPI document's definition is not one the model takes.
    #[error("{origin}: definition {definition} at {path}: {problem}")]
    Node {
        /// The document.
        origin: String,
        /// The definition converted (the kind's, not the `$ref`'s).
        definition: String,
        /// The node's JSON path below it, jq style; `.` for the definition itself.
        path: String,
        /// What is wrong there.
        #[source]
        problem: NodeProblem,
    },
    /// A CRD version's schema does not load.
    #[error("{}:{line}: {problem}", file.display())]
    CrdVersion {
        /// The CRD's file.
        file: PathBuf,
        /// The 1-based line of the version (of a YAML syntax error: its line).
        line: usize,
        /// What is wrong.
        #[source]
        problem: CrdVersionProblem,
    },
    /// A schema not in the model's shape.
    #[error(transparent)]
    Schema(#[from] SchemaError),
}

/// A kind named by its API group, version and kind: `Display` is
/// `group/version Kind`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{group}/{version} {kind}")]
pub struct KindName {
    /// The API group (empty for the core group).
    pub group: String,
    /// The API version.
    pub version: String,
    /// The kind.
    pub kind: String,
}

/// A data file built into the binary, below `lib/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuiltInFile {
    /// A kind's schema (`gateway/….json`): `schema lib/<path>`.
    Schema(String),
    /// The built-in library's index: `index lib/<path>`.
    Index(String),
    /// Other data (ObjectMeta, a Kubernetes version's listing): `lib/<path>`.
    Data(String),
}

impl std::fmt::Display for BuiltInFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Schema(path) => write!(f, "schema lib/{path}"),
            Self::Index(path) => write!(f, "index lib/{path}"),
            Self::Data(path) => write!(f, "lib/{path}"),
        }
    }
}

/// What is wrong with a built-in file.
#[derive(Debug, Clone, thiserror::Error)]
pub enum BuiltInProblem {
    /// Not JSON, or not of the expected shape.
    #[error("{0}")]
    Json(#[source] Arc<serde_json::Error>),
    /// A schema not in the model's shape.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// The index names a schema file that is not embedded.
    #[error("schema {0} is not embedded")]
    NotEmbedded(String),
    /// A listing's kind key that is not `group/version/Kind`.
    #[error("bad kind {0:?}")]
    BadKind(String),
}

impl From<serde_json::Error> for BuiltInProblem {
    fn from(e: serde_json::Error) -> Self {
        Self::Json(Arc::new(e))
    }
}

/// Why the text of a definition does not read.
#[derive(Debug, Clone, thiserror::Error)]
pub enum DefinitionProblem {
    /// Its byte range is outside the definitions' text.
    #[error("bytes {0:?} are not in the definitions")]
    OutOfRange(Range<usize>),
    /// It is not JSON.
    #[error("{0}")]
    Json(#[source] Arc<serde_json::Error>),
}

/// What is wrong with a schema node of an OpenAPI definition.
#[derive(Debug, Clone, thiserror::Error)]
pub enum NodeProblem {
    /// The node is not a JSON object.
    #[error("a schema must be an object")]
    NotAnObject,
    /// `$ref` is not a string.
    #[error("\"$ref\" must be a string")]
    RefNotAString,
    /// `$ref` names a definition the document does not have (the reference as given).
    #[error("$ref {0} names no definition")]
    DanglingRef(String),
    /// A keyword the model refuses, or refuses the value of.
    #[error("\"{keyword}\": {problem}")]
    Keyword {
        /// The keyword.
        keyword: String,
        /// Why.
        #[source]
        problem: Box<SchemaProblem>,
    },
    /// `properties` is not an object.
    #[error("\"properties\" must be an object")]
    PropertiesNotAnObject,
    /// `allOf`, `anyOf` or `oneOf` (named) is not an array.
    #[error("\"{0}\" must be an array")]
    NotAnArray(&'static str),
}

/// What is wrong with a CRD version's schema.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CrdVersionProblem {
    /// Its YAML (parsed when first used) is malformed: the parser's message.
    #[error("YAML syntax error: {0}")]
    Yaml(String),
    /// The version has no `openAPIV3Schema`.
    #[error("no openAPIV3Schema")]
    NoSchema,
    /// The schema is not in the model's shape.
    #[error(transparent)]
    Schema(#[from] SchemaError),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kind `A` of `group`, version `v1`.
    fn kind_a(group: &str) -> Box<KindName> {
        Box::new(KindName {
            group: group.into(),
            version: "v1".into(),
            kind: "A".into(),
        })
    }

    #[test]
    fn each_source_renders_as_before() {
        let cases = [
            (
                LibraryError::DefinedTwice {
                    library: "gwsonnet/crds/x".into(),
                    place: "x.v1.a".into(),
                    first: kind_a("x"),
                    second: kind_a("y"),
                },
                "gwsonnet/crds/x: x.v1.a is defined twice (x/v1 A and y/v1 A)",
            ),
            (
                LibraryError::BuiltIn {
                    file: BuiltInFile::Index("gateway/library.json".into()),
                    problem: BuiltInProblem::NotEmbedded("a.json".into()),
                },
                "built-in index lib/gateway/library.json: schema a.json is not embedded",
            ),
            (
                LibraryError::BuiltIn {
                    file: BuiltInFile::Data("k8s/openapi/1.30.json".into()),
                    problem: BuiltInProblem::BadKind("x".into()),
                },
                "built-in lib/k8s/openapi/1.30.json: bad kind \"x\"",
            ),
            (
                LibraryError::Node {
                    origin: "doc.json".into(),
                    definition: "a.v1.A".into(),
                    path: ".properties.x".into(),
                    problem: NodeProblem::DanglingRef("#/definitions/b".into()),
                },
                "doc.json: definition a.v1.A at .properties.x: $ref #/definitions/b names no definition",
            ),
            (
                LibraryError::CrdVersion {
                    file: "crds/a.yaml".into(),
                    line: 12,
                    problem: CrdVersionProblem::NoSchema,
                },
                "crds/a.yaml:12: no openAPIV3Schema",
            ),
        ];
        for (e, want) in cases {
            assert_eq!(e.to_string(), want);
        }
    }
}
