//! The Kubernetes API as a library: OpenAPI v2 (swagger) documents turned into
//! jsonnet-libs `k8s-libsonnet` [`Library`] values, by the rules of the jsonnet-libs
//! generator (`github.com/jsonnet-libs/k8s`, `pkg/swagger` and `pkg/model`).
//!
//! Sources: the versions built into the binary ([`builtin`], derived from the
//! upstream documents by [`compact`]) and documents given with `--openapi`
//! ([`load_file`]). Both end in the same two steps:
//! - [`classify`] decides, per definition, whether the library serves it (its name
//!   matches the generator's `prefix`, it is not a `*List` — `metadata` a `ListMeta`) and
//!   which `x-kubernetes-group-version-kind`s it has; [`place`] finds its place in the
//!   library (`io.k8s.api.apps.v1.Deployment` → `apps.v1.deployment`);
//! - [`Definitions::schema`] makes the model [`Schema`] of a definition on first use,
//!   every `$ref` inlined (the referenced definition replaces the node, as the generator
//!   does; each inlined node remembers its definition in [`Schema::definition`]). A
//!   reference back into a definition being inlined (`JSONSchemaProps` refers to itself)
//!   stays an untyped node, as the generator's skip list leaves it; a dangling `$ref` is
//!   an error naming the document and the JSON path.
//!
//! The same definitions are the kinds objects are validated against ([`api_kinds`]):
//! every `x-kubernetes-group-version-kind` of every definition, the library's or not,
//! each with its scope ([`cluster_scoped`]: from the document's `paths`, else the
//! fixed list [`CLUSTER_SCOPED_KINDS`]). A definition's schema is converted when a
//! library kind or a validation kind first needs it, and kept by that kind.
//!
//! The library lives at `github.com/jsonnet-libs/k8s-libsonnet/<major.minor>/` with the
//! published layout: `main.libsonnet` (the generated part plus the hand-written
//! `_custom` layer, [`CUSTOM_FILES`]), `gen.libsonnet`, `_gen/<group>/<version>/<kind>`.
//! Contact points: [`crate::model::Registry`] holds the libraries, [`crate::native`]
//! serves their files, [`crate::libsonnet`] and [`crate::docs`] render them.

pub mod builtin;
pub mod compact;

use std::{
    borrow::Cow,
    collections::{BTreeMap, BTreeSet, HashMap},
    ops::Range,
    path::Path,
    sync::{Arc, OnceLock},
};

use regex::Regex;
use serde::Deserialize as _;
use serde_json::{Map, Value};

pub use crate::model::names::{place, Place};
use crate::model::{
    names::lay_out, ApiKinds, DefinitionProblem, Dialect, Key, KindIdentity, Library, LibraryError,
    NodeProblem, PlacedKind, Schema, Scope,
};

/// The repository of the Kubernetes libraries; a version's import root is
/// `<REPOSITORY>/<major.minor>`.
pub const REPOSITORY: &str = "github.com/jsonnet-libs/k8s-libsonnet";

/// The docsonnet package name of the Kubernetes libraries (`localName`).
pub const LOCAL_NAME: &str = "k";

/// The generator's definition filter for the Kubernetes library (`libs/k8s/config.jsonnet`).
pub const PREFIX: &str = r"^io\.k8s\.(api|(kube-aggregator|apimachinery)\.pkg\.apis)\..*";

/// The generator's definition-name pattern: domain, optional group, version, kind
/// (`(?U)` makes every repetition lazy, as Go's `U` flag does; `\w` is ASCII in Go).
/// [`place`] matches it by hand; the tests check both agree.
#[cfg(test)]
const NAME_PATTERN: &str =
    r"(?mU)(?P<domain>.+)\.((?P<group>(?-u:\w)*)\.)?(?P<version>(?-u:\w)*)\.(?P<kind>(?-u:\w)*)$";

/// `ListMeta`: a definition whose `metadata` refers to it is a list, which the library
/// leaves out.
const LIST_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";

/// References the generator leaves unresolved (recursive, or lists' metadata).
const SKIPPED_REFS: &[&str] = &[
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.JSONSchemaProps",
    LIST_META,
];

/// The hand-written layer of the library, served at `_custom/<name>` and imported by
/// `main.libsonnet` in this order: gwsonnet's own Jsonnet (`lib/k8s/custom/`), with the
/// helpers of the published layer (same names, parameters and results).
pub const CUSTOM_FILES: &[(&str, &str)] = &[
    (
        "apps.libsonnet",
        include_str!("../../lib/k8s/custom/apps.libsonnet"),
    ),
    (
        "autoscaling.libsonnet",
        include_str!("../../lib/k8s/custom/autoscaling.libsonnet"),
    ),
    (
        "batch.libsonnet",
        include_str!("../../lib/k8s/custom/batch.libsonnet"),
    ),
    (
        "core.libsonnet",
        include_str!("../../lib/k8s/custom/core.libsonnet"),
    ),
    (
        "list.libsonnet",
        include_str!("../../lib/k8s/custom/list.libsonnet"),
    ),
    (
        "mapContainers.libsonnet",
        include_str!("../../lib/k8s/custom/mapContainers.libsonnet"),
    ),
    (
        "rbac.libsonnet",
        include_str!("../../lib/k8s/custom/rbac.libsonnet"),
    ),
    (
        "volumeMounts.libsonnet",
        include_str!("../../lib/k8s/custom/volumeMounts.libsonnet"),
    ),
];

