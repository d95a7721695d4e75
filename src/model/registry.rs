//! Libraries and the registry that holds them.
//!
//! A [`Library`] is one published jsonnet-libs package: its docsonnet `localName`, its
//! import root (`<repository>/<output>`), and its groups (group key → API version →
//! kind key → [`KindSlot`]), kept sorted bytewise as the generator sorts them. A slot
//! either carries a kind, whose schema is loaded on first use, or only names a kind of
//! the published layout that gwsonnet does not carry (the built-in library is partial).
//!
//! A [`Registry`] holds several libraries at once (several Gateway API versions side by
//! side) and is built at run time: the built-in library ([`crate::model::builtin_library`])
//! first, then whatever a loader inserts. The import resolver's built-in files, the
//! `gwsonnet.kind` native ([`crate::native`]), the docs ([`crate::docs`]) and the source
//! generator ([`crate::libsonnet`]) all read their libraries from it.
//!
//! Nothing here is proportional to a library's size until it is used: adding a kind
//! stores a loader; the first [`KindSlot::kind`] runs it, once per process.

use std::{
    borrow::Cow,
    collections::{BTreeMap, HashMap},
    fmt,
    sync::{Arc, OnceLock},
};

use super::{
    library::camel_lower, CrdOrigin, Dialect, Kind, KindName, LibraryError, Schema, Scope,
};

/// The repository part of the import root of CRDs loaded on their own:
/// `gwsonnet/crds/<api group>/main.libsonnet`.
pub const NATIVE_REPOSITORY: &str = "gwsonnet/crds";

/// A Kubernetes version a registry does not have: the version and those it has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Kubernetes {version} is not available (there is {})", self.available_text())]
pub struct KubeVersionError {
    /// The version asked for.
    pub version: String,
    /// The versions there are.
    pub available: Vec<String>,
}

impl KubeVersionError {
    /// The versions there are, for messages: `1.28, 1.30, 1.31` (or `no version`).
    pub fn available_text(&self) -> String {
        if self.available.is_empty() {
            "no version".to_owned()
        } else {
            self.available.join(", ")
        }
    }
}

/// Produces the schema of a carried kind, on first use.
pub type SchemaLoader = Box<dyn Fn() -> Result<Schema, LibraryError> + Send + Sync>;

/// The groups of a library: group key → API version → kind key → slot.
pub type Groups = BTreeMap<Key, BTreeMap<Key, BTreeMap<Key, KindSlot>>>;

/// A name in a library's layout or a kind's identity: borrowed from the binary for a
/// layout made at build time (the built-in Kubernetes versions), else owned.
pub type Key = Cow<'static, str>;

/// A kind the library carries: its identity now, its schema when first asked for.
struct Carried {
    group: Key,
    version: Key,
    kind: Key,
    scope: Scope,
    served: bool,
    resource: bool,
    dialect: Dialect,
    crd: Option<Arc<CrdOrigin>>,
    load: SchemaLoader,
    /// Boxed: a [`Kind`] holds a whole schema node inline (hundreds of bytes; a
    /// [`LibraryError`] is large too), and a library lays out hundreds of slots of
    /// which a program loads a few. Inline, every slot carried that size in the
    /// layout's map nodes, copied on each insertion (`docs/performance.md`, the
    /// Kubernetes library).
    loaded: OnceLock<Box<Result<Kind, LibraryError>>>,
}

impl Carried {
    /// A served kind not loaded yet.
    fn new(id: KindIdentity, load: SchemaLoader) -> Self {
        Self {
            group: id.group,
            version: id.version,
            kind: id.kind,
            scope: id.scope,
            served: true,
            resource: id.resource,
            dialect: id.dialect,
            crd: None,
            load,
            loaded: OnceLock::new(),
        }
    }
}

/// One kind of a library's layout. The carried kind is boxed: the layout of a
/// Kubernetes version moves its hundreds of slots through a vector of runs into the
/// maps' nodes, and a slot of a pointer keeps those small (start-up heap pages:
/// `docs/performance.md`, the Kubernetes library).
pub struct KindSlot(Option<Box<Carried>>);

impl KindSlot {
    /// True when the library carries this kind (it has a model); false when the kind is
    /// only part of the published layout.
    pub fn is_carried(&self) -> bool {
        self.0.is_some()
    }

    /// The kind, its schema loaded on first call; `None` when not carried.
    pub fn kind(&self) -> Option<Result<&Kind, LibraryError>> {
        let c = self.0.as_ref()?;
        let loaded = c.loaded.get_or_init(|| {
            Box::new((c.load)().map(|schema| Kind {
                group: c.group.to_string(),
                version: c.version.to_string(),
                kind: c.kind.to_string(),
                schema,
                scope: c.scope,
                served: c.served,
                resource: c.resource,
                dialect: c.dialect,
                crd: c.crd.clone(),
            }))
        });
        Some(loaded.as_ref().as_ref().map_err(Clone::clone))
    }
}

