//! The Kubernetes versions built into the binary, from `lib/k8s/openapi/`.
//!
//! The data is derived from the upstream OpenAPI documents by [`super::compact`]
//! (`cargo run --example k8s_openapi`; a test checks that the committed files are what
//! it derives from `../shared`), in two parts:
//! - `definitions.jsonl`: every distinct definition of all versions, one a line, as
//!   `<name>\t<compact JSON>` (a definition that did not change between versions is
//!   stored once);
//! - `<major.minor>.json` per version: its source file and checksum, and its
//!   definitions as `[line, in library (0/1), [group/version/Kind, ...]]`.
//!
//! Nothing is read at start-up. The first import of a version parses its small index
//! and finds its lines; a definition's JSON is parsed when a kind that uses it is
//! first used.

use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use super::{Definitions, Gvk, Listed};
use crate::model::{Library, LibraryError};

/// The built-in versions (`major.minor`) and the upstream file each is derived from,
/// oldest first.
pub const SOURCES: &[(&str, &str)] = &[
    ("1.28", "swagger-v1.28.0.json"),
    ("1.30", "swagger-v1.30.0.json"),
    ("1.31", "swagger-v1.31.0.json"),
    ("1.32", "swagger-v1.32.0.json"),
    ("1.33", "swagger-v1.33.0.json"),
    ("1.34", "swagger-v1.34.0.json"),
    ("1.35", "definitions-v1.35.0.json"),
    ("1.36", "swagger-v1.36.0.json"),
];

/// Every distinct definition, one a line.
const DEFINITIONS: &str = include_str!("../../lib/k8s/openapi/definitions.jsonl");

/// Each version's index, in the order of [`SOURCES`].
const INDEXES: &[&str] = &[
    include_str!("../../lib/k8s/openapi/1.28.json"),
    include_str!("../../lib/k8s/openapi/1.30.json"),
    include_str!("../../lib/k8s/openapi/1.31.json"),
    include_str!("../../lib/k8s/openapi/1.32.json"),
    include_str!("../../lib/k8s/openapi/1.33.json"),
    include_str!("../../lib/k8s/openapi/1.34.json"),
    include_str!("../../lib/k8s/openapi/1.35.json"),
    include_str!("../../lib/k8s/openapi/1.36.json"),
];

/// The part of a version's index the library needs (the file also names its source
/// and the source's SHA-256, for people).
#[derive(Deserialize)]
struct Index {
    /// `[line, in library, [gvk keys]]` per definition, by name.
    definitions: Vec<(usize, u8, Vec<String>)>,
}

/// The built-in versions, oldest first.
pub fn versions() -> impl Iterator<Item = &'static str> {
    SOURCES.iter().map(|(v, _)| *v)
}

/// The newest built-in version.
pub fn newest() -> &'static str {
    SOURCES.last().map(|(v, _)| *v).unwrap_or_default()
}

/// The lines of `definitions.jsonl`, split once.
fn lines() -> &'static [&'static str] {
    static LINES: OnceLock<Vec<&'static str>> = OnceLock::new();
    LINES.get_or_init(|| {
        let mut lines = Vec::with_capacity(2048);
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', DEFINITIONS.as_bytes()) {
            lines.push(&DEFINITIONS[start..end]);
            start = end + 1;
        }
        lines
    })
}

/// Builds the library of built-in version `i` (an index into [`SOURCES`]).
fn build(i: usize) -> Result<Library, LibraryError> {
    let (version, _) = SOURCES[i];
    let bad = |m: String| LibraryError(format!("built-in lib/k8s/openapi/{version}.json: {m}"));
    let index: Index = serde_json::from_str(INDEXES[i]).map_err(|e| bad(e.to_string()))?;
    let lines = lines();
    let mut texts = Vec::with_capacity(index.definitions.len());
    let mut listing = Vec::with_capacity(index.definitions.len());
    for (line, in_library, gvks) in &index.definitions {
        let text = lines
            .get(*line)
            .ok_or_else(|| bad(format!("line {line} is not in definitions.jsonl")))?;
        let (name, json) = text
            .split_once('\t')
            .ok_or_else(|| bad(format!("definitions.jsonl line {line} has no name")))?;
        texts.push((name, json));
        let gvks = gvks
            .iter()
            .map(|k| Gvk::from_key(k).ok_or_else(|| bad(format!("bad kind {k:?}"))))
            .collect::<Result<Vec<_>, _>>()?;
        listing.push((name, *in_library == 1, gvks));
    }
    let defs = Arc::new(Definitions::from_texts(
        format!("built-in Kubernetes {version}"),
        texts,
    ));
    super::library(
        version,
        defs,
        listing.iter().map(|(name, in_library, gvks)| Listed {
            name,
            in_library: *in_library,
            gvks,
        }),
    )
}

/// The library of built-in version `version` (`1.30`), built on first use; `None` when
/// the version is not built in.
///
/// # Panics
/// If the embedded data is malformed: compiled-in data that the tests check, so this
/// cannot happen in a tested build.
pub fn library(version: &str) -> Option<&'static Library> {
    static LIBRARIES: [OnceLock<Library>; SOURCES.len()] =
        [const { OnceLock::new() }; SOURCES.len()];
    let i = SOURCES.iter().position(|(v, _)| *v == version)?;
    Some(
        LIBRARIES[i]
            .get_or_init(|| build(i).expect("the built-in Kubernetes data is valid (tested)")),
    )
}

/// The import root of built-in version `version`, without building its library.
pub fn import_root(version: &str) -> String {
    format!("{}/{version}", super::REPOSITORY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_version_builds_and_every_kind_loads() {
        assert_eq!(INDEXES.len(), SOURCES.len());
        for version in versions() {
            let lib = build(SOURCES.iter().position(|(v, _)| *v == version).unwrap()).unwrap();
            let kinds = lib.kinds().unwrap();
            assert!(kinds.len() > 450, "{version}: {}", kinds.len());
            let deployment = lib
                .slot("apps", "v1", "deployment")
                .unwrap()
                .kind()
                .unwrap()
                .unwrap();
            assert!(deployment.resource);
            assert_eq!(deployment.api_version(), "apps/v1");
        }
        assert_eq!(newest(), "1.36");
    }
}