/// One `x-kubernetes-group-version-kind` entry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Gvk {
    /// API group, empty for the core group.
    #[serde(default)]
    pub group: String,
    /// API version.
    #[serde(default)]
    pub version: String,
    /// Kind.
    #[serde(default)]
    pub kind: String,
}

impl Gvk {
    /// `group/version/Kind` (`/v1/Pod` for the core group), the form the built-in
    /// index stores.
    pub fn key(&self) -> String {
        format!("{}/{}/{}", self.group, self.version, self.kind)
    }

    /// Parses [`Gvk::key`].
    pub fn from_key(key: &str) -> Option<Self> {
        let (group, version, kind) = crate::model::names::split_kind_key(key)?;
        Some(Self {
            group: group.to_owned(),
            version: version.to_owned(),
            kind: kind.to_owned(),
        })
    }
}

/// What the library makes of one definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    /// The library serves it.
    pub in_library: bool,
    /// Its `x-kubernetes-group-version-kind` entries, in document order.
    pub gvks: Vec<Gvk>,
}

/// Classifies the definition `name` with body `def` by the generator's rules.
pub fn classify(name: &str, def: &Value) -> Classified {
    let gvks: Vec<Gvk> = def
        .get("x-kubernetes-group-version-kind")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    let is_list = def
        .pointer("/properties/metadata/$ref")
        .and_then(Value::as_str)
        .is_some_and(|r| ref_name(r) == LIST_META);
    let in_library = !is_list && place(name).is_some() && prefix().is_match(name);
    Classified { in_library, gvks }
}

/// [`PREFIX`] matched by hand (compiling the expression costs as much as converting a
/// kind; the tests check both agree): the name starts with one of its three
/// alternatives and a dot.
fn has_prefix(name: &str) -> bool {
    [
        "io.k8s.api.",
        "io.k8s.kube-aggregator.pkg.apis.",
        "io.k8s.apimachinery.pkg.apis.",
    ]
    .iter()
    .any(|p| name.starts_with(p))
}

fn prefix() -> &'static Regex {
    static PREFIX_RE: OnceLock<Regex> = OnceLock::new();
    PREFIX_RE.get_or_init(|| Regex::new(PREFIX).expect("a valid pattern"))
}

/// The definition name of a `$ref` (`#/definitions/<name>`).
fn ref_name(r: &str) -> &str {
    r.strip_prefix("#/definitions/").unwrap_or(r)
}

/// The definitions of one document, each parsed when first used.
pub struct Definitions {
    /// Where they come from, for messages: a file path or `built-in Kubernetes 1.30`.
    origin: String,
    store: Store,
}

/// Where the definitions' JSON is.
enum Store {
    /// Built in: the names, sorted, each with the byte range of its compact JSON in
    /// `text`; a definition's text is read and parsed when first used.
    Lines {
        text: &'static str,
        names: Vec<(&'static str, Range<usize>)>,
        parsed: Box<[OnceLock<Result<Value, DefinitionProblem>>]>,
    },
    /// Parsed values (`--openapi`).
    Values(HashMap<Box<str>, Value>),
}

impl std::fmt::Debug for Definitions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = match &self.store {
            Store::Lines { names, .. } => names.len(),
            Store::Values(defs) => defs.len(),
        };
        f.debug_struct("Definitions")
            .field("origin", &self.origin)
            .field("count", &count)
            .finish()
    }
}