/// One published library: identity and layout.
pub struct Library {
    local_name: String,
    repository: String,
    output: String,
    /// `repository/output`, kept because every unresolved import is matched against it.
    import_root: String,
    /// The package help of `gen.libsonnet` (empty for CRD libraries).
    help: String,
    /// Hand-written files layered over the generated library by `main.libsonnet`, in
    /// order, served at `_custom/<name>`.
    custom: &'static [(&'static str, &'static str)],
    groups: Groups,
    /// Where it was loaded from (`--crds DIR`, …), for messages; `None`: built in.
    origin: Option<String>,
}

/// Who a kind is, given when it is added to a library at a place of its own
/// ([`Library::add_placed_kind`]).
#[derive(Debug, Clone)]
pub struct KindIdentity {
    /// API group (empty for the core group).
    pub group: Key,
    /// API version.
    pub version: Key,
    /// Kind.
    pub kind: Key,
    /// Namespaced or cluster-scoped.
    pub scope: Scope,
    /// A resource ([`Kind::resource`]) or a sub-type.
    pub resource: bool,
    /// The language of its schema ([`Kind::dialect`]).
    pub dialect: Dialect,
}

/// A kind and its place `<group key>.<version key>.<kind key>`, for
/// [`Library::add_placed_kinds`].
pub struct PlacedKind {
    /// Group key: `apps`.
    pub group_key: Key,
    /// Version key: `v1`.
    pub version_key: Key,
    /// Kind key: `deployment`.
    pub kind_key: Key,
    /// Who the kind is.
    pub id: KindIdentity,
    /// Its schema, on first use.
    pub load: SchemaLoader,
}

impl PlacedKind {
    fn place(&self) -> (&str, &str, &str) {
        (&self.group_key, &self.version_key, &self.kind_key)
    }
}

impl KindIdentity {
    /// Its group, version and kind, for messages.
    fn name(&self) -> KindName {
        KindName {
            group: self.group.to_string(),
            version: self.version.to_string(),
            kind: self.kind.to_string(),
        }
    }
}

impl fmt::Debug for Library {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let layout: BTreeMap<String, Vec<String>> = self
            .groups
            .iter()
            .flat_map(|(g, versions)| {
                versions.iter().map(move |(v, kinds)| {
                    let names = kinds
                        .iter()
                        .map(|(k, s)| format!("{k}{}", if s.is_carried() { "" } else { "?" }))
                        .collect();
                    (format!("{g}.{v}"), names)
                })
            })
            .collect();
        f.debug_struct("Library")
            .field("local_name", &self.local_name)
            .field("import_root", &self.import_root)
            .field("groups", &layout)
            .finish()
    }
}

impl Library {
    /// An empty library: `local_name` is docsonnet's package name (`gateway-api`), the
    /// import root is `repository/output`
    /// (`github.com/jsonnet-libs/gateway-api-libsonnet` + `0.8-experimental`).
    pub fn new(local_name: &str, repository: &str, output: &str) -> Self {
        Self {
            local_name: local_name.to_owned(),
            repository: repository.to_owned(),
            output: output.to_owned(),
            import_root: format!("{repository}/{output}"),
            help: String::new(),
            custom: &[],
            groups: Groups::new(),
            origin: None,
        }
    }

    /// The library, loaded from `origin` (`--crds DIR`, `--openapi FILE`, …).
    pub fn with_origin(mut self, origin: String) -> Self {
        self.origin = Some(origin);
        self
    }

    /// Where the library comes from, for messages: `built in`, or the flag (or
    /// variable, or folder) and path it was loaded from.
    pub fn origin(&self) -> &str {
        self.origin.as_deref().unwrap_or("built in")
    }

    /// The library with the package help `help` (`gen.libsonnet`'s `d.pkg(help=…)`).
    pub fn with_help(mut self, help: String) -> Self {
        self.help = help;
        self
    }

    /// The library with a hand-written layer: `main.libsonnet` adds each file, in order,
    /// to the generated library; each is served at `_custom/<name>`.
    pub fn with_custom(mut self, files: &'static [(&'static str, &'static str)]) -> Self {
        self.custom = files;
        self
    }

    /// The package help of `gen.libsonnet`.
    pub fn help(&self) -> &str {
        &self.help
    }

