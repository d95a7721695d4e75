//! The structural-schema walk: one pass over the object and its schema that prunes
//! unknown fields and non-nullable `null`s, applies defaults, checks every value
//! keyword; then, unless a blocking error (type, required, enum, a maximum) was found, a second
//! pass runs each node's CEL rules ([`super::cel`]) after its children's, so a rule
//! sees the defaulted, pruned value as the API server's does.
//!
//! Messages follow the API server's wording (`should be less than or equal to 65535`,
//! `Required value`, `Unsupported value`). The object's `apiVersion`, `kind` and
//! `metadata` are the API server's own business (ObjectMeta): they are never pruned and
//! only the constraints the CRD itself sets on them are checked.
//!
//! A kind of the Kubernetes API itself ([`Dialect::OpenApiV2`]) is read as the API
//! server's Go decoding reads it: `null` is accepted anywhere (the zero value; in an
//! object it is dropped, as a CRD's non-nullable `null`), an object without
//! `properties` takes any field (`RawExtension`, `FieldsV1`), `format: int-or-string`
//! takes an integer or a string, and a `resource.Quantity` node
//! ([`QUANTITY`]) a number or a string `resource.ParseQuantity` reads
//! ([`super::goparse::parse_quantity`]); its `metadata` is checked against `ObjectMeta`.

use std::{cmp::Ordering, collections::HashMap};

use ::cel::common::value::Val as CelVal;

use serde_json::{Map, Number, Value};

use super::{cel, format, goparse, show_value, Finding, Path, Report, Severity, Validator};
use crate::model::{AdditionalProperties, Dialect, ListType, Schema, SchemaType};

/// The OpenAPI definition of `resource.Quantity` (`512Mi`, `100m`, `0.5`).
pub const QUANTITY: &str = "io.k8s.apimachinery.pkg.api.resource.Quantity";

/// The schema keywords that constrain a value, as `validate --coverage` counts them
/// ([`super::coverage`]).
/// [`Keyword::CHECKED`] lists those this walk implements; the test
/// `every_checked_keyword_changes_a_verdict` proves each of them with a case whose
/// verdict changes when the keyword is removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keyword {
    Type,
    Required,
    Enum,
    Default,
    Nullable,
    Minimum,
    Maximum,
    ExclusiveMinimum,
    ExclusiveMaximum,
    MultipleOf,
    MinLength,
    MaxLength,
    Pattern,
    Format,
    MinItems,
    MaxItems,
    UniqueItems,
    MinProperties,
    MaxProperties,
    AllOf,
    AnyOf,
    OneOf,
    Not,
    IntOrString,
    ListType,
    ListMapKeys,
    AdditionalProperties,
}

impl Keyword {
    /// Every keyword that constrains a value.
    pub const ALL: [Keyword; 27] = [
        Self::Type,
        Self::Required,
        Self::Enum,
        Self::Default,
        Self::Nullable,
        Self::Minimum,
        Self::Maximum,
        Self::ExclusiveMinimum,
        Self::ExclusiveMaximum,
        Self::MultipleOf,
        Self::MinLength,
        Self::MaxLength,
        Self::Pattern,
        Self::Format,
        Self::MinItems,
        Self::MaxItems,
        Self::UniqueItems,
        Self::MinProperties,
        Self::MaxProperties,
        Self::AllOf,
        Self::AnyOf,
        Self::OneOf,
        Self::Not,
        Self::IntOrString,
        Self::ListType,
        Self::ListMapKeys,
        Self::AdditionalProperties,
    ];

    /// The keywords [`Validator`]'s walk implements: checked (`minimum`), or applied
    /// as the API server applies them before checking (`default`, `nullable`).
    pub const CHECKED: [Keyword; 27] = Self::ALL;

