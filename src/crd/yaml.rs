//! A YAML stream read into a tree that remembers the line of every node, so the CRD
//! loader ([`super`]) can name `file:line` in its errors and convert a schema to JSON
//! only when its kind is first used ([`Node::to_json`]).
//!
//! [`parse_stream_deferring`] leaves the blocks under a given key (a CRD's
//! `openAPIV3Schema`) unparsed: they are found by their indentation and parsed one by
//! one on first use ([`Deferred::node`]), so loading a bundle costs little more than
//! reading it.
//!
//! Built by the one YAML tree builder ([`crate::gocompat::yaml_tree`]) with this file's
//! resolver: plain scalars resolve as yaml-rust2 resolves them (YAML 1.2 core schema:
//! `null`/`~`, `true`/`false`, integers, floats); quoted and block scalars are strings;
//! `!!str` forces a string. Anchors and aliases work, under Go's alias budget.

use std::{ops::Range, sync::OnceLock};

use crate::gocompat::yaml_aliases::EXCESSIVE_ALIASING;
use crate::gocompat::yaml_tree::{self, Documents, Resolver, Scalar, TreeError};
use yaml_rust2::{scanner::TScalarStyle, Yaml};

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
    /// A block [`parse_stream_deferring`] left unparsed: index into its [`Deferred`].
    Deferred(usize),
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

    /// The first key repeated in a mapping of this tree (in document order of the
    /// repetition): its JSON path (`metadata.labels.app`, `spec.ports[1].name`), the key,
    /// and the line where the repeated entry's value starts. The API server's strict
    /// decoding rejects such a document.
    pub fn duplicate_key(&self) -> Option<(String, String, usize)> {
        match &self.value {
            Value::Seq(items) => items.iter().enumerate().find_map(|(i, item)| {
                item.duplicate_key()
                    .map(|(path, key, line)| (join_path(&format!("[{i}]"), &path), key, line))
            }),
            Value::Map(entries) => {
                let mut seen = std::collections::HashSet::new();
                for (k, v) in entries {
                    if !seen.insert(k.as_str()) {
                        return Some((k.clone(), k.clone(), v.line));
                    }
                }
                entries.iter().find_map(|(k, v)| {
                    v.duplicate_key()
                        .map(|(path, key, line)| (join_path(k, &path), key, line))
                })
            }
            _ => None,
        }
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
            // Resolved through `Deferred::node` before conversion; never reached.
            Value::Deferred(_) => J::Null,
        }
    }
}

/// `head` followed by the path `rest` below it (`a` + `b` = `a.b`, `a` + `[0]` = `a[0]`).
fn join_path(head: &str, rest: &str) -> String {
    if rest.starts_with('[') {
        format!("{head}{rest}")
    } else {
        format!("{head}.{rest}")
    }
}

/// The local tag marking a deferred block in the reduced text.
const DEFERRED_TAG: &str = "gwsonnet-deferred";

/// The blocks [`parse_stream_deferring`] left unparsed, and the text they are in.
#[derive(Debug, Default)]
pub struct Deferred {
    text: String,
    blocks: Vec<Block>,
}

/// One deferred block: its bytes in the text, its first line, its parse once done.
#[derive(Debug)]
struct Block {
    bytes: Range<usize>,
    first_line: usize,
    parsed: OnceLock<Result<Node, SyntaxError>>,
}

