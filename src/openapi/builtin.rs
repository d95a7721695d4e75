//! The Kubernetes versions built into the binary, from `lib/k8s/openapi/`.
//!
//! The data is derived from the upstream OpenAPI documents by [`super::compact`]
//! (`cargo run --example k8s_openapi`; `tests/openapi.rs` checks that the committed
//! files are what it derives from `../shared`), in two parts:
//! - `definitions.jsonl`: every distinct definition of all versions, one a line, as
//!   `<name>\t<compact JSON>` (a definition that did not change between versions is
//!   stored once);
//! - `<major.minor>.json` per version: its source file and checksum, its
//!   definitions as `[start, end, in library (0/1), [group/version/Kind, ...]]` (the
//!   byte range of the definition's line), and the keys of its cluster-scoped kinds
//!   (`clusterScoped`, [`super::cluster_scoped`]). `build.rs` turns each into a Rust
//!   table ([`Index`]) that also holds the definitions' names.
//!
//! Nothing is read at start-up. The first import of a version (or the first object
//! validated against it, [`api_kinds`]) lays its library out from the table, without
//! reading the definitions' text; a definition's JSON is read and parsed (once, for
//! the library and the validator) and its schema converted when a kind that uses it
//! is first used.

use std::{
    borrow::Cow,
    ops::Range,
    sync::{Arc, OnceLock},
};

use super::{Definitions, Gvk, Listed};
use crate::model::{
    names, ApiKinds, BuiltInFile, BuiltInProblem, BuiltinVersions, Library, LibraryError,
    PlacedKind,
};

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

/// One definition of a version's index.
struct Entry {
    /// The definition name.
    name: &'static str,
    /// The byte range of its JSON in [`DEFINITIONS`].
    json: Range<usize>,
    /// The library serves it.
    in_library: bool,
    /// Its kinds, as [`Gvk::key`]s.
    gvks: &'static [&'static str],
}

/// A kind of a version's library, laid out by `build.rs` (with
/// [`crate::model::names::lay_out`]); who it is follows from its definition
/// ([`crate::model::names::identity`]), so the table holds only the place.
struct Laid {
    /// The number of its definition in [`Index::definitions`].
    definition: u16,
    group_key: &'static str,
    version_key: &'static str,
    kind_key: &'static str,
}

/// A version's index as `build.rs` writes it from `lib/k8s/openapi/<version>.json`
/// (whose source file name and checksum are for people).
struct Index {
    /// Its definitions, in the index's order.
    definitions: &'static [Entry],
    /// The keys of the cluster-scoped kinds.
    cluster_scoped: &'static [&'static str],
    /// The library's kinds, sorted by place (group key, version key, kind key).
    layout: &'static [Laid],
}

include!(concat!(env!("OUT_DIR"), "/k8s_indexes.rs"));

/// Each version's index, in the order of [`SOURCES`].
const INDEXES: [&Index; SOURCES.len()] = [
    &INDEX_1_28,
    &INDEX_1_30,
    &INDEX_1_31,
    &INDEX_1_32,
    &INDEX_1_33,
    &INDEX_1_34,
    &INDEX_1_35,
    &INDEX_1_36,
];

/// What the index of one built-in version says of each definition: name, whether the
/// library serves it, its kinds.
type Listing = Vec<(&'static str, bool, Vec<Gvk>)>;

fn listed(listing: &Listing) -> impl Iterator<Item = Listed<'_>> {
    listing.iter().map(|(name, in_library, gvks)| Listed {
        name,
        in_library: *in_library,
        gvks,
    })
}

/// The built-in versions, oldest first.
pub fn versions() -> impl Iterator<Item = &'static str> {
    SOURCES.iter().map(|(v, _)| *v)
}

/// The newest built-in version.
pub fn newest() -> &'static str {
    SOURCES.last().map(|(v, _)| *v).unwrap_or_default()
}

