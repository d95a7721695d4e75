//! `std.parseYaml` as go-jsonnet does it: documents split at `---` marker lines, YAML 1.1
//! scalars as Go's yaml.v2 resolves them (`yes`/`no`/`on`/`off` booleans, `0777`
//! octal, `_` in numbers), merge keys, and map keys turned into strings the way the
//! YAML-to-JSON step does. jrsonnet's own parser follows YAML 1.2, which reads
//! `defaultMode: 0644` as 644 instead of 420.

use std::collections::HashMap;

use crate::gocompat::float;
use crate::manifest::yaml_aliases::AliasBudget;
use crate::manifest::yaml_numbers::{is_yaml_float, parse_float, parse_int};
use jrsonnet_evaluator::{
    error::{ErrorKind, Result},
    function::builtin,
    IStr, ObjValueBuilder, Val,
};
use yaml_rust2::{
    parser::{Event, MarkedEventReceiver, Parser, Tag},
    scanner::{Marker, TScalarStyle},
};

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

/// A parsed YAML node before scalar resolution.
#[derive(Clone, Debug)]
enum Node {
    Scalar(String, TScalarStyle, Option<Tag>),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// A collection being built: its items so far (and a key waiting for its value), and
/// its anchor.
enum Frame {
    Seq(Vec<Node>, usize),
    Map(Vec<(Node, Node)>, Option<Node>, usize),
}

/// Builds the node tree of one document from parser events, resolving aliases.
struct Builder<'a> {
    /// The document's text, for the names of anchors in errors.
    text: &'a str,
    stack: Vec<Frame>,
    /// The decoded-node count at the start of each open collection.
    starts: Vec<u64>,
    /// Each anchor's value and its size in decoded nodes.
    anchors: HashMap<usize, (Node, u64)>,
    root: Option<Node>,
    /// The first error met (an alias inside the value of its own anchor, an alias bomb).
    error: Option<String>,
    budget: AliasBudget,
}

impl Builder<'_> {
    /// Counts one node read from the text.
    fn count(&mut self) {
        if let Err(e) = self.budget.node() {
            self.fail(e);
        }
    }

    fn fail(&mut self, message: &str) {
        self.error
            .get_or_insert_with(|| format!("error converting YAML to JSON: yaml: {message}"));
    }

    fn push_value(&mut self, node: Node, anchor: usize, start: u64) {
        if anchor > 0 {
            let size = self.budget.decoded() - start;
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            Some(Frame::Seq(items, _)) => items.push(node),
            Some(Frame::Map(entries, pending, _)) => match pending.take() {
                Some(key) => entries.push((key, node)),
                None => *pending = Some(node),
            },
            None => self.root = Some(node),
        }
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            // Once failed, the rest is only read for syntax errors.
            _ if self.error.is_some() => {}
            Event::Scalar(value, style, anchor, tag) => {
                let start = self.budget.decoded();
                self.count();
                self.push_value(Node::Scalar(value, style, tag), anchor, start)
            }
            Event::SequenceStart(anchor, _) => {
                self.starts.push(self.budget.decoded());
                self.count();
                self.stack.push(Frame::Seq(Vec::new(), anchor))
            }
            Event::MappingStart(anchor, _) => {
                self.starts.push(self.budget.decoded());
                self.count();
                self.stack.push(Frame::Map(Vec::new(), None, anchor))
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let start = self.starts.pop().unwrap_or_default();
                match self.stack.pop() {
                    Some(Frame::Seq(items, anchor)) => {
                        self.push_value(Node::Seq(items), anchor, start)
                    }
                    Some(Frame::Map(entries, _, anchor)) => {
                        self.push_value(Node::Map(entries), anchor, start)
                    }
                    None => {}
                }
            }
            Event::Alias(id) => {
                let open = |f: &Frame| match f {
                    Frame::Seq(_, anchor) | Frame::Map(_, _, anchor) => *anchor == id,
                };
                if self.stack.iter().any(open) {
                    self.error.get_or_insert_with(|| {
                        let name = alias_name(self.text, mark.index());
                        format!(
                            "error converting YAML to JSON: yaml: anchor '{name}' value contains itself"
                        )
                    });
                }
                let size = self.anchors.get(&id).map_or(0, |(_, size)| *size);
                if let Err(e) = self.budget.alias(size) {
                    return self.fail(e);
                }
                let node = self.anchors.get(&id).map_or_else(
                    || Node::Scalar(String::new(), TScalarStyle::Plain, None),
                    |(node, _)| node.clone(),
                );
                self.push_value(node, 0, 0);
            }
            _ => {}
        }
    }
}

fn parse_document(text: &str) -> std::result::Result<Node, String> {
    let mut builder = Builder {
        text,
        stack: Vec::new(),
        starts: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        error: None,
        budget: AliasBudget::default(),
    };
    // The document node, as Go counts it.
    builder.count();
    Parser::new_from_str(text)
        .load(&mut builder, false)
        .map_err(|e| {
            if e.info().contains("unknown anchor") {
                let name = alias_name(text, e.marker().index());
                format!("error converting YAML to JSON: yaml: unknown anchor '{name}' referenced")
            } else {
                e.to_string()
            }
        })?;
    if let Some(error) = builder.error {
        return Err(error);
    }
    Ok(builder
        .root
        .unwrap_or_else(|| Node::Scalar(String::new(), TScalarStyle::Plain, None)))
}

/// The name of the alias (`*name`) at byte `index` of `text`.
fn alias_name(text: &str, index: usize) -> String {
    let rest = text.get(index..).unwrap_or_default();
    rest.strip_prefix('*')
        .unwrap_or(rest)
        .chars()
        .take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c))
        .collect()
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

fn resolve_plain(value: &str) -> Scalar {
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return Scalar::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Scalar::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Scalar::Bool(false)
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Scalar::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Scalar::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Scalar::Float(f64::NAN),
        _ => {}
    }
    let plain = value.replace('_', "");
    if let Some(i) = parse_int(&plain) {
        return Scalar::Int(i);
    }
    if is_yaml_float(&plain) {
        if let Some(f) = parse_float(&plain) {
            return Scalar::Float(f);
        }
    }
    Scalar::Str(value.to_owned())
}

/// Converts a node to a Jsonnet value the way the YAML-to-JSON step does.
fn to_val(node: &Node) -> std::result::Result<Val, String> {
    Ok(match node {
        Node::Scalar(value, style, tag) => match resolve(value, *style, tag.as_ref()) {
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
        Node::Seq(items) => Val::arr(
            items
                .iter()
                .map(to_val)
                .collect::<std::result::Result<Vec<_>, _>>()?,
        ),
        Node::Map(entries) => {
            let mut fields: Vec<(String, Val)> = Vec::new();
            let mut merged: Vec<(String, Val)> = Vec::new();
            for (key, value) in entries {
                if let Node::Scalar(k, TScalarStyle::Plain, None) = key {
                    if k == "<<" {
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
fn merge_sources(value: &Node, merged: &mut Vec<(String, Val)>) -> std::result::Result<(), String> {
    let sources: Vec<&Node> = match value {
        Node::Seq(items) => items.iter().collect(),
        other => vec![other],
    };
    for source in sources {
        let Node::Map(entries) = source else {
            return Err("map merge requires map or sequence of maps as the value".into());
        };
        let Val::Obj(obj) = to_val(&Node::Map(entries.clone()))? else {
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
fn key_string(key: &Node) -> std::result::Result<String, String> {
    match key {
        Node::Scalar(value, style, tag) => match resolve(value, *style, tag.as_ref()) {
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
