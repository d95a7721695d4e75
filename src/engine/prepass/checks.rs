//! go-jsonnet's static errors that jrsonnet's parser lets through.
//!
//! - An object comprehension whose field name is fixed (`{ x: 1 for i in a }`):
//!   go-jsonnet rejects it at its `for`; jrsonnet would build an object whose one
//!   field is overwritten on every iteration.
//! - An object comprehension whose field is hidden (`{ [k]:: 1 for k in a }`), which
//!   go-jsonnet rejects at its `for` too (before a fixed name).
//! - An import of a text block (`import |||…|||`), rejected at the block.

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

/// Whether the tokens can hold one of these errors: an object comprehension (a `for`
/// directly inside braces) with a field that is not a computed `[e]:` or `[e]+:`
/// one. A cheap test before the file is parsed; the tree decides.
pub fn may_have_error(tokens: &Tokens) -> bool {
    (0..tokens.len()).any(|i| {
        tokens.kind(i) == SyntaxKind::FOR_KW
            && tokens
                .enclosing(i)
                .is_some_and(|open| tokens.kind(open) == SyntaxKind::L_BRACE)
            && !plain_comprehension(tokens, i)
    })
}

/// Whether the members before the `for` at `for_kw` are `local`s and computed fields
/// written `[e]:` or `[e]+:`, which go-jsonnet accepts.
fn plain_comprehension(tokens: &Tokens, for_kw: usize) -> bool {
    use SyntaxKind::*;
    let Some(open) = tokens.enclosing(for_kw) else {
        return false;
    };
    let mut first = open + 1;
    while first < for_kw {
        let end = (first..for_kw)
            .find(|&i| tokens.kind(i) == COMMA && tokens.enclosing(i) == Some(open))
            .unwrap_or(for_kw);
        let fine = match tokens.kind(first) {
            LOCAL_KW => true,
            L_BRACK => tokens.partner(first).is_some_and(|close| {
                let colon = if tokens.kind(close + 1) == PLUS {
                    close + 2
                } else {
                    close + 1
                };
                tokens.kind(colon) == COLON && tokens.kind(colon + 1) != COLON
            }),
            _ => first == end,
        };
        if !fine {
            return false;
        }
        first = end + 1;
    }
    true
}

/// go's message for an import of a text block.
pub const BLOCK_IMPORT: &str = "Block string literals not allowed in imports";

/// The byte range of the first text block imported (`import`, `importstr` or
/// `importbin` directly before it), if any.
pub fn block_import(tokens: &Tokens) -> Option<(u32, u32)> {
    use SyntaxKind::*;
    (1..tokens.len())
        .find(|&i| {
            tokens.kind(i) == STRING_BLOCK
                && matches!(tokens.kind(i - 1), IMPORT_KW | IMPORTSTR_KW | IMPORTBIN_KW)
        })
        .map(|i| tokens.span(i))
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

#[cfg(test)]
mod tests {
    use super::{block_import, may_have_error, Tokens};

    #[test]
    fn imported_text_blocks_are_found() {
        let text = "local a = importstr |||\n  x\n|||; [a, |||\n  y\n|||]";
        let (b, e) = block_import(&Tokens::lex(text)).unwrap();
        assert_eq!(&text[b as usize..e as usize], "|||\n  x\n|||");
        assert_eq!(
            block_import(&Tokens::lex("[import 'a', |||\n  y\n|||]")),
            None
        );
    }

    #[test]
    fn only_unusual_object_comprehensions_are_parsed() {
        let may = |text: &str| may_have_error(&Tokens::lex(text));
        for plain in [
            "{ [k]: 1 for k in a }",
            "{ local x = 1, [k]+: x, for k in a if k != 'b' }",
            "{ [k]: v for x in a for k in x }",
            "[x for x in a] + { a: [y for y in b], b: { c: 1 } }",
            "{ [k]: { a: 1 } for k in [j for j in a] }",
        ] {
            assert!(!may(plain), "{plain}");
        }
        for unusual in [
            "{ x: 1 for k in a }",
            "{ 'x': 1 for k in a }",
            "{ [k]:: 1 for k in a }",
            "{ [k]::: 1 for k in a }",
            "{ [k]+:: 1 for k in a }",
            "{ [k](x): x for k in a }",
            "{ a: { local y = 1, z: y for k in a } }",
        ] {
            assert!(may(unusual), "{unusual}");
        }
    }
}