    /// The keyword as a schema spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Type => "type",
            Self::Required => "required",
            Self::Enum => "enum",
            Self::Default => "default",
            Self::Nullable => "nullable",
            Self::Minimum => "minimum",
            Self::Maximum => "maximum",
            Self::ExclusiveMinimum => "exclusiveMinimum",
            Self::ExclusiveMaximum => "exclusiveMaximum",
            Self::MultipleOf => "multipleOf",
            Self::MinLength => "minLength",
            Self::MaxLength => "maxLength",
            Self::Pattern => "pattern",
            Self::Format => "format",
            Self::MinItems => "minItems",
            Self::MaxItems => "maxItems",
            Self::UniqueItems => "uniqueItems",
            Self::MinProperties => "minProperties",
            Self::MaxProperties => "maxProperties",
            Self::AllOf => "allOf",
            Self::AnyOf => "anyOf",
            Self::OneOf => "oneOf",
            Self::Not => "not",
            Self::IntOrString => "x-kubernetes-int-or-string",
            Self::ListType => "x-kubernetes-list-type",
            Self::ListMapKeys => "x-kubernetes-list-map-keys",
            Self::AdditionalProperties => "additionalProperties",
        }
    }

    /// Whether `s` has this keyword.
    pub fn present(self, s: &Schema) -> bool {
        match self {
            Self::Type => s.ty.is_some(),
            Self::Required => s.required.is_some(),
            Self::Enum => s.enum_values.is_some(),
            Self::Default => s.default.is_some(),
            Self::Nullable => s.nullable.is_some(),
            Self::Minimum => s.minimum.is_some(),
            Self::Maximum => s.maximum.is_some(),
            Self::ExclusiveMinimum => s.exclusive_minimum.is_some(),
            Self::ExclusiveMaximum => s.exclusive_maximum.is_some(),
            Self::MultipleOf => s.multiple_of.is_some(),
            Self::MinLength => s.min_length.is_some(),
            Self::MaxLength => s.max_length.is_some(),
            Self::Pattern => s.pattern.is_some(),
            Self::Format => s.format.is_some(),
            Self::MinItems => s.min_items.is_some(),
            Self::MaxItems => s.max_items.is_some(),
            Self::UniqueItems => s.unique_items.is_some(),
            Self::MinProperties => s.min_properties.is_some(),
            Self::MaxProperties => s.max_properties.is_some(),
            Self::AllOf => s.all_of.is_some(),
            Self::AnyOf => s.any_of.is_some(),
            Self::OneOf => s.one_of.is_some(),
            Self::Not => s.not.is_some(),
            Self::IntOrString => s.int_or_string.is_some(),
            Self::ListType => s.list_type.is_some(),
            Self::ListMapKeys => s.list_map_keys.is_some(),
            Self::AdditionalProperties => s.additional_properties.is_some(),
        }
    }

    /// Whether the walk implements this keyword.
    pub fn checked(self) -> bool {
        Self::CHECKED.contains(&self)
    }
}

/// Checks a whole object (the root of the kind's schema), changing `value` into what
/// the API server would store (pruned, defaulted).
///
/// `old`, for an update, is the stored object ([`normalize`]d): the transition rules
/// (`oldSelf`) then run where it has a value at the same place. `dialect` says how
/// the schema reads.
pub fn check_object(
    v: &Validator,
    schema: &Schema,
    dialect: Dialect,
    value: &mut Value,
    old: Option<&Value>,
    report: &mut Report,
) {
    super::celcost::start_object();
    let mut w = Walk {
        v,
        report,
        path: Path::default(),
        junctor: false,
        api: dialect == Dialect::OpenApiV2,
    };
    w.node(schema, value, Place::Root);
    if w.api {
        // The Kubernetes API's definitions carry no CEL rules.
        return;
    }
    // As the API server: a missing required field, a wrong type, an unsupported enum
    // value, or a string, list or map over its maximum (CEL cost is estimated from the
    // maxima) blocks every CEL rule of the object.
    let blocking = report.findings.iter().any(|f| {
        f.severity == Severity::Error
            && matches!(
                f.constraint.as_str(),
                "type"
                    | "required"
                    | "enum"
                    | "x-kubernetes-int-or-string"
                    | "maxLength"
                    | "maxItems"
                    | "maxProperties"
            )
    });
    if blocking {
        if has_rules(schema) {
            report.findings.push(Finding {
                severity: Severity::NotChecked,
                path: String::new(),
                constraint: "x-kubernetes-validations".into(),
                message: "some validation rules were not checked because the object was \
                          invalid; correct the existing errors to complete validation"
                    .into(),
                value: None,
                reason: None,
            });
        }
        return;
    }
    let mut path = Path::default();
    rules(v, schema, value, old, &mut path, report);
}

/// Prunes and defaults `value` as the API server stores it, without checking it: the
/// old object of an update.
pub fn normalize(v: &Validator, schema: &Schema, value: &mut Value) {
    let mut report = Report::default();
    let mut w = Walk {
        v,
        report: &mut report,
        path: Path::default(),
        junctor: false,
        api: false,
    };
    w.node(schema, value, Place::Root);
}

