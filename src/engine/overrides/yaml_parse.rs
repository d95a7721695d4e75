//! `std.parseYaml` as go-jsonnet does it: documents split at `---` marker lines, YAML 1.1
//! scalars as Go's yaml.v2 resolves them (`yes`/`no`/`on`/`off` booleans, `0777`
//! octal, `_` in numbers), merge keys, and map keys turned into strings the way the
//! YAML-to-JSON step does. jrsonnet's own parser follows YAML 1.2, which reads
//! `defaultMode: 0644` as 644 instead of 420.

use crate::gocompat::float;
use crate::gocompat::yaml_aliases::EXCESSIVE_ALIASING;
use crate::gocompat::yaml_resolve::{self, Resolved};
use crate::gocompat::yaml_tree::{self, Documents, Raw, RawNode, TreeError};
use jrsonnet_evaluator::{
    error::{ErrorKind, Result},
    function::builtin,
    IStr, ObjValueBuilder, Val,
};
use yaml_rust2::{parser::Tag, scanner::TScalarStyle};

#[builtin]
pub(super) fn builtin_parse_yaml(str: IStr) -> Result<Val> {
    parse_yaml(&str).map_err(|msg| {
        ErrorKind::RuntimeError(format!("failed to parse YAML: {msg}").into()).into()
    })
}

/// Parses a YAML text: one value, or an array of documents when a `---` marker line
/// occurs; no document at all is `null`.
fn parse_yaml(text: &str) -> std::result::Result<Val, String> {
    let (documents, is_stream) = split_documents(text);
    let mut values = Vec::with_capacity(documents.len());
    for doc in documents {
        values.push(to_val(&parse_document(&doc)?)?);
    }
    if is_stream {
        Ok(Val::arr(values))
    } else {
        Ok(values.into_iter().next().unwrap_or(Val::Null))
    }
}

/// Splits a text into documents as go-jsonnet 0.22's reader does: line by line (each
/// line ends in `\n`), a new document at each `---` marker line (`---` then the end of
/// the line, a space or a tab), the marker line kept at the start of the document it
/// opens (so `--- 3` is the document `3`). An empty text has no document; the flag
/// says whether a marker was seen. Each document is then read up to its first end.
fn split_documents(text: &str) -> (Vec<String>, bool) {
    let mut docs = Vec::new();
    let mut current = String::new();
    let mut seen = false;
    let mut lines: Vec<&str> = text.split('\n').collect();
    // The piece after the last newline is a line only when not empty.
    let last = lines.pop().filter(|l| !l.is_empty());
    let terminated = lines.into_iter().map(|l| l.strip_suffix('\r').unwrap_or(l));
    for line in terminated.chain(last) {
        let marker = line
            .strip_prefix("---")
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']));
        if marker {
            seen = true;
            if !current.is_empty() {
                docs.push(std::mem::take(&mut current));
            }
        }
        current.push_str(line);
        current.push('\n');
    }
    if !current.is_empty() {
        docs.push(current);
    }
    (docs, seen)
}

/// Builds one document's tree (aliases expanded) as yaml.v2 reads the first document
/// of `text`, with go-jsonnet's wording of the errors.
fn parse_document(text: &str) -> std::result::Result<RawNode, String> {
    let docs = yaml_tree::build(text, Documents::First, &mut Raw).map_err(|e| match e {
        TreeError::Syntax {
            unknown_anchor: Some(name),
            ..
        } => format!("error converting YAML to JSON: yaml: unknown anchor '{name}' referenced"),
        TreeError::Syntax { error, .. } => error.to_string(),
        TreeError::SelfAlias { name, .. } => {
            format!("error converting YAML to JSON: yaml: anchor '{name}' value contains itself")
        }
        TreeError::ExcessiveAliasing { .. } => {
            format!("error converting YAML to JSON: yaml: {EXCESSIVE_ALIASING}")
        }
        TreeError::Refused { message, .. } => message,
    })?;
    Ok(docs.into_iter().next().unwrap_or_else(empty_scalar))
}

/// The empty plain scalar: what a document without a node reads as (`null`).
fn empty_scalar() -> RawNode {
    RawNode::Scalar(yaml_tree::Scalar {
        text: String::new(),
        style: TScalarStyle::Plain,
        tag: None,
        line: 1,
    })
}

/// A resolved scalar.
enum Scalar {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
}

/// yaml.v2's resolution of a scalar: quoted or `!!str` → string; plain → null, bool,
/// int (Go's base-prefixed syntax, `_` removed), float, or string.
fn resolve(value: &str, style: TScalarStyle, tag: Option<&Tag>) -> Scalar {
    if let Some(tag) = tag {
        if tag.handle == "!!" || tag.handle == "tag:yaml.org,2002:" {
            match tag.suffix.as_str() {
                "str" => return Scalar::Str(value.to_owned()),
                "null" => return Scalar::Null,
                "bool" | "int" | "float" => return resolve_plain(value),
                _ => {}
            }
        }
        return Scalar::Str(value.to_owned());
    }
    if style != TScalarStyle::Plain {
        return Scalar::Str(value.to_owned());
    }
    resolve_plain(value)
}

