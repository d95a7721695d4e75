//! The one model of a Kubernetes kind: a tree of schema nodes shaped like a CRD's
//! `openAPIV3Schema`, plus the identity of the kind.
//!
//! Every consumer reads this model and nothing else: the native Jsonnet library
//! (`crate::native`), the docsonnet renderer (`crate::docs`), the jsonnet-source
//! generator (`crate::libsonnet`), and later the validator. Kinds live in a [`Library`]
//! (identity and layout of a published package) held by a [`Registry`]; the built-in
//! library is authored in `lib/` ([`builtin_library`]), a CRD loader adds more at run
//! time. A kind's [`Schema`] is lossless: the same JSON a CRD's `openAPIV3Schema` has.

use std::sync::{Arc, OnceLock};

mod builtin;
mod error;
pub mod library;
pub mod names;
mod registry;
mod schema;

pub use builtin::{builtin_library, builtin_library_source, parse_builtin_library};
pub use error::{
    BuiltInFile, BuiltInProblem, CrdVersionProblem, DefinitionProblem, KindName, LibraryError,
    NodeProblem,
};
pub use library::{library_node, library_tree, FnKind, LibFn, LibNew, LibNode};
pub use registry::{
    versions_by_origin, ApiKinds, BuiltinVersions, Groups, Key, KindIdentity, KindSlot,
    KubeVersionError, Library, PlacedKind, Registry, SchemaLoader, NATIVE_REPOSITORY,
};
pub use schema::{
    AdditionalProperties, ListType, MapType, Schema, SchemaError, SchemaProblem, SchemaType,
    ValidationRule,
};

/// One kind of a library, e.g. `gateway.v1alpha2.tcpRoute`: its identity and schema.
#[derive(Debug, Clone)]
pub struct Kind {
    /// API group, e.g. `gateway.networking.k8s.io`.
    pub group: String,
    /// API version within the group, e.g. `v1alpha2`.
    pub version: String,
    /// The Kubernetes kind, e.g. `TCPRoute`.
    pub kind: String,
    /// The schema of the whole object (`openAPIV3Schema`): its properties include
    /// `metadata` and `spec`.
    pub schema: Schema,
    /// Whether objects of the kind live in a namespace (a CRD's `spec.scope`).
    pub scope: Scope,
    /// Whether the API server serves this version (false for a CRD version marked
    /// `served: false`; objects of it get a warning from the validator).
    pub served: bool,
    /// True for a resource of the API (every CRD kind; an OpenAPI definition with
    /// `x-kubernetes-group-version-kind`): its library object has the constructor
    /// `new(name)` and no `withKind`. False for a sub-type the Kubernetes library also
    /// serves (`deploymentSpec`, `container`): setters only, `withKind` kept.
    pub resource: bool,
    /// How the validator reads the schema: a CRD's structural schema, or a definition
    /// of the Kubernetes API's OpenAPI v2 document.
    pub dialect: Dialect,
    /// The CustomResourceDefinition the kind was read from; `None` for kinds of the
    /// Kubernetes API and kinds built in code.
    pub crd: Option<Arc<CrdOrigin>>,
}

/// The CustomResourceDefinition a kind was read from, named as the API server names
/// it in its errors, and what the validator found the API server would refuse it for.
/// One value is shared by every version of the CRD: the API server accepts or refuses
/// the CRD as a whole, so an object of any version carries the refusals of all
/// (found once, for the first object of any of its kinds).
pub struct CrdOrigin {
    /// `metadata.name`: `httproutes.gateway.networking.k8s.io`.
    pub name: String,
    /// Finds the CRD's schemas (see [`CrdOrigin::schemas`]).
    find_schemas: Box<dyn Fn() -> Vec<CrdSchema> + Send + Sync>,
    /// Loads the schema of a version by its index in the CRD.
    load_schema: Box<dyn Fn(usize) -> Option<Schema> + Send + Sync>,
    refusals: OnceLock<Vec<String>>,
}

