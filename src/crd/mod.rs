//! The CRD loader: CustomResourceDefinition YAML turned into [`Library`] values for the
//! [`crate::model::Registry`], so any CRD is a native library.
//!
//! Inputs (read by [`crate::cli`]): `--crds PATH` and `GWSONNET_CRDS` (files, or folders
//! whose `.yaml`/`.yml`/`.json` files are read in name order; multi-document streams;
//! documents that are not CRDs are skipped) and `--crd-library FILE` (a jsonnet-libs
//! generator config, [`config`]). Where a CRD's kinds go:
//! - a Gateway API bundle (annotations `gateway.networking.k8s.io/bundle-version: vX.Y.Z`
//!   and `gateway.networking.k8s.io/channel`) → library `X.Y` or `X.Y-experimental` of
//!   `github.com/jsonnet-libs/gateway-api-libsonnet`, filtered by that channel's
//!   generator prefix, exactly as jsonnet-libs publishes it;
//! - any other CRD → the library of its API group at import root
//!   `gwsonnet/crds/<api group>` (docsonnet name: the group key), e.g.
//!   `import 'gwsonnet/crds/metallb.io/main.libsonnet'` → `.metallb.v1beta1.ipAddressPool`
//!   ([`crate::model::NATIVE_REPOSITORY`]; a stable, documented path);
//! - a `--crd-library` spec → `<repository>/<output>` with the spec's prefix.
//!
//! Every `spec.versions[]` entry becomes a kind (`served: false` too, marked so). `metadata` is
//! always the built-in k8s 1.23.4 ObjectMeta model (`lib/k8s/objectMeta-1.23.4.json`), as
//! the generator does. Loading parses the YAML (to find kinds and check them); a
//! schema is converted to the model only when its kind is first used.
//!
//! Every bad input is one [`Error::Library`] naming `file:line`.

mod config;
pub(crate) mod yaml;

use std::{
    collections::{BTreeMap, HashMap},
    path::{Path, PathBuf},
    sync::{Arc, OnceLock},
};

use regex::Regex;

use crate::error::Error;
use crate::error::{CrdProblem, LibraryProblem, UsageError};
use crate::model::{
    BuiltInFile, BuiltInProblem, CrdOrigin, CrdSchema, CrdVersionProblem, KindName, Library,
    LibraryError, Registry, Schema, Scope,
};
use yaml::Node;

/// The repository of the Gateway API libraries.
const GATEWAY_REPOSITORY: &str = "github.com/jsonnet-libs/gateway-api-libsonnet";
/// The docsonnet name of the Gateway API libraries.
const GATEWAY_LOCAL_NAME: &str = "gateway-api";
/// The generator's prefixes of the two Gateway API channels.
const GATEWAY_PREFIX_STANDARD: &str = r"^io\.k8s\.networking\.gateway\..*";
const GATEWAY_PREFIX_EXPERIMENTAL: &str = r"^io\.(x-)?k8s\.networking\.gateway\..*";

/// The built-in ObjectMeta every kind's `metadata` is.
const OBJECT_META: &str = include_str!("../../lib/k8s/objectMeta-1.23.4.json");

/// Where the libraries come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    /// `GWSONNET_CRDS` entries, then `--crds` paths: files or folders.
    pub crds: Vec<PathBuf>,
    /// Where each entry of `crds` was given, in the same order (an entry without one
    /// was given with `--crds`): for messages.
    pub crds_given: Vec<Given>,
    /// `--crd-library` config files.
    pub configs: Vec<PathBuf>,
    /// `GWSONNET_OPENAPI` entries, then `--openapi` documents: Kubernetes versions
    /// ([`crate::openapi::load_file`]).
    pub openapi: Vec<OpenApiSource>,
    /// `--kube-version`: the Kubernetes version to validate against (and to generate).
    pub kube_version: Option<String>,
}

/// Where a [`Sources::crds`] entry was given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Given {
    /// `--crds PATH`.
    #[default]
    Flag,
    /// An entry of `GWSONNET_CRDS`.
    Env,
    /// The `crds/` folder of a Tanka project.
    Project,
}

