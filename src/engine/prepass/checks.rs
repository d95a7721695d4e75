//! go-jsonnet's static errors that jrsonnet's parser lets through.
//!
//! - An object comprehension whose field name is fixed (`{ x: 1 for i in a }`):
//!   go-jsonnet rejects it at its `for`; jrsonnet would build an object whose one
//!   field is overwritten on every iteration.
//! - An object comprehension whose field is hidden (`{ [k]:: 1 for k in a }`), which
//!   go-jsonnet rejects at its `for` too (before a fixed name).

use jrsonnet_ir::{
    visit::{visit_expr, Visitor},
    Expr, FieldName, ObjBody, Visibility,
};
use jrsonnet_lexer::SyntaxKind;

use super::tokens::Tokens;

/// A static error: its message and the byte range it points at.
pub struct StaticError {
    /// What is wrong, in go-jsonnet's words.
    pub message: &'static str,
    /// Byte offsets `(start, end)` of the offending text.
    pub range: (u32, u32),
}

/// Whether the tokens hold an object comprehension at all (a `for` directly inside
/// braces): a cheap test before the file is parsed.
pub fn has_object_comprehension(tokens: &Tokens) -> bool {
    (0..tokens.len()).any(|i| {
        tokens.kind(i) == SyntaxKind::FOR_KW
            && tokens
                .enclosing(i)
                .is_some_and(|open| tokens.kind(open) == SyntaxKind::L_BRACE)
    })
}

/// The first static error of the file, if any.
pub fn first_error(expr: &Expr, tokens: &Tokens) -> Option<StaticError> {
    let mut finder = Finder {
        tokens,
        found: None,
    };
    finder.visit_expr(expr);
    finder.found
}

struct Finder<'a> {
    tokens: &'a Tokens,
    found: Option<StaticError>,
}

impl Finder<'_> {
    /// The `for` that follows the field named at `name_start`, in the same braces.
    fn comprehension_for(&self, name_start: u32) -> Option<(u32, u32)> {
        let name = self.tokens.starting_at(name_start)?;
        let braces = self.tokens.enclosing(name)?;
        (name..self.tokens.len())
            .find(|&i| {
                self.tokens.kind(i) == SyntaxKind::FOR_KW
                    && self.tokens.enclosing(i) == Some(braces)
            })
            .map(|i| self.tokens.span(i))
    }
}

impl Visitor for Finder<'_> {
    fn visit_expr(&mut self, e: &Expr) {
        if self.found.is_some() {
            return;
        }
        if let Expr::Obj(ObjBody::ObjComp(comp)) | Expr::ObjExtend(_, ObjBody::ObjComp(comp)) = e {
            let message = if comp.field.visibility != Visibility::Normal {
                Some("Object comprehensions cannot have hidden fields")
            } else if let FieldName::Fixed(_) = &comp.field.name.value {
                Some("Object comprehensions can only have [e] fields")
            } else {
                None
            };
            if let Some(message) = message {
                let name = &comp.field.name.span;
                self.found = Some(StaticError {
                    message,
                    range: self.comprehension_for(name.1).unwrap_or((name.1, name.2)),
                });
                return;
            }
        }
        visit_expr(self, e);
    }
}
