//! One YAML event→tree builder for every reader: yaml-rust2's parser events become the
//! nodes of a [`Resolver`], with anchors and aliases expanded under Go's alias budget
//! ([`super::yaml_aliases`]) and an alias inside its own anchor's value refused, as Go's
//! yaml.v2 and yaml.v3 decoders do (`decode.go`: `d.alias`, `d.aliases`).
//!
//! The rules that differ between readers are the resolver's: how a scalar resolves
//! (yaml.v2 for go-jsonnet's `std.parseYaml`, yaml.v3 for Tanka's natives, the YAML 1.2
//! core schema for CRD and manifest files) and what a mapping or an alias becomes.
//! [`Raw`] keeps the unresolved tree for readers that resolve afterwards.
//!
//! Contact points: `crate::crd::yaml` (CRD/manifest files), `crate::engine::overrides`
//! (`std.parseYaml`) and `crate::engine::tanka_natives` (Tanka's `parseYaml`, Helm and
//! Kustomize output). Each caller words the [`TreeError`]s as its Go counterpart does.

use std::collections::HashMap;

use yaml_rust2::{
    parser::{Event, MarkedEventReceiver, Parser, Tag},
    scanner::{Marker, ScanError, TScalarStyle},
};

use super::yaml_aliases::AliasBudget;

/// A scalar as the parser read it: text, style, explicit tag and its (1-based) line.
#[derive(Debug, Clone)]
pub struct Scalar {
    /// The scalar's text (quotes and escapes resolved).
    pub text: String,
    /// Plain, quoted, literal or folded.
    pub style: TScalarStyle,
    /// The explicit tag (`!!str`), if any.
    pub tag: Option<Tag>,
    /// The line it starts on.
    pub line: usize,
}

impl Scalar {
    /// Whether the scalar is plain and untagged, so its meaning is the resolver's.
    pub fn is_plain(&self) -> bool {
        self.style == TScalarStyle::Plain && self.tag.is_none()
    }
}

/// How one reader turns parser events into its nodes: the rules of its Go library.
pub trait Resolver {
    /// The node this reader builds.
    type Node: Clone;

    /// A scalar.
    fn scalar(&mut self, scalar: Scalar) -> Self::Node;

    /// A sequence of `items` that started on `line`.
    fn sequence(&mut self, items: Vec<Self::Node>, line: usize) -> Self::Node;

    /// A mapping of `entries` (keys and values, in document order) that started on `line`.
    ///
    /// # Errors
    /// The line and message of an entry the reader refuses (a key it cannot use).
    fn mapping(
        &mut self,
        entries: Vec<(Self::Node, Self::Node)>,
        line: usize,
    ) -> Result<Self::Node, (usize, String)>;

    /// The copy of anchored `target` an alias on `line` stands for.
    fn alias(&mut self, target: &Self::Node, line: usize) -> Self::Node {
        let _ = line;
        target.clone()
    }
}

/// Why a text did not build.
#[derive(Debug, Clone)]
pub enum TreeError {
    /// The parser's syntax error; `unknown_anchor` is the alias's name (as written after
    /// `*`) when the error is an alias to an anchor not defined before it.
    Syntax {
        /// yaml-rust2's error, with its position.
        error: ScanError,
        /// The name of an unknown anchor referenced.
        unknown_anchor: Option<String>,
    },
    /// An alias inside the value of its own anchor (Go: "anchor 'a' value contains itself").
    SelfAlias {
        /// The anchor's name.
        name: String,
        /// The alias's line.
        line: usize,
    },
    /// A document expands more aliased nodes than Go's decoders allow
    /// ([`super::yaml_aliases::EXCESSIVE_ALIASING`]).
    ExcessiveAliasing {
        /// The line where the budget ran out.
        line: usize,
    },
    /// The resolver refused a mapping entry.
    Refused {
        /// The entry's line.
        line: usize,
        /// The resolver's message.
        message: String,
    },
}

/// Which documents of the text to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Documents {
    /// Every document of the stream.
    All,
    /// The first document only; the text after it is not read.
    First,
}

/// Builds the documents of `text` with `resolver`: one node per document (an empty
/// document is the empty plain scalar the parser reports).
///
/// # Errors
/// The parser's syntax error first, else the first error met while building.
pub fn build<R: Resolver>(
    text: &str,
    documents: Documents,
    resolver: &mut R,
) -> Result<Vec<R::Node>, TreeError> {
    let mut b = Builder {
        text,
        resolver,
        docs: Vec::new(),
        stack: Vec::new(),
        anchors: HashMap::new(),
        budget: AliasBudget::default(),
        error: None,
    };
    let multi = documents == Documents::All;
    if let Err(error) = Parser::new_from_str(text).load(&mut b, multi) {
        let unknown_anchor = error
            .info()
            .contains("unknown anchor")
            .then(|| name_at(text, error.marker().index()));
        return Err(TreeError::Syntax {
            error,
            unknown_anchor,
        });
    }
    match b.error {
        Some(e) => Err(e),
        None => Ok(b.docs),
    }
}