impl Given {
    /// How messages name the entry `path` given this way.
    pub fn describe(self, path: &Path) -> String {
        match self {
            Self::Flag => format!("--crds {}", path.display()),
            Self::Env => format!("GWSONNET_CRDS {}", path.display()),
            Self::Project => format!("the project's crds/ folder {}", path.display()),
        }
    }
}

impl Sources {
    /// Where the `i`th entry of `crds` was given.
    pub fn given(&self, i: usize) -> Given {
        self.crds_given.get(i).copied().unwrap_or_default()
    }

    /// Adds the `crds/` folder of a Tanka project before the other CRD entries.
    pub fn add_project_crds(&mut self, dir: PathBuf) {
        self.crds_given.resize(self.crds.len(), Given::Flag);
        self.crds.insert(0, dir);
        self.crds_given.insert(0, Given::Project);
    }

    /// Every file the loader reads for these sources, in the order it reads them: CRD
    /// files (a folder's `.yaml`, `.yml` and `.json` files), `--crd-library` configs
    /// and the CRD paths they list, `--openapi` documents. What the libraries are made
    /// of, for a fingerprint of them (the export cache's key); a path that cannot be
    /// read is an error, as loading it would be.
    pub fn input_files(&self) -> Result<Vec<PathBuf>, Error> {
        let mut files = Vec::new();
        for path in &self.crds {
            files.extend(crd_files(path)?);
        }
        for file in &self.configs {
            files.push(file.clone());
            for spec in config::read(file)?.specs {
                for (path, _) in spec.crds {
                    files.extend(crd_files(&path)?);
                }
            }
        }
        files.extend(self.openapi.iter().map(|o| o.file.clone()));
        Ok(files)
    }

    /// No source given.
    pub fn is_empty(&self) -> bool {
        self.crds.is_empty()
            && self.configs.is_empty()
            && self.openapi.is_empty()
            && self.kube_version.is_none()
    }
}

/// One `--openapi [VERSION=]FILE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenApiSource {
    /// The version given before `=` (`1.30`), if any.
    pub version: Option<String>,
    /// The document.
    pub file: PathBuf,
}

impl OpenApiSource {
    /// Reads `1.30=FILE` or `FILE` (a prefix before `=` that is not a version is part
    /// of the file name).
    pub fn parse(value: &str) -> Self {
        if let Some((v, file)) = value.split_once('=') {
            if let Some(version) = crate::openapi::minor_version(v) {
                return Self {
                    version: Some(version),
                    file: PathBuf::from(file),
                };
            }
        }
        Self {
            version: None,
            file: PathBuf::from(value),
        }
    }
}

/// One version of a CRD.
struct CrdVersion {
    name: String,
    line: usize,
    /// Index into `spec.versions`, or `None` for a v1beta1 CRD's top-level
    /// `spec.validation`.
    index: Option<usize>,
    /// False when the version says `served: false`.
    served: bool,
}

/// One CustomResourceDefinition document.
struct Crd {
    /// `metadata.name`.
    name: String,
    file: Arc<Path>,
    doc: Arc<Node>,
    /// The file's schemas, parsed when first used.
    deferred: Arc<yaml::Deferred>,
    group: String,
    kind: String,
    scope: Scope,
    versions: Vec<CrdVersion>,
    /// Gateway API bundle: (`X.Y`, experimental channel).
    bundle: Option<(String, bool)>,
}

impl Crd {
    /// The `openAPIV3Schema` node of version `v`, its YAML parsed on first use.
    fn schema_node(&self, v: &CrdVersion) -> Result<Option<&Node>, yaml::SyntaxError> {
        let found = self.doc.get("spec").and_then(|spec| match v.index {
            Some(i) => spec
                .get("versions")?
                .as_seq()?
                .get(i)?
                .at(&["schema", "openAPIV3Schema"]),
            None => spec.at(&["validation", "openAPIV3Schema"]),
        });
        found.map(|n| self.deferred.resolve(n)).transpose()
    }

    /// The field path of each version's schema as the API server reports it: a v1 CRD
    /// whose versions all have the same schema is stored with one, at
    /// `spec.validation` (the conversion to the internal version hoists it), as is a
    /// v1beta1 top-level schema. Each version's schema is read once.
    fn schema_paths(&self) -> Vec<String> {
        let top = "spec.validation.openAPIV3Schema";
        let json: Vec<Option<serde_json::Value>> = self
            .versions
            .iter()
            .map(|v| {
                v.index?;
                self.schema_node(v).ok().flatten().map(Node::to_json)
            })
            .collect();
        let shared = json.windows(2).all(|w| w[0] == w[1]);
        self.versions
            .iter()
            .map(|v| match v.index {
                Some(i) if !shared => format!("spec.versions[{i}].schema.openAPIV3Schema"),
                _ => top.to_owned(),
            })
            .collect()
    }

