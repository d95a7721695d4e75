//! Parsing with the error-recovering `jrsonnet-rowan-parser`: a tree for any text (a
//! half-typed `x.` still has its `x`), and the syntax errors with their byte ranges.
//!
//! The parser asserts on a few inputs it does not recover from (an `import` not
//! followed by a string); that panic is caught here and becomes one syntax error, so
//! the file simply has no tree until it is fixed.
//! Contact points: [`super::documents`] parses every text it holds;
//! [`super::analysis`] reads the tree; [`super::diagnostics`] reports the errors.

use jrsonnet_rowan_parser::{nodes::SourceFile, AstNode, SyntaxNode};

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
    /// The syntax errors, in text order.
    pub errors: Vec<SyntaxError>,
}

impl Parsed {
    /// Parses `text` (never panics).
    pub fn parse(text: &str) -> Self {
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
            },
        }
    }

    /// The root expression's node, if any.
    pub fn source_file(&self) -> Option<SourceFile> {
        self.root.clone().and_then(SourceFile::cast)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_typed_text_has_a_tree_and_errors() {
        let p = Parsed::parse("local a = {b: 1};\na.");
        assert!(p.root.is_some());
        assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
        assert_eq!(p.errors[0].start, 20);
    }

    #[test]
    fn parser_panics_become_an_error() {
        let p = Parsed::parse("import foo");
        assert!(!p.errors.is_empty());
    }
}