    /// The hand-written files `main.libsonnet` layers over the generated library:
    /// (name below `_custom/`, contents).
    pub fn custom(&self) -> &'static [(&'static str, &'static str)] {
        self.custom
    }

    /// The text of `main.libsonnet`: `gen.libsonnet` plus each `_custom` file.
    pub fn main_text(&self) -> String {
        let mut s = "(import 'gen.libsonnet')".to_owned();
        for (name, _) in self.custom {
            s.push_str(&format!(" + (import '_custom/{name}')"));
        }
        s.push('\n');
        s
    }

    /// Docsonnet's package name (`localName`): `gateway-api`.
    pub fn local_name(&self) -> &str {
        &self.local_name
    }

    /// The repository: `github.com/jsonnet-libs/gateway-api-libsonnet`.
    pub fn repository(&self) -> &str {
        &self.repository
    }

    /// The output directory in the repository, the library version: `0.8-experimental`.
    pub fn output(&self) -> &str {
        &self.output
    }

    /// The import path of the library's directory: `<repository>/<output>`.
    pub fn import_root(&self) -> &str {
        &self.import_root
    }

    /// The import path of the library's `main.libsonnet` (the docsonnet package url).
    pub fn main_url(&self) -> String {
        format!("{}/main.libsonnet", self.import_root)
    }

    /// Group key → API version → kind key → slot, sorted bytewise.
    pub fn groups(&self) -> &Groups {
        &self.groups
    }

    /// The slot of `<group key>.<version>.<kind key>`.
    pub fn slot(&self, group_key: &str, version: &str, kind_key: &str) -> Option<&KindSlot> {
        self.groups.get(group_key)?.get(version)?.get(kind_key)
    }

    /// Adds a carried kind: API group, version and Kubernetes kind now, the schema from
    /// `load` on first use. Its place is `<group key>.<version>.<kind key>` by the
    /// generator's rules ([`Kind::group_key`], [`Kind::field_name`]).
    ///
    /// # Errors
    /// When that place already carries a kind.
    pub fn add_kind(
        &mut self,
        group: &str,
        version: &str,
        kind: &str,
        load: SchemaLoader,
    ) -> Result<(), LibraryError> {
        self.add_scoped_kind(group, version, kind, Scope::Namespaced, load)
    }

    /// [`Library::add_kind`] for a kind of the given scope.
    ///
    /// # Errors
    /// When that place already carries a kind.
    pub fn add_scoped_kind(
        &mut self,
        group: &str,
        version: &str,
        kind: &str,
        scope: Scope,
        load: SchemaLoader,
    ) -> Result<(), LibraryError> {
        self.add_placed_kind(
            &super::library::group_key(group),
            version,
            &camel_lower(kind),
            KindIdentity {
                group: Cow::Owned(group.to_owned()),
                version: Cow::Owned(version.to_owned()),
                kind: Cow::Owned(kind.to_owned()),
                scope,
                resource: true,
                dialect: Dialect::Structural,
            },
            load,
        )
    }

    /// Adds a carried kind at the place `<group key>.<version key>.<kind key>`, which
    /// the Kubernetes library takes from the OpenAPI definition's name rather than from
    /// the kind's API group.
    ///
    /// # Errors
    /// When that place already carries a kind.
    pub fn add_placed_kind(
        &mut self,
        group_key: &str,
        version_key: &str,
        kind_key: &str,
        id: KindIdentity,
        load: SchemaLoader,
    ) -> Result<(), LibraryError> {
        let versions = entry_or_default(&mut self.groups, group_key);
        let slot = entry_or_default(versions, version_key)
            .entry(Cow::Owned(kind_key.to_owned()))
            .or_insert(KindSlot(None));
        if let Some(other) = &slot.0 {
            return Err(LibraryError::DefinedTwice {
                library: self.import_root.clone(),
                place: format!("{group_key}.{version_key}.{kind_key}"),
                first: Box::new(KindName {
                    group: other.group.to_string(),
                    version: other.version.to_string(),
                    kind: other.kind.to_string(),
                }),
                second: Box::new(id.name()),
            });
        }
        slot.0 = Some(Box::new(Carried::new(id, load)));
        Ok(())
    }

    /// [`Library::add_placed_kind`] for many kinds at once, as a layout of hundreds of
    /// kinds (a Kubernetes version) is added: into an empty library the kinds are
    /// sorted by place and the maps built from the sorted runs, without a search per
    /// kind ([`Library::add_sorted_placed_kinds`]).
    ///
    /// # Errors
    /// When two kinds (or a kind and one already carried) have one place; the first
    /// of the two in `kinds` order is named first.
    pub fn add_placed_kinds(&mut self, kinds: Vec<PlacedKind>) -> Result<(), LibraryError> {
        let mut kinds = kinds;
        // Stable: of two kinds at one place, the first added stays first.
        if self.groups.is_empty() && !kinds.is_sorted_by(|a, b| a.place() <= b.place()) {
            kinds.sort_by(|a, b| a.place().cmp(&b.place()));
        }
        self.add_sorted_placed_kinds(kinds)
    }

    /// [`Library::add_placed_kinds`] for kinds that come sorted by place (a layout
    /// made at build time), taken one at a time: into an empty library each version's
    /// map is built from its run when the run ends, so no list of all the kinds is
    /// made first (a Kubernetes version's would be some 100 kB written and dropped on
    /// every run that loads it). A kind out of order, and every kind added to a library
    /// that has kinds, goes through [`Library::add_placed_kind`].
    ///
    /// # Errors
    /// As [`Library::add_placed_kinds`].
    pub fn add_sorted_placed_kinds(
        &mut self,
        kinds: impl IntoIterator<Item = PlacedKind>,
    ) -> Result<(), LibraryError> {
        let mut kinds = kinds.into_iter();
        let mut rest = None;
        if self.groups.is_empty() {
            // The groups and the current group's versions done, the current version's
            // slots so far.
            type Kinds = BTreeMap<Key, KindSlot>;
            let mut groups: Vec<(Key, BTreeMap<Key, Kinds>)> = Vec::new();
            let mut versions: Vec<(Key, Kinds)> = Vec::new();
            let mut slots: Vec<(Key, KindSlot)> = Vec::new();
            let mut at: Option<(Key, Key)> = None;
            for k in kinds.by_ref() {
                if let Some((group, version)) = &at {
                    let last = slots.last().map(|(kind, _)| kind.as_ref()).unwrap_or("");
                    match (group.as_ref(), version.as_ref(), last).cmp(&k.place()) {
                        std::cmp::Ordering::Greater => {
                            rest = Some(k);
                            break;
                        }
                        std::cmp::Ordering::Equal => {
                            let first =
                                slots.last().and_then(|(_, slot)| slot.0.as_ref()).map(|c| {
                                    KindName {
                                        group: c.group.to_string(),
                                        version: c.version.to_string(),
                                        kind: c.kind.to_string(),
                                    }
                                });
                            return Err(LibraryError::DefinedTwice {
                                library: self.import_root.clone(),
                                place: format!("{}.{}.{}", k.group_key, k.version_key, k.kind_key),
                                first: Box::new(first.unwrap_or_else(|| k.id.name())),
                                second: Box::new(k.id.name()),
                            });
                        }
                        std::cmp::Ordering::Less => {}
                    }
                }
                match at.take() {
                    Some((group, version)) if group == k.group_key && version == k.version_key => {
                        at = Some((group, version));
                    }
                    Some((group, version)) => {
                        let run = std::mem::take(&mut slots);
                        versions.push((version, run.into_iter().collect()));
                        if group != k.group_key {
                            let run = std::mem::take(&mut versions);
                            groups.push((group, run.into_iter().collect()));
                        }
                        at = Some((k.group_key, k.version_key));
                    }
                    None => at = Some((k.group_key, k.version_key)),
                }
                slots.push((
                    k.kind_key,
                    KindSlot(Some(Box::new(Carried::new(k.id, k.load)))),
                ));
            }
            if let Some((group, version)) = at {
                versions.push((version, slots.into_iter().collect()));
                groups.push((group, versions.into_iter().collect()));
            }
            self.groups = groups.into_iter().collect();
        }
        for k in rest.into_iter().chain(kinds) {
            self.add_placed_kind(&k.group_key, &k.version_key, &k.kind_key, k.id, k.load)?;
        }
        Ok(())
    }

    /// Marks a carried kind as a version the API server does not serve (a CRD
    /// version's `served: false`); does nothing for a kind not carried.
    pub fn mark_not_served(&mut self, group: &str, version: &str, kind: &str) {
        if let Some(c) = self.carried_mut(group, version, kind) {
            c.served = false;
        }
    }

    /// Notes the CustomResourceDefinition a carried kind was read from; does nothing
    /// for a kind not carried.
    pub fn set_crd_origin(&mut self, group: &str, version: &str, kind: &str, crd: Arc<CrdOrigin>) {
        if let Some(c) = self.carried_mut(group, version, kind) {
            c.crd = Some(crd);
        }
    }

    /// The carried kind `kind` of `group`/`version`, if there is one.
    fn carried_mut(&mut self, group: &str, version: &str, kind: &str) -> Option<&mut Carried> {
        let group_key = super::library::group_key(group);
        match self
            .groups
            .get_mut(group_key.as_str())
            .and_then(|v| v.get_mut(version))
            .and_then(|k| k.get_mut(camel_lower(kind).as_str()))
        {
            Some(KindSlot(Some(c))) => Some(c),
            _ => None,
        }
    }

    /// Names a kind of the published layout that this library does not carry (kept if
    /// the place already carries one). Importing it fails with an error that says so.
    pub fn add_not_carried(&mut self, group_key: &str, version: &str, kind_key: &str) {
        self.groups
            .entry(Cow::Owned(group_key.to_owned()))
            .or_default()
            .entry(Cow::Owned(version.to_owned()))
            .or_default()
            .entry(Cow::Owned(kind_key.to_owned()))
            .or_insert(KindSlot(None));
    }

    /// `<group key>.<version>.<kind key>` of every carried kind, in layout order,
    /// without loading any.
    pub fn carried_names(&self) -> Vec<String> {
        self.slots()
            .filter(|(.., s)| s.is_carried())
            .map(|(g, v, k, _)| format!("{g}.{v}.{k}"))
            .collect()
    }

    /// Why `<group key>.<version>.<kind key>`, a kind of the layout this library does not
    /// carry, cannot be used (the native file and the generated source both say it).
    pub fn not_carried_message(&self, group_key: &str, version: &str, kind_key: &str) -> String {
        format!(
            "{group_key}.{version}.{kind_key} of {} {} is not built into gwsonnet: only {} built in; load the CRDs with --crds <file or folder> to serve every kind, or vendor the library under -J",
            self.local_name,
            self.output,
            self.carried_list(),
        )
    }

    /// "gateway.v1alpha2.tcpRoute is" / "a, b are": the kinds the library carries.
    pub fn carried_list(&self) -> String {
        let names = self.carried_names();
        match names.len() {
            0 => "no kind is".to_owned(),
            1 => format!("{} is", names[0]),
            _ => format!("{} are", names.join(", ")),
        }
    }

    /// Every carried kind, loaded, in layout order.
    ///
    /// # Errors
    /// The first kind whose schema does not load.
    pub fn kinds(&self) -> Result<Vec<&Kind>, LibraryError> {
        self.slots().filter_map(|(.., s)| s.kind()).collect()
    }

    fn slots(&self) -> impl Iterator<Item = (&Key, &Key, &Key, &KindSlot)> {
        self.groups.iter().flat_map(|(g, versions)| {
            versions
                .iter()
                .flat_map(move |(v, kinds)| kinds.iter().map(move |(k, s)| (g, v, k, s)))
        })
    }
}