    /// The generator's definition name: reversed group labels, version, kind.
    fn definition_name(&self, version: &str) -> String {
        let mut labels: Vec<&str> = self.group.split('.').collect();
        labels.reverse();
        format!("{}.{version}.{}", labels.join("."), self.kind)
    }
}

/// A `file:line` library error.
pub(crate) fn at(file: &Path, line: usize, problem: impl Into<LibraryProblem>) -> Error {
    Error::Library {
        file: file.to_owned(),
        line,
        problem: Box::new(problem.into()),
    }
}

/// The CRD files of a source path: the file itself, or a folder's `.yaml`, `.yml` and
/// `.json` files in name order (subfolders are not read).
fn crd_files(path: &Path) -> Result<Vec<PathBuf>, Error> {
    if !path.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let entries = std::fs::read_dir(path).map_err(|e| Error::io("reading", path, e))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| matches!(x, "yaml" | "yml" | "json"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Files already read, by path, so a file named twice is parsed once.
#[derive(Default)]
struct Cache {
    files: HashMap<PathBuf, Arc<Vec<Arc<Crd>>>>,
}

impl Cache {
    /// The CRDs of a file or folder (folders: `.yaml`, `.yml`, `.json` files in name
    /// order). `origin` names where the path was given, for a missing path.
    fn crds_of(
        &mut self,
        path: &Path,
        origin: Option<(&Path, usize)>,
    ) -> Result<Vec<Arc<Crd>>, Error> {
        let meta = std::fs::metadata(path).map_err(|e| match origin {
            Some((file, line)) => at(
                file,
                line,
                LibraryProblem::CrdsEntryUnreadable {
                    path: path.to_owned(),
                    source: e,
                },
            ),
            None => Error::io("reading CRDs from", path, e),
        })?;
        if !meta.is_dir() {
            return Ok(self.file(path)?.to_vec());
        }
        let mut out = Vec::new();
        for f in crd_files(path)? {
            out.extend(self.file(&f)?.iter().cloned());
        }
        Ok(out)
    }

    fn file(&mut self, path: &Path) -> Result<Arc<Vec<Arc<Crd>>>, Error> {
        if let Some(done) = self.files.get(path) {
            return Ok(done.clone());
        }
        let text = std::fs::read_to_string(path).map_err(|e| Error::io("reading", path, e))?;
        let file: Arc<Path> = Arc::from(path);
        // Schemas are most of a CRD: their YAML is parsed when their kind is used.
        let (docs, deferred) =
            yaml::parse_stream_deferring(text, "openAPIV3Schema", &deferred_only_in_schemas)
                .map_err(|e| at(path, e.line, LibraryProblem::Yaml(e.message)))?;
        let deferred = Arc::new(deferred);
        let mut crds = Vec::new();
        for doc in docs {
            if let Some(crd) = read_crd(&file, doc, &deferred)? {
                crds.push(Arc::new(crd));
            }
        }
        let crds = Arc::new(crds);
        self.files.insert(path.to_owned(), crds.clone());
        Ok(crds)
    }
}

/// Whether every deferred block of `doc` is a CRD schema (`spec.versions[*].schema.
/// openAPIV3Schema` or `spec.validation.openAPIV3Schema`), the only places the loader
/// resolves them.
fn deferred_only_in_schemas(doc: &Node) -> bool {
    fn count(n: &Node) -> usize {
        match &n.value {
            yaml::Value::Deferred(_) => 1,
            yaml::Value::Seq(items) => items.iter().map(count).sum(),
            yaml::Value::Map(entries) => entries.iter().map(|(_, v)| count(v)).sum(),
            _ => 0,
        }
    }
    let is_deferred =
        |n: Option<&Node>| matches!(n, Some(n) if matches!(n.value, yaml::Value::Deferred(_)));
    let spec = doc.get("spec");
    let mut in_schemas = usize::from(is_deferred(
        spec.and_then(|s| s.at(&["validation", "openAPIV3Schema"])),
    ));
    if let Some(versions) = spec.and_then(|s| s.get("versions")).and_then(Node::as_seq) {
        in_schemas += versions
            .iter()
            .filter(|v| is_deferred(v.at(&["schema", "openAPIV3Schema"])))
            .count();
    }
    count(doc) == in_schemas
}

/// A DNS-1123 label as the API server checks a CRD's version names: at most 63 lowercase
/// letters, digits and inner `-`. (The API server also wants a leading letter; digits
/// are let through here, as nothing below depends on it.)
fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A DNS-1123 subdomain as the API server checks `spec.group`: dot-separated labels, at
/// most 253 bytes. Such a name is always one plain path component.
fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns_label)
}

