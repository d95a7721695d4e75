//! Parsing with the error-recovering `jrsonnet-rowan-parser`: a tree for any text (a
//! half-typed `x.` still has its `x`), and the syntax errors with their byte ranges.
//!
//! A `.` that no name follows yet is the common half-typed state, and the parser
//! takes the next token (`,`, `}`, `]`) as the missing name, which loses the structure
//! after it. So the tree analysed is that of the text with [`PLACEHOLDER`] put after
//! every such `.` ([`Parsed::parse`] repeats this while a new one shows up); the
//! errors reported are those of the text as typed, and [`Parsed::inserted`] says where
//! the placeholders went, for converting offsets ([`super::documents::Document`]).
//!
//! The rowan parser is not the evaluator's: it rejects a few valid programs (the
//! conformance suite's `precedence.jsonnet`). [`Parsed::reported_errors`] gives its
//! errors only when the evaluator's parser (`jrsonnet-ir-parser`, the one `gwsonnet`
//! runs) rejects the text too, so a program that runs never shows a syntax error
//! (unless the rowan parser gave up on it: see below). That second parse is paid only
//! for a text with errors, when diagnostics are published (after the typing pause),
//! not on every change.
//!
//! The parser asserts on a few inputs it does not recover from (an `import` not
//! followed by a string); that panic is caught here and becomes one syntax error, so
//! the file simply has no tree until it is fixed.
//! Contact points: [`super::documents`] parses every text it holds;
//! [`super::analysis`] reads the tree; [`super::diagnostics`] reports the errors.

use jrsonnet_rowan_parser::{nodes::SourceFile, AstNode, SyntaxKind, SyntaxNode};

/// The identifier put after every `.` whose name is missing, in the tree analysed.
pub const PLACEHOLDER: &str = "gwsonnet_completion_placeholder";

/// How many times the text is patched and parsed again: a `.` the parser lost in the
/// tree of a broken text shows in the tree of the text patched before.
const REPAIR_ROUNDS: usize = 8;

/// A syntax error: its message and byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What is wrong (`missing expression`, `unexpected R_BRACE, expecting …`).
    pub message: String,
    /// First byte.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
}

/// A parsed text.
pub struct Parsed {
    /// The tree, unless the parser gave up.
    pub root: Option<SyntaxNode>,
    /// The syntax errors of the text as typed, in text order.
    pub errors: Vec<SyntaxError>,
    /// Where [`PLACEHOLDER`]s were put into the text for the tree: offsets of the text
    /// as typed, ascending.
    pub inserted: Vec<usize>,
}

/// Whether the evaluator's parser accepts `text`: asked only when the rowan parser
/// found errors, so a clean text is parsed once.
fn evaluator_accepts(text: &str) -> bool {
    use jrsonnet_ir::{Source, SourcePath, SourceVirtual};
    let source = Source::new(SourcePath::new(SourceVirtual("lsp".into())), text.into());
    let settings = jrsonnet_ir_parser::ParserSettings {
        source: source.clone(),
    };
    jrsonnet_ir_parser::parse(source.code(), &settings).is_ok()
}

impl Parsed {
    /// Parses `text` (never panics), the tree with placeholders after nameless `.`s.
    pub fn parse(text: &str) -> Self {
        let first = Self::parse_as_is(text);
        let errors = first.errors.clone();
        let mut tree = first;
        let mut inserted: Vec<usize> = Vec::new();
        for _ in 0..REPAIR_ROUNDS {
            let Some(root) = &tree.root else { break };
            let at = nameless_dots(root);
            if at.is_empty() {
                break;
            }
            // `at` is in the patched text: back to the text as typed.
            for &p in &at {
                let before = inserted
                    .iter()
                    .enumerate()
                    .take_while(|(i, &q)| q + PLACEHOLDER.len() * (i + 1) <= p)
                    .count();
                inserted.push(p - PLACEHOLDER.len() * before);
            }
            inserted.sort_unstable();
            inserted.dedup();
            let mut patched = text.to_owned();
            for (i, &p) in inserted.iter().enumerate() {
                patched.insert_str(p + PLACEHOLDER.len() * i, PLACEHOLDER);
            }
            tree = Self::parse_as_is(&patched);
        }
        Self {
            root: tree.root,
            errors,
            inserted,
        }
    }