/// The value of `key` in `map`, inserted empty if absent; unlike `entry`, the key is
/// copied only when it is new (a library of 650 kinds has some 40 groups).
fn entry_or_default<'m, V: Default>(map: &'m mut BTreeMap<Key, V>, key: &str) -> &'m mut V {
    if !map.contains_key(key) {
        map.insert(Cow::Owned(key.to_owned()), V::default());
    }
    map.get_mut(key).expect("inserted above")
}

/// The kinds of one version of the Kubernetes API that objects are validated against:
/// every group/version/kind its OpenAPI document names (the library's kinds and the
/// others: apiextensions, lists, options), found by `apiVersion` and `kind`. Adding a
/// kind stores a loader; its schema is loaded on first use, once per process.
#[derive(Default)]
pub struct ApiKinds {
    /// `apiVersion` → `kind` → slot.
    by_api_version: HashMap<Box<str>, HashMap<Box<str>, KindSlot>>,
}

impl fmt::Debug for ApiKinds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKinds")
            .field("kinds", &self.len())
            .finish()
    }
}

impl ApiKinds {
    /// No kind yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the kind `id`, its schema from `load` on first use; a group/version/kind
    /// added before stays (the first definition that names it wins).
    pub fn add(&mut self, id: KindIdentity, load: SchemaLoader) {
        let api_version = if id.group.is_empty() {
            id.version.to_string()
        } else {
            format!("{}/{}", id.group, id.version)
        };
        let kinds = self.by_api_version.entry(api_version.into()).or_default();
        kinds
            .entry(id.kind.as_ref().into())
            .or_insert_with(|| KindSlot(Some(Box::new(Carried::new(id, load)))));
    }