/// Where a CRD's errors point: its file, and its name for the message.
struct CrdSite<'a> {
    file: &'a Path,
    name: String,
}

impl CrdSite<'_> {
    /// `CustomResourceDefinition NAME PROBLEM` at `line` of the CRD's file.
    fn fail(&self, line: usize, problem: CrdProblem) -> Error {
        at(
            self.file,
            line,
            LibraryProblem::Crd {
                name: self.name.clone(),
                problem,
            },
        )
    }

    /// A version name the API server accepts (a DNS label), else an error at `line`.
    fn check_version_name(&self, v: &str, line: usize) -> Result<(), Error> {
        if is_dns_label(v) {
            Ok(())
        } else {
            Err(self.fail(line, CrdProblem::VersionNotDnsLabel(v.to_owned())))
        }
    }
}

/// The CRD a document defines, `None` for any other document.
fn read_crd(
    file: &Arc<Path>,
    doc: Node,
    deferred: &Arc<yaml::Deferred>,
) -> Result<Option<Crd>, Error> {
    let is_crd = doc.get("kind").and_then(Node::as_str) == Some("CustomResourceDefinition")
        && doc
            .get("apiVersion")
            .and_then(Node::as_str)
            .is_some_and(|v| v.starts_with("apiextensions.k8s.io/"));
    if !is_crd {
        return Ok(None);
    }
    let site = CrdSite {
        file,
        name: doc
            .at(&["metadata", "name"])
            .and_then(Node::as_str)
            .unwrap_or("(unnamed)")
            .to_owned(),
    };
    let Some(spec) = doc.get("spec") else {
        return Err(site.fail(doc.line, CrdProblem::NoSpec));
    };
    let group = spec
        .get("group")
        .and_then(Node::as_str)
        .filter(|g| !g.is_empty())
        .ok_or_else(|| site.fail(spec.line, CrdProblem::NoGroup))?
        .to_owned();
    // The API server refuses other names; here they would also become paths below `--out`.
    if !is_dns_subdomain(&group) {
        return Err(site.fail(
            spec.key_line("group").unwrap_or(spec.line),
            CrdProblem::GroupNotDnsSubdomain(group.clone()),
        ));
    }
    let kind = spec
        .at(&["names", "kind"])
        .and_then(Node::as_str)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| site.fail(spec.line, CrdProblem::NoKind))?
        .to_owned();
    let scope = match spec.get("scope").and_then(Node::as_str) {
        Some("Cluster") => Scope::Cluster,
        _ => Scope::Namespaced,
    };
    let versions = read_versions(&site, spec)?;
    let bundle = read_bundle(file, &doc)?;
    Ok(Some(Crd {
        name: site.name,
        file: file.clone(),
        doc: Arc::new(doc),
        deferred: deferred.clone(),
        group,
        kind,
        scope,
        versions,
        bundle,
    }))
}

