//! The second front end of the docs: the docsonnet package tree read from an evaluated
//! library, as docsonnet v0.0.5 loads it (`pkg/docsonnet`). The model front end
//! ([`super::library_package`]) cannot see what a hand-written layer adds or changes
//! (k8s-libsonnet's `_custom` files); this one sees exactly what the library evaluates to.
//!
//! Two steps, as docsonnet has them:
//! - [`extract`] walks the evaluated object (hidden fields included) and keeps the docs
//!   part: every `#`-field whose value is an object, manifested to JSON, and every other
//!   object field with a `#`-field somewhere below it — unless a sibling `#<name>` is the
//!   string `'ignore'` (`mixin: self`);
//! - [`transform`] turns that into a [`Package`]: the `#` field makes a package (a child
//!   holding one becomes a sub-package, named by its `#`), `#name` fields become
//!   functions, objects or values, and an object without docs of its own but docs below
//!   becomes an object with empty help. An object's children are its sibling field's
//!   docs (the `fields` of `d.obj` are not read).
//!
//! The walk runs in Rust over the evaluated value rather than as a Jsonnet program that
//! returns the docs as JSON: it manifests only the docs fields (never the whole docs
//! tree as one text to parse again), and a malformed docs field is an error naming its
//! path where docsonnet would panic.
//!
//! One difference of doc-util versions is undone here: docsonnet v0.0.5 evaluates the
//! library with its own doc-util, whose `d.pkg` help is the help as given; gwsonnet's
//! (like doc-util's HEAD) appends install and usage sections through the late-bound
//! `installTemplate`/`usageTemplate` fields, so the package docs are read with both blank.
//!
//! Contact points: [`crate::engine::Engine::inspect`] runs the walk; [`super::write_docs`]
//! uses this front end for libraries with a custom layer.

use std::collections::BTreeMap;

use jrsonnet_evaluator::{error::ErrorKind, IStr, ObjValue, ObjValueBuilder, Val};
use serde_json::{Map, Value};

use super::{Arg, Field, Package};
use crate::manifest::json::{to_serde, ManifestError};

/// The docs part of an evaluated object.
#[derive(Debug, Default)]
pub(super) struct Raw {
    /// `#`-prefixed fields with object values (key with its `#`), as JSON.
    docs: BTreeMap<String, Value>,
    /// The other object fields that have docs below them.
    children: BTreeMap<String, Raw>,
}

/// The value of field `key` of `obj` (listed by `fields_ex`, so present).
fn field(obj: &ObjValue, key: &IStr) -> jrsonnet_evaluator::Result<Val> {
    obj.get_or_bail(key.clone())
}