impl Definitions {
    /// Definitions whose JSON texts are byte ranges of `text`, by name; nothing is
    /// read until a definition is used.
    pub fn from_lines(
        origin: impl Into<String>,
        text: &'static str,
        ranges: impl IntoIterator<Item = (&'static str, Range<usize>)>,
    ) -> Self {
        let mut names: Vec<_> = ranges.into_iter().collect();
        names.sort_by_key(|(name, _)| *name);
        let parsed = names.iter().map(|_| OnceLock::new()).collect();
        Self {
            origin: origin.into(),
            store: Store::Lines {
                text,
                names,
                parsed,
            },
        }
    }

    /// Definitions from a parsed `definitions` object.
    pub fn from_values(origin: impl Into<String>, defs: Map<String, Value>) -> Self {
        Self {
            origin: origin.into(),
            store: Store::Values(
                defs.into_iter()
                    .map(|(name, v)| (Box::from(name.as_str()), v))
                    .collect(),
            ),
        }
    }

    /// Whether there is a definition `name`.
    fn contains(&self, name: &str) -> bool {
        match &self.store {
            Store::Lines { names, .. } => names.binary_search_by_key(&name, |(n, _)| n).is_ok(),
            Store::Values(defs) => defs.contains_key(name),
        }
    }

    /// The JSON of definition `name`.
    fn get(&self, name: &str) -> Option<Result<&Value, LibraryError>> {
        let (text, names, parsed) = match &self.store {
            Store::Values(defs) => return Some(Ok(defs.get(name)?)),
            Store::Lines {
                text,
                names,
                parsed,
            } => (text, names, parsed),
        };
        let i = names.binary_search_by_key(&name, |(n, _)| n).ok()?;
        let value = parsed[i].get_or_init(|| {
            let range = names[i].1.clone();
            let json = text
                .get(range.clone())
                .ok_or(DefinitionProblem::OutOfRange(range))?;
            serde_json::from_str(json).map_err(|e| DefinitionProblem::Json(Arc::new(e)))
        });
        Some(value.as_ref().map_err(|problem| LibraryError::Definition {
            origin: self.origin.clone(),
            name: name.to_owned(),
            problem: problem.clone(),
        }))
    }

    /// The model schema of definition `name`, every `$ref` inlined. Not kept here: the
    /// kind that asks for it (a library slot, a validation kind) keeps it, loaded once,
    /// and a second copy of a large inlined schema would cost memory in every run.
    ///
    /// # Errors
    /// A dangling `$ref` or a node the model does not accept, naming the document,
    /// the definition and the JSON path.
    pub fn schema(&self, name: &str) -> Result<Schema, LibraryError> {
        self.schema_inlining(name, Inline::All)
    }

    /// The schema of definition `name` as the library needs it ([`Inline::Library`]):
    /// the definitions that array elements and map values refer to are not inlined,
    /// only checked to exist: no Container, Volume, … is inlined below Deployment's pod
    /// template (one `deployment.new` with a container converted its two kinds in
    /// 1.8 M instructions instead of 6.7 M). A kind's library, docs and source are the
    /// same as from the full schema.
    ///
    /// # Errors
    /// As [`Definitions::schema`], for the nodes converted.
    pub fn library_schema(&self, name: &str) -> Result<Schema, LibraryError> {
        self.schema_inlining(name, Inline::Library)
    }

    fn schema_inlining(&self, name: &str, inline: Inline) -> Result<Schema, LibraryError> {
        let mut stack = vec![name.to_owned()];
        let def = self.get(name).ok_or_else(|| LibraryError::NoDefinition {
            origin: self.origin.clone(),
            name: name.to_owned(),
        })??;
        let mut path = String::new();
        let mut schema = self.convert(name, def, &mut stack, &mut path, inline)?;
        schema.definition = Some(Arc::from(name));
        Ok(schema)
    }

    /// An array's element or a map's value schema: converted, or with
    /// [`Inline::Library`] a node naming the definition it refers to (when it refers
    /// to one that exists and would be inlined).
    fn convert_element(
        &self,
        top: &str,
        node: &Value,
        stack: &mut Vec<String>,
        path: &mut String,
        inline: Inline,
    ) -> Result<Schema, LibraryError> {
        if inline == Inline::Library {
            if let Some(target) = node.get("$ref").and_then(Value::as_str).map(ref_name) {
                let inlined = !SKIPPED_REFS.contains(&target) && !stack.iter().any(|s| s == target);
                // Only a definition the library serves as a kind, where
                // [`resolve_element`] finds it.
                let served = place(target).is_some() && has_prefix(target);
                if inlined && served && self.contains(target) {
                    return Ok(Schema {
                        definition: Some(Arc::from(target)),
                        ..Schema::default()
                    });
                }
            }
        }
        self.convert(top, node, stack, path, inline)
    }

    /// One schema node: its own keywords, then its children converted, `$ref`s inlined.
    fn convert(
        &self,
        top: &str,
        node: &Value,
        stack: &mut Vec<String>,
        path: &mut String,
        inline: Inline,
    ) -> Result<Schema, LibraryError> {
        let err = |path: &str, problem: NodeProblem| LibraryError::Node {
            origin: self.origin.clone(),
            definition: top.to_owned(),
            path: if path.is_empty() { "." } else { path }.to_owned(),
            problem,
        };
        let Value::Object(fields) = node else {
            return Err(err(path, NodeProblem::NotAnObject));
        };
        if let Some(r) = fields.get("$ref") {
            let Some(r) = r.as_str() else {
                return Err(err(path, NodeProblem::RefNotAString));
            };
            let target = ref_name(r);
            if SKIPPED_REFS.contains(&target) || stack.iter().any(|s| s == target) {
                return Ok(Schema {
                    definition: Some(Arc::from(target)),
                    ..Schema::default()
                });
            }
            let def = self
                .get(target)
                .ok_or_else(|| err(path, NodeProblem::DanglingRef(r.to_owned())))??;
            stack.push(target.to_owned());
            let converted = self.convert(top, def, stack, path, inline);
            stack.pop();
            let mut schema = converted?;
            schema.definition = Some(Arc::from(target));
            return Ok(schema);
        }
        let mut schema = Schema::default();
        // The sub-schemas, found in the same pass over the node's fields (a map lookup
        // each would compare keys again for every node of a large kind).
        let (mut properties, mut items, mut additional, mut not) = (None, None, None, None);
        let (mut all_of, mut any_of, mut one_of) = (None, None, None);
        for (k, v) in fields {
            match k.as_str() {
                "properties" => properties = Some(v),
                "items" => items = Some(v),
                "additionalProperties" => additional = Some(v),
                "not" => not = Some(v),
                "allOf" => all_of = Some(v),
                "anyOf" => any_of = Some(v),
                "oneOf" => one_of = Some(v),
                k if IGNORED_KEYWORDS.contains(&k) => {}
                k => schema.set_keyword(k, v).map_err(|e| {
                    let problem = NodeProblem::Keyword {
                        keyword: k.to_owned(),
                        problem: Box::new(e.problem),
                    };
                    err(path, problem)
                })?,
            }
        }
        let len = path.len();
        if let Some(props) = properties {
            let Value::Object(props) = props else {
                return Err(err(path, NodeProblem::PropertiesNotAnObject));
            };
            let mut out = BTreeMap::new();
            for (k, v) in props {
                path.push_str(".properties.");
                path.push_str(k);
                let converted = self.convert(top, v, stack, path, inline);
                path.truncate(len);
                out.insert(k.clone(), Box::new(converted?));
            }
            schema.properties = Some(out);
        }
        if let Some(items) = items {
            path.push_str(".items");
            let converted = self.convert_element(top, items, stack, path, inline);
            path.truncate(len);
            schema.items = Some(Box::new(converted?));
        }
        match additional {
            None => {}
            Some(Value::Bool(b)) => {
                schema.additional_properties = Some(crate::model::AdditionalProperties::Bool(*b));
            }
            Some(v) => {
                path.push_str(".additionalProperties");
                let converted = self.convert_element(top, v, stack, path, inline);
                path.truncate(len);
                schema.additional_properties = Some(crate::model::AdditionalProperties::Schema(
                    Box::new(converted?),
                ));
            }
        }
        for (key, list, slot) in [
            ("allOf", all_of, &mut schema.all_of),
            ("anyOf", any_of, &mut schema.any_of),
            ("oneOf", one_of, &mut schema.one_of),
        ] {
            if let Some(list) = list {
                let Value::Array(list) = list else {
                    return Err(err(path, NodeProblem::NotAnArray(key)));
                };
                let mut out = Vec::with_capacity(list.len());
                for (i, v) in list.iter().enumerate() {
                    path.push_str(&format!(".{key}[{i}]"));
                    let converted = self.convert(top, v, stack, path, inline);
                    path.truncate(len);
                    out.push(converted?);
                }
                *slot = Some(out);
            }
        }
        if let Some(not) = not {
            path.push_str(".not");
            let converted = self.convert(top, not, stack, path, inline);
            path.truncate(len);
            schema.not = Some(Box::new(converted?));
        }
        Ok(schema)
    }
}

/// The schema an array element or map value of a library kind's schema stands for: a
/// node that only names its definition ([`Definitions::library_schema`]) is the schema
/// of that definition's kind in `lib` (its library schema); any other node is itself.
/// For readers that walk into elements (the language server's completion).
pub fn resolve_element<'a>(lib: &'a Library, node: &'a Schema) -> &'a Schema {
    let Some(definition) = node.definition.as_deref() else {
        return node;
    };
    let only_named = Schema {
        definition: node.definition.clone(),
        ..Schema::default()
    };
    if *node != only_named {
        return node;
    }
    let Some(p) = place(definition) else {
        return node;
    };
    let kind_key = crate::model::library::camel_lower(p.kind_name);
    match lib
        .slot(p.group_key, p.version, &kind_key)
        .and_then(|s| s.kind())
    {
        Some(Ok(kind)) if kind.schema.definition.as_deref() == Some(definition) => &kind.schema,
        _ => node,
    }
}

/// How much of the referenced definitions a converted schema takes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Inline {
    /// Every `$ref` (validation reads every node).
    All,
    /// Every `$ref` except those of array elements and map values: the library never
    /// looks inside those (an element that is a definition gets no documented object,
    /// a map no members), so they stay nodes that only name their definition.
    Library,
}