/// A CRD's versions: `spec.versions` (each with its own schema or the v1beta1
/// top-level `spec.validation` one), else a v1beta1 `spec.version`.
fn read_versions(site: &CrdSite, spec: &Node) -> Result<Vec<CrdVersion>, Error> {
    let top_schema = spec.at(&["validation", "openAPIV3Schema"]).is_some();
    let mut versions = Vec::new();
    match spec.get("versions").and_then(Node::as_seq) {
        Some(list) if !list.is_empty() => {
            for (i, v) in list.iter().enumerate() {
                let vname = v
                    .get("name")
                    .and_then(Node::as_str)
                    .filter(|n| !n.is_empty())
                    .ok_or_else(|| site.fail(v.line, CrdProblem::VersionWithoutName))?;
                site.check_version_name(vname, v.key_line("name").unwrap_or(v.line))?;
                let has_schema = v.at(&["schema", "openAPIV3Schema"]).is_some();
                if !has_schema && !top_schema {
                    return Err(
                        site.fail(v.line, CrdProblem::VersionWithoutSchema(vname.to_owned()))
                    );
                }
                versions.push(CrdVersion {
                    name: vname.to_owned(),
                    line: v.line,
                    index: has_schema.then_some(i),
                    served: v.get("served").map(Node::to_json)
                        != Some(serde_json::Value::Bool(false)),
                });
            }
        }
        _ => match spec.get("version").and_then(Node::as_str) {
            Some(v) if top_schema => {
                let line = spec.key_line("version").unwrap_or(spec.line);
                site.check_version_name(v, line)?;
                versions.push(CrdVersion {
                    name: v.to_owned(),
                    line,
                    index: None,
                    served: true,
                })
            }
            Some(v) => {
                return Err(site.fail(
                    spec.line,
                    CrdProblem::LegacyVersionWithoutSchema(v.to_owned()),
                ))
            }
            None => return Err(site.fail(spec.line, CrdProblem::NoVersions)),
        },
    }
    Ok(versions)
}

/// The Gateway API bundle a CRD belongs to, from its `bundle-version` and `channel`
/// annotations: `(minor version, experimental)`, `None` for other CRDs.
fn read_bundle(file: &Path, doc: &Node) -> Result<Option<(String, bool)>, Error> {
    let annotations = doc.at(&["metadata", "annotations"]);
    let annotation = |k: &str| annotations.and_then(|a| a.get(k)).and_then(Node::as_str);
    let Some(v) = annotation("gateway.networking.k8s.io/bundle-version") else {
        return Ok(None);
    };
    let line = annotations
        .and_then(|a| a.key_line("gateway.networking.k8s.io/bundle-version"))
        .unwrap_or(doc.line);
    let mut parts = v.trim_start_matches('v').split('.');
    let minor = match (parts.next(), parts.next()) {
        (Some(x), Some(y)) if !x.is_empty() && !y.is_empty() => format!("{x}.{y}"),
        _ => return Err(at(file, line, LibraryProblem::BundleVersion(v.to_owned()))),
    };
    let experimental = match annotation("gateway.networking.k8s.io/channel") {
        Some("experimental") => true,
        Some("standard") | None => false,
        Some(other) => return Err(at(file, line, LibraryProblem::Channel(other.to_owned()))),
    };
    Ok(Some((minor, experimental)))
}

/// A library being assembled, with where each of its kinds came from.
struct Building {
    library: Library,
    /// `group/version/Kind` → (the CRD, its version) that defined it.
    origins: BTreeMap<String, (Arc<Crd>, usize)>,
    /// The sources that gave it kinds (`--crds DIR`, …), in order, for messages.
    given: Vec<String>,
}

/// The libraries being assembled, by import root, in first-seen order.
#[derive(Default)]
struct Libraries {
    order: Vec<String>,
    by_root: HashMap<String, Building>,
}

impl Libraries {
    fn library(&mut self, local_name: &str, repository: &str, output: &str) -> &mut Building {
        let root = format!("{repository}/{output}");
        if !self.by_root.contains_key(&root) {
            self.order.push(root.clone());
        }
        self.by_root.entry(root).or_insert_with(|| Building {
            library: Library::new(local_name, repository, output),
            origins: BTreeMap::new(),
            given: Vec::new(),
        })
    }

    fn into_vec(mut self) -> Vec<Library> {
        self.order
            .iter()
            .filter_map(|r| self.by_root.remove(r))
            .map(|b| b.library.with_origin(b.given.join(", ")))
            .collect()
    }
}

impl Building {
    /// Notes that `source` gave the library kinds.
    fn given_by(&mut self, source: &str) {
        if !self.given.iter().any(|g| g == source) {
            self.given.push(source.to_owned());
        }
    }