impl Deferred {
    /// `node` itself, or when it is a deferred block, the block parsed (once).
    ///
    /// # Errors
    /// A syntax error in the block, with its line in the whole text.
    pub fn resolve<'a>(&'a self, node: &'a Node) -> Result<&'a Node, SyntaxError> {
        let Value::Deferred(i) = node.value else {
            return Ok(node);
        };
        let Some(block) = self.blocks.get(i) else {
            return Err(SyntaxError {
                line: node.line,
                message: "internal: unknown deferred block".to_owned(),
            });
        };
        block
            .parsed
            .get_or_init(|| {
                // Empty lines in front keep the lines of the whole text.
                let mut text = "\n".repeat(block.first_line - 1);
                text.push_str(&self.text[block.bytes.clone()]);
                let mut docs = parse_stream(&text)?;
                Ok(match docs.len() {
                    0 => Node {
                        line: block.first_line,
                        value: Value::Null,
                    },
                    _ => docs.swap_remove(0),
                })
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// Parses a YAML stream as [`parse_stream`] does, except the block under each line
/// that is only `<indent>key:`: the lines after it that are blank, comments or
/// indented deeper are left unparsed, and the key's value is [`Value::Deferred`].
/// `deferred_ok` is asked about every document: true when its deferred values are all
/// where the caller will resolve them. When one is not, or the reduced text does not
/// parse, or it uses aliases, the whole text is parsed at once instead (no deferred
/// values).
///
/// # Errors
/// As [`parse_stream`].
pub fn parse_stream_deferring(
    text: String,
    key: &str,
    deferred_ok: &dyn Fn(&Node) -> bool,
) -> Result<(Vec<Node>, Deferred), SyntaxError> {
    let (reduced, blocks) = reduce(&text, key);
    if !blocks.is_empty() {
        let mut core = Core {
            deferring: true,
            ..Core::default()
        };
        if let Ok(docs) = build(&reduced, &mut core) {
            if core.deferred == blocks.len() && !core.aliased && docs.iter().all(deferred_ok) {
                return Ok((docs, Deferred { text, blocks }));
            }
        }
    }
    let docs = parse_stream(&text)?;
    Ok((docs, Deferred::default()))
}

/// The text with each block under `key:` cut out (its lines left empty, the key's
/// value a tagged marker), and the blocks cut.
fn reduce(text: &str, key: &str) -> (String, Vec<Block>) {
    let mut reduced = String::new();
    let mut blocks = Vec::new();
    let mut lines = text.split_inclusive('\n').peekable();
    let mut offset = 0;
    let mut line_no = 1;
    while let Some(line) = lines.next() {
        offset += line.len();
        line_no += 1;
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        let is_key = content
            .strip_prefix(key)
            .and_then(|r| r.strip_prefix(':'))
            .is_some_and(|r| r.trim().is_empty());
        if !is_key {
            reduced.push_str(line);
            continue;
        }
        let start = offset;
        let first_line = line_no;
        let mut cut = 0;
        while let Some(next) = lines.peek() {
            let c = next.trim_start_matches(' ');
            let blank = c.trim().is_empty() || c.starts_with('#');
            if !blank && next.len() - c.len() <= indent {
                break;
            }
            offset += next.len();
            line_no += 1;
            cut += 1;
            lines.next();
        }
        if cut == 0 {
            reduced.push_str(line);
            continue;
        }
        use std::fmt::Write as _;
        let _ = writeln!(
            reduced,
            "{}{key}: !{DEFERRED_TAG} {}",
            &line[..indent],
            blocks.len()
        );
        reduced.extend(std::iter::repeat_n('\n', cut));
        blocks.push(Block {
            bytes: start..offset,
            first_line,
            parsed: OnceLock::new(),
        });
    }
    (reduced, blocks)
}

/// Parses a YAML stream: one node per document (empty documents included, as `Null`).
///
/// # Errors
/// The first syntax error, an alias bomb or an alias inside its own anchor, or a
/// mapping key that is not a scalar.
pub fn parse_stream(text: &str) -> Result<Vec<Node>, SyntaxError> {
    build(text, &mut Core::default())
}

/// Builds `text` with `core`, its errors as [`SyntaxError`]s.
fn build(text: &str, core: &mut Core) -> Result<Vec<Node>, SyntaxError> {
    yaml_tree::build(text, Documents::All, core).map_err(|e| match e {
        TreeError::Syntax { error, .. } => SyntaxError {
            line: error.marker().line(),
            message: error.info().to_owned(),
        },
        TreeError::SelfAlias { name, line } => SyntaxError {
            line,
            message: format!("anchor '{name}' value contains itself"),
        },
        TreeError::ExcessiveAliasing { line } => SyntaxError {
            line,
            message: EXCESSIVE_ALIASING.to_owned(),
        },
        TreeError::Refused { line, message } => SyntaxError { line, message },
    })
}

/// The YAML 1.2 core schema as yaml-rust2 resolves it, over nodes with lines.
#[derive(Default)]
struct Core {
    /// Reading a reduced text: tagged markers are deferred blocks.
    deferring: bool,
    /// Deferred markers seen.
    deferred: usize,
    /// An alias was seen (it could copy a deferred marker).
    aliased: bool,
}

impl Resolver for Core {
    type Node = Node;

    fn scalar(&mut self, s: Scalar) -> Node {
        let suffix = s.tag.as_ref().map(|t| t.suffix.as_str());
        let value = if self.deferring && suffix == Some(DEFERRED_TAG) {
            self.deferred += 1;
            match s.text.parse() {
                Ok(i) => Value::Deferred(i),
                Err(_) => Value::Null,
            }
        } else {
            scalar(s.text, s.style, suffix)
        };
        Node {
            line: s.line,
            value,
        }
    }

    fn sequence(&mut self, items: Vec<Node>, line: usize) -> Node {
        Node {
            line,
            value: Value::Seq(items),
        }
    }

    fn mapping(
        &mut self,
        entries: Vec<(Node, Node)>,
        line: usize,
    ) -> Result<Node, (usize, String)> {
        let entries = entries
            .into_iter()
            .map(|(key, value)| {
                let key = match key.value {
                    Value::Str(s) => s,
                    Value::Null => "null".to_owned(),
                    Value::Bool(b) => b.to_string(),
                    Value::Int(i) => i.to_string(),
                    Value::Float(f) => f.to_string(),
                    Value::Seq(_) | Value::Map(_) | Value::Deferred(_) => {
                        return Err((key.line, "a mapping key must be a scalar".to_owned()))
                    }
                };
                Ok((key, value))
            })
            .collect::<Result<_, _>>()?;
        Ok(Node {
            line,
            value: Value::Map(entries),
        })
    }

    fn alias(&mut self, target: &Node, line: usize) -> Node {
        self.aliased = true;
        Node {
            line,
            value: target.value.clone(),
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
    fn repeated_keys_are_found_with_path_and_line() {
        let docs =
            parse_stream("a: 1\nb:\n  - x: 1\n  - x: 1\n    y: 2\n    x: 3\na: 2\n").unwrap();
        assert_eq!(
            docs[0].duplicate_key(),
            Some(("a".to_owned(), "a".to_owned(), 7))
        );
        let docs = parse_stream("b:\n  - {x: 1}\n  - {x: 1, y: 2, x: 3}\n").unwrap();
        assert_eq!(
            docs[0].duplicate_key(),
            Some(("b[1].x".to_owned(), "x".to_owned(), 3))
        );
        assert_eq!(
            parse_stream("a: {b: 1}\n").unwrap()[0].duplicate_key(),
            None
        );
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip("bcdefghi".chars())
        {
            text += &format!(
                "{name}: &{name} [{}]\n",
                vec![format!("*{prev}"); 9].join(",")
            );
        }
        let e = parse_stream(&text).unwrap_err();
        assert_eq!(e.message, "document contains excessive aliasing");
        // A few aliases in a document are fine, and each document has its own budget.
        let ok = "a: &a [1, 2]\nb: *a\n---\nc: &c [1]\nd: [*c, *c]\n";
        assert_eq!(parse_stream(ok).unwrap().len(), 2);
    }

    #[test]
    fn syntax_errors_have_lines() {
        let e = parse_stream("a: 1\nb: [\n").unwrap_err();
        assert!(e.line >= 2, "{e:?}");
        let e = parse_stream("a: 1\n  b: 2\n").unwrap_err();
        assert_eq!(e.line, 2, "{e:?}");
    }

    #[test]
    fn deferred_blocks_parse_on_use_with_their_lines() {
        let text =
            "a:\n  s:\n    x: 1\n\n    # c\n    y: [2,\n      3]\n  t: 4\n---\ns:\n  z: true\n";
        let any = |_: &Node| true;
        let (docs, deferred) = parse_stream_deferring(text.to_owned(), "s", &any).unwrap();
        assert_eq!(docs.len(), 2);
        let s = docs[0].at(&["a", "s"]).unwrap();
        assert_eq!(s.value, Value::Deferred(0));
        assert_eq!(docs[0].at(&["a", "t"]).unwrap().line, 8);
        let parsed = deferred.resolve(s).unwrap();
        assert_eq!(parsed.to_json(), serde_json::json!({"x": 1, "y": [2, 3]}));
        assert_eq!(parsed.key_line("y"), Some(6));
        let z = deferred.resolve(docs[1].get("s").unwrap()).unwrap();
        assert_eq!(z.to_json(), serde_json::json!({"z": true}));
        // The same documents as a full parse gives them.
        let full = parse_stream(text).unwrap();
        assert_eq!(full[0].at(&["a", "s"]).unwrap().to_json(), parsed.to_json());
    }

    #[test]
    fn deferred_blocks_fall_back_to_a_full_parse() {
        let any = |_: &Node| true;
        // Refused by the caller.
        let (docs, _) = parse_stream_deferring("s:\n  x: 1\n".to_owned(), "s", &|_| false).unwrap();
        assert_eq!(docs[0].to_json(), serde_json::json!({"s": {"x": 1}}));
        // Aliases.
        let (docs, _) =
            parse_stream_deferring("s:\n  x: &a 1\nt: *a\n".to_owned(), "s", &any).unwrap();
        assert_eq!(
            docs[0].to_json(),
            serde_json::json!({"s": {"x": 1}, "t": 1})
        );
        // A syntax error in a deferred block shows when it is used, at its line.
        let (docs, deferred) =
            parse_stream_deferring("s:\n  x: 1\n  y: [\nt: 2\n".to_owned(), "s", &any).unwrap();
        let e = deferred.resolve(docs[0].get("s").unwrap()).unwrap_err();
        assert!(e.line >= 3, "{e:?}");
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