    /// Parses `text` as it is (its errors are the rowan parser's).
    fn parse_as_is(text: &str) -> Self {
        let parsed = std::panic::catch_unwind(|| jrsonnet_rowan_parser::parse(text));
        match parsed {
            Ok((file, errors)) => {
                let mut errors: Vec<SyntaxError> = errors
                    .into_iter()
                    .map(|e| SyntaxError {
                        message: e.error.to_string(),
                        start: usize::from(e.range.start()),
                        end: usize::from(e.range.end()),
                    })
                    .collect();
                errors.sort_by_key(|e| (e.start, e.end));
                errors.dedup();
                Self {
                    root: Some(file.syntax().clone()),
                    errors,
                    inserted: Vec::new(),
                }
            }
            Err(_) => Self {
                root: None,
                errors: vec![SyntaxError {
                    message: "the file cannot be parsed (an `import` must be followed by a string literal?)"
                        .to_owned(),
                    start: 0,
                    end: text.find('\n').unwrap_or(text.len()),
                }],
                inserted: Vec::new(),
            },
        }
    }

    /// The syntax errors to show for `text` (the text parsed): none when the rowan
    /// parser made a tree and the evaluator's parser accepts the text. A text the rowan
    /// parser gave up on keeps its error: `import foo` parses in jrsonnet (a computed
    /// import) but is a static error for gwsonnet as for go.
    pub fn reported_errors(&self, text: &str) -> &[SyntaxError] {
        if self.errors.is_empty() || (self.root.is_some() && evaluator_accepts(text)) {
            &[]
        } else {
            &self.errors
        }
    }

    /// The offset in the text as typed of `offset` of the analysed text.
    pub fn original(&self, offset: usize) -> usize {
        let mut shift = 0;
        for &p in &self.inserted {
            let start = p + shift;
            if offset >= start + PLACEHOLDER.len() {
                shift += PLACEHOLDER.len();
            } else if offset > start {
                return p;
            } else {
                break;
            }
        }
        offset - shift
    }

    /// The offset in the analysed text of `offset` of the text as typed (a cursor
    /// right after a patched `.` stays before its placeholder).
    pub fn analysed(&self, offset: usize) -> usize {
        offset + PLACEHOLDER.len() * self.inserted.iter().filter(|&&p| p < offset).count()
    }

    /// The root expression's node, if any.
    pub fn source_file(&self) -> Option<SourceFile> {
        self.root.clone().and_then(SourceFile::cast)
    }
}

/// The end offsets of the `.`s of `root` that no name follows.
fn nameless_dots(root: &SyntaxNode) -> Vec<usize> {
    root.descendants()
        .filter(|n| n.kind() == SyntaxKind::SUFFIX_INDEX)
        .filter(|n| {
            !n.children()
                .filter(|c| c.kind() == SyntaxKind::NAME)
                .any(|name| {
                    name.children_with_tokens()
                        .any(|t| t.kind() == SyntaxKind::IDENT)
                })
        })
        .filter_map(|n| {
            n.children_with_tokens()
                .find(|t| t.kind() == SyntaxKind::DOT)
                .map(|t| usize::from(t.text_range().end()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dot_without_a_name_gets_a_placeholder() {
        let text = "local a = 1;\n[\n  a.b.,\n  a.new('x').c.,\n  std.,\n]\n";
        let p = Parsed::parse(text);
        assert_eq!(p.inserted.len(), 3, "{:?}", p.inserted);
        let tree = p.root.as_ref().unwrap().text().to_string();
        assert_eq!(tree.matches(PLACEHOLDER).count(), 3, "{tree}");
        assert!(!p.errors.is_empty());
        // Offsets map both ways; a cursor after a patched `.` stays before it.
        let std_dot = text.find("std.").unwrap() + 4;
        let at = p.analysed(std_dot);
        assert_eq!(&tree[at - 4..at], "std.");
        assert_eq!(p.original(at), std_dot);
        assert_eq!(p.original(at + 3), std_dot);
        assert_eq!(p.original(tree.len()), text.len());
    }

    #[test]
    fn half_typed_text_has_a_tree_and_errors() {
        let p = Parsed::parse("local a = {b: 1};\na.");
        assert!(p.root.is_some());
        assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
        assert_eq!(p.errors[0].start, 20);
    }

    #[test]
    fn valid_programs_the_rowan_parser_rejects_have_no_errors() {
        // Unary plus: valid Jsonnet (the conformance suite's precedence test uses it),
        // an error for the rowan parser.
        assert!(!jrsonnet_rowan_parser::parse("+1 + 2").1.is_empty());
        let text = "local x = +1 + 2 * 3;\nx\n";
        let p = Parsed::parse(text);
        assert!(!p.errors.is_empty());
        assert!(p.reported_errors(text).is_empty(), "{:?}", p.errors);
        assert!(p.root.is_some());
        // A real error still shows.
        let text = "local x = 1 + ;\nx\n";
        assert!(!Parsed::parse(text).reported_errors(text).is_empty());
        let text = "import foo";
        assert!(!Parsed::parse(text).reported_errors(text).is_empty());
    }

    #[test]
    fn parser_panics_become_an_error() {
        let p = Parsed::parse("import foo");
        assert!(!p.errors.is_empty());
    }
}