    /// Adds the versions of `crd` whose definition names match `prefix`.
    fn add(&mut self, crd: &Arc<Crd>, prefix: Option<&Regex>) -> Result<(), Error> {
        // One origin for all versions: the API server refuses or accepts the whole CRD.
        let (paths, schemas) = (crd.clone(), crd.clone());
        let origin = Arc::new(CrdOrigin::new(
            crd.name.clone(),
            move || crd_schemas(&paths),
            move |vi| kind_schema(&schemas, vi).ok(),
        ));
        for (vi, v) in crd.versions.iter().enumerate() {
            if prefix.is_some_and(|p| !p.is_match(&crd.definition_name(&v.name))) {
                continue;
            }
            let id = format!("{}/{} {}", crd.group, v.name, crd.kind);
            if let Some((other, ovi)) = self.origins.get(&id) {
                if same_definition(other, *ovi, crd, vi) {
                    continue;
                }
                let problem = LibraryProblem::DefinedDifferently {
                    kind: KindName {
                        group: crd.group.clone(),
                        version: v.name.clone(),
                        kind: crd.kind.clone(),
                    },
                    file: other.file.to_path_buf(),
                    line: other.versions[*ovi].line,
                };
                return Err(at(&crd.file, v.line, problem));
            }
            let source = crd.clone();
            let loader = Box::new(move || kind_schema(&source, vi));
            self.library
                .add_scoped_kind(&crd.group, &v.name, &crd.kind, crd.scope, loader)
                .map_err(|e| at(&crd.file, v.line, e))?;
            if !v.served {
                self.library.mark_not_served(&crd.group, &v.name, &crd.kind);
            }
            self.library
                .set_crd_origin(&crd.group, &v.name, &crd.kind, origin.clone());
            self.origins.insert(id, (crd.clone(), vi));
        }
        Ok(())
    }
}

/// The schemas of `crd` as the API server keeps them: one per distinct field path
/// ([`Crd::schema_paths`]), with the versions that have it.
fn crd_schemas(crd: &Crd) -> Vec<CrdSchema> {
    let mut out: Vec<CrdSchema> = Vec::new();
    for (vi, path) in crd.schema_paths().into_iter().enumerate() {
        let version = crd.versions[vi].name.clone();
        match out.iter_mut().find(|s| s.path == path) {
            Some(s) => s.versions.push(version),
            None => out.push(CrdSchema {
                path,
                versions: vec![version],
                index: vi,
            }),
        }
    }
    out
}

/// Whether two CRD versions define the same kind the same way.
fn same_definition(a: &Crd, ai: usize, b: &Crd, bi: usize) -> bool {
    let sa = a.schema_node(&a.versions[ai]).map(|n| n.map(Node::to_json));
    let sb = b.schema_node(&b.versions[bi]).map(|n| n.map(Node::to_json));
    a.scope == b.scope && sa.is_ok() && sa == sb
}

/// The built-in ObjectMeta as JSON, parsed once.
fn object_meta() -> Result<&'static serde_json::Value, LibraryError> {
    static META: OnceLock<Result<serde_json::Value, BuiltInProblem>> = OnceLock::new();
    META.get_or_init(|| serde_json::from_str(OBJECT_META).map_err(BuiltInProblem::from))
        .as_ref()
        .map_err(|problem| LibraryError::BuiltIn {
            file: BuiltInFile::Data("k8s/objectMeta-1.23.4.json".to_owned()),
            problem: problem.clone(),
        })
}

/// The model schema of version `vi` of `crd`: its `openAPIV3Schema` with `metadata`
/// replaced by the built-in ObjectMeta.
fn kind_schema(crd: &Crd, vi: usize) -> Result<Schema, LibraryError> {
    let v = &crd.versions[vi];
    let fail = |line: usize, problem: CrdVersionProblem| LibraryError::CrdVersion {
        file: crd.file.to_path_buf(),
        line,
        problem,
    };
    let mut json = crd
        .schema_node(v)
        .map_err(|e| fail(e.line, CrdVersionProblem::Yaml(e.message)))?
        .map(Node::to_json)
        .ok_or_else(|| fail(v.line, CrdVersionProblem::NoSchema))?;
    let meta = object_meta()?.clone();
    if let serde_json::Value::Object(root) = &mut json {
        let props = root
            .entry("properties")
            .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
        if let serde_json::Value::Object(props) = props {
            props.insert("metadata".to_owned(), meta);
        }
    }
    Schema::from_json(&json).map_err(|e| fail(v.line, e.into()))
}