/// The name of the alias (`*name`) at the marker index `index` of `text`.
fn name_at(text: &str, index: usize) -> String {
    let rest = &text[super::yaml_errors::marker_offset(text, index)..];
    rest.strip_prefix('*')
        .unwrap_or(rest)
        .chars()
        .take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c))
        .collect()
}

/// An open collection: its nodes so far, its anchor id (0: none), its line and the
/// decoded-node count at its start.
struct Frame<N> {
    kind: FrameKind<N>,
    anchor: usize,
    line: usize,
    start: u64,
}

enum FrameKind<N> {
    Seq(Vec<N>),
    /// The entries so far and a key waiting for its value.
    Map(Vec<(N, N)>, Option<N>),
}

struct Builder<'a, R: Resolver> {
    text: &'a str,
    resolver: &'a mut R,
    docs: Vec<R::Node>,
    stack: Vec<Frame<R::Node>>,
    /// Each anchor's value and its size in decoded nodes (the parser numbers every
    /// anchor definition anew).
    anchors: HashMap<usize, (R::Node, u64)>,
    /// The alias-bomb guard of the current document.
    budget: AliasBudget,
    error: Option<TreeError>,
}

impl<R: Resolver> Builder<'_, R> {
    /// Counts one node read from the text at `line`.
    fn count(&mut self, line: usize) {
        if self.budget.node().is_err() {
            self.error = Some(TreeError::ExcessiveAliasing { line });
        }
    }

    /// Places a finished node, remembering it under `anchor` (its size counted from
    /// `start`).
    fn complete(&mut self, node: R::Node, anchor: usize, start: u64) {
        if anchor > 0 {
            let size = self.budget.decoded() - start;
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut().map(|f| &mut f.kind) {
            None => self.docs.push(node),
            Some(FrameKind::Seq(items)) => items.push(node),
            Some(FrameKind::Map(entries, pending)) => match pending.take() {
                Some(key) => entries.push((key, node)),
                None => *pending = Some(node),
            },
        }
    }

    fn open(&mut self, kind: FrameKind<R::Node>, anchor: usize, line: usize) {
        let start = self.budget.decoded();
        self.count(line);
        self.stack.push(Frame {
            kind,
            anchor,
            line,
            start,
        });
    }

    fn close(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let node = match frame.kind {
            FrameKind::Seq(items) => self.resolver.sequence(items, frame.line),
            FrameKind::Map(entries, _) => match self.resolver.mapping(entries, frame.line) {
                Ok(node) => node,
                Err((line, message)) => {
                    self.error = Some(TreeError::Refused { line, message });
                    return;
                }
            },
        };
        self.complete(node, frame.anchor, frame.start);
    }

    fn alias(&mut self, id: usize, mark: Marker) {
        let line = mark.line();
        let open = self.stack.iter().any(|f| f.anchor == id);
        let Some((target, size)) = self.anchors.get(&id).filter(|_| !open) else {
            // The parser only reports aliases of anchors defined before: one still
            // open is the alias's own.
            self.error = Some(TreeError::SelfAlias {
                name: name_at(self.text, mark.index()),
                line,
            });
            return;
        };
        let (target, size) = (target.clone(), *size);
        let start = self.budget.decoded();
        if self.budget.alias(size).is_err() {
            self.error = Some(TreeError::ExcessiveAliasing { line });
            return;
        }
        let node = self.resolver.alias(&target, line);
        self.complete(node, 0, start);
    }
}

impl<R: Resolver> MarkedEventReceiver for Builder<'_, R> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let line = mark.line();
        match ev {
            // Once failed, the rest is only read for syntax errors.
            _ if self.error.is_some() => {}
            Event::DocumentStart => {
                self.budget = AliasBudget::default();
                // The document node, as Go counts it.
                self.count(line);
            }
            Event::Scalar(text, style, anchor, tag) => {
                let start = self.budget.decoded();
                self.count(line);
                let node = self.resolver.scalar(Scalar {
                    text,
                    style,
                    tag,
                    line,
                });
                self.complete(node, anchor, start);
            }
            Event::Alias(id) => self.alias(id, mark),
            Event::SequenceStart(anchor, _) => self.open(FrameKind::Seq(Vec::new()), anchor, line),
            Event::MappingStart(anchor, _) => {
                self.open(FrameKind::Map(Vec::new(), None), anchor, line)
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(),
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
    }
}