/// Whether `obj` has a `#`-field, or an object field that has one below it, looked for
/// in field order and no further than the first found, as docsonnet's `scan` stops
/// descending (which is what keeps `mixin: self` from recursing forever).
fn has_docs(obj: &ObjValue) -> jrsonnet_evaluator::Result<bool> {
    for key in obj.fields_ex(true) {
        if key.starts_with('#') {
            return Ok(true);
        }
        if let Val::Obj(child) = field(obj, &key)? {
            if has_docs(&child)? {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Whether `obj` marks field `key` as not documented (`'#key': 'ignore'`).
fn ignored(obj: &ObjValue, key: &str) -> jrsonnet_evaluator::Result<bool> {
    let marker = IStr::from(format!("#{key}"));
    if !obj.has_field_ex(marker.clone(), true) {
        return Ok(false);
    }
    Ok(matches!(field(obj, &marker)?, Val::Str(s) if s.to_string() == "ignore"))
}

/// The docs part of the evaluated `obj` (state entered by the caller).
pub(super) fn extract(obj: &ObjValue) -> jrsonnet_evaluator::Result<Raw> {
    let mut raw = Raw::default();
    for key in obj.fields_ex(true) {
        let Val::Obj(value) = field(obj, &key)? else {
            continue;
        };
        if ignored(obj, &key)? {
            continue;
        }
        if key.starts_with('#') {
            let value = if &*key == "#" {
                without_templates(value)
            } else {
                value
            };
            raw.docs.insert(key.to_string(), manifest(&value)?);
        } else if has_docs(&value)? {
            raw.children.insert(key.to_string(), extract(&value)?);
        }
    }
    Ok(raw)
}

/// The package docs `pkg` with blank install and usage templates (see the module docs).
fn without_templates(pkg: ObjValue) -> ObjValue {
    let mut b = ObjValueBuilder::new();
    b.with_super(pkg);
    b.field("installTemplate").value(Val::string(""));
    b.field("usageTemplate").value(Val::string(""));
    b.build()
}

/// A docs field as the JSON docsonnet reads.
fn manifest(obj: &ObjValue) -> jrsonnet_evaluator::Result<Value> {
    to_serde(&Val::Obj(obj.clone())).map_err(|e| match e {
        ManifestError::Eval(e) => e,
        ManifestError::Io(e) => ErrorKind::RuntimeError(e.to_string().into()).into(),
    })
}

/// A docs field docsonnet cannot read, at its path (`main.#x`, `main.o.p.#`).
#[derive(Debug, thiserror::Error)]
#[error("docs field {path}: {problem}")]
pub struct FieldError {
    /// The field's path from the library's root.
    pub path: String,
    /// What is wrong with it.
    pub problem: FieldProblem,
}

/// What is wrong with a docs field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldProblem {
    /// A package without its `#` declaration.
    #[error("no package declaration (`'#': d.pkg(...)`)")]
    NoPackage,
    /// A `#` declaration inside an object, not a package.
    #[error("a package inside an object (docsonnet reads packages only inside packages)")]
    PackageInObject,
    /// The field is not an object.
    #[error("not an object")]
    NotAnObject,
    /// A part of the field (`function.args`, `object.help`, `name`) is not of the
    /// shape docsonnet reads (`a string`, `an object`, `an array`).
    #[error("`{part}` is not {shape}")]
    WrongShape {
        /// The part.
        part: String,
        /// What it must be, with its article.
        shape: &'static str,
    },
    /// An argument's `name` or `type` (named) is not a string.
    #[error("an argument's `{0}` is not a string")]
    ArgumentNotAString(String),
    /// None of `function`, `object`, `value`.
    #[error("has none of `function`, `object`, `value`")]
    NoKind,
}

/// A malformed docs field at `path`.
fn bad(path: &str, problem: FieldProblem) -> FieldError {
    FieldError {
        path: path.to_owned(),
        problem,
    }
}

/// `part` is not `shape`.
fn shape(part: &str, shape: &'static str) -> FieldProblem {
    FieldProblem::WrongShape {
        part: part.to_owned(),
        shape,
    }
}

/// The package of the extracted `raw`, docsonnet's `fastLoad`; `path` names it in errors.
pub(super) fn transform(raw: &Raw, path: &str) -> Result<Package, FieldError> {
    let head = raw
        .docs
        .get("#")
        .and_then(Value::as_object)
        .ok_or_else(|| bad(path, FieldProblem::NoPackage))?;
    let text = |key: &str| {
        head.get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| bad(&format!("{path}.#"), shape(key, "a string")))
    };
    let mut pkg = Package {
        name: text("name")?,
        import: text("import")?,
        help: text("help")?,
        ..Package::default()
    };
    for (key, value) in &raw.docs {
        if let Some(name) = key.strip_prefix('#').filter(|n| !n.is_empty()) {
            let field = load_field(name, value, raw, path)?;
            pkg.api.insert(name.to_owned(), field);
        }
    }
    for (key, child) in &raw.children {
        let child_path = format!("{path}.{key}");
        if child.docs.contains_key("#") {
            let sub = transform(child, &child_path)?;
            pkg.sub.insert(sub.name.clone(), sub);
        } else if !raw.docs.contains_key(&format!("#{key}")) {
            let fields = nested(child, &child_path)?;
            pkg.api
                .insert(key.clone(), object(key, String::new(), fields));
        }
    }
    Ok(pkg)
}

/// An object field of the docs.
fn object(name: &str, help: String, fields: BTreeMap<String, Field>) -> Field {
    Field::Object {
        name: name.to_owned(),
        help,
        fields,
    }
}

/// The fields of an object: its `#`-fields and its children with docs below them.
fn nested(raw: &Raw, path: &str) -> Result<BTreeMap<String, Field>, FieldError> {
    let mut fields = BTreeMap::new();
    for (key, value) in &raw.docs {
        let name = &key[1..];
        if name.is_empty() {
            return Err(bad(&format!("{path}.#"), FieldProblem::PackageInObject));
        }
        fields.insert(name.to_owned(), load_field(name, value, raw, path)?);
    }
    for (key, child) in &raw.children {
        if !raw.docs.contains_key(&format!("#{key}")) {
            let inner = nested(child, &format!("{path}.{key}"))?;
            fields.insert(key.clone(), object(key, String::new(), inner));
        }
    }
    Ok(fields)
}

/// One `#name` docs field of `parent` (at `parent_path`): a function, an object (whose
/// fields are the docs of `parent`'s field `name`) or a value.
fn load_field(
    name: &str,
    value: &Value,
    parent: &Raw,
    parent_path: &str,
) -> Result<Field, FieldError> {
    let path = &format!("{parent_path}.#{name}");
    let doc = value
        .as_object()
        .ok_or_else(|| bad(path, FieldProblem::NotAnObject))?;
    let part = |key: &str| -> Result<Option<&Map<String, Value>>, FieldError> {
        doc.get(key)
            .map(|v| {
                v.as_object()
                    .ok_or_else(|| bad(path, shape(key, "an object")))
            })
            .transpose()
    };
    let help_or_empty = |m: &Map<String, Value>| {
        m.get("help")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    if let Some(function) = part("function")? {
        let args = match function.get("args") {
            None => Vec::new(),
            Some(args) => args
                .as_array()
                .ok_or_else(|| bad(path, shape("function.args", "an array")))?
                .iter()
                .map(|a| load_arg(a, path))
                .collect::<Result<_, _>>()?,
        };
        return Ok(Field::Function {
            name: name.to_owned(),
            help: help_or_empty(function),
            args,
        });
    }
    if let Some(obj) = part("object")? {
        let help = obj
            .get("help")
            .and_then(Value::as_str)
            .ok_or_else(|| bad(path, shape("object.help", "a string")))?;
        let fields = match parent.children.get(name) {
            Some(child) => nested(child, &format!("{parent_path}.{name}"))?,
            None => BTreeMap::new(),
        };
        return Ok(object(name, help.to_owned(), fields));
    }
    if let Some(val) = part("value")? {
        let kind = val
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| bad(path, shape("value.type", "a string")))?;
        return Ok(Field::Value {
            name: name.to_owned(),
            help: help_or_empty(val),
            kind: kind.to_owned(),
            default: val.get("default").filter(|d| !d.is_null()).cloned(),
        });
    }
    Err(bad(path, FieldProblem::NoKind))
}

/// One argument of a function's docs: a name, a type, maybe a default.
fn load_arg(arg: &Value, path: &str) -> Result<Arg, FieldError> {
    let text = |key: &str| {
        arg.get(key)
            .and_then(Value::as_str)
            .ok_or_else(|| bad(path, FieldProblem::ArgumentNotAString(key.to_owned())))
    };
    // docsonnet requires the type, though it prints only the name and default.
    text("type")?;
    Ok(Arg {
        name: text("name")?.to_owned(),
        default: arg.get("default").filter(|d| !d.is_null()).cloned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn raw(docs: Value, children: Vec<(&str, Raw)>) -> Raw {
        Raw {
            docs: docs
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            children: children
                .into_iter()
                .map(|(k, r)| (k.to_owned(), r))
                .collect(),
        }
    }

    fn pkg_head(name: &str) -> Value {
        json!({"name": name, "import": "", "help": "h"})
    }

    #[test]
    fn packages_objects_and_fields_load_as_docsonnet_does() {
        let spec = raw(
            json!({"#withA": {"function": {"help": "a", "args": [{"name": "a", "type": "string", "default": null}]}}}),
            vec![],
        );
        let undocumented = raw(
            json!({"#f": {"value": {"type": "number", "default": 3}}}),
            vec![],
        );
        let kind = raw(
            json!({
                "#": pkg_head("kind"),
                "#spec": {"object": {"help": "the spec", "fields": {}}},
                "#new": {"function": {"help": "n", "args": [{"name": "data", "type": "object", "default": {}}]}},
                "#lonely": {"object": {"help": "no children"}},
            }),
            vec![("spec", spec), ("other", undocumented)],
        );
        let root = raw(json!({"#": pkg_head("root")}), vec![("k", kind)]);
        let pkg = transform(&root, "main").unwrap();
        let kind = &pkg.sub["kind"];
        let Field::Function { args, .. } = &kind.api["new"] else {
            panic!()
        };
        assert_eq!(args[0].render(), "data={}");
        let Field::Object { help, fields, .. } = &kind.api["spec"] else {
            panic!()
        };
        assert_eq!(help, "the spec");
        let Field::Function { args, .. } = &fields["withA"] else {
            panic!()
        };
        assert_eq!(args[0].render(), "a");
        let Field::Object { help, fields, .. } = &kind.api["other"] else {
            panic!()
        };
        assert_eq!(help, "");
        assert!(matches!(&fields["f"], Field::Value { kind, .. } if kind == "number"));
        let Field::Object { fields, .. } = &kind.api["lonely"] else {
            panic!()
        };
        assert!(fields.is_empty());
    }

    #[test]
    fn malformed_docs_are_errors_with_a_path() {
        let root = raw(json!({"#": pkg_head("root"), "#x": {"help": "?"}}), vec![]);
        let e = transform(&root, "main").unwrap_err();
        assert_eq!(
            (e.path.as_str(), &e.problem),
            ("main.#x", &FieldProblem::NoKind)
        );
        assert_eq!(
            e.to_string(),
            "docs field main.#x: has none of `function`, `object`, `value`"
        );
        let nested_pkg = raw(json!({"#": pkg_head("inner")}), vec![]);
        let obj = raw(json!({}), vec![("p", nested_pkg)]);
        let root = raw(json!({"#": pkg_head("root")}), vec![("o", obj)]);
        let e = transform(&root, "main").unwrap_err();
        assert_eq!(
            (e.path.as_str(), e.problem),
            ("main.o.p.#", FieldProblem::PackageInObject)
        );
        assert!(transform(&raw(json!({}), vec![]), "main").is_err());
    }
}