    /// The kind of objects with this `apiVersion` and `kind`, its schema loaded on
    /// first call; `None` when the API has no such kind.
    pub fn find(&self, api_version: &str, kind: &str) -> Option<Result<&Kind, LibraryError>> {
        self.by_api_version.get(api_version)?.get(kind)?.kind()
    }

    /// The number of kinds.
    pub fn len(&self) -> usize {
        self.by_api_version.values().map(HashMap::len).sum()
    }

    /// True when there is no kind.
    pub fn is_empty(&self) -> bool {
        self.by_api_version.is_empty()
    }
}

/// Built-in versions of one library, served by version and each built when first
/// looked at, so that a program that imports none pays nothing: the Kubernetes API
/// versions (`crate::openapi::builtin::KUBERNETES`). The registry knows only this
/// interface; the catalogue lives with its loader.
pub trait BuiltinVersions: fmt::Debug + Send + Sync {
    /// The repository the import roots start with: `<repository>/<version>`.
    fn repository(&self) -> &'static str;
    /// The versions, oldest first.
    fn versions(&self) -> Vec<&'static str>;
    /// The library of `version`, built on first use; `None` when not built in.
    fn library(&self, version: &str) -> Option<&'static Library>;
    /// The kinds objects of `version` are validated against, built on first use.
    fn api_kinds(&self, version: &str) -> Option<&'static ApiKinds>;
}

/// A library of a registry: the built-in one, built when first looked at, a built-in
/// version of a [`BuiltinVersions`] catalogue (built when first looked at), or another.
#[derive(Debug, Clone)]
enum Entry {
    Builtin,
    Version(&'static str, &'static dyn BuiltinVersions),
    Library(Arc<Library>),
}

impl Entry {
    fn get(&self) -> &Library {
        match self {
            Self::Builtin => super::builtin::builtin_library_ref(),
            Self::Version(version, from) => from
                .library(version)
                .expect("only built-in versions are entered"),
            Self::Library(l) => l,
        }
    }

    /// The import root, without building a built-in version's library.
    fn import_root(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Self::Version(version, from) => format!("{}/{version}", from.repository()).into(),
            _ => self.get().import_root.as_str().into(),
        }
    }

    /// `path` relative to the library's import root (`_gen/…`), if it lies below it;
    /// a built-in version is matched without building its library (or formatting its
    /// root).
    fn relative<'p>(&self, path: &'p str) -> Option<&'p str> {
        let rest = match self {
            Self::Version(version, from) => path
                .strip_prefix(from.repository())?
                .strip_prefix('/')?
                .strip_prefix(*version)?,
            _ => path.strip_prefix(self.get().import_root.as_str())?,
        };
        rest.strip_prefix('/')
    }

    /// The library version (`output`), without building a built-in version's library.
    fn output(&self) -> &str {
        match self {
            Self::Version(version, _) => version,
            _ => &self.get().output,
        }
    }
}