/// A plain scalar as yaml.v2 resolves it; its timestamps stay strings, as yaml.v2's
/// decoder keeps them when decoding into `interface{}`.
fn resolve_plain(value: &str) -> Scalar {
    match yaml_resolve::v2(value) {
        Resolved::Null => Scalar::Null,
        Resolved::Bool(b) => Scalar::Bool(b),
        Resolved::Int(i) => Scalar::Int(i),
        Resolved::Float(f) => Scalar::Float(f),
        Resolved::Timestamp(_) | Resolved::Str => Scalar::Str(value.to_owned()),
    }
}

/// Converts a node to a Jsonnet value the way the YAML-to-JSON step does.
fn to_val(node: &RawNode) -> std::result::Result<Val, String> {
    Ok(match node {
        RawNode::Scalar(s) => match resolve(&s.text, s.style, s.tag.as_ref()) {
            Scalar::Null => Val::Null,
            Scalar::Bool(b) => Val::Bool(b),
            Scalar::Int(i) => Val::try_num(i as f64).map_err(|e| e.to_string())?,
            Scalar::Float(f) if f.is_finite() => Val::try_num(f).map_err(|e| e.to_string())?,
            Scalar::Float(f) => {
                let shown = if f.is_nan() {
                    "NaN"
                } else if f > 0.0 {
                    "+Inf"
                } else {
                    "-Inf"
                };
                return Err(format!(
                    "error converting YAML to JSON: json: unsupported value: {shown}"
                ));
            }
            Scalar::Str(s) => Val::from(s),
        },
        RawNode::Seq(items) => Val::arr(
            items
                .iter()
                .map(to_val)
                .collect::<std::result::Result<Vec<_>, _>>()?,
        ),
        RawNode::Map(entries) => {
            let mut fields: Vec<(String, Val)> = Vec::new();
            let mut merged: Vec<(String, Val)> = Vec::new();
            for (key, value) in entries {
                if let RawNode::Scalar(k) = key {
                    if k.is_plain() && k.text == "<<" {
                        merge_sources(value, &mut merged)?;
                        continue;
                    }
                }
                let key = key_string(key)?;
                let value = to_val(value)?;
                fields.retain(|(k, _)| *k != key);
                fields.push((key, value));
            }
            let mut b = ObjValueBuilder::with_capacity(fields.len() + merged.len());
            for (k, v) in &merged {
                if !fields.iter().any(|(f, _)| f == k) {
                    b.field(k.as_str()).value(v.clone());
                }
            }
            for (k, v) in fields {
                b.field(k.as_str()).value(v);
            }
            Val::Obj(b.build())
        }
    })
}

/// Collects the entries a `<<` merge key brings: one mapping, or a list of them where
/// earlier mappings win.
fn merge_sources(
    value: &RawNode,
    merged: &mut Vec<(String, Val)>,
) -> std::result::Result<(), String> {
    let sources: Vec<&RawNode> = match value {
        RawNode::Seq(items) => items.iter().collect(),
        other => vec![other],
    };
    for source in sources {
        if !matches!(source, RawNode::Map(_)) {
            return Err("map merge requires map or sequence of maps as the value".into());
        };
        let Val::Obj(obj) = to_val(source)? else {
            unreachable!("a map converts to an object")
        };
        for key in obj.fields() {
            if !merged.iter().any(|(k, _)| *k == *key) {
                let v = obj
                    .get(key.clone())
                    .map_err(|e| e.to_string())?
                    .expect("listed field exists");
                merged.push((key.to_string(), v));
            }
        }
    }
    Ok(())
}

/// Map keys become strings: booleans `true`/`false`, numbers in Go's `%v` form.
fn key_string(key: &RawNode) -> std::result::Result<String, String> {
    match key {
        RawNode::Scalar(yaml_tree::Scalar {
            text: value,
            style,
            tag,
            ..
        }) => match resolve(value, *style, tag.as_ref()) {
            Scalar::Str(s) => Ok(s),
            Scalar::Bool(b) => Ok(b.to_string()),
            Scalar::Int(i) => Ok(i.to_string()),
            Scalar::Float(f) => Ok(float::format_g(f)),
            Scalar::Null => Err(format!(
                "error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: {value:?}"
            )),
        },
        _ => Err("error converting YAML to JSON: yaml: invalid map key".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::split_documents;

    #[test]
    fn documents_split_like_go_jsonnet() {
        let split = |t: &str| split_documents(t);
        assert_eq!(split(""), (vec![], false));
        assert_eq!(split("a: 1"), (vec!["a: 1\n".to_owned()], false));
        assert_eq!(split("---"), (vec!["---\n".to_owned()], true));
        assert_eq!(
            split("a: 1\n---\n"),
            (vec!["a: 1\n".to_owned(), "---\n".to_owned()], true)
        );
        assert_eq!(
            split("a: 1\r\n--- 3\n---x\n"),
            (vec!["a: 1\n".to_owned(), "--- 3\n---x\n".to_owned()], true)
        );
    }
}