/// `base` with the libraries of `sources` added (a loaded library replaces one of
/// `base` with the same import root), the Kubernetes versions of its `--openapi`
/// documents (replacing a built-in one of the same version) and its `--kube-version`.
///
/// # Errors
/// As [`load`].
pub fn add_to(mut base: Registry, sources: &Sources) -> Result<Registry, Error> {
    for lib in load(sources)? {
        base.insert(lib);
    }
    for source in &sources.openapi {
        let doc = crate::openapi::load_file(&source.file, source.version.as_deref())?;
        let origin = format!("--openapi {}", source.file.display());
        base.insert_kubernetes(doc.library.with_origin(origin), Arc::new(doc.kinds));
    }
    if let Some(v) = &sources.kube_version {
        base.set_kube_version(v)
            .map_err(UsageError::KubeVersionNotAvailable)?;
    }
    Ok(base)
}

/// Reads every source into libraries, in the order they were given (libraries with the
/// same import root merge).
///
/// # Errors
/// The first bad input, as [`Error::Library`] (`file:line`) or [`Error::Io`].
pub fn load(sources: &Sources) -> Result<Vec<Library>, Error> {
    let mut cache = Cache::default();
    let mut libs = Libraries::default();
    let standard = Regex::new(GATEWAY_PREFIX_STANDARD).expect("a valid pattern");
    let experimental = Regex::new(GATEWAY_PREFIX_EXPERIMENTAL).expect("a valid pattern");
    for (i, path) in sources.crds.iter().enumerate() {
        let given = sources.given(i).describe(path);
        let crds = cache.crds_of(path, None)?;
        if crds.is_empty() {
            warn_once(&no_crd_warning(&given, path));
        }
        for crd in crds {
            let building = match &crd.bundle {
                Some((minor, exp)) => {
                    let output = if *exp {
                        format!("{minor}-experimental")
                    } else {
                        minor.clone()
                    };
                    let prefix = if *exp { &experimental } else { &standard };
                    let building = libs.library(GATEWAY_LOCAL_NAME, GATEWAY_REPOSITORY, &output);
                    building.add(&crd, Some(prefix))?;
                    building
                }
                None => {
                    let key = crate::model::library::group_key(&crd.group);
                    let building = libs.library(&key, crate::model::NATIVE_REPOSITORY, &crd.group);
                    building.add(&crd, None)?;
                    building
                }
            };
            building.given_by(&given);
        }
    }
    for file in &sources.configs {
        let cfg = config::read(file)?;
        for spec in &cfg.specs {
            let building = libs.library(&spec.local_name, &cfg.repository, &spec.output);
            building.given_by(&format!("--crd-library {}", file.display()));
            for (path, line) in &spec.crds {
                for crd in cache.crds_of(path, Some((file, *line)))? {
                    building.add(&crd, Some(&spec.prefix))?;
                }
            }
        }
    }
    Ok(libs.into_vec())
}

/// The warning for a CRD source in which no CRD was found, naming the subfolders of
/// a folder (which are not read).
fn no_crd_warning(given: &str, path: &Path) -> String {
    let mut subfolders: Vec<String> = std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    subfolders.sort();
    let hint = match subfolders.len() {
        0 => String::new(),
        n => {
            let shown = subfolders.iter().take(4).cloned().collect::<Vec<_>>();
            let more = if n > 4 { ", …" } else { "" };
            format!(
                " (subfolders are not read: give one of {}{more})",
                shown.join(", ")
            )
        }
    };
    format!("warning: {given}: no CustomResourceDefinition found{hint}")
}

/// Prints `message` on stderr, once per process (the libraries of a Tanka project
/// are loaded once per environment).
fn warn_once(message: &str) {
    use std::collections::HashSet;
    use std::sync::Mutex;
    static SHOWN: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    let mut shown = SHOWN
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if shown.insert(message.to_owned()) {
        eprintln!("{message}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_object_meta_parses() {
        let v: serde_json::Value = serde_json::from_str(OBJECT_META).unwrap();
        let s = Schema::from_json(&v).unwrap();
        assert_eq!(s.properties().len(), 15);
    }
}