/// The libraries a program can import, several at once: CRD libraries (the built-in
/// one and whatever a loader inserts) and the versions of the Kubernetes API
/// (k8s-libsonnet: the built-in ones and those `--openapi` loads).
#[derive(Debug, Clone, Default)]
pub struct Registry {
    libraries: Vec<Entry>,
    kubernetes: Vec<Entry>,
    /// The built-in Kubernetes versions.
    builtin_kubernetes: Option<&'static dyn BuiltinVersions>,
    /// The kinds of the Kubernetes versions loaded from OpenAPI documents (the
    /// built-in versions' come from `builtin_kubernetes`).
    apis: Vec<(String, Arc<ApiKinds>)>,
    /// `--kube-version`: the Kubernetes version validation uses (else the newest).
    kube_version: Option<String>,
}

impl Registry {
    /// A registry with no library.
    pub fn new() -> Self {
        Self::default()
    }

    /// A registry with the built-in libraries: the CRD library and every version of
    /// `kubernetes` (`crate::openapi::builtin::KUBERNETES`). Nothing is read until the
    /// registry is searched (a program that imports no library never reads any), and a
    /// Kubernetes version only when a path of its own is looked up.
    pub fn builtin(kubernetes: &'static dyn BuiltinVersions) -> Self {
        Self {
            libraries: vec![Entry::Builtin],
            kubernetes: kubernetes
                .versions()
                .into_iter()
                .map(|v| Entry::Version(v, kubernetes))
                .collect(),
            builtin_kubernetes: Some(kubernetes),
            apis: Vec::new(),
            kube_version: None,
        }
    }

    /// Adds `library`; one with the same import root is replaced (in its place) and
    /// returned (a listed built-in Kubernetes version is replaced, not returned).
    pub fn insert(&mut self, library: impl Into<Arc<Library>>) -> Option<Arc<Library>> {
        let library = library.into();
        let Some(place) = self
            .libraries
            .iter_mut()
            .find(|e| e.import_root() == library.import_root)
        else {
            self.libraries.push(Entry::Library(library));
            return None;
        };
        match std::mem::replace(place, Entry::Library(library)) {
            Entry::Builtin => Some(super::builtin_library()),
            Entry::Library(old) => Some(old),
            // A built-in Kubernetes version has no `Arc` to hand back.
            Entry::Version(..) => None,
        }
    }

    /// Adds a Kubernetes API version (an `--openapi` document's library and the kinds
    /// objects are validated against); one of the same version (built in or loaded
    /// before) is replaced.
    pub fn insert_kubernetes(&mut self, library: impl Into<Arc<Library>>, kinds: Arc<ApiKinds>) {
        let library = library.into();
        self.apis.retain(|(v, _)| *v != library.output);
        self.apis.push((library.output.clone(), kinds));
        let entry = Entry::Library(library.clone());
        match self
            .kubernetes
            .iter_mut()
            .find(|e| e.output() == library.output)
        {
            Some(place) => *place = entry,
            None => self.kubernetes.push(entry),
        }
    }

    /// Lists version `version` of the built-in catalogue `from` among the libraries
    /// (for the generators: `docs`, `libsonnet`). False when it is not built in.
    pub fn list_builtin_kubernetes(
        &mut self,
        from: &'static dyn BuiltinVersions,
        version: &str,
    ) -> bool {
        match from.versions().into_iter().find(|v| *v == version) {
            Some(v) => {
                self.libraries.push(Entry::Version(v, from));
                true
            }
            None => false,
        }
    }

    /// The libraries, in the order they were added (Kubernetes versions only when
    /// listed for a generator).
    pub fn libraries(&self) -> impl Iterator<Item = &Library> {
        self.libraries.iter().map(Entry::get)
    }

    /// The Kubernetes API versions a program can import (`1.28`, `1.30`, …), without
    /// building any.
    pub fn kubernetes_versions(&self) -> impl Iterator<Item = &str> {
        self.kubernetes.iter().map(Entry::output)
    }

    /// Chooses the Kubernetes version validation uses.
    ///
    /// # Errors
    /// The versions there are (`1.28, 1.30, …`) when `version` is not one of them.
    pub fn set_kube_version(&mut self, version: &str) -> Result<(), KubeVersionError> {
        if self.kubernetes_versions().any(|v| v == version) {
            self.kube_version = Some(version.to_owned());
            return Ok(());
        }
        Err(KubeVersionError {
            version: version.to_owned(),
            available: self.kubernetes_versions().map(str::to_owned).collect(),
        })
    }