/// OpenAPI v2 keywords of the Kubernetes documents that neither the library nor the
/// validator reads (strategic-merge-patch hints, the kinds of a definition, unions).
pub const IGNORED_KEYWORDS: &[&str] = &[
    "x-kubernetes-group-version-kind",
    "x-kubernetes-patch-merge-key",
    "x-kubernetes-patch-strategy",
    "x-kubernetes-unions",
];

/// One definition as the library sees it: its name, whether the library serves it, and
/// its kinds.
pub struct Listed<'a> {
    /// The definition name.
    pub name: &'a str,
    /// The library serves it.
    pub in_library: bool,
    /// Its `x-kubernetes-group-version-kind` entries.
    pub gvks: &'a [Gvk],
}

/// The library of Kubernetes `version` (`1.30`) with no kinds yet.
fn empty_library(version: &str) -> Library {
    Library::new(LOCAL_NAME, REPOSITORY, version)
        .with_help(format!(
            "Generated Jsonnet library for Kubernetes v{version}"
        ))
        .with_custom(CUSTOM_FILES)
}

/// The identity of a library kind: the generator gives the API's kinds no scope, so no
/// `new` adds Tanka's `tanka.dev/namespaced` annotation (the validator's kinds know the
/// scope).
fn identity(
    group: impl Into<Key>,
    version: impl Into<Key>,
    kind: impl Into<Key>,
    resource: bool,
) -> KindIdentity {
    KindIdentity {
        group: group.into(),
        version: version.into(),
        kind: kind.into(),
        scope: Scope::Namespaced,
        resource,
        dialect: Dialect::OpenApiV2,
    }
}