/// One schema of a CRD as the API server keeps it ([`CrdOrigin::schemas`]).
pub struct CrdSchema {
    /// Its field path in the CRD as the API server reports it:
    /// `spec.validation.openAPIV3Schema` when every version has the same schema (the
    /// API server then keeps one), else `spec.versions[1].schema.openAPIV3Schema`.
    pub path: String,
    /// The versions (names) with this schema.
    pub versions: Vec<String>,
    /// The index of the first of them in the CRD, for [`CrdOrigin::load_schema`].
    pub index: usize,
}

impl CrdOrigin {
    /// The CRD `name`, whose schemas `find_schemas` lists and `load_schema` loads by a
    /// version's index (each called when first asked).
    pub fn new(
        name: String,
        find_schemas: impl Fn() -> Vec<CrdSchema> + Send + Sync + 'static,
        load_schema: impl Fn(usize) -> Option<Schema> + Send + Sync + 'static,
    ) -> Self {
        Self {
            name,
            find_schemas: Box::new(find_schemas),
            load_schema: Box::new(load_schema),
            refusals: OnceLock::new(),
        }
    }

    /// The CRD's schemas, each once: one when all its versions share it, else one per
    /// version.
    pub fn schemas(&self) -> Vec<CrdSchema> {
        (self.find_schemas)()
    }

    /// The schema of the version at `index` (`metadata` as the kinds have it); `None`
    /// when it does not load (an error of its kind where that kind is used).
    pub fn load_schema(&self, index: usize) -> Option<Schema> {
        (self.load_schema)(index)
    }

    /// Why the API server would refuse the CRD (one message each), `find` called the
    /// first time only.
    pub fn refusals(&self, find: impl FnOnce() -> Vec<String>) -> &[String] {
        self.refusals.get_or_init(find)
    }
}

impl std::fmt::Debug for CrdOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CrdOrigin")
            .field("name", &self.name)
            .field("refusals", &self.refusals.get())
            .finish_non_exhaustive()
    }
}

/// The language a kind's schema is written in, which decides what the validator makes
/// of some nodes ([`crate::validate`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Dialect {
    /// A CRD's structural `openAPIV3Schema`: every keyword means what the API
    /// server's CRD validation makes of it.
    #[default]
    Structural,
    /// A definition of the Kubernetes API's OpenAPI v2 document, read as the API
    /// server's Go decoding reads the object: `format: int-or-string` takes an
    /// integer or a string, `resource.Quantity` a quantity string or a number, `null`
    /// is the zero value anywhere, and an object without `properties` takes any field.
    OpenApiV2,
}

/// A CRD's `spec.scope`: cluster-scoped kinds' `new` marks the object for Tanka with
/// the annotation `tanka.dev/namespaced: 'false'`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Scope {
    /// `Namespaced` (the default).
    #[default]
    Namespaced,
    /// `Cluster`.
    Cluster,
}

impl Kind {
    /// `group/version/Kind`, e.g. `gateway.networking.k8s.io/v1alpha2/TCPRoute`.
    pub fn api_version_kind(&self) -> String {
        format!("{}/{}/{}", self.group, self.version, self.kind)
    }

    /// `apiVersion` of objects of this kind, e.g. `gateway.networking.k8s.io/v1alpha2`;
    /// the version alone for the core group (`v1`).
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            return self.version.clone();
        }
        format!("{}/{}", self.group, self.version)
    }

    /// The library field name of the kind: the generator's camel-lowering of the kind
    /// (`TCPRoute` → `tcpRoute`).
    pub fn field_name(&self) -> String {
        library::camel_lower(&self.kind)
    }

    /// The library's group key of the kind's API group, by the generator's rule
    /// (`gateway.networking.k8s.io` → `gateway`, `cert-manager.io` → `nogroup`).
    pub fn group_key(&self) -> String {
        library::group_key(&self.group)
    }
}
