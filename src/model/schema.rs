//! The lossless schema of a kind: one node of a CRD's `openAPIV3Schema` with every
//! structural-schema keyword Kubernetes accepts, read from and written back to JSON
//! without losing anything ([`Schema::from_json`], [`Schema::to_json`]).
//!
//! Presence is kept: a keyword that is absent stays `None`, so `properties: {}`,
//! `nullable: false` or `description: ""` survive a round trip, and numbers keep their
//! JSON form (`minimum: 1` stays an integer). A keyword this model does not know, or a
//! value of the wrong shape, is an error that names it and its JSON path
//! ([`SchemaError`]); nothing is dropped silently.
//!
//! Contact points: the library generator ([`crate::model::library`]) reads the shape
//! through the derived accessors ([`Schema::type_name`], [`Schema::description`],
//! [`Schema::properties`], [`Schema::items`]); the validator will read the raw fields.

use std::{collections::BTreeMap, fmt};

use serde_json::{Map, Number, Value};

/// The JSON type of a schema node (`type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "string" => Self::String,
            "integer" => Self::Integer,
            "number" => Self::Number,
            "boolean" => Self::Boolean,
            "object" => Self::Object,
            "array" => Self::Array,
            _ => return None,
        })
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

/// `x-kubernetes-list-type`: how a list merges and which elements must be unique.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "atomic" => Self::Atomic,
            "set" => Self::Set,
            "map" => Self::Map,
            _ => return None,
        })
    }
}

/// `x-kubernetes-map-type`: how an object merges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "granular" => Self::Granular,
            "atomic" => Self::Atomic,
            _ => return None,
        })
    }
}

/// One CEL rule of `x-kubernetes-validations`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ValidationRule {
    /// `rule`: the CEL expression; `self` is the value of the node.
    pub rule: String,
    /// `message`: reported when the rule is false.
    pub message: Option<String>,
    /// `messageExpression`: a CEL expression that builds the message.
    pub message_expression: Option<String>,
    /// `reason`: the machine-readable reason (`FieldValueInvalid`, ...).
    pub reason: Option<String>,
    /// `fieldPath`: the field the failure is reported at, relative to the node.
    pub field_path: Option<String>,
    /// `optionalOldSelf`: evaluate transition rules when there is no old value.
    pub optional_old_self: Option<bool>,
}

impl ValidationRule {
    /// The message reported when the rule fails, empty when none is given.
    pub fn message(&self) -> &str {
        self.message.as_deref().unwrap_or_default()
    }
}