/// The item of `old` that `item` correlates with, as the API server correlates list
/// items for transition rules: by the keys of an `x-kubernetes-list-type: map` list;
/// items of other lists do not correlate.
fn old_item<'o>(s: &Schema, item: &Value, old: Option<&'o Value>) -> Option<&'o Value> {
    if s.list_type != Some(ListType::Map) {
        return None;
    }
    let keys = s.list_map_keys.as_deref().unwrap_or_default();
    old?.as_array()?
        .iter()
        .find(|o| keys.iter().all(|k| o.get(k) == item.get(k)))
}

/// True when the schema has a CEL rule anywhere.
fn has_rules(s: &Schema) -> bool {
    !s.validations().is_empty()
        || s.properties().values().any(|p| has_rules(p))
        || s.items().is_some_and(has_rules)
        || matches!(&s.additional_properties, Some(AdditionalProperties::Schema(a)) if has_rules(a))
}

/// Runs every node's CEL rules, children first, on the pruned and defaulted value;
/// `old` is the old value at the same place, for the transition rules. A node's
/// value is converted to a CEL value only when one of its rules is evaluated (not
/// when every outcome is remembered), made of its children's where they were
/// converted (shared, not copied); returns it when it was.
fn rules<'a>(
    v: &Validator,
    s: &Schema,
    value: &'a Value,
    old: Option<&'a Value>,
    path: &mut Path,
    report: &mut Report,
) -> Option<Box<dyn CelVal + 'a>> {
    match value {
        Value::Object(obj) => {
            let props = s.properties();
            let extra = match &s.additional_properties {
                Some(AdditionalProperties::Schema(a)) => Some(&**a),
                _ => None,
            };
            let mut children = Vec::with_capacity(obj.len());
            let mut known = Properties::new(props);
            for (k, child) in obj {
                let schema = known.get(k).or(extra);
                let converted = schema.and_then(|cs| {
                    path.push_key(k);
                    let old_child = old.and_then(|o| o.get(k));
                    let c = rules(v, cs, child, old_child, path, report);
                    path.pop();
                    c
                });
                children.push((schema, converted));
            }
            let escape = !props.is_empty();
            let build = || {
                let map: HashMap<_, _> = obj
                    .iter()
                    .zip(&children)
                    .map(|((k, x), (schema, c))| {
                        let c = match c {
                            Some(c) => c.clone_as_boxed(),
                            None => cel::to_val(x, *schema),
                        };
                        (cel::map_key(k, escape), c)
                    })
                    .collect();
                cel::map_val(map)
            };
            node_rules(v, s, value, &build, old, path, report)
        }
        Value::Array(items) => match s.items() {
            Some(item) => {
                let mut children = Vec::with_capacity(items.len());
                for (i, child) in items.iter().enumerate() {
                    path.push_index(i);
                    let old_child = old_item(s, child, old);
                    children.push(rules(v, item, child, old_child, path, report));
                    path.pop();
                }
                let build = || {
                    let list = items
                        .iter()
                        .zip(&children)
                        .map(|(x, c)| match c {
                            Some(c) => c.clone_as_boxed(),
                            None => cel::to_val(x, Some(item)),
                        })
                        .collect();
                    cel::list_val(list)
                };
                node_rules(v, s, value, &build, old, path, report)
            }
            None => node_rules(
                v,
                s,
                value,
                &|| cel::to_val(value, Some(s)),
                old,
                path,
                report,
            ),
        },
        _ => node_rules(
            v,
            s,
            value,
            &|| cel::to_val(value, Some(s)),
            old,
            path,
            report,
        ),
    }
}

/// Runs the CEL rules of node `s` on `value` ([`rules`]); `build` converts the
/// value. Returns the converted value when a rule needed it.
fn node_rules<'a>(
    v: &Validator,
    s: &Schema,
    value: &'a Value,
    build: &dyn Fn() -> Box<dyn CelVal + 'a>,
    old: Option<&'a Value>,
    path: &Path,
    report: &mut Report,
) -> Option<Box<dyn CelVal + 'a>> {
    if s.validations().is_empty() || value.is_null() && s.nullable == Some(true) {
        return None;
    }
    let built = std::cell::RefCell::new(None);
    let converted = || {
        let c = build();
        *built.borrow_mut() = Some(c.clone_as_boxed());
        c
    };
    v.cel.check(s, value, &converted, old, path, report);
    built.into_inner()
}

