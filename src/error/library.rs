//! What is wrong with a library definition — a CRD file, a `--crd-library` config —
//! at a `file:line` ([`super::Error::Library`]): [`LibraryProblem`], with the problems
//! of one CRD ([`CrdProblem`]). Each `Display` is the text after `file:line: `.
//!
//! Contact points: `crate::crd` (its loader and its config reader) builds them through
//! `crate::crd::at`; [`super::Error::render`] writes them.

use std::path::PathBuf;

use crate::model::{KindName, LibraryError};

/// What is wrong at a line of a library definition.
#[derive(Debug, thiserror::Error)]
pub enum LibraryProblem {
    /// The YAML does not parse: the parser's message.
    #[error("YAML syntax error: {0}")]
    Yaml(String),
    /// A CustomResourceDefinition (named) is not one the loader can use.
    #[error("CustomResourceDefinition {name} {problem}")]
    Crd {
        /// `metadata.name`, `(unnamed)` when there is none.
        name: String,
        /// What is wrong with it.
        problem: CrdProblem,
    },
    /// A Gateway API `bundle-version` annotation that is not `vX.Y.Z`.
    #[error("bundle-version {0:?} is not vX.Y.Z")]
    BundleVersion(String),
    /// A Gateway API `channel` annotation other than `standard` or `experimental`.
    #[error("unknown Gateway API channel {0:?} (standard or experimental)")]
    Channel(String),
    /// A kind that another CRD file (at its line) defines differently.
    #[error("{kind} is defined differently in {}:{line}", file.display())]
    DefinedDifferently {
        /// The kind.
        kind: KindName,
        /// The other definition's file.
        file: PathBuf,
        /// Its line.
        line: usize,
    },
    /// The kind cannot join its library.
    #[error(transparent)]
    Library(#[from] LibraryError),
    /// A config `crds` entry that cannot be read.
    #[error("crds entry {} cannot be read: {}", path.display(), super::io_reason(source))]
    CrdsEntryUnreadable {
        /// The entry's path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A config's part (`the config`, `specs[0]`) that is not a mapping.
    #[error("{0} must be a mapping")]
    NotAMapping(String),
    /// A key a config's part does not have.
    #[error("unknown key {key:?} in {part} (known: {})", known.join(", "))]
    UnknownKey {
        /// The key.
        key: String,
        /// The part (`the config`, `specs[0]`).
        part: String,
        /// The keys it has.
        known: &'static [&'static str],
    },
    /// A config's part without one of its keys.
    #[error("{part} has no {key:?}")]
    MissingKey {
        /// The part.
        part: String,
        /// The key.
        key: &'static str,
    },
    /// A config value that is not a string (`config.repository`, `specs[0].output`).
    #[error("{part}.{key} must be a string")]
    NotAString {
        /// The part (`config`, `specs[0]`).
        part: String,
        /// The key.
        key: String,
    },
    /// A config file of more or fewer than one YAML document.
    #[error("a library config is one YAML document")]
    NotOneDocument,
    /// `specs` is not a list.
    #[error("specs must be a list")]
    SpecsNotAList,
    /// A spec's `output` that would leave the output directory.
    #[error(
        "{spec}.output {output:?} must be a relative path inside the output directory (no '..', '.', empty or absolute parts)"
    )]
    OutputOutside {
        /// The spec (`specs[0]`).
        spec: String,
        /// The value.
        output: String,
    },
    /// A spec's `prefix` that is no regular expression.
    #[error("{spec}.prefix is not a valid pattern: {}", last_line(source))]
    BadPrefix {
        /// The spec.
        spec: String,
        /// The `regex` crate's error.
        source: regex::Error,
    },
    /// A spec's `crds` that is not a list.
    #[error("{0}.crds must be a list")]
    CrdsNotAList(String),
    /// A spec's `crds` entry that is not a string.
    #[error("{0}.crds entries must be strings")]
    CrdsEntryNotAString(String),
    /// A `crds` entry that is a URL.
    #[error("{0} is a URL: gwsonnet does not download; download it and list its local path")]
    CrdsEntryUrl(String),
    /// A `crds` entry that does not exist (as given, and resolved).
    #[error("crds entry {entry} does not exist ({})", path.display())]
    CrdsEntryMissing {
        /// The entry as written.
        entry: String,
        /// The path it names.
        path: PathBuf,
    },
}

/// What is wrong with a CustomResourceDefinition; `Display` follows its name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CrdProblem {
    /// No `spec`.
    #[error("has no spec")]
    NoSpec,
    /// No (or an empty) `spec.group`.
    #[error("has no spec.group")]
    NoGroup,
    /// A `spec.group` the API server refuses.
    #[error("has spec.group {0:?}: not a DNS subdomain (lowercase letters, digits, '-' and '.')")]
    GroupNotDnsSubdomain(String),
    /// No (or an empty) `spec.names.kind`.
    #[error("has no spec.names.kind")]
    NoKind,
    /// A `spec.versions` entry without a name.
    #[error("has a version without a name")]
    VersionWithoutName,
    /// A version name the API server refuses.
    #[error("has version name {0:?}: not a DNS label (lowercase letters, digits and '-')")]
    VersionNotDnsLabel(String),
    /// A `spec.versions` entry without a schema (and no top-level one).
    #[error("version {0} has no schema.openAPIV3Schema")]
    VersionWithoutSchema(String),
    /// A v1beta1 `spec.version` without `spec.validation.openAPIV3Schema`.
    #[error("version {0} has no schema (spec.validation.openAPIV3Schema)")]
    LegacyVersionWithoutSchema(String),
    /// Neither `spec.versions` nor `spec.version`.
    #[error("has no spec.versions")]
    NoVersions,
}

/// The last line of a `regex` crate error (the others quote the pattern).
fn last_line(e: &regex::Error) -> String {
    e.to_string().lines().last().unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_render_the_loaders_words() {
        let p = LibraryProblem::Crd {
            name: "routes.x.io".into(),
            problem: CrdProblem::VersionNotDnsLabel("V1".into()),
        };
        assert_eq!(
            p.to_string(),
            "CustomResourceDefinition routes.x.io has version name \"V1\": not a DNS label \
             (lowercase letters, digits and '-')"
        );
        let p = LibraryProblem::UnknownKey {
            key: "x".into(),
            part: "specs[0]".into(),
            known: &["output", "prefix"],
        };
        assert_eq!(
            p.to_string(),
            "unknown key \"x\" in specs[0] (known: output, prefix)"
        );
        // An invalid pattern is the point here.
        #[allow(clippy::invalid_regex)]
        let source = regex::Regex::new("(").unwrap_err();
        let p = LibraryProblem::BadPrefix {
            spec: "specs[1]".into(),
            source,
        };
        assert_eq!(
            p.to_string(),
            "specs[1].prefix is not a valid pattern: error: unclosed group"
        );
    }
}