/// Builds the library of Kubernetes `version` (`1.30`) from the definitions listed in
/// `listing` (the library ones are placed, the schemas loaded from `defs` on first
/// use).
///
/// # Errors
/// Two definitions at one place of the library.
pub fn library<'a>(
    version: &str,
    defs: Arc<Definitions>,
    listing: impl IntoIterator<Item = Listed<'a>>,
) -> Result<Library, LibraryError> {
    let mut lib = empty_library(version);
    let mut kinds = Vec::new();
    for entry in listing {
        if !entry.in_library {
            continue;
        }
        let last = entry
            .gvks
            .last()
            .map(|g| (g.group.as_str(), g.version.as_str(), g.kind.as_str()));
        let Some(k) = lay_out(entry.name, last) else {
            continue;
        };
        let defs = defs.clone();
        let name = entry.name.to_owned();
        kinds.push(PlacedKind {
            group_key: Cow::Owned(k.group_key.to_owned()),
            version_key: Cow::Owned(k.version_key.to_owned()),
            kind_key: Cow::Owned(k.kind_key),
            id: identity(
                k.group.to_owned(),
                k.version.to_owned(),
                k.kind.to_owned(),
                k.resource,
            ),
            load: Box::new(move || defs.library_schema(&name)),
        });
    }
    lib.add_placed_kinds(kinds)?;
    Ok(lib)
}

/// The kinds objects are validated against: one per `x-kubernetes-group-version-kind`
/// of the definitions in `listing` (every one, not only the library's), cluster-scoped
/// when its key ([`Gvk::key`]) is in `cluster`, its schema loaded from `defs` on first
/// use.
pub fn api_kinds<'a>(
    defs: &Arc<Definitions>,
    listing: impl IntoIterator<Item = Listed<'a>>,
    cluster: &BTreeSet<String>,
) -> ApiKinds {
    let mut kinds = ApiKinds::new();
    for entry in listing {
        for gvk in entry.gvks {
            let scope = if cluster.contains(&gvk.key()) {
                Scope::Cluster
            } else {
                Scope::Namespaced
            };
            let (defs, name) = (defs.clone(), entry.name.to_owned());
            kinds.add(
                KindIdentity {
                    group: Cow::Owned(gvk.group.clone()),
                    version: Cow::Owned(gvk.version.clone()),
                    kind: Cow::Owned(gvk.kind.clone()),
                    scope,
                    resource: true,
                    dialect: Dialect::OpenApiV2,
                },
                Box::new(move || defs.schema(&name)),
            );
        }
    }
    kinds
}

/// The cluster-scoped kinds of the Kubernetes API (API group, kind), for documents
/// without `paths` (`kubectl get --raw /openapi/v2` has them; a `definitions`-only file
/// does not) and kinds no path names: every kind whose operations in the `paths` of
/// the built-in versions' documents (1.28, 1.30–1.34, 1.36) never have a
/// `{namespace}` parameter. A test checks the list against those documents.
pub const CLUSTER_SCOPED_KINDS: &[(&str, &str)] = &[
    ("", "ComponentStatus"),
    ("", "Namespace"),
    ("", "Node"),
    ("", "NodeProxyOptions"),
    ("", "PersistentVolume"),
    ("admissionregistration.k8s.io", "MutatingAdmissionPolicy"),
    (
        "admissionregistration.k8s.io",
        "MutatingAdmissionPolicyBinding",
    ),
    (
        "admissionregistration.k8s.io",
        "MutatingWebhookConfiguration",
    ),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
    (
        "admissionregistration.k8s.io",
        "ValidatingAdmissionPolicyBinding",
    ),
    (
        "admissionregistration.k8s.io",
        "ValidatingWebhookConfiguration",
    ),
    ("apiextensions.k8s.io", "CustomResourceDefinition"),
    ("apiregistration.k8s.io", "APIService"),
    ("authentication.k8s.io", "SelfSubjectReview"),
    ("authentication.k8s.io", "TokenReview"),
    ("authorization.k8s.io", "SelfSubjectAccessReview"),
    ("authorization.k8s.io", "SelfSubjectRulesReview"),
    ("authorization.k8s.io", "SubjectAccessReview"),
    ("certificates.k8s.io", "CertificateSigningRequest"),
    ("certificates.k8s.io", "ClusterTrustBundle"),
    ("flowcontrol.apiserver.k8s.io", "FlowSchema"),
    ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
    ("internal.apiserver.k8s.io", "StorageVersion"),
    ("networking.k8s.io", "ClusterCIDR"),
    ("networking.k8s.io", "IPAddress"),
    ("networking.k8s.io", "IngressClass"),
    ("networking.k8s.io", "ServiceCIDR"),
    ("node.k8s.io", "RuntimeClass"),
    ("rbac.authorization.k8s.io", "ClusterRole"),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
    ("resource.k8s.io", "DeviceClass"),
    ("resource.k8s.io", "DeviceTaintRule"),
    ("resource.k8s.io", "ResourceClass"),
    ("resource.k8s.io", "ResourcePoolStatusRequest"),
    ("resource.k8s.io", "ResourceSlice"),
    ("scheduling.k8s.io", "PriorityClass"),
    ("storage.k8s.io", "CSIDriver"),
    ("storage.k8s.io", "CSINode"),
    ("storage.k8s.io", "StorageClass"),
    ("storage.k8s.io", "VolumeAttachment"),
    ("storage.k8s.io", "VolumeAttributesClass"),
    ("storagemigration.k8s.io", "StorageVersionMigration"),
];

