//! The one model of a Kubernetes kind: a tree of schema nodes shaped like a CRD's
//! `openAPIV3Schema`, plus the identity of the kind.
//!
//! Every consumer reads this model and nothing else: the native Jsonnet library
//! (`crate::native`), the docsonnet renderer (`crate::docs`), and later the
//! jsonnet-source generator and the validator. Built-in kinds are authored in `lib/`
//! in the same JSON shape a CRD schema has, so loading a CRD later reuses
//! [`Schema`]'s deserializer as is.

mod builtin;
mod index;
pub mod library;

pub use builtin::{builtin_kinds, parse_builtin_kinds, BUILTIN_LIBRARY_VERSION};
pub use index::{builtin_indexes, LibraryIndex};
pub use library::{library_tree, FnKind, LibFn, LibNew, LibNode};

use serde::Deserialize;

/// One kind of a library, e.g. `gateway.v1alpha2.tcpRoute`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Kind {
    /// API group, e.g. `gateway.networking.k8s.io`.
    pub group: String,
    /// API version within the group, e.g. `v1alpha2`.
    pub version: String,
    /// The Kubernetes kind, e.g. `TCPRoute`.
    pub kind: String,
    /// The library's short group name, e.g. `gateway` (first label of the group).
    pub group_alias: String,
    /// The schema of the whole object: its properties include `metadata` and `spec`.
    pub schema: Schema,
}

impl Kind {
    /// `apiVersion` of objects of this kind, e.g. `gateway.networking.k8s.io/v1alpha2`.
    pub fn api_version(&self) -> String {
        format!("{}/{}", self.group, self.version)
    }

    /// The library field name of the kind: the kind with a lower-case first letter
    /// (`TCPRoute` → `tcpRoute`, following the upstream generator's camel-casing).
    pub fn field_name(&self) -> String {
        library::camel_lower(&self.kind)
    }
}

/// The JSON type of a schema node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SchemaType {
    /// A string.
    String,
    /// An integer number.
    Integer,
    /// Any number.
    Number,
    /// A boolean.
    Boolean,
    /// An object: fixed `properties` and/or a map of `additionalProperties`.
    Object,
    /// An array of `items`.
    Array,
    /// No type given (x-kubernetes-preserve-unknown-fields, int-or-string, ...).
    #[default]
    #[serde(other)]
    Any,
}

/// A CEL validation rule (`x-kubernetes-validations`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CelRule {
    /// The CEL expression; `self` is the value of the node.
    pub rule: String,
    /// The message reported when the rule is false.
    #[serde(default)]
    pub message: String,
}

/// One node of the schema tree, in the shape of an OpenAPI v3 schema.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    /// Help text (`description`).
    #[serde(default)]
    pub description: String,
    /// JSON type (`type`).
    #[serde(default, rename = "type")]
    pub ty: SchemaType,
    /// Named fields of an object, sorted by name as CRDs list them.
    #[serde(default)]
    pub properties: std::collections::BTreeMap<String, Schema>,
    /// Value schema of a map-shaped object.
    #[serde(default)]
    pub additional_properties: Option<Box<Schema>>,
    /// Element schema of an array.
    #[serde(default)]
    pub items: Option<Box<Schema>>,
    /// Names of required properties.
    #[serde(default)]
    pub required: Vec<String>,
    /// Default value.
    #[serde(default)]
    pub default: Option<serde_json::Value>,
    /// Allowed values.
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<serde_json::Value>>,
    /// String format (`date-time`, `int32`, ...).
    #[serde(default)]
    pub format: Option<String>,
    /// Inclusive lower bound of a number.
    #[serde(default)]
    pub minimum: Option<f64>,
    /// Inclusive upper bound of a number.
    #[serde(default)]
    pub maximum: Option<f64>,
    /// Shortest allowed string, in characters.
    #[serde(default)]
    pub min_length: Option<u64>,
    /// Longest allowed string, in characters.
    #[serde(default)]
    pub max_length: Option<u64>,
    /// Regular expression a string must match.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Fewest array elements.
    #[serde(default)]
    pub min_items: Option<u64>,
    /// Most array elements.
    #[serde(default)]
    pub max_items: Option<u64>,
    /// CEL rules on this node.
    #[serde(default, rename = "x-kubernetes-validations")]
    pub validations: Vec<CelRule>,
}

impl Schema {
    /// True for an object with a value schema and no fixed properties (a map).
    pub fn is_map(&self) -> bool {
        self.ty == SchemaType::Object
            && self.properties.is_empty()
            && self.additional_properties.is_some()
    }
}
