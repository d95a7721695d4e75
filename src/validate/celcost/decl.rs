//! A schema node as the API server declares it to CEL, as far as cost estimation reads
//! it: its shape (object, map, list, string, …), the largest size a value of it can
//! have in one request (`MaxElements`) and the smallest size it takes serialized
//! (`MinSerializedSize`). Followed: `SchemaDeclType` and its size estimates in
//! k8s.io/apiserver `pkg/cel/common/schemas.go` and the constants of `pkg/cel/limits.go`.
//!
//! A node that the API server does not declare (no `type`, an array without `items`, a
//! map whose values are not declared) has no [`Decl::min_size`]; such a property is not
//! a field of its object.
//!
//! Contact points: [`super::estimate`] walks these while it estimates a rule, and
//! [`super::estimate_schema`] takes the nodes' cardinality from them.

use crate::model::{AdditionalProperties, Schema, SchemaType};

use super::super::cel::escape_property;

/// The largest request the API server accepts, in bytes (`MaxRequestSizeBytes`).
pub const MAX_REQUEST_SIZE: u64 = 3 * 1024 * 1024;

/// The longest serialized `duration` and `date-time` string (`MaxDurationSizeJSON`,
/// `MaxDatetimeSizeJSON`).
const MAX_DURATION_OR_DATE_TIME: u64 = 32;
/// The size of a serialized `date` (`JSONDateSize`).
const DATE_SIZE: u64 = 12;

/// What CEL sees of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// An object with fixed properties (a CEL object type).
    Object,
    /// `additionalProperties` with a schema: a CEL map of strings to its values.
    Map,
    /// An array: a CEL list.
    List,
    /// A string.
    String,
    /// A `format: byte` string: CEL bytes.
    Bytes,
    /// A `format: duration` string.
    Duration,
    /// A `format: date` or `date-time` string: a timestamp.
    Timestamp,
    /// `boolean`.
    Bool,
    /// `integer`.
    Int,
    /// `number`: a double.
    Double,
    /// `x-kubernetes-int-or-string`: `dyn`.
    Dyn,
}

/// One declaration.
#[derive(Debug, Clone, Copy)]
pub enum Decl<'s> {
    /// A schema node; true at the root of a resource (the CRD's root, an embedded
    /// resource), where `apiVersion`, `kind` and `metadata` are always declared.
    Node(&'s Schema, bool),
    /// `metadata` of a resource root: its `name` and `generateName` only.
    Meta,
    /// A string bounded by the request size only (`apiVersion` and `kind` of a
    /// resource root).
    String,
    /// A string of at most this many characters (`metadata.name`, 253, and
    /// `metadata.generateName`, 252, of a resource root).
    Name(u64),
    /// The keys of a map: strings the declaration gives no size (`MaxElements` 0).
    Key,
}

impl<'s> Decl<'s> {
    /// The declaration of schema node `s` (a resource root when it is an embedded
    /// resource).
    pub fn of(s: &'s Schema) -> Self {
        Self::Node(s, s.embedded_resource == Some(true))
    }

    /// Its shape; `None` when the API server does not declare it.
    pub fn shape(&self) -> Option<Shape> {
        let s = match self {
            Self::Node(s, _) => *s,
            Self::Meta => return Some(Shape::Object),
            Self::String | Self::Name(_) | Self::Key => return Some(Shape::String),
        };
        if s.int_or_string == Some(true) {
            return Some(Shape::Dyn);
        }
        Some(match s.ty? {
            SchemaType::Array => {
                Self::of(s.items()?).min_size()?;
                Shape::List
            }
            SchemaType::Object => match &s.additional_properties {
                Some(AdditionalProperties::Schema(values)) => {
                    Self::of(values).min_size()?;
                    Shape::Map
                }
                _ => Shape::Object,
            },
            SchemaType::String => match s.format.as_deref() {
                Some("byte") => Shape::Bytes,
                Some("duration") => Shape::Duration,
                Some("date" | "date-time") => Shape::Timestamp,
                _ => Shape::String,
            },
            SchemaType::Boolean => Shape::Bool,
            SchemaType::Integer => Shape::Int,
            SchemaType::Number => Shape::Double,
        })
    }