/// The keys ([`Gvk::key`]) of the cluster-scoped kinds among `gvks`: a kind the
/// document's `paths` name is namespaced when one of its operations' paths has a
/// `{namespace}` parameter (`/api/v1/namespaces/{namespace}/pods`), else
/// cluster-scoped; a kind no path names (or every kind, without `paths`) is
/// cluster-scoped when [`CLUSTER_SCOPED_KINDS`] lists it.
pub fn cluster_scoped<'a>(
    paths: Option<&Value>,
    gvks: impl IntoIterator<Item = &'a Gvk>,
) -> BTreeSet<String> {
    // group/version/Kind → namespaced, for the kinds the paths name.
    let mut named: HashMap<String, bool> = HashMap::new();
    for (path, item) in paths.and_then(Value::as_object).into_iter().flatten() {
        let namespaced = path.contains("{namespace}");
        for op in item.as_object().into_iter().flat_map(Map::values) {
            let gvk = op
                .get("x-kubernetes-group-version-kind")
                .and_then(|g| Gvk::deserialize(g).ok());
            if let Some(gvk) = gvk {
                *named.entry(gvk.key()).or_default() |= namespaced;
            }
        }
    }
    gvks.into_iter()
        .filter(|g| match named.get(&g.key()) {
            Some(namespaced) => !namespaced,
            None => CLUSTER_SCOPED_KINDS.contains(&(g.group.as_str(), g.kind.as_str())),
        })
        .map(Gvk::key)
        .collect()
}

/// A `--openapi` document: its `definitions`, read whole.
pub struct Document {
    /// `major.minor` of the Kubernetes version it describes.
    pub version: String,
    /// The library built from it.
    pub library: Library,
    /// The kinds objects are validated against ([`api_kinds`]).
    pub kinds: ApiKinds,
}

/// Why an OpenAPI document (`--openapi`) cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file cannot be read.
    #[error("reading {}: {source}", file.display())]
    Io {
        /// The document.
        file: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a usable document.
    #[error("{}: {problem}", file.display())]
    Invalid {
        /// The document.
        file: std::path::PathBuf,
        /// What is wrong.
        #[source]
        problem: DocumentProblem,
    },
}

/// What is wrong with an OpenAPI document; `Display` is the text after its file name.
#[derive(Debug, thiserror::Error)]
pub enum DocumentProblem {
    /// Not JSON: the line and column of the syntax error.
    #[error("line {} column {}: not a JSON document: {}", .0.line(), .0.column(), .0)]
    Json(#[source] serde_json::Error),
    /// The top level is not a JSON object.
    #[error("not an OpenAPI document: the top level is not an object")]
    NotAnObject,
    /// The version given with the document (`--openapi 1.30=FILE`) is no `major.minor`.
    #[error("{0:?} is not a Kubernetes version (major.minor, e.g. 1.30)")]
    NotAVersion(String),
    /// No version given and no usable `info.version` (its value, `None` when absent).
    #[error(
        "no Kubernetes version in it (info.version is {}): give one as --openapi 1.30={}",
        info_version.as_ref().map_or("absent".to_owned(), Value::to_string),
        file.display()
    )]
    NoVersion {
        /// `info.version` as found.
        info_version: Option<Value>,
        /// The document, for the flag to give.
        file: std::path::PathBuf,
    },
    /// No `definitions` object.
    #[error("not an OpenAPI v2 document: no \"definitions\" object")]
    NoDefinitions,
    /// Its definitions do not make a library (two at one place).
    #[error(transparent)]
    Library(Box<LibraryError>),
}

impl From<LibraryError> for DocumentProblem {
    fn from(e: LibraryError) -> Self {
        Self::Library(Box::new(e))
    }
}

/// Reads the OpenAPI v2 document `file` (JSON: a swagger document, or an object with
/// only `definitions`). Its version is `version` when given (`1.30`), else its
/// `info.version` (`v1.30.2` → `1.30`).
///
/// # Errors
/// An unreadable or malformed file, no `definitions` object, or no version to be had;
/// each names the file (and the line and column of a JSON syntax error).
pub fn load_file(file: &Path, version: Option<&str>) -> Result<Document, LoadError> {
    let fail = |problem: DocumentProblem| LoadError::Invalid {
        file: file.to_owned(),
        problem,
    };
    let text = std::fs::read(file).map_err(|source| LoadError::Io {
        file: file.to_owned(),
        source,
    })?;
    let doc: Value = serde_json::from_slice(&text).map_err(|e| fail(DocumentProblem::Json(e)))?;
    let Value::Object(mut doc) = doc else {
        return Err(fail(DocumentProblem::NotAnObject));
    };
    let version = match version {
        Some(v) => {
            minor_version(v).ok_or_else(|| fail(DocumentProblem::NotAVersion(v.to_owned())))?
        }
        None => {
            let info = doc.get("info").and_then(|i| i.get("version"));
            match info.and_then(Value::as_str).and_then(minor_version) {
                Some(v) => v,
                None => {
                    return Err(fail(DocumentProblem::NoVersion {
                        info_version: info.cloned(),
                        file: file.to_owned(),
                    }))
                }
            }
        }
    };
    let Some(Value::Object(defs)) = doc.remove("definitions") else {
        return Err(fail(DocumentProblem::NoDefinitions));
    };
    let listing: Vec<(String, Classified)> = defs
        .iter()
        .map(|(name, def)| (name.clone(), classify(name, def)))
        .collect();
    let cluster = cluster_scoped(doc.get("paths"), listing.iter().flat_map(|(_, c)| &c.gvks));
    let defs = Arc::new(Definitions::from_values(file.display().to_string(), defs));
    let listed = || {
        listing.iter().map(|(name, c)| Listed {
            name,
            in_library: c.in_library,
            gvks: &c.gvks,
        })
    };
    let kinds = api_kinds(&defs, listed(), &cluster);
    let library = library(&version, defs, listed()).map_err(|e| fail(e.into()))?;
    Ok(Document {
        version,
        library,
        kinds,
    })
}