/// The property schemas of an object's keys, asked for in increasing key order: the
/// keys of a JSON object (serde_json's `Map`, a `BTreeMap` without the
/// `preserve_order` feature) and `properties` are both sorted, so one merged pass
/// finds every key's schema, with no lookup per key.
struct Properties<'s> {
    rest: std::iter::Peekable<std::collections::btree_map::Iter<'s, String, Box<Schema>>>,
}

impl<'s> Properties<'s> {
    fn new(props: &'s std::collections::BTreeMap<String, Box<Schema>>) -> Self {
        Self {
            rest: props.iter().peekable(),
        }
    }

    /// The schema of property `key`; each key asked for sorts after the one before.
    fn get(&mut self, key: &str) -> Option<&'s Schema> {
        while let Some(&(name, schema)) = self.rest.peek() {
            match name.as_str().cmp(key) {
                Ordering::Less => {
                    self.rest.next();
                }
                Ordering::Equal => {
                    self.rest.next();
                    return Some(schema);
                }
                Ordering::Greater => return None,
            }
        }
        None
    }
}

/// Where a node sits, for the ObjectMeta exceptions.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// The object itself.
    Root,
    /// The object's `metadata`.
    Metadata,
    /// Anywhere else.
    Inner,
}

struct Walk<'a> {
    v: &'a Validator,
    report: &'a mut Report,
    path: Path,
    /// Inside `allOf`/`anyOf`/`oneOf`/`not`: value checks only, nothing changed.
    junctor: bool,
    /// The schema is a Kubernetes API definition ([`Dialect::OpenApiV2`]).
    api: bool,
}