/// A node before resolution, for readers that resolve after building ([`Raw`]).
#[derive(Debug, Clone)]
pub enum RawNode {
    /// A scalar as read.
    Scalar(Scalar),
    /// A sequence.
    Seq(Vec<RawNode>),
    /// A mapping: keys and values in document order.
    Map(Vec<(RawNode, RawNode)>),
}

/// The resolver that resolves nothing: the tree as the parser read it, aliases copied.
#[derive(Debug, Default)]
pub struct Raw;

impl Resolver for Raw {
    type Node = RawNode;

    fn scalar(&mut self, scalar: Scalar) -> RawNode {
        RawNode::Scalar(scalar)
    }

    fn sequence(&mut self, items: Vec<RawNode>, _line: usize) -> RawNode {
        RawNode::Seq(items)
    }

    fn mapping(
        &mut self,
        entries: Vec<(RawNode, RawNode)>,
        _line: usize,
    ) -> Result<RawNode, (usize, String)> {
        Ok(RawNode::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Result<Vec<RawNode>, TreeError> {
        build(text, Documents::All, &mut Raw)
    }

    /// The tree as compact text: scalars as written, `[..]`, `{k: v}`.
    fn show(n: &RawNode) -> String {
        match n {
            RawNode::Scalar(s) => s.text.clone(),
            RawNode::Seq(items) => {
                format!(
                    "[{}]",
                    items.iter().map(show).collect::<Vec<_>>().join(", ")
                )
            }
            RawNode::Map(entries) => format!(
                "{{{}}}",
                entries
                    .iter()
                    .map(|(k, v)| format!("{}: {}", show(k), show(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    #[test]
    fn documents_aliases_and_lines() {
        let docs = raw("a: &x [1, 2]\nb: *x\n---\n---\n'q'\n").unwrap();
        let shown: Vec<String> = docs.iter().map(show).collect();
        assert_eq!(shown, ["{a: [1, 2], b: [1, 2]}", "", "q"]);
        let RawNode::Map(entries) = &docs[0] else {
            panic!("{docs:?}")
        };
        let RawNode::Scalar(b) = &entries[1].0 else {
            panic!("{entries:?}")
        };
        assert_eq!(b.line, 2);
        let first = build("a: 1\n---\nb: [\n", Documents::First, &mut Raw).unwrap();
        assert_eq!(first.len(), 1);
    }

    #[test]
    fn unknown_and_self_aliases_are_named() {
        match raw("a: *nope\n").unwrap_err() {
            TreeError::Syntax { unknown_anchor, .. } => {
                assert_eq!(unknown_anchor.as_deref(), Some("nope"))
            }
            e => panic!("{e:?}"),
        }
        match raw("a: &x [1, *x]\n").unwrap_err() {
            TreeError::SelfAlias { name, line } => assert_eq!((name.as_str(), line), ("x", 1)),
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn alias_bombs_stop_at_the_budget_per_document() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
            text += &format!(
                "{name}: &{name} [{}]\n",
                vec![format!("*{prev}"); 9].join(",")
            );
        }
        assert!(matches!(
            raw(&text).unwrap_err(),
            TreeError::ExcessiveAliasing { .. }
        ));
        assert!(raw("a: &a [1]\nb: *a\n---\nc: *a\n").is_err());
        assert_eq!(
            raw("a: &a [1]\nb: *a\n---\nc: &c 1\nd: *c\n")
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn a_refused_mapping_stops_the_build() {
        struct KeysMustBeScalars;
        impl Resolver for KeysMustBeScalars {
            type Node = Option<String>;
            fn scalar(&mut self, s: Scalar) -> Self::Node {
                Some(s.text)
            }
            fn sequence(&mut self, _: Vec<Self::Node>, _: usize) -> Self::Node {
                None
            }
            fn mapping(
                &mut self,
                entries: Vec<(Self::Node, Self::Node)>,
                line: usize,
            ) -> Result<Self::Node, (usize, String)> {
                match entries.iter().any(|(k, _)| k.is_none()) {
                    true => Err((line, "key".into())),
                    false => Ok(None),
                }
            }
        }
        let e = build(
            "a:\n  ? [1]\n  : 2\n",
            Documents::All,
            &mut KeysMustBeScalars,
        );
        assert!(
            matches!(e, Err(TreeError::Refused { line: 2, .. })),
            "{e:?}"
        );
    }
}