    /// The smallest size of a value of it serialized as JSON, in bytes
    /// (`MinSerializedSize`); `None` when it is not declared.
    pub fn min_size(&self) -> Option<u64> {
        let s = match self {
            Self::Node(s, _) => *s,
            Self::Meta | Self::String | Self::Name(_) | Self::Key => return Some(2),
        };
        Some(match self.shape()? {
            // The smallest int-or-string is `0`.
            Shape::Dyn => 1,
            Shape::List | Shape::Map => 2,
            // `{}` and each required property without a default: `"name":` and the
            // value's own smallest size.
            Shape::Object => {
                let mut size = 2u64;
                for name in s.required() {
                    let Some(p) = s.properties().get(name) else {
                        continue;
                    };
                    if p.default.is_some() {
                        continue;
                    }
                    if let Some(m) = Self::of(p).min_size() {
                        size = size.saturating_add(name.len() as u64 + m + 4);
                    }
                }
                size
            }
            // `""`, `"0"` (a duration), `"YYYY-MM-DD"`, `"YYYY-MM-DDTHH:MM:SS"` quoted.
            Shape::String | Shape::Bytes => 2,
            Shape::Duration => 3,
            Shape::Timestamp if s.format.as_deref() == Some("date") => DATE_SIZE,
            Shape::Timestamp => 21,
            Shape::Bool => 4,
            Shape::Int | Shape::Double => 1,
        })
    }

    /// The most elements (characters of a string, items of a list, entries of a map) a
    /// value of it can have in one request (`MaxElements`): the declared maximum, else
    /// what fits in [`MAX_REQUEST_SIZE`]; 0 for objects and scalars.
    pub fn max_elements(&self) -> u64 {
        let unbounded_string = MAX_REQUEST_SIZE - 2;
        let s = match self {
            Self::Node(s, _) => *s,
            Self::Meta | Self::Key => return 0,
            Self::String => return unbounded_string,
            Self::Name(n) => return characters(*n),
        };
        match self.shape() {
            Some(Shape::Dyn) => s.max_length.map_or(unbounded_string, characters),
            Some(Shape::List) => s.max_items.unwrap_or_else(|| {
                let item = s.items().and_then(|i| Self::of(i).min_size()).unwrap_or(0);
                (MAX_REQUEST_SIZE - 2) / (item + 1)
            }),
            Some(Shape::Map) => s.max_properties.unwrap_or_else(|| {
                let value = match &s.additional_properties {
                    Some(AdditionalProperties::Schema(v)) => Self::of(v).min_size(),
                    _ => None,
                };
                // `"":` and `,` around each value.
                (MAX_REQUEST_SIZE - 2) / (value.unwrap_or(0) + 6)
            }),
            Some(Shape::Bytes) => s.max_length.unwrap_or(unbounded_string),
            Some(Shape::Duration) => MAX_DURATION_OR_DATE_TIME,
            Some(Shape::Timestamp) if s.format.as_deref() == Some("date") => DATE_SIZE,
            Some(Shape::Timestamp) => MAX_DURATION_OR_DATE_TIME,
            Some(Shape::String) => match (s.max_length, &s.enum_values) {
                (Some(n), _) => characters(n),
                (None, Some(values)) if !values.is_empty() => values
                    .iter()
                    .filter_map(|v| v.as_str())
                    .map(|v| v.len() as u64)
                    .max()
                    .unwrap_or(0),
                _ => unbounded_string,
            },
            _ => 0,
        }
    }

    /// The declaration of the field `name` (as CEL spells it: escaped) of an object;
    /// `None` when there is no such declared field.
    pub fn field(&self, name: &str) -> Option<Self> {
        match self {
            Self::Node(_, true) if matches!(name, "apiVersion" | "kind") => Some(Self::String),
            Self::Node(_, true) if name == "metadata" => Some(Self::Meta),
            Self::Node(s, _) if self.shape() == Some(Shape::Object) => {
                let props = s.properties();
                let found = props.get(name).filter(|_| escape_property(name) == name);
                let found = found.or_else(|| {
                    props
                        .iter()
                        .find(|(k, _)| escape_property(k) == name)
                        .map(|(_, p)| p)
                })?;
                let field = Self::of(found);
                field.min_size().map(|_| field)
            }
            // The API server caps both (a generated suffix takes at least a character).
            Self::Meta if name == "name" => Some(Self::Name(253)),
            Self::Meta if name == "generateName" => Some(Self::Name(252)),
            _ => None,
        }
    }

