//! A YAML stream read into a tree that remembers the line of every node, so the CRD
//! loader ([`super`]) can name `file:line` in its errors and convert a schema to JSON
//! only when its kind is first used ([`Node::to_json`]).
//!
//! Built on yaml-rust2's event parser. Plain scalars resolve as yaml-rust2 resolves them
//! (YAML 1.2 core schema: `null`/`~`, `true`/`false`, integers, floats); quoted and
//! block scalars are strings; `!!str` forces a string. Anchors and aliases work.

use std::collections::HashMap;

use yaml_rust2::{
    parser::{Event, MarkedEventReceiver, Parser},
    scanner::{Marker, TScalarStyle},
    Yaml,
};

/// A YAML node and the (1-based) line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the node starts.
    pub line: usize,
    /// Its value.
    pub value: Value,
}

/// The value of a [`Node`].
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits in 64 bits.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order; the key's line is the entry's line.
    Map(Vec<(String, Node)>),
}

/// A syntax error: line and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl Node {
    /// The value of key `key` when this is a mapping (the last one when repeated).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().rev().find(|(k, _)| k == key).map(|e| &e.1),
            _ => None,
        }
    }

    /// The line of key `key` when this is a mapping.
    pub fn key_line(&self, key: &str) -> Option<usize> {
        self.get(key).map(|n| n.line)
    }

    /// The string value, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The elements, if this is a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The entries, if this is a mapping.
    pub fn as_map(&self) -> Option<&[(String, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value of the path of keys `path` below this node.
    pub fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |n, k| n.get(k))
    }

    /// The node as JSON (a repeated key: the last one wins; a float that JSON cannot
    /// hold, such as `.inf`, becomes `null`).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// Parses a YAML stream: one node per document (empty documents included, as `Null`).
///
/// # Errors
/// The first syntax error, or a mapping key that is not a scalar.
pub fn parse_stream(text: &str) -> Result<Vec<Node>, SyntaxError> {
    let mut b = Builder::default();
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut b, true).map_err(|e| SyntaxError {
        line: e.marker().line(),
        message: e.info().to_owned(),
    })?;
    match b.error {
        Some(e) => Err(e),
        None => Ok(b.docs),
    }
}

/// An open collection.
enum Frame {
    Seq(Node, usize),
    Map(Node, usize, Option<String>),
}

#[derive(Default)]
struct Builder {
    docs: Vec<Node>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    error: Option<SyntaxError>,
}

impl Builder {
    fn complete(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.docs.push(node),
            Some(Frame::Seq(seq, _)) => {
                if let Value::Seq(items) = &mut seq.value {
                    items.push(node);
                }
            }
            Some(Frame::Map(map, _, key)) => match key.take() {
                Some(k) => {
                    if let Value::Map(entries) = &mut map.value {
                        entries.push((k, node));
                    }
                }
                None => {
                    let text = match node.value {
                        Value::Str(s) => s,
                        Value::Null => "null".to_owned(),
                        Value::Bool(b) => b.to_string(),
                        Value::Int(i) => i.to_string(),
                        Value::Float(f) => f.to_string(),
                        Value::Seq(_) | Value::Map(_) => {
                            self.error.get_or_insert(SyntaxError {
                                line: node.line,
                                message: "a mapping key must be a scalar".to_owned(),
                            });
                            String::new()
                        }
                    };
                    *key = Some(text);
                }
            },
        }
    }
}

/// A scalar's value: plain scalars resolved, everything else a string.
fn scalar(text: String, style: TScalarStyle, tag_suffix: Option<&str>) -> Value {
    if style != TScalarStyle::Plain || tag_suffix == Some("str") {
        return Value::Str(text);
    }
    match Yaml::from_str(&text) {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Integer(i) => Value::Int(i),
        Yaml::Real(r) => match r.parse::<f64>() {
            Ok(f) => Value::Float(f),
            Err(_) => match r.trim_start_matches(['+', '-']) {
                ".inf" | ".Inf" | ".INF" if r.starts_with('-') => Value::Float(f64::NEG_INFINITY),
                ".inf" | ".Inf" | ".INF" => Value::Float(f64::INFINITY),
                _ => Value::Float(f64::NAN),
            },
        },
        _ => Value::Str(text),
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let line = mark.line();
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                let value = scalar(text, style, tag.as_ref().map(|t| t.suffix.as_str()));
                self.complete(Node { line, value }, anchor);
            }
            Event::Alias(id) => {
                let value = self
                    .anchors
                    .get(&id)
                    .map_or(Value::Null, |n| n.value.clone());
                self.complete(Node { line, value }, 0);
            }
            Event::SequenceStart(anchor, _) => self.stack.push(Frame::Seq(
                Node {
                    line,
                    value: Value::Seq(Vec::new()),
                },
                anchor,
            )),
            Event::MappingStart(anchor, _) => self.stack.push(Frame::Map(
                Node {
                    line,
                    value: Value::Map(Vec::new()),
                },
                anchor,
                None,
            )),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(Frame::Seq(node, anchor) | Frame::Map(node, anchor, _)) =
                    self.stack.pop()
                {
                    self.complete(node, anchor);
                }
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_lines_and_scalars() {
        let docs =
            parse_stream("a: 1\nb: 'x'\n---\n# c\nc:\n  - true\n  - 1.5\n  - ~\n  - \"2\"\n")
                .unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].get("a").unwrap().value, Value::Int(1));
        assert_eq!(docs[0].key_line("b"), Some(2));
        let c = docs[1].get("c").unwrap();
        assert_eq!(c.line, 6);
        assert_eq!(
            c.to_json(),
            serde_json::json!([true, 1.5, null, "2"]),
            "{c:?}"
        );
    }

    #[test]
    fn syntax_errors_have_lines() {
        let e = parse_stream("a: 1\nb: [\n").unwrap_err();
        assert!(e.line >= 2, "{e:?}");
        let e = parse_stream("a: 1\n  b: 2\n").unwrap_err();
        assert_eq!(e.line, 2, "{e:?}");
    }

    #[test]
    fn anchors_and_aliases() {
        let docs = parse_stream("a: &x {k: v}\nb: *x\n").unwrap();
        assert_eq!(
            docs[0].to_json(),
            serde_json::json!({"a": {"k": "v"}, "b": {"k": "v"}})
        );
    }
}
