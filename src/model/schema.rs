//! The lossless schema of a kind: one node of a CRD's `openAPIV3Schema` with every
//! structural-schema keyword Kubernetes accepts, read from and written back to JSON
//! without losing anything ([`Schema::from_json`], [`Schema::to_json`]).
//!
//! The keywords are listed once ([`schema_keywords!`]: JSON name, field, type, docs);
//! serde derives the reader and writer from that list: an unknown keyword is refused
//! (`deny_unknown_fields`, as the API server's strict decoding of a CRD does), an absent
//! one is skipped on output, and the error path comes from `serde_path_to_error`.
//! Presence is kept: a keyword that is absent stays `None`, so `properties: {}`,
//! `nullable: false`, `default: null` or `description: ""` survive a round trip, and
//! numbers keep their JSON form (`minimum: 1` stays an integer). A keyword this model
//! does not know, or a value of the wrong shape, is an error that names it and its JSON
//! path ([`SchemaError`]); nothing is dropped silently.
//!
//! Contact points: the library generator ([`crate::model::library`]) reads the shape
//! through the derived accessors ([`Schema::type_name`], [`Schema::description`],
//! [`Schema::properties`], [`Schema::items`]); the validator ([`crate::validate`]) reads
//! the fields; the OpenAPI loader ([`crate::openapi`]) sets keywords one by one
//! ([`Schema::set_keyword`]).

use std::{collections::BTreeMap, fmt, sync::Arc};

use serde::{
    de::{self, MapAccess, Visitor},
    Deserialize, Deserializer, Serialize, Serializer,
};
use serde_json::{Number, Value};

/// The JSON type of a schema node (`type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SchemaType {
    /// `string`.
    String,
    /// `integer`.
    Integer,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `object`: fixed `properties` and/or a map of `additionalProperties`.
    Object,
    /// `array` of `items`.
    Array,
}

impl SchemaType {
    /// The keyword value: `string`, `integer`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Integer => "integer",
            Self::Number => "number",
            Self::Boolean => "boolean",
            Self::Object => "object",
            Self::Array => "array",
        }
    }
}

/// `additionalProperties`: a boolean or the schema of every other property's value.
#[derive(Debug, Clone, PartialEq)]
pub enum AdditionalProperties {
    /// `true` (any value allowed) or `false` (no other property allowed).
    Bool(bool),
    /// The value schema of a map-shaped object.
    Schema(Box<Schema>),
}

impl Serialize for AdditionalProperties {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Bool(b) => s.serialize_bool(*b),
            Self::Schema(schema) => schema.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for AdditionalProperties {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        /// A boolean, or a mapping read as a schema (the error path stays tracked).
        struct BoolOrSchema;
        impl<'de> Visitor<'de> for BoolOrSchema {
            type Value = AdditionalProperties;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean or a schema")
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
                Ok(AdditionalProperties::Bool(b))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let d = de::value::MapAccessDeserializer::new(map);
                Schema::deserialize(d).map(|s| AdditionalProperties::Schema(Box::new(s)))
            }
        }
        d.deserialize_any(BoolOrSchema)
    }
}

/// `x-kubernetes-list-type`: how a list merges and which elements must be unique.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ListType {
    /// `atomic`: replaced as a whole.
    Atomic,
    /// `set`: scalar elements, unique.
    Set,
    /// `map`: object elements keyed by `x-kubernetes-list-map-keys`.
    Map,
}

impl ListType {
    /// The keyword value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Atomic => "atomic",
            Self::Set => "set",
            Self::Map => "map",
        }
    }
}

/// `x-kubernetes-map-type`: how an object merges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MapType {
    /// `granular`: merged field by field.
    Granular,
    /// `atomic`: replaced as a whole.
    Atomic,
}

impl MapType {
    /// The keyword value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Granular => "granular",
            Self::Atomic => "atomic",
        }
    }
}

/// One CEL rule of `x-kubernetes-validations`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ValidationRule {
    /// `rule`: the CEL expression; `self` is the value of the node.
    pub rule: String,
    /// `message`: reported when the rule is false.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub message: Option<String>,
    /// `messageExpression`: a CEL expression that builds the message.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub message_expression: Option<String>,
    /// `reason`: the machine-readable reason (`FieldValueInvalid`, ...).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub reason: Option<String>,
    /// `fieldPath`: the field the failure is reported at, relative to the node.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub field_path: Option<String>,
    /// `optionalOldSelf`: evaluate transition rules when there is no old value.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub optional_old_self: Option<bool>,
}