/// One node of a structural schema. Every field is a keyword; `None` means absent.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    /// `type`.
    pub ty: Option<SchemaType>,
    /// `format` (`date-time`, `int32`, ...).
    pub format: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `properties`: named fields of an object, sorted by name.
    pub properties: Option<BTreeMap<String, Schema>>,
    /// `additionalProperties`.
    pub additional_properties: Option<AdditionalProperties>,
    /// `items`: the element schema of an array.
    pub items: Option<Box<Schema>>,
    /// `required`: names of required properties.
    pub required: Option<Vec<String>>,
    /// `enum`: the allowed values.
    pub enum_values: Option<Vec<Value>>,
    /// `default`.
    pub default: Option<Value>,
    /// `nullable`.
    pub nullable: Option<bool>,
    /// `minimum`.
    pub minimum: Option<Number>,
    /// `maximum`.
    pub maximum: Option<Number>,
    /// `exclusiveMinimum`: `minimum` itself is not allowed.
    pub exclusive_minimum: Option<bool>,
    /// `exclusiveMaximum`: `maximum` itself is not allowed.
    pub exclusive_maximum: Option<bool>,
    /// `multipleOf`.
    pub multiple_of: Option<Number>,
    /// `minLength`, in characters.
    pub min_length: Option<u64>,
    /// `maxLength`, in characters.
    pub max_length: Option<u64>,
    /// `pattern`: a regular expression a string must match.
    pub pattern: Option<String>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems`.
    pub unique_items: Option<bool>,
    /// `minProperties`.
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    pub max_properties: Option<u64>,
    /// `allOf`.
    pub all_of: Option<Vec<Schema>>,
    /// `anyOf`.
    pub any_of: Option<Vec<Schema>>,
    /// `oneOf`.
    pub one_of: Option<Vec<Schema>>,
    /// `not`.
    pub not: Option<Box<Schema>>,
    /// `x-kubernetes-int-or-string`.
    pub int_or_string: Option<bool>,
    /// `x-kubernetes-preserve-unknown-fields`.
    pub preserve_unknown_fields: Option<bool>,
    /// `x-kubernetes-embedded-resource`.
    pub embedded_resource: Option<bool>,
    /// `x-kubernetes-list-type`.
    pub list_type: Option<ListType>,
    /// `x-kubernetes-list-map-keys`.
    pub list_map_keys: Option<Vec<String>>,
    /// `x-kubernetes-map-type`.
    pub map_type: Option<MapType>,
    /// `x-kubernetes-validations`.
    pub validations: Option<Vec<ValidationRule>>,
    /// Not a keyword: the OpenAPI definition this node was inlined from (its `$ref`,
    /// `io.k8s.api.core.v1.Container`), for nodes of a Kubernetes OpenAPI document
    /// ([`crate::openapi`]). The library generator does not make an array of such
    /// elements a documented object; never read from or written to JSON.
    pub definition: Option<std::sync::Arc<str>>,
}

/// A schema that is not in the model's shape: the keyword (or value) and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// JSON path of the offending node or keyword, jq style (`.properties.spec.items`);
    /// `.` for the root.
    pub path: String,
    /// What is wrong: `unknown keyword "x-foo"`, `"minimum" must be a number, got string`.
    pub message: String,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "schema at {}: {}", self.path, self.message)
    }
}

impl std::error::Error for SchemaError {}

/// An empty map, for [`Schema::properties`] of a node without `properties`.
static NO_PROPERTIES: BTreeMap<String, Schema> = BTreeMap::new();

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
    pub fn properties(&self) -> &BTreeMap<String, Schema> {
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
        let mut path = Vec::new();
        read_schema(value, &mut path)
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
                message: format!("\"{key}\" is a sub-schema, not a keyword"),
            });
        }
        read_keyword(self, key, value, &mut Vec::new())
    }

    /// The JSON form of the node: exactly the keywords that are present.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                m.insert(k.to_owned(), v);
            }
        };
        let s = |v: &Option<String>| v.clone().map(Value::String);
        let b = |v: &Option<bool>| v.map(Value::Bool);
        let n = |v: &Option<Number>| v.clone().map(Value::Number);
        let u = |v: &Option<u64>| v.map(|x| Value::Number(x.into()));
        let strs = |v: &Option<Vec<String>>| {
            v.as_ref()
                .map(|v| Value::Array(v.iter().cloned().map(Value::String).collect()))
        };
        let list = |v: &Option<Vec<Schema>>| {
            v.as_ref()
                .map(|v| Value::Array(v.iter().map(Schema::to_json).collect()))
        };
        put("type", self.ty.map(|t| Value::String(t.as_str().into())));
        put("format", s(&self.format));
        put("description", s(&self.description));
        put(
            "properties",
            self.properties
                .as_ref()
                .map(|p| Value::Object(p.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())),
        );
        put(
            "additionalProperties",
            self.additional_properties.as_ref().map(|a| match a {
                AdditionalProperties::Bool(b) => Value::Bool(*b),
                AdditionalProperties::Schema(s) => s.to_json(),
            }),
        );
        put("items", self.items.as_ref().map(|i| i.to_json()));
        put("required", strs(&self.required));
        put("enum", self.enum_values.clone().map(Value::Array));
        put("default", self.default.clone());
        put("nullable", b(&self.nullable));
        put("minimum", n(&self.minimum));
        put("maximum", n(&self.maximum));
        put("exclusiveMinimum", b(&self.exclusive_minimum));
        put("exclusiveMaximum", b(&self.exclusive_maximum));
        put("multipleOf", n(&self.multiple_of));
        put("minLength", u(&self.min_length));
        put("maxLength", u(&self.max_length));
        put("pattern", s(&self.pattern));
        put("minItems", u(&self.min_items));
        put("maxItems", u(&self.max_items));
        put("uniqueItems", b(&self.unique_items));
        put("minProperties", u(&self.min_properties));
        put("maxProperties", u(&self.max_properties));
        put("allOf", list(&self.all_of));
        put("anyOf", list(&self.any_of));
        put("oneOf", list(&self.one_of));
        put("not", self.not.as_ref().map(|s| s.to_json()));
        put("x-kubernetes-int-or-string", b(&self.int_or_string));
        put(
            "x-kubernetes-preserve-unknown-fields",
            b(&self.preserve_unknown_fields),
        );
        put("x-kubernetes-embedded-resource", b(&self.embedded_resource));
        put(
            "x-kubernetes-list-type",
            self.list_type.map(|t| Value::String(t.as_str().into())),
        );
        put("x-kubernetes-list-map-keys", strs(&self.list_map_keys));
        put(
            "x-kubernetes-map-type",
            self.map_type.map(|t| Value::String(t.as_str().into())),
        );
        put(
            "x-kubernetes-validations",
            self.validations
                .as_ref()
                .map(|v| Value::Array(v.iter().map(rule_to_json).collect())),
        );
        Value::Object(m)
    }
}

fn rule_to_json(r: &ValidationRule) -> Value {
    let mut m = Map::new();
    m.insert("rule".into(), Value::String(r.rule.clone()));
    let mut put = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            m.insert(k.into(), Value::String(v.clone()));
        }
    };
    put("message", &r.message);
    put("messageExpression", &r.message_expression);
    put("reason", &r.reason);
    put("fieldPath", &r.field_path);
    if let Some(b) = r.optional_old_self {
        m.insert("optionalOldSelf".into(), Value::Bool(b));
    }
    Value::Object(m)
}

/// One step of a JSON path.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Renders a path jq style: `.properties.spec.items`, `["a.b"]`, `[0]`; `.` at the root.
fn render_path(path: &[Step<'_>]) -> String {
    if path.is_empty() {
        return ".".to_owned();
    }
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k)
                if !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_-$".contains(c)) =>
            {
                out.push('.');
                out.push_str(k);
            }
            Step::Key(k) => {
                out.push('[');
                out.push_str(&Value::String((*k).to_owned()).to_string());
                out.push(']');
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn error(path: &[Step<'_>], message: String) -> SchemaError {
    SchemaError {
        path: render_path(path),
        message,
    }
}

/// The JSON type name of a value, for error messages.
fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn wrong(path: &[Step<'_>], key: &str, want: &str, got: &Value) -> SchemaError {
    error(
        path,
        format!("\"{key}\" must be {want}, got {}", kind_of(got)),
    )
}

fn read_schema<'a>(value: &'a Value, path: &mut Vec<Step<'a>>) -> Result<Schema, SchemaError> {
    let Value::Object(map) = value else {
        return Err(error(
            path,
            format!("a schema must be an object, got {}", kind_of(value)),
        ));
    };
    let mut s = Schema::default();
    for (key, v) in map {
        let key = key.as_str();
        match key {
            "properties" => {
                let Value::Object(props) = v else {
                    return Err(wrong(path, key, "an object", v));
                };
                path.push(Step::Key("properties"));
                let mut out = BTreeMap::new();
                for (name, prop) in props {
                    path.push(Step::Key(name));
                    out.insert(name.clone(), read_schema(prop, path)?);
                    path.pop();
                }
                path.pop();
                s.properties = Some(out);
            }
            "additionalProperties" => {
                s.additional_properties = Some(match v {
                    Value::Bool(b) => AdditionalProperties::Bool(*b),
                    _ => AdditionalProperties::Schema(Box::new(read_child(v, key, path)?)),
                });
            }
            "items" => s.items = Some(Box::new(read_child(v, key, path)?)),
            "not" => s.not = Some(Box::new(read_child(v, key, path)?)),
            "allOf" => s.all_of = Some(read_list(v, key, path)?),
            "anyOf" => s.any_of = Some(read_list(v, key, path)?),
            "oneOf" => s.one_of = Some(read_list(v, key, path)?),
            _ => read_keyword(&mut s, key, v, path)?,
        }
    }
    Ok(s)
}

/// Reads one keyword that is not a sub-schema (`type`, `description`, `required`,
/// `x-kubernetes-validations`, …) into `s`; an unknown keyword is an error.
fn read_keyword<'a>(
    s: &mut Schema,
    key: &'a str,
    v: &'a Value,
    path: &mut Vec<Step<'a>>,
) -> Result<(), SchemaError> {
    let string = || match v {
        Value::String(x) => Ok(x.clone()),
        _ => Err(wrong(path, key, "a string", v)),
    };
    let boolean = || match v {
        Value::Bool(b) => Ok(*b),
        _ => Err(wrong(path, key, "a boolean", v)),
    };
    let number = || match v {
        Value::Number(n) => Ok(n.clone()),
        _ => Err(wrong(path, key, "a number", v)),
    };
    let count = || {
        v.as_u64()
            .ok_or_else(|| wrong(path, key, "a non-negative integer", v))
    };
    let strings = || match v {
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::String(x) => Ok(x.clone()),
                _ => Err(wrong(path, key, "a list of strings", v)),
            })
            .collect(),
        _ => Err(wrong(path, key, "a list of strings", v)),
    };
    match key {
        "type" => {
            let t = string()?;
            s.ty =
                Some(SchemaType::parse(&t).ok_or_else(|| {
                    error(path, format!("unknown \"type\" {}", Value::String(t)))
                })?);
        }
        "format" => s.format = Some(string()?),
        "description" => s.description = Some(string()?),
        "pattern" => s.pattern = Some(string()?),
        "nullable" => s.nullable = Some(boolean()?),
        "exclusiveMinimum" => s.exclusive_minimum = Some(boolean()?),
        "exclusiveMaximum" => s.exclusive_maximum = Some(boolean()?),
        "uniqueItems" => s.unique_items = Some(boolean()?),
        "x-kubernetes-int-or-string" => s.int_or_string = Some(boolean()?),
        "x-kubernetes-preserve-unknown-fields" => s.preserve_unknown_fields = Some(boolean()?),
        "x-kubernetes-embedded-resource" => s.embedded_resource = Some(boolean()?),
        "minimum" => s.minimum = Some(number()?),
        "maximum" => s.maximum = Some(number()?),
        "multipleOf" => s.multiple_of = Some(number()?),
        "minLength" => s.min_length = Some(count()?),
        "maxLength" => s.max_length = Some(count()?),
        "minItems" => s.min_items = Some(count()?),
        "maxItems" => s.max_items = Some(count()?),
        "minProperties" => s.min_properties = Some(count()?),
        "maxProperties" => s.max_properties = Some(count()?),
        "required" => s.required = Some(strings()?),
        "x-kubernetes-list-map-keys" => s.list_map_keys = Some(strings()?),
        "default" => s.default = Some(v.clone()),
        "enum" => match v {
            Value::Array(items) => s.enum_values = Some(items.clone()),
            _ => return Err(wrong(path, key, "a list", v)),
        },
        "x-kubernetes-list-type" => {
            let t = string()?;
            s.list_type =
                Some(ListType::parse(&t).ok_or_else(|| {
                    error(path, format!("unknown \"{key}\" {}", Value::String(t)))
                })?);
        }
        "x-kubernetes-map-type" => {
            let t = string()?;
            s.map_type =
                Some(MapType::parse(&t).ok_or_else(|| {
                    error(path, format!("unknown \"{key}\" {}", Value::String(t)))
                })?);
        }
        "x-kubernetes-validations" => {
            let Value::Array(rules) = v else {
                return Err(wrong(path, key, "a list", v));
            };
            path.push(Step::Key(key));
            let mut out = Vec::with_capacity(rules.len());
            for (i, rule) in rules.iter().enumerate() {
                path.push(Step::Index(i));
                out.push(read_rule(rule, path)?);
                path.pop();
            }
            path.pop();
            s.validations = Some(out);
        }
        _ => {
            return Err(error(
                path,
                format!("unknown keyword {}", Value::String(key.to_owned())),
            ))
        }
    }
    Ok(())
}

/// A sub-schema under `key`.
fn read_child<'a>(
    v: &'a Value,
    key: &'a str,
    path: &mut Vec<Step<'a>>,
) -> Result<Schema, SchemaError> {
    path.push(Step::Key(key));
    let s = read_schema(v, path);
    path.pop();
    s
}

/// A list of sub-schemas under `key` (`allOf`, `anyOf`, `oneOf`).
fn read_list<'a>(
    v: &'a Value,
    key: &'a str,
    path: &mut Vec<Step<'a>>,
) -> Result<Vec<Schema>, SchemaError> {
    let Value::Array(items) = v else {
        return Err(wrong(path, key, "a list of schemas", v));
    };
    path.push(Step::Key(key));
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        path.push(Step::Index(i));
        out.push(read_schema(item, path)?);
        path.pop();
    }
    path.pop();
    Ok(out)
}

fn read_rule<'a>(v: &'a Value, path: &mut Vec<Step<'a>>) -> Result<ValidationRule, SchemaError> {
    let Value::Object(map) = v else {
        return Err(error(
            path,
            format!("a validation rule must be an object, got {}", kind_of(v)),
        ));
    };
    let mut r = ValidationRule::default();
    let mut has_rule = false;
    for (key, v) in map {
        let key = key.as_str();
        let string = || match v {
            Value::String(x) => Ok(x.clone()),
            _ => Err(wrong(path, key, "a string", v)),
        };
        match key {
            "rule" => {
                r.rule = string()?;
                has_rule = true;
            }
            "message" => r.message = Some(string()?),
            "messageExpression" => r.message_expression = Some(string()?),
            "reason" => r.reason = Some(string()?),
            "fieldPath" => r.field_path = Some(string()?),
            "optionalOldSelf" => match v {
                Value::Bool(b) => r.optional_old_self = Some(*b),
                _ => return Err(wrong(path, key, "a boolean", v)),
            },
            _ => {
                return Err(error(
                    path,
                    format!("unknown keyword {}", Value::String(key.to_owned())),
                ))
            }
        }
    }
    if !has_rule {
        return Err(error(path, "a validation rule needs \"rule\"".to_owned()));
    }
    Ok(r)
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
        assert_eq!(e.message, "unknown keyword \"x-foo\"");
        let v = json!({"x-kubernetes-validations": [{"rule": "x"}, {"rule": "y", "why": 1}]});
        let e = Schema::from_json(&v).unwrap_err();
        assert_eq!(
            e.to_string(),
            "schema at .x-kubernetes-validations[1]: unknown keyword \"why\""
        );
        let v = json!({"properties": {"a.b": {"maxLength": -1}}});
        let e = Schema::from_json(&v).unwrap_err();
        assert_eq!(e.path, ".properties[\"a.b\"]");
        assert_eq!(
            e.message,
            "\"maxLength\" must be a non-negative integer, got number"
        );
        let e = Schema::from_json(&json!({"type": "null"})).unwrap_err();
        assert_eq!(e.message, "unknown \"type\" \"null\"");
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