    /// The Kubernetes versions there are with where each comes from, for messages:
    /// `1.28, 1.30, 1.31 (built in), 1.37 (--openapi FILE)` (or `no version`).
    pub fn kubernetes_origins_text(&self) -> String {
        let versions: Vec<(&str, &str)> = self
            .kubernetes
            .iter()
            .map(|e| match e {
                Entry::Library(l) => (l.output.as_str(), l.origin()),
                other => (other.output(), "built in"),
            })
            .collect();
        versions_by_origin(&versions)
    }

    /// The Kubernetes version validation uses: the one chosen, else the newest there is.
    pub fn kube_version(&self) -> Option<&str> {
        if let Some(v) = &self.kube_version {
            return Some(v);
        }
        self.kubernetes_versions().max_by_key(|v| version_key(v))
    }

    /// The kinds of the Kubernetes version validation uses ([`Registry::kube_version`]):
    /// those of its OpenAPI document when one was loaded, else the built-in ones.
    pub fn api_kinds(&self) -> Option<&ApiKinds> {
        let version = self.kube_version()?;
        match self.apis.iter().find(|(v, _)| v == version) {
            Some((_, kinds)) => Some(kinds),
            None => self.builtin_kubernetes?.api_kinds(version),
        }
    }

    /// The library with this import root.
    pub fn library(&self, import_root: &str) -> Option<&Library> {
        self.libraries
            .iter()
            .chain(&self.kubernetes)
            .find(|e| e.import_root() == import_root)
            .map(Entry::get)
    }

    /// The library an import path lies in, and the path relative to its root
    /// (`<root>/_gen/gateway/main.libsonnet` → `_gen/gateway/main.libsonnet`).
    pub fn locate<'p>(&self, import_path: &'p str) -> Option<(&Library, &'p str)> {
        self.libraries
            .iter()
            .chain(&self.kubernetes)
            .find_map(|e| e.relative(import_path).map(|rel| (e.get(), rel)))
    }
}