impl ValidationRule {
    /// The message reported when the rule fails, empty when none is given.
    pub fn message(&self) -> &str {
        self.message.as_deref().unwrap_or_default()
    }
}

/// `value` read as `T`; when that fails, read again tracking the path for the error
/// (tracking costs on every value, failures are rare).
fn tracked<'a, T: Deserialize<'a>>(
    value: &'a Value,
) -> Result<T, serde_path_to_error::Error<serde_json::Error>> {
    T::deserialize(value).or_else(|_| serde_path_to_error::deserialize(value))
}

/// A keyword that is there: its value read as `T`, `null` included (so `default: null`
/// is present, and `nullable: null` an error, not an absent keyword).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// Declares [`Schema`] from the one list of keywords: each JSON name with its field,
/// type and doc; every keyword is optional, kept when present (even `null`), and
/// written back only when present. Also `Schema::read_keyword`, which needs the list.
macro_rules! schema_keywords {
    ($( $(#[doc = $doc:literal])* $json:literal => $field:ident : $ty:ty, )*) => {
        /// One node of a structural schema. Every field but `definition` is a keyword;
        /// `None` means absent.
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Schema {
            $(
                $(#[doc = $doc])*
                #[serde(
                    rename = $json,
                    default,
                    skip_serializing_if = "Option::is_none",
                    deserialize_with = "present"
                )]
                pub $field: Option<$ty>,
            )*
            /// Not a keyword: the OpenAPI definition this node was inlined from (its
            /// `$ref`, `io.k8s.api.core.v1.Container`), for nodes of a Kubernetes OpenAPI
            /// document ([`crate::openapi`]). The library generator does not make an
            /// array of such elements a documented object; never read from or written
            /// to JSON.
            #[serde(skip)]
            pub definition: Option<std::sync::Arc<str>>,
        }

        impl Schema {
            /// Reads the keyword `key` from `value` into this node; false when `key` is
            /// no keyword. The error path is the value's, below the keyword.
            fn read_keyword(
                &mut self,
                key: &str,
                value: &Value,
            ) -> Result<bool, serde_path_to_error::Error<serde_json::Error>> {
                match key {
                    $( $json => self.$field = Some(tracked(value)?), )*
                    _ => return Ok(false),
                }
                Ok(true)
            }
        }
    };
}

schema_keywords! {
    /// `type`.
    "type" => ty: SchemaType,
    /// `format` (`date-time`, `int32`, ...).
    "format" => format: String,
    /// `description`.
    "description" => description: String,
    /// `properties`: named fields of an object, sorted by name. Each node boxed: a
    /// node is hundreds of bytes, and a map's node holds room for eleven entries
    /// whatever its length (`docs/performance.md`, the Kubernetes library).
    "properties" => properties: BTreeMap<String, Box<Schema>>,
    /// `additionalProperties`.
    "additionalProperties" => additional_properties: AdditionalProperties,
    /// `items`: the element schema of an array.
    "items" => items: Box<Schema>,
    /// `required`: names of required properties.
    "required" => required: Vec<String>,
    /// `enum`: the allowed values.
    "enum" => enum_values: Vec<Value>,
    /// `default`.
    "default" => default: Value,
    /// `nullable`.
    "nullable" => nullable: bool,
    /// `minimum`.
    "minimum" => minimum: Number,
    /// `maximum`.
    "maximum" => maximum: Number,
    /// `exclusiveMinimum`: `minimum` itself is not allowed.
    "exclusiveMinimum" => exclusive_minimum: bool,
    /// `exclusiveMaximum`: `maximum` itself is not allowed.
    "exclusiveMaximum" => exclusive_maximum: bool,
    /// `multipleOf`.
    "multipleOf" => multiple_of: Number,
    /// `minLength`, in characters.
    "minLength" => min_length: u64,
    /// `maxLength`, in characters.
    "maxLength" => max_length: u64,
    /// `pattern`: a regular expression a string must match.
    "pattern" => pattern: String,
    /// `minItems`.
    "minItems" => min_items: u64,
    /// `maxItems`.
    "maxItems" => max_items: u64,
    /// `uniqueItems`.
    "uniqueItems" => unique_items: bool,
    /// `minProperties`.
    "minProperties" => min_properties: u64,
    /// `maxProperties`.
    "maxProperties" => max_properties: u64,
    /// `allOf`.
    "allOf" => all_of: Vec<Schema>,
    /// `anyOf`.
    "anyOf" => any_of: Vec<Schema>,
    /// `oneOf`.
    "oneOf" => one_of: Vec<Schema>,
    /// `not`.
    "not" => not: Box<Schema>,
    /// `x-kubernetes-int-or-string`.
    "x-kubernetes-int-or-string" => int_or_string: bool,
    /// `x-kubernetes-preserve-unknown-fields`.
    "x-kubernetes-preserve-unknown-fields" => preserve_unknown_fields: bool,
    /// `x-kubernetes-embedded-resource`.
    "x-kubernetes-embedded-resource" => embedded_resource: bool,
    /// `x-kubernetes-list-type`.
    "x-kubernetes-list-type" => list_type: ListType,
    /// `x-kubernetes-list-map-keys`.
    "x-kubernetes-list-map-keys" => list_map_keys: Vec<String>,
    /// `x-kubernetes-map-type`.
    "x-kubernetes-map-type" => map_type: MapType,
    /// `x-kubernetes-validations`.
    "x-kubernetes-validations" => validations: Vec<ValidationRule>,
}

/// A schema that is not in the model's shape: the keyword (or value) and where.
#[derive(Debug, Clone, thiserror::Error)]
#[error("schema at {path}: {problem}")]
pub struct SchemaError {
    /// JSON path of the offending node or keyword, jq style (`.properties.spec.items`);
    /// `.` for the root.
    pub path: String,
    /// What is wrong there.
    pub problem: SchemaProblem,
}

/// What is wrong with a schema node or keyword.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SchemaProblem {
    /// A keyword the model does not know (quoted as a JSON string).
    #[error("unknown keyword {}", Value::String(.0.clone()))]
    UnknownKeyword(String),
    /// A node that is not an object: the JSON type it is.
    #[error("a schema must be an object, got {0}")]
    NotAnObject(&'static str),
    /// A sub-schema keyword (`items`, `properties`, …) given where only plain keywords
    /// are set.
    #[error("\"{0}\" is a sub-schema, not a keyword")]
    SubSchema(String),
    /// A keyword's value of the wrong shape, in serde's words (`invalid type: null,
    /// expected a boolean`, `missing field `rule``).
    #[error("{0}")]
    Value(#[source] Arc<serde_json::Error>),
}

impl From<serde_path_to_error::Error<serde_json::Error>> for SchemaError {
    fn from(e: serde_path_to_error::Error<serde_json::Error>) -> Self {
        let path = e.path().iter().cloned().collect::<Vec<_>>();
        schema_error(path.iter().collect(), e.into_inner())
    }
}

/// The error `inner` at `path`. serde lists every keyword it knows in an unknown
/// field's message and puts the field in the path: the node's path and the name are
/// enough.
fn schema_error(
    mut path: Vec<&serde_path_to_error::Segment>,
    inner: serde_json::Error,
) -> SchemaError {
    use serde_path_to_error::Segment;
    let message = inner.to_string();
    let unknown = message
        .strip_prefix("unknown field `")
        .and_then(|m| m.split_once('`'))
        .map(|(name, _)| name);
    let problem = match unknown {
        Some(name) => {
            if matches!(path.last(), Some(Segment::Map { key }) if key == name) {
                path.pop();
            }
            SchemaProblem::UnknownKeyword(name.to_owned())
        }
        None => SchemaProblem::Value(Arc::new(inner)),
    };
    SchemaError {
        path: render_path(&path),
        problem,
    }
}

/// Renders a path jq style: `.properties.spec.items`, `["a.b"]`, `[0]`; `.` at the root.
fn render_path(path: &[&serde_path_to_error::Segment]) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Map { key }
                if !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_-$".contains(c)) =>
            {
                out.push('.');
                out.push_str(key);
            }
            Segment::Map { key } => {
                out.push('[');
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(']');
            }
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// An empty map, for [`Schema::properties`] of a node without `properties`.
static NO_PROPERTIES: BTreeMap<String, Box<Schema>> = BTreeMap::new();

impl Schema {
    /// The `type` the library generator names (`d.T.<type>`): the keyword, or `any`
    /// when there is none (untyped, int-or-string, preserve-unknown-fields).
    pub fn type_name(&self) -> &'static str {
        self.ty.map_or("any", SchemaType::as_str)
    }

    /// The description, empty when there is none.
    pub fn description(&self) -> &str {
        self.description.as_deref().unwrap_or_default()
    }

    /// The named properties, empty when there are none.
    pub fn properties(&self) -> &BTreeMap<String, Box<Schema>> {
        self.properties.as_ref().unwrap_or(&NO_PROPERTIES)
    }

    /// The element schema of an array.
    pub fn items(&self) -> Option<&Schema> {
        self.items.as_deref()
    }

    /// The required property names, empty when there are none.
    pub fn required(&self) -> &[String] {
        self.required.as_deref().unwrap_or_default()
    }

    /// The CEL rules, empty when there are none.
    pub fn validations(&self) -> &[ValidationRule] {
        self.validations.as_deref().unwrap_or_default()
    }

    /// True for an object with no fixed properties whose other properties are allowed
    /// (a map: `additionalProperties` is a schema or `true`).
    pub fn is_map(&self) -> bool {
        self.ty == Some(SchemaType::Object)
            && self.properties().is_empty()
            && matches!(
                self.additional_properties,
                Some(AdditionalProperties::Schema(_) | AdditionalProperties::Bool(true))
            )
    }

    /// Reads a schema node from its JSON form.
    ///
    /// # Errors
    /// The first unknown keyword or ill-shaped value, with its JSON path.
    pub fn from_json(value: &Value) -> Result<Self, SchemaError> {
        if !value.is_object() {
            let got = match value {
                Value::Null => "null",
                Value::Bool(_) => "boolean",
                Value::Number(_) => "number",
                Value::String(_) => "string",
                _ => "array",
            };
            return Err(SchemaError {
                path: ".".to_owned(),
                problem: SchemaProblem::NotAnObject(got),
            });
        }
        Ok(tracked(value)?)
    }

    /// Sets the keyword `key` that is not a sub-schema (`type`, `description`,
    /// `required`, …; not `properties`, `items` and the like) from its JSON value, as
    /// [`Schema::from_json`] reads it; for loaders that build the sub-schemas
    /// themselves ([`crate::openapi`] inlines references).
    ///
    /// # Errors
    /// An unknown keyword, a sub-schema keyword or an ill-shaped value; the path is the
    /// keyword's within this node.
    pub fn set_keyword(&mut self, key: &str, value: &Value) -> Result<(), SchemaError> {
        if matches!(
            key,
            "properties" | "additionalProperties" | "items" | "not" | "allOf" | "anyOf" | "oneOf"
        ) {
            return Err(SchemaError {
                path: ".".to_owned(),
                problem: SchemaProblem::SubSchema(key.to_owned()),
            });
        }
        match self.read_keyword(key, value) {
            Ok(true) => Ok(()),
            Ok(false) => Err(SchemaError {
                path: ".".to_owned(),
                problem: SchemaProblem::UnknownKeyword(key.to_owned()),
            }),
            Err(e) => {
                let keyword = serde_path_to_error::Segment::Map {
                    key: key.to_owned(),
                };
                let rest: Vec<_> = e.path().iter().cloned().collect();
                let path = std::iter::once(&keyword).chain(rest.iter()).collect();
                Err(schema_error(path, e.into_inner()))
            }
        }
    }

    /// The JSON form of the node: exactly the keywords that are present.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).expect("a schema has string keys and JSON values")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trip_keeps_presence_and_numbers() {
        let v = json!({
            "type": "object",
            "properties": {},
            "nullable": false,
            "description": "",
            "minimum": 1,
            "maximum": 2.5,
            "default": null,
            "additionalProperties": false,
            "x-kubernetes-validations": [{"rule": "self.a", "optionalOldSelf": true}],
            "anyOf": [{"required": ["a"]}, {"not": {"required": ["b"]}}],
        });
        let s = Schema::from_json(&v).unwrap();
        assert_eq!(s.to_json(), v);
        assert!(s.to_json()["minimum"].is_u64());
        assert_eq!(s.type_name(), "object");
        assert!(!s.is_map());
    }

    #[test]
    fn unknown_keywords_are_errors_with_their_path() {
        let v = json!({"properties": {"spec": {"items": {"x-foo": 1}}}});
        let e = Schema::from_json(&v).unwrap_err();
        assert_eq!(e.path, ".properties.spec.items");
        assert!(matches!(&e.problem, SchemaProblem::UnknownKeyword(k) if k == "x-foo"));
        assert_eq!(e.problem.to_string(), "unknown keyword \"x-foo\"");
        let v = json!({"x-kubernetes-validations": [{"rule": "x"}, {"rule": "y", "why": 1}]});
        let e = Schema::from_json(&v).unwrap_err();
        assert_eq!(
            e.to_string(),
            "schema at .x-kubernetes-validations[1]: unknown keyword \"why\""
        );
        // A value of the wrong shape: the path names the keyword.
        let v = json!({"properties": {"a.b": {"maxLength": -1}}});
        let e = Schema::from_json(&v).unwrap_err();
        assert_eq!(e.path, ".properties[\"a.b\"].maxLength");
        assert!(matches!(e.problem, SchemaProblem::Value(_)));
        assert_eq!(
            e.problem.to_string(),
            "invalid value: integer `-1`, expected u64"
        );
        let e = Schema::from_json(&json!({"type": "null"})).unwrap_err();
        assert_eq!(e.path, ".type");
        assert!(
            e.problem.to_string().starts_with("unknown variant `null`"),
            "{e}"
        );
        let e = Schema::from_json(&json!({"nullable": null})).unwrap_err();
        assert_eq!(
            e.to_string(),
            "schema at .nullable: invalid type: null, expected a boolean"
        );
        let e = Schema::from_json(&json!({"x-kubernetes-validations": [{"message": "m"}]}))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "schema at .x-kubernetes-validations[0]: missing field `rule`"
        );
        let v = json!({"additionalProperties": {"items": {"x-foo": 1}}});
        let e = Schema::from_json(&v).unwrap_err();
        assert_eq!(e.path, ".additionalProperties.items");
        let e = Schema::from_json(&json!([])).unwrap_err();
        assert!(matches!(e.problem, SchemaProblem::NotAnObject("array")));
        assert_eq!(
            e.to_string(),
            "schema at .: a schema must be an object, got array"
        );
    }

    #[test]
    fn keywords_are_set_one_by_one() {
        let mut s = Schema::default();
        s.set_keyword("type", &json!("string")).unwrap();
        s.set_keyword("default", &Value::Null).unwrap();
        s.set_keyword("maxLength", &json!(3)).unwrap();
        assert_eq!(
            s.to_json(),
            json!({"type": "string", "default": null, "maxLength": 3})
        );
        let e = s.set_keyword("x-foo", &json!(1)).unwrap_err();
        assert_eq!(e.to_string(), "schema at .: unknown keyword \"x-foo\"");
        let e = s.set_keyword("items", &json!({})).unwrap_err();
        assert!(matches!(&e.problem, SchemaProblem::SubSchema(k) if k == "items"));
        assert_eq!(
            e.to_string(),
            "schema at .: \"items\" is a sub-schema, not a keyword"
        );
        let e = s.set_keyword("minLength", &json!("1")).unwrap_err();
        assert_eq!(e.path, ".minLength");
        let rules = json!([{"rule": "x"}, {"rule": "y", "why": 1}]);
        let e = s
            .set_keyword("x-kubernetes-validations", &rules)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "schema at .x-kubernetes-validations[1]: unknown keyword \"why\""
        );
    }

    #[test]
    fn untyped_nodes_are_any() {
        let s = Schema::from_json(&json!({"x-kubernetes-int-or-string": true})).unwrap();
        assert_eq!(s.type_name(), "any");
        assert_eq!(s.int_or_string, Some(true));
        let m = Schema::from_json(
            &json!({"type": "object", "additionalProperties": {"type": "string"}}),
        )
        .unwrap();
        assert!(m.is_map());
    }
}