    /// The declaration of the items of a list.
    pub fn items(&self) -> Option<Self> {
        match self {
            Self::Node(s, _) if self.shape() == Some(Shape::List) => s.items().map(Self::of),
            _ => None,
        }
    }

    /// The declaration of the values of a map.
    pub fn values(&self) -> Option<Self> {
        match (self, self.shape()) {
            (Self::Node(s, _), Some(Shape::Map)) => match &s.additional_properties {
                Some(AdditionalProperties::Schema(v)) => Some(Self::of(v)),
                _ => None,
            },
            _ => None,
        }
    }

    /// The declaration of the keys of a map.
    pub fn keys(&self) -> Option<Self> {
        (self.shape() == Some(Shape::Map)).then_some(Self::Key)
    }
}

/// The most bytes a string of `n` characters takes in a request: `maxLength` counts
/// characters, up to four bytes each.
fn characters(n: u64) -> u64 {
    n.saturating_mul(4)
}

/// The factor by which node `s` multiplies how often its children can occur in one
/// object (`extractMaxElements`): `maxItems` of an array, `maxProperties` of a map,
/// `None` when either is unbounded; 1 for anything else.
pub fn cardinality_factor(s: &Schema) -> Option<u64> {
    match s.ty {
        Some(SchemaType::Object) if s.additional_properties.is_some() => s.max_properties,
        Some(SchemaType::Array) => s.max_items,
        _ => Some(1),
    }
}

/// How often a node whose declaration serializes to at least `min_size` bytes can
/// occur in one request, when the arrays and maps above it are unbounded
/// (`maxCardinality`: one comma between elements).
pub fn request_cardinality(min_size: u64) -> u64 {
    MAX_REQUEST_SIZE / (min_size + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(json: serde_json::Value) -> Schema {
        Schema::from_json(&json).unwrap()
    }

    #[test]
    fn sizes_follow_the_api_server_declarations() {
        let s = schema(serde_json::json!({
            "type": "object",
            "required": ["name", "port"],
            "properties": {
                "name": {"type": "string", "maxLength": 63},
                "port": {"type": "integer"},
                "kind": {"type": "string", "default": "Service"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "few": {"type": "array", "maxItems": 16, "items": {"type": "string"}},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "mode": {"type": "string", "enum": ["Exact", "RegularExpression"]},
                "when": {"type": "string", "format": "date-time"},
                "free": {"x-kubernetes-preserve-unknown-fields": true},
                "a-b": {"type": "string"}
            }
        }));
        let d = Decl::Node(&s, false);
        // {} + "name": "" + "port": 0 (the defaulted kind does not count).
        assert_eq!(d.min_size(), Some(2 + (4 + 2 + 4) + (4 + 1 + 4)));
        assert_eq!(d.max_elements(), 0);
        let f = |n: &str| d.field(n).unwrap();
        assert_eq!(f("name").max_elements(), 252);
        assert_eq!(f("tags").max_elements(), (MAX_REQUEST_SIZE - 2) / 3);
        assert_eq!(
            f("tags").items().unwrap().max_elements(),
            MAX_REQUEST_SIZE - 2
        );
        assert_eq!(f("few").max_elements(), 16);
        assert_eq!(f("labels").max_elements(), (MAX_REQUEST_SIZE - 2) / 8);
        assert_eq!(f("labels").keys().unwrap().max_elements(), 0);
        assert_eq!(f("mode").max_elements(), 17);
        assert_eq!(f("when").shape(), Some(Shape::Timestamp));
        assert_eq!(f("when").max_elements(), 32);
        assert!(
            d.field("free").is_none(),
            "an undeclared property is no field"
        );
        assert!(d.field("a__dash__b").is_some(), "fields are found escaped");
        assert!(d.field("a-b").is_none());
        // At a resource root, metadata is name and generateName, capped; kind unbounded.
        let root = Decl::Node(&s, true);
        let name = root.field("metadata").unwrap().field("name").unwrap();
        assert_eq!(name.max_elements(), 253 * 4);
        assert_eq!(
            root.field("kind").unwrap().max_elements(),
            MAX_REQUEST_SIZE - 2
        );
        assert!(root.field("metadata").unwrap().field("labels").is_none());
        assert_eq!(request_cardinality(2), MAX_REQUEST_SIZE / 3);
    }
}