/// `versions` (version, origin) for messages, grouped by origin in first-seen order:
/// `1.5, 1.6 (--crds crds/), 0.8-experimental (built in)`; `no version` when empty.
pub fn versions_by_origin(versions: &[(&str, &str)]) -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for (version, origin) in versions {
        match groups.iter_mut().find(|(o, _)| o == origin) {
            Some((_, list)) => list.push(version),
            None => groups.push((origin, vec![version])),
        }
    }
    if groups.is_empty() {
        return "no version".to_owned();
    }
    groups
        .iter()
        .map(|(origin, list)| format!("{} ({origin})", list.join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `1.30` as numbers, for ordering versions.
fn version_key(v: &str) -> (u32, u32) {
    let (major, minor) = v.split_once('.').unwrap_or((v, "0"));
    (major.parse().unwrap_or(0), minor.parse().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_is_small_whatever_the_size_of_a_schema() {
        // A library lays out hundreds of slots in map nodes of eleven each; the loaded
        // kind (a whole schema node inline) is boxed.
        assert!(std::mem::size_of::<Schema>() > 400);
        assert!(std::mem::size_of::<KindSlot>() <= 160);
    }

    fn schema(description: &str) -> SchemaLoader {
        let d = description.to_owned();
        Box::new(move || {
            Ok(Schema {
                description: Some(d.clone()),
                ..Schema::default()
            })
        })
    }

    #[test]
    fn kinds_take_the_generators_places_and_load_once() {
        let mut lib = Library::new(
            "metallb",
            "github.com/jsonnet-libs/metallb-libsonnet",
            "0.14",
        );
        lib.add_kind("metallb.io", "v1beta2", "BGPPeer", schema("peer"))
            .unwrap();
        lib.add_kind("metallb.io", "v1beta1", "IPAddressPool", schema("pool"))
            .unwrap();
        lib.add_not_carried("metallb", "v1beta1", "community");
        assert_eq!(
            lib.import_root(),
            "github.com/jsonnet-libs/metallb-libsonnet/0.14"
        );
        assert_eq!(
            lib.carried_names(),
            ["metallb.v1beta1.ipAddressPool", "metallb.v1beta2.bgpPeer"]
        );
        let slot = lib.slot("metallb", "v1beta2", "bgpPeer").unwrap();
        let a = slot.kind().unwrap().unwrap();
        let b = slot.kind().unwrap().unwrap();
        assert!(std::ptr::eq(a, b));
        assert_eq!(a.api_version(), "metallb.io/v1beta2");
        assert_eq!(a.schema.description(), "peer");
        assert!(lib
            .slot("metallb", "v1beta1", "community")
            .unwrap()
            .kind()
            .is_none());
        assert_eq!(lib.kinds().unwrap().len(), 2);
        let e = lib
            .add_kind("metallb.io", "v1beta2", "BGPPeer", schema("again"))
            .unwrap_err();
        assert!(
            matches!(&e, LibraryError::DefinedTwice { place, .. } if place == "metallb.v1beta2.bgpPeer"),
            "{e}"
        );
        assert!(
            e.to_string()
                .contains("metallb.v1beta2.bgpPeer is defined twice"),
            "{e}"
        );
    }

    fn placed(group_key: &'static str, kind_key: &str, kind: &str) -> PlacedKind {
        PlacedKind {
            group_key: Cow::Borrowed(group_key),
            version_key: Cow::Borrowed("v1"),
            kind_key: Cow::Owned(kind_key.to_owned()),
            id: KindIdentity {
                group: Cow::Owned(format!("{group_key}.io")),
                version: Cow::Borrowed("v1"),
                kind: Cow::Owned(kind.to_owned()),
                scope: Scope::Namespaced,
                resource: true,
                dialect: Dialect::OpenApiV2,
            },
            load: schema(kind),
        }
    }

    #[test]
    fn placed_kinds_are_laid_out_as_one_by_one_and_a_place_taken_twice_is_an_error() {
        let kinds = || {
            vec![
                placed("b", "zed", "Zed"),
                placed("a", "y", "Y"),
                placed("b", "alpha", "Alpha"),
                placed("a", "x", "X"),
            ]
        };
        let mut at_once = Library::new("k", "r", "1.0");
        at_once.add_placed_kinds(kinds()).unwrap();
        let mut one_by_one = Library::new("k", "r", "1.0");
        for k in kinds() {
            one_by_one
                .add_placed_kind(&k.group_key, &k.version_key, &k.kind_key, k.id, k.load)
                .unwrap();
        }
        assert_eq!(format!("{at_once:?}"), format!("{one_by_one:?}"));
        assert_eq!(
            at_once.carried_names(),
            ["a.v1.x", "a.v1.y", "b.v1.alpha", "b.v1.zed"]
        );
        let zed = at_once
            .slot("b", "v1", "zed")
            .unwrap()
            .kind()
            .unwrap()
            .unwrap();
        assert_eq!(
            (zed.api_version().as_str(), zed.kind.as_str()),
            ("b.io/v1", "Zed")
        );
        assert_eq!(zed.schema.description(), "Zed");
        // Taken as they come: a kind out of order is added on its own, same layout.
        let mut streamed = Library::new("k", "r", "1.0");
        streamed.add_sorted_placed_kinds(kinds()).unwrap();
        assert_eq!(format!("{streamed:?}"), format!("{one_by_one:?}"));
        let mut sorted = kinds();
        sorted.sort_by(|a, b| a.place().cmp(&b.place()));
        let mut streamed = Library::new("k", "r", "1.0");
        streamed.add_sorted_placed_kinds(sorted).unwrap();
        assert_eq!(format!("{streamed:?}"), format!("{one_by_one:?}"));
        let e = Library::new("k", "r", "1.0")
            .add_sorted_placed_kinds(vec![placed("a", "x", "One"), placed("a", "x", "Two")])
            .unwrap_err();
        assert_eq!(defined_twice(&e), ("a.v1.x", "One", "Two"));

        // Into a library with kinds, one by one; the first of two at a place is named
        // first, in either path.
        let mut more = Library::new("k", "r", "1.0");
        more.add_placed_kinds(vec![placed("a", "x", "X")]).unwrap();
        more.add_placed_kinds(vec![placed("a", "w", "W")]).unwrap();
        assert_eq!(more.carried_names(), ["a.v1.w", "a.v1.x"]);
        for mut lib in [more, Library::new("k", "r", "1.0")] {
            let e = lib
                .add_placed_kinds(vec![
                    placed("c", "k", "First"),
                    placed("a", "v", "V"),
                    placed("c", "k", "Second"),
                ])
                .unwrap_err();
            assert_eq!(defined_twice(&e), ("c.v1.k", "First", "Second"));
        }
    }

    /// The place and the two kinds a `DefinedTwice` error names.
    fn defined_twice(e: &LibraryError) -> (&str, &str, &str) {
        let LibraryError::DefinedTwice {
            place,
            first,
            second,
            ..
        } = e
        else {
            panic!("{e}")
        };
        (place, &first.kind, &second.kind)
    }

    #[test]
    fn a_registry_can_be_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Registry>();
        shared::<Library>();
    }

    #[test]
    fn registry_holds_versions_side_by_side_and_replaces_by_root() {
        let repo = "github.com/jsonnet-libs/gateway-api-libsonnet";
        let mut reg = Registry::new();
        assert!(reg
            .insert(Library::new("gateway-api", repo, "1.0"))
            .is_none());
        assert!(reg
            .insert(Library::new("gateway-api", repo, "1.0-experimental"))
            .is_none());
        let path = format!("{repo}/1.0-experimental/main.libsonnet");
        let (lib, rel) = reg.locate(&path).unwrap();
        assert_eq!((lib.output(), rel), ("1.0-experimental", "main.libsonnet"));
        assert!(reg.locate(&format!("{repo}/1.0x/main.libsonnet")).is_none());
        assert!(reg.insert(Library::new("other", repo, "1.0")).is_some());
        let names: Vec<_> = reg
            .libraries()
            .map(|l| (l.local_name(), l.output()))
            .collect();
        assert_eq!(
            names,
            [("other", "1.0"), ("gateway-api", "1.0-experimental")]
        );
    }
}