/// `major.minor` of a version string: `v1.30.2`, `1.30`, `v1.30.0-rc.1` → `1.30`.
pub fn minor_version(v: &str) -> Option<String> {
    let v = v.strip_prefix('v').unwrap_or(v);
    let mut parts = v.split(['.', '-', '+']);
    let major = parts.next()?;
    let minor = parts.next()?;
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (numeric(major) && numeric(minor)).then(|| format!("{major}.{minor}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn places_follow_the_generators_name_pattern() {
        let p = place("io.k8s.api.apps.v1.Deployment").unwrap();
        assert_eq!(
            (p.group_key, p.version, p.kind_name),
            ("apps", "v1", "Deployment")
        );
        let p = place("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").unwrap();
        assert_eq!((p.group_key, p.version), ("meta", "v1"));
        let p = place("io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService").unwrap();
        assert_eq!(p.group_key, "apiregistration");
        let p = place("a.v1.Kind").unwrap();
        assert_eq!((p.group_key, p.version), ("nogroup", "v1"));
        assert!(place("Kind").is_none());
        assert!(place("io.k8s.api.core.v1.Kind-x").is_none());
    }

    #[test]
    fn places_equal_the_generators_regular_expression() {
        let pattern = Regex::new(NAME_PATTERN).unwrap();
        let by_regex = |name: &str| {
            pattern.captures(name).map(|c| {
                let group = c.name("group").map_or("", |m| m.as_str());
                (
                    if group.is_empty() {
                        "nogroup".to_owned()
                    } else {
                        group.to_owned()
                    },
                    c["version"].to_owned(),
                    c["kind"].to_owned(),
                )
            })
        };
        let mut names: Vec<String> = [
            "a.v1.K",
            "a.b.v1.K",
            ".v1.K",
            "a..K",
            "a.b-c.v1.K",
            "a.b.c.d.e",
            "x.y",
            "a.v1.",
            "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService",
            "a.b.c-d.e.f",
            "a.b.c.d-e.f",
            "a.b.c",
            ".a.b.c",
            "a.-.b.c",
            "a.b..",
            "-.v.k",
            "..a.b",
            "a.b-.c.d",
            "x.y.z.w",
            "é.v1.K",
            "a.v1.Ké",
            "a.b.v1.K.",
            "io.k8s.api",
            "io.k8s.api.",
            "io.k8s.apis.x",
            "io.k8s.apimachinery.pkg.api.resource.Quantity",
            "io.k8s.kube-aggregator.pkg.apis.x",
            "..",
            "...",
            "a...",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let lines = include_str!("../../lib/k8s/openapi/definitions.jsonl");
        names.extend(
            lines
                .lines()
                .filter_map(|l| l.split_once('\t'))
                .map(|(n, _)| n.to_owned()),
        );
        for name in &names {
            let ours = place(name).map(|p| {
                (
                    p.group_key.to_owned(),
                    p.version.to_owned(),
                    p.kind_name.to_owned(),
                )
            });
            assert_eq!(ours, by_regex(name), "{name}");
            assert_eq!(has_prefix(name), prefix().is_match(name), "{name}");
        }
    }

    #[test]
    fn lists_and_other_domains_are_left_out() {
        let list = json!({"properties": {"metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"}}});
        assert!(!classify("io.k8s.api.apps.v1.DeploymentList", &list).in_library);
        let kind = json!({"properties": {"metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}},
            "x-kubernetes-group-version-kind": [{"group": "apps", "kind": "Deployment", "version": "v1"}]});
        let c = classify("io.k8s.api.apps.v1.Deployment", &kind);
        assert!(c.in_library);
        assert_eq!(c.gvks[0].key(), "apps/v1/Deployment");
        assert!(!classify("io.k8s.apimachinery.pkg.api.resource.Quantity", &json!({})).in_library);
        assert!(
            !classify(
                "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition",
                &kind
            )
            .in_library
        );
        assert!(classify("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta", &json!({})).in_library);
    }

    #[test]
    fn refs_are_inlined_recursion_stops_and_dangling_refs_are_errors() {
        let defs = json!({
            "a.v1.A": {"description": "A", "type": "object", "properties": {
                "b": {"$ref": "#/definitions/a.v1.B", "description": "dropped"},
                "bs": {"type": "array", "items": {"$ref": "#/definitions/a.v1.B"}},
                "self": {"$ref": "#/definitions/a.v1.A"},
                "m": {"type": "object", "additionalProperties": {"$ref": "#/definitions/a.v1.B"}},
            }, "x-kubernetes-patch-strategy": "merge"},
            "a.v1.B": {"description": "B", "type": "string", "format": "int-or-string"},
            "a.v1.C": {"type": "object", "properties": {"x": {"$ref": "#/definitions/nope"}}},
        });
        let Value::Object(defs) = defs else {
            unreachable!()
        };
        let defs = Definitions::from_values("doc.json", defs);
        let a = defs.schema("a.v1.A").unwrap();
        let b = &a.properties()["b"];
        assert_eq!(b.description(), "B");
        assert_eq!(b.definition.as_deref(), Some("a.v1.B"));
        assert_eq!(
            a.properties()["bs"].items().unwrap().format.as_deref(),
            Some("int-or-string")
        );
        let own = &a.properties()["self"];
        assert_eq!((own.ty, own.definition.as_deref()), (None, Some("a.v1.A")));
        assert!(matches!(
            &a.properties()["m"].additional_properties,
            Some(crate::model::AdditionalProperties::Schema(s)) if s.description() == "B"
        ));
        let e = defs.schema("a.v1.C").unwrap_err();
        assert!(matches!(
            &e,
            LibraryError::Node { definition, path, problem: NodeProblem::DanglingRef(r), .. }
                if definition == "a.v1.C" && path == ".properties.x" && r == "#/definitions/nope"
        ));
        assert_eq!(
            e.to_string(),
            "doc.json: definition a.v1.C at .properties.x: $ref #/definitions/nope names no definition"
        );
    }

    #[test]
    fn the_library_schema_names_element_definitions_without_inlining_them() {
        let defs = json!({
            "io.k8s.api.a.v1.A": {"type": "object", "properties": {
                "b": {"$ref": "#/definitions/io.k8s.api.a.v1.B"},
                "bs": {"type": "array", "items": {"$ref": "#/definitions/io.k8s.api.a.v1.B"}},
                "m": {"type": "object", "additionalProperties": {"$ref": "#/definitions/io.k8s.api.a.v1.B"}},
                "own": {"type": "array", "items": {"type": "object", "properties": {"x": {"$ref": "#/definitions/io.k8s.api.a.v1.B"}}}},
                "qs": {"type": "array", "items": {"$ref": "#/definitions/x.v1.Q"}},
            }},
            "io.k8s.api.a.v1.B": {"description": "B", "type": "object", "properties": {"x": {"type": "string"}}},
            "io.k8s.api.a.v1.C": {"type": "object", "properties": {"xs": {"type": "array", "items": {"$ref": "#/definitions/nope"}}}},
            "x.v1.Q": {"description": "Q", "type": "string"},
        });
        let Value::Object(defs) = defs else {
            unreachable!()
        };
        let defs = Arc::new(Definitions::from_values("doc.json", defs));
        let full = defs.schema("io.k8s.api.a.v1.A").unwrap();
        let lib_schema = defs.library_schema("io.k8s.api.a.v1.A").unwrap();
        // Objects are inlined as before, and elements of a definition the library does
        // not serve; elements and map values of one it serves only name theirs.
        for field in ["b", "own", "qs"] {
            assert_eq!(lib_schema.properties()[field], full.properties()[field]);
        }
        let element = lib_schema.properties()["bs"].items().unwrap();
        assert_eq!(element.definition.as_deref(), Some("io.k8s.api.a.v1.B"));
        assert!(element.properties().is_empty() && element.description().is_empty());
        assert!(matches!(
            &lib_schema.properties()["m"].additional_properties,
            Some(crate::model::AdditionalProperties::Schema(s)) if s.definition.as_deref() == Some("io.k8s.api.a.v1.B") && s.properties().is_empty()
        ));
        // The kind's library tree is the same.
        let kind = |schema: Schema| crate::model::Kind {
            group: "a".into(),
            version: "v1".into(),
            kind: "A".into(),
            schema,
            scope: Scope::Namespaced,
            served: true,
            resource: true,
            dialect: Dialect::OpenApiV2,
            crd: None,
        };
        let names = |k: &crate::model::Kind| {
            let tree = crate::model::library_tree(k);
            let fns: Vec<_> = tree
                .functions
                .iter()
                .map(|f| (&f.name, &f.target))
                .collect();
            format!("{fns:?}")
        };
        assert_eq!(names(&kind(lib_schema.clone())), names(&kind(full.clone())));
        // The element is found again as its kind's schema in the library.
        let listing = ["io.k8s.api.a.v1.A", "io.k8s.api.a.v1.B"].map(|name| Listed {
            name,
            in_library: true,
            gvks: &[],
        });
        let lib = library("1.0", defs.clone(), listing).unwrap();
        let a = &lib
            .slot("a", "v1", "a")
            .unwrap()
            .kind()
            .unwrap()
            .unwrap()
            .schema;
        let resolved = resolve_element(&lib, a.properties()["bs"].items().unwrap());
        assert_eq!(resolved, full.properties()["bs"].items().unwrap());
        let own = a.properties()["own"].items().unwrap();
        assert!(std::ptr::eq(resolve_element(&lib, own), own));
        // A dangling reference of an element is still an error at its path.
        let e = defs.library_schema("io.k8s.api.a.v1.C").unwrap_err();
        assert!(matches!(
            e,
            LibraryError::Node {
                problem: NodeProblem::DanglingRef(_),
                ..
            }
        ));
        assert_eq!(
            e.to_string(),
            "doc.json: definition io.k8s.api.a.v1.C at .properties.xs.items: $ref #/definitions/nope names no definition"
        );
    }

    #[test]
    fn versions_are_major_minor() {
        assert_eq!(minor_version("v1.30.2").as_deref(), Some("1.30"));
        assert_eq!(minor_version("1.36").as_deref(), Some("1.36"));
        assert_eq!(minor_version("v1.31.0-rc.1").as_deref(), Some("1.31"));
        assert_eq!(minor_version("unversioned"), None);
        assert_eq!(minor_version("1"), None);
    }
}