impl Walk<'_> {
    fn push(
        &mut self,
        severity: Severity,
        constraint: &str,
        message: String,
        value: Option<&Value>,
    ) {
        self.report.findings.push(Finding::at(
            severity, &self.path, constraint, message, value,
        ));
    }

    fn error(&mut self, constraint: &str, message: String, value: &Value) {
        self.push(Severity::Error, constraint, message, Some(value));
    }

    fn node(&mut self, s: &Schema, value: &mut Value, place: Place) {
        let untyped = s.ty.is_none() && s.int_or_string != Some(true);
        if value.is_null() && (s.nullable == Some(true) || untyped || self.api) {
            return;
        }
        if !self.check_type(s, value) {
            return;
        }
        if let Some(allowed) = &s.enum_values {
            if !allowed.iter().any(|a| json_eq(a, value)) {
                let list: Vec<String> = allowed.iter().map(Value::to_string).collect();
                let message = format!(
                    "Unsupported value: {}: supported values: {}",
                    show_value(value),
                    list.join(", ")
                );
                self.push(Severity::Error, "enum", message, None);
            }
        }
        match &*value {
            Value::Number(n) => self.number(s, n, value),
            Value::String(text) => self.string(s, text, value),
            Value::Array(_) => self.array(s, value),
            Value::Object(_) => self.object(s, value, place),
            _ => {}
        }
        self.junctors(s, value);
    }

    /// `type` and `x-kubernetes-int-or-string`; false when the value has the wrong
    /// type (nothing else is checked then).
    fn check_type(&mut self, s: &Schema, value: &Value) -> bool {
        if self.api {
            if let Some(ok) = self.api_type(s, value) {
                return ok;
            }
        }
        if s.int_or_string == Some(true) {
            if value.is_string() || is_integer(value) {
                return true;
            }
            self.error(
                "x-kubernetes-int-or-string",
                "must be an integer or a string".into(),
                value,
            );
            return false;
        }
        let Some(ty) = s.ty else {
            return true;
        };
        let ok = match ty {
            SchemaType::String => value.is_string(),
            SchemaType::Integer => is_integer(value),
            SchemaType::Number => value.is_number(),
            SchemaType::Boolean => value.is_boolean(),
            SchemaType::Object => value.is_object(),
            SchemaType::Array => value.is_array(),
        };
        if !ok {
            self.error("type", format!("must be of type {}", ty.as_str()), value);
        }
        ok
    }

    /// The Kubernetes API's own scalar types, as their Go decoding reads them:
    /// `Some(valid)` for an `IntOrString` or `Quantity` node (the type's finding
    /// pushed), `None` for any other node.
    fn api_type(&mut self, s: &Schema, value: &Value) -> Option<bool> {
        if s.format.as_deref() == Some("int-or-string") {
            let ok = value.is_string()
                || is_integer(value)
                    && value
                        .as_f64()
                        .is_some_and(|f| f >= f64::from(i32::MIN) && f <= f64::from(i32::MAX));
            if !ok {
                let message = "must be an integer (int32) or a string".into();
                self.error("int-or-string", message, value);
            }
            return Some(ok);
        }
        if s.definition.as_deref() != Some(QUANTITY) {
            return None;
        }
        let problem = match value {
            Value::Number(_) => None,
            // `Quantity.UnmarshalJSON` trims the text first.
            Value::String(text) => goparse::parse_quantity(text.trim()).err(),
            _ => Some("must be a quantity: a string or a number"),
        };
        if let Some(message) = problem {
            self.error("quantity", message.into(), value);
        }
        Some(problem.is_none())
    }

    fn number(&mut self, s: &Schema, n: &Number, value: &Value) {
        if let Some(max) = &s.maximum {
            let exclusive = s.exclusive_maximum == Some(true);
            let bad = match num_cmp(n, max) {
                Ordering::Greater => true,
                Ordering::Equal => exclusive,
                Ordering::Less => false,
            };
            if bad {
                let op = if exclusive { "" } else { " or equal to" };
                self.error("maximum", format!("should be less than{op} {max}"), value);
            }
        }
        if let Some(min) = &s.minimum {
            let exclusive = s.exclusive_minimum == Some(true);
            let bad = match num_cmp(n, min) {
                Ordering::Less => true,
                Ordering::Equal => exclusive,
                Ordering::Greater => false,
            };
            if bad {
                let op = if exclusive { "" } else { " or equal to" };
                self.error(
                    "minimum",
                    format!("should be greater than{op} {min}"),
                    value,
                );
            }
        }
        if let Some(m) = &s.multiple_of {
            let multiple = match (n.as_i64(), m.as_i64()) {
                (Some(a), Some(b)) if b != 0 => a % b == 0,
                _ => {
                    let q = n.as_f64().unwrap_or(f64::NAN) / m.as_f64().unwrap_or(f64::NAN);
                    q.is_finite() && q.fract() == 0.0
                }
            };
            if !multiple {
                self.error("multipleOf", format!("should be a multiple of {m}"), value);
            }
        }
        if let Some((lo, hi)) = s.format.as_deref().and_then(format::int_range) {
            let in_range = match n.as_i64() {
                Some(i) => (lo..=hi).contains(&i),
                None => n.as_f64().is_some_and(|f| f >= lo as f64 && f <= hi as f64),
            };
            if !in_range && s.ty == Some(SchemaType::Integer) {
                let f = s.format.clone().unwrap_or_default();
                self.error("format", format!("must fit in {f}"), value);
            }
        }
    }

    fn string(&mut self, s: &Schema, text: &str, value: &Value) {
        if let Some(f) = s.format.as_deref() {
            if !format::check_string(f, text) {
                self.error("format", format!("must be of type {f}"), value);
            }
        }
        let chars = || text.chars().count() as u64;
        if let Some(max) = s.max_length {
            if chars() > max {
                // The API server's `field.TooLong` words (it counts characters too).
                let unit = if max == 1 { "byte" } else { "bytes" };
                let message = format!("Too long: may not be more than {max} {unit}");
                self.error("maxLength", message, value);
            }
        }
        if let Some(min) = s.min_length {
            if chars() < min {
                self.error(
                    "minLength",
                    format!("should be at least {min} chars long"),
                    value,
                );
            }
        }
        if let Some(p) = &s.pattern {
            match self.v.patterns.get(p) {
                Ok(re) if re.is_match(text) => {}
                Ok(_) => self.error("pattern", format!("should match '{p}'"), value),
                Err(e) => self.push(
                    Severity::NotChecked,
                    "pattern",
                    format!("pattern '{p}' not checked: {e}"),
                    Some(value),
                ),
            }
        }
    }

    fn array(&mut self, s: &Schema, value: &mut Value) {
        let Value::Array(items) = value else {
            return;
        };
        if let Some(item_schema) = s.items() {
            for (i, item) in items.iter_mut().enumerate() {
                self.path.push_index(i);
                self.node(item_schema, item, Place::Inner);
                self.path.pop();
            }
        }
        let n = items.len() as u64;
        if let Some(max) = s.max_items {
            if n > max {
                let message = format!("must have at most {max} items");
                self.push(Severity::Error, "maxItems", message, None);
            }
        }
        if let Some(min) = s.min_items {
            if n < min {
                let message = format!("should have at least {min} items");
                self.push(Severity::Error, "minItems", message, None);
            }
        }
        let items = &*items;
        if s.unique_items == Some(true) {
            if let Some((_, j)) = first_duplicate(items, |v| Some(v.clone())) {
                self.path.push_index(j);
                self.error(
                    "uniqueItems",
                    "shouldn't contain duplicates".into(),
                    &items[j],
                );
                self.path.pop();
            }
        }
        match s.list_type {
            Some(ListType::Set) => {
                for j in all_duplicates(items, |v| Some(v.clone())) {
                    self.path.push_index(j);
                    self.error(
                        "x-kubernetes-list-type",
                        "Duplicate value".into(),
                        &items[j],
                    );
                    self.path.pop();
                }
            }
            Some(ListType::Map) => {
                let keys = s.list_map_keys.clone().unwrap_or_default();
                let key_of = |v: &Value| {
                    let o = v.as_object()?;
                    let m: Map<String, Value> = keys
                        .iter()
                        .filter_map(|k| Some((k.clone(), o.get(k)?.clone())))
                        .collect();
                    Some(Value::Object(m))
                };
                for j in all_duplicates(items, key_of) {
                    self.path.push_index(j);
                    let key = key_of(&items[j]).unwrap_or(Value::Null);
                    self.error("x-kubernetes-list-map-keys", "Duplicate value".into(), &key);
                    self.path.pop();
                }
            }
            _ => {}
        }
    }

    fn object(&mut self, s: &Schema, value: &mut Value, place: Place) {
        let Value::Object(obj) = value else {
            return;
        };
        let props = s.properties();
        let extra: Option<Option<&Schema>> = match &s.additional_properties {
            Some(AdditionalProperties::Schema(a)) => Some(Some(a)),
            Some(AdditionalProperties::Bool(true)) => Some(None),
            _ => None,
        };
        if !self.junctor {
            // A Kubernetes API object without `properties` is free-form (a raw
            // extension); its `metadata` is an `ObjectMeta` like any other struct.
            let keep_unknown = s.preserve_unknown_fields == Some(true)
                || extra.is_some()
                || if self.api {
                    props.is_empty()
                } else {
                    place == Place::Metadata
                };
            let meta = place == Place::Root || s.embedded_resource == Some(true);
            // Non-nullable `null`s are dropped silently, unknown fields with a warning
            // (in the order of the keys).
            let mut dropped: Vec<(String, bool)> = Vec::new();
            let mut known = Properties::new(props);
            for (k, v) in obj.iter() {
                let prop = known.get(k);
                let schema = prop.or(extra.flatten());
                if v.is_null() && schema.is_some_and(|c| c.nullable != Some(true)) {
                    dropped.push((k.clone(), false));
                } else if !keep_unknown && prop.is_none() {
                    let object_meta = matches!(k.as_str(), "apiVersion" | "kind" | "metadata");
                    if !(meta && object_meta) {
                        dropped.push((k.clone(), true));
                    }
                }
            }
            for (k, unknown) in dropped {
                if unknown {
                    self.path.push_key(&k);
                    let message = format!(
                        "unknown field \"{}\" (the API server prunes it)",
                        self.path.render()
                    );
                    self.push(Severity::Warning, "unknown field", message, None);
                    self.path.pop();
                }
                obj.remove(&k);
            }
            for (name, p) in props {
                if let Some(d) = &p.default {
                    if !obj.contains_key(name) {
                        obj.insert(name.clone(), d.clone());
                    }
                }
            }
        }
        let mut known = Properties::new(props);
        for (k, child) in obj.iter_mut() {
            let child_place = if place == Place::Root && k == "metadata" {
                Place::Metadata
            } else {
                Place::Inner
            };
            if let Some(cs) = known.get(k).or(extra.flatten()) {
                self.path.push_key(k);
                self.node(cs, child, child_place);
                self.path.pop();
            }
        }
        for name in s.required() {
            if !obj.contains_key(name) {
                self.path.push_key(name);
                self.push(Severity::Error, "required", "Required value".into(), None);
                self.path.pop();
            }
        }
        let n = obj.len() as u64;
        if let Some(max) = s.max_properties {
            if n > max {
                let message = format!("must have at most {max} properties");
                self.push(Severity::Error, "maxProperties", message, None);
            }
        }
        if let Some(min) = s.min_properties {
            if n < min {
                let message = format!("should have at least {min} properties");
                self.push(Severity::Error, "minProperties", message, None);
            }
        }
    }

    /// Adds the findings of failed branches, each once.
    fn extend_unique(&mut self, branches: Vec<Vec<Finding>>) {
        for f in branches.into_iter().flatten() {
            if !self.report.findings.contains(&f) {
                self.report.findings.push(f);
            }
        }
    }

    /// The findings of `value` against a sub-schema, without changing anything.
    fn sub(&mut self, s: &Schema, value: &Value) -> Vec<Finding> {
        let mut report = Report::default();
        let mut w = Walk {
            v: self.v,
            report: &mut report,
            path: self.path.clone(),
            junctor: true,
            api: self.api,
        };
        let mut copy = value.clone();
        w.node(s, &mut copy, Place::Inner);
        report
            .findings
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .collect()
    }

    fn junctors(&mut self, s: &Schema, value: &Value) {
        for a in s.all_of.iter().flatten() {
            let found = self.sub(a, value);
            self.report.findings.extend(found);
        }
        // When no branch matches, every branch's findings follow (the API server
        // reports those of the branch that matched most).
        if let Some(any) = &s.any_of {
            let failed: Vec<Vec<Finding>> = any.iter().map(|a| self.sub(a, value)).collect();
            if failed.iter().all(|f| !f.is_empty()) {
                let message = "should match at least one schema of anyOf".into();
                self.error("anyOf", message, value);
                self.extend_unique(failed);
            }
        }
        if let Some(one) = &s.one_of {
            let results: Vec<Vec<Finding>> = one.iter().map(|a| self.sub(a, value)).collect();
            let matched = results.iter().filter(|f| f.is_empty()).count();
            if matched != 1 {
                let message =
                    format!("should match exactly one schema of oneOf, matches {matched}");
                self.error("oneOf", message, value);
            }
            if matched == 0 {
                self.extend_unique(results);
            }
        }
        if let Some(not) = &s.not {
            if self.sub(not, value).is_empty() {
                self.error("not", "should not match the schema of not".into(), value);
            }
        }
    }
}