/// The definitions of built-in version `i` (an index into [`SOURCES`]), shared by its
/// library and its kinds: nothing is parsed and no definition's text is read (each is
/// read and parsed when first used).
fn definitions(i: usize) -> &'static Arc<Definitions> {
    static DEFINITIONS_OF: [OnceLock<Arc<Definitions>>; SOURCES.len()] =
        [const { OnceLock::new() }; SOURCES.len()];
    DEFINITIONS_OF[i].get_or_init(|| {
        Arc::new(Definitions::from_lines(
            format!("built-in Kubernetes {}", SOURCES[i].0),
            DEFINITIONS,
            INDEXES[i]
                .definitions
                .iter()
                .map(|e| (e.name, e.json.clone())),
        ))
    })
}

/// Reads the index of built-in version `i`: each definition's kinds.
fn read_listing(i: usize) -> Result<Listing, LibraryError> {
    let version = SOURCES[i].0;
    INDEXES[i]
        .definitions
        .iter()
        .map(|e| {
            let gvks = e
                .gvks
                .iter()
                .map(|k| {
                    Gvk::from_key(k).ok_or_else(|| LibraryError::BuiltIn {
                        file: BuiltInFile::Data(format!("k8s/openapi/{version}.json")),
                        problem: BuiltInProblem::BadKind((*k).to_owned()),
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok((e.name, e.in_library, gvks))
        })
        .collect()
}

/// Builds the library of built-in version `i` from its layout table.
fn build(i: usize) -> Result<Library, LibraryError> {
    let defs = definitions(i);
    let kinds = INDEXES[i].layout.iter().map(|k| {
        let entry = &INDEXES[i].definitions[usize::from(k.definition)];
        // Checked by `build.rs`, which split the same keys.
        let last = entry.gvks.last().and_then(|g| names::split_kind_key(g));
        let (group, version, kind, resource) = names::identity(entry.name, k.version_key, last);
        let defs = defs.clone();
        PlacedKind {
            group_key: Cow::Borrowed(k.group_key),
            version_key: Cow::Borrowed(k.version_key),
            kind_key: Cow::Borrowed(k.kind_key),
            id: super::identity(group, version, kind, resource),
            load: Box::new(move || defs.library_schema(entry.name)),
        }
    });
    let mut lib = super::empty_library(SOURCES[i].0);
    // Sorted by place at build time: laid out as it comes.
    lib.add_sorted_placed_kinds(kinds)?;
    Ok(lib)
}

/// The kinds objects are validated against in built-in version `version` (`1.30`),
/// built on first use; `None` when the version is not built in.
pub fn api_kinds(version: &str) -> Option<&'static ApiKinds> {
    static KINDS: [OnceLock<ApiKinds>; SOURCES.len()] = [const { OnceLock::new() }; SOURCES.len()];
    let i = SOURCES.iter().position(|(v, _)| *v == version)?;
    Some(KINDS[i].get_or_init(|| {
        let listing = read_listing(i).expect("the built-in Kubernetes data is valid (tested)");
        let cluster = INDEXES[i]
            .cluster_scoped
            .iter()
            .map(|k| (*k).to_owned())
            .collect();
        super::api_kinds(definitions(i), listed(&listing), &cluster)
    }))
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

/// The built-in Kubernetes versions as the registry takes them
/// (`crate::model::Registry::builtin(&KUBERNETES)`).
pub static KUBERNETES: Kubernetes = Kubernetes;

/// The catalogue of built-in Kubernetes versions ([`KUBERNETES`]).
#[derive(Debug)]
pub struct Kubernetes;

impl BuiltinVersions for Kubernetes {
    fn repository(&self) -> &'static str {
        super::REPOSITORY
    }

    fn versions(&self) -> Vec<&'static str> {
        versions().collect()
    }

    fn library(&self, version: &str) -> Option<&'static Library> {
        library(version)
    }

    fn api_kinds(&self, version: &str) -> Option<&'static ApiKinds> {
        api_kinds(version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The layout `build.rs` makes is the one the run time makes of the same index
    /// (as for an `--openapi` document): the same places and, for 1.30, the same kinds.
    #[test]
    fn the_build_time_layout_is_the_run_time_layout() {
        for (i, (version, _)) in SOURCES.iter().enumerate() {
            let built = build(i).unwrap();
            let listing = read_listing(i).unwrap();
            let run_time =
                super::super::library(version, definitions(i).clone(), listed(&listing)).unwrap();
            assert_eq!(format!("{built:?}"), format!("{run_time:?}"), "{version}");
            assert!(built.carried_names().len() > 450, "{version}");
            if *version == "1.30" {
                let identity = |lib: &Library| -> Vec<(String, String, bool)> {
                    lib.kinds()
                        .unwrap()
                        .iter()
                        .map(|k| (k.api_version(), k.kind.clone(), k.resource))
                        .collect()
                };
                assert_eq!(identity(&built), identity(&run_time));
            }
        }
    }

    #[test]
    fn every_built_in_version_builds_and_every_kind_loads() {
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

    /// The upstream documents in `../shared`, or `None` (the tests print `skipped:`).
    fn upstream() -> Option<Vec<(&'static str, &'static str, Vec<u8>)>> {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/kubernetes/openapi");
        if !dir.is_dir() {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{} is absent, and CI=true: ../shared is required in CI",
                dir.display()
            );
            println!("skipped: {} is absent", dir.display());
            return None;
        }
        Some(
            SOURCES
                .iter()
                .map(|(v, f)| (*v, *f, std::fs::read(dir.join(f)).unwrap()))
                .collect(),
        )
    }

    #[test]
    fn the_fixed_cluster_scoped_list_agrees_with_the_upstream_paths() {
        let Some(docs) = upstream() else { return };
        let mut listed_and_seen = BTreeSet::new();
        for (version, _, bytes) in docs {
            let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            let Some(paths) = doc.get("paths") else {
                continue;
            };
            let gvks: Vec<Gvk> = doc["definitions"]
                .as_object()
                .unwrap()
                .iter()
                .flat_map(|(name, def)| super::super::classify(name, def).gvks)
                .collect();
            let by_paths = super::super::cluster_scoped(Some(paths), &gvks);
            let by_list = super::super::cluster_scoped(None, &gvks);
            assert_eq!(by_paths, by_list, "{version}");
            listed_and_seen.extend(by_paths.iter().filter_map(|k| {
                let g = Gvk::from_key(k)?;
                Some((g.group, g.kind))
            }));
        }
        let listed: BTreeSet<(String, String)> = super::super::CLUSTER_SCOPED_KINDS
            .iter()
            .map(|(g, k)| (g.to_string(), k.to_string()))
            .collect();
        let stale: Vec<_> = listed.difference(&listed_and_seen).collect();
        // Kinds that only paths name (no definition carries their kind) are listed
        // for documents whose definitions do.
        assert!(
            stale.iter().all(|(_, k)| k.ends_with("Options")
                || k == "ClusterCIDR"
                || k == "ResourceClass"
                || k == "ResourcePoolStatusRequest"),
            "{stale:?}"
        );
    }

    #[test]
    fn every_kind_of_the_document_is_found_with_its_scope() {
        let kinds = api_kinds("1.36").unwrap();
        assert!(kinds.len() > 300, "{}", kinds.len());
        let crd = kinds
            .find("apiextensions.k8s.io/v1", "CustomResourceDefinition")
            .unwrap()
            .unwrap();
        assert_eq!(crd.scope, crate::model::Scope::Cluster);
        assert_eq!(crd.dialect, crate::model::Dialect::OpenApiV2);
        let ns = kinds.find("v1", "Namespace").unwrap().unwrap();
        assert_eq!(ns.scope, crate::model::Scope::Cluster);
        let d = kinds.find("apps/v1", "Deployment").unwrap().unwrap();
        assert_eq!(d.scope, crate::model::Scope::Namespaced);
        assert!(d.schema.properties()["spec"]
            .properties()
            .contains_key("template"));
        // Every kind of a definition with several: DeleteOptions names one per group.
        assert!(kinds.find("apps/v1", "DeleteOptions").is_some());
        assert!(kinds.find("batch/v1", "DeleteOptions").is_some());
        assert!(kinds.find("apps/v1", "Nope").is_none());
        // 1.35 has no paths: its scopes come from the fixed list.
        let old = api_kinds("1.35").unwrap();
        let pv = old.find("v1", "PersistentVolume").unwrap().unwrap();
        assert_eq!(pv.scope, crate::model::Scope::Cluster);
    }
}