/// An integer, or a number with no fractional part (`1.0`), as Kubernetes accepts it.
fn is_integer(v: &Value) -> bool {
    match v {
        Value::Number(n) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

/// Compares two JSON numbers by value.
fn num_cmp(a: &Number, b: &Number) -> Ordering {
    match (a.as_i64(), b.as_i64()) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => {
            let (x, y) = (
                a.as_f64().unwrap_or(f64::NAN),
                b.as_f64().unwrap_or(f64::NAN),
            );
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
    }
}

/// JSON equality with numbers compared by value (`1 == 1.0`).
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => num_cmp(x, y) == Ordering::Equal,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, a)| y.get(k).is_some_and(|b| json_eq(a, b)))
        }
        _ => a == b,
    }
}

/// The first pair `(i, j)`, `i < j`, whose keys are equal.
fn first_duplicate(
    items: &[Value],
    key: impl Fn(&Value) -> Option<Value>,
) -> Option<(usize, usize)> {
    let keys: Vec<Option<Value>> = items.iter().map(key).collect();
    (0..keys.len()).find_map(|j| {
        let kj = keys[j].as_ref()?;
        (0..j)
            .find(|&i| keys[i].as_ref().is_some_and(|ki| json_eq(ki, kj)))
            .map(|i| (i, j))
    })
}

/// Every index whose key equals an earlier element's.
fn all_duplicates(items: &[Value], key: impl Fn(&Value) -> Option<Value>) -> Vec<usize> {
    let keys: Vec<Option<Value>> = items.iter().map(key).collect();
    (0..keys.len())
        .filter(|&j| {
            keys[j].as_ref().is_some_and(|kj| {
                (0..j).any(|i| keys[i].as_ref().is_some_and(|ki| json_eq(ki, kj)))
            })
        })
        .collect()
}
