//! A file's tokens from jrsonnet's own lexer, trivia dropped, brackets paired: the
//! positions the syntax tree does not keep (where a call's callee starts, where an
//! object comprehension's `for` is) are read here.

use jrsonnet_lexer::{Lexer, SyntaxKind, SyntaxKind::*};

/// The significant tokens of one file.
pub struct Tokens {
    kinds: Vec<SyntaxKind>,
    spans: Vec<(u32, u32)>,
    /// For a bracket, the index of its partner; `usize::MAX` otherwise or when unpaired.
    partner: Vec<usize>,
    /// For every token, the index of the bracket it is directly inside (`usize::MAX`
    /// at the top level).
    enclosing: Vec<usize>,
}

const NONE: usize = usize::MAX;

/// Whether a token of `kind` is a whole primary expression by itself: a name, a
/// literal, `self` or `$`.
pub fn is_atom(kind: SyntaxKind) -> bool {
    matches!(
        kind,
        IDENT
            | NULL_KW
            | TRUE_KW
            | FALSE_KW
            | SELF_KW
            | DOLLAR
            | FLOAT
            | STRING_DOUBLE
            | STRING_SINGLE
            | STRING_DOUBLE_VERBATIM
            | STRING_SINGLE_VERBATIM
            | STRING_BLOCK
    )
}

impl Tokens {
    /// Lexes `text`; whitespace and comments are left out.
    pub fn lex(text: &str) -> Self {
        // Real code has about one token per 8 to 14 bytes: reserving for 8 avoids
        // the regrowth, which cost a tenth of the lexing.
        let capacity = text.len() / 8;
        let mut tokens = Self {
            kinds: Vec::with_capacity(capacity),
            spans: Vec::with_capacity(capacity),
            partner: Vec::with_capacity(capacity),
            enclosing: Vec::with_capacity(capacity),
        };
        let mut open: Vec<usize> = Vec::new();
        for lexeme in Lexer::new(text) {
            let kind = lexeme.kind;
            if matches!(
                kind,
                WHITESPACE
                    | SINGLE_LINE_SLASH_COMMENT
                    | SINGLE_LINE_HASH_COMMENT
                    | MULTI_LINE_COMMENT
            ) {
                continue;
            }
            let index = tokens.kinds.len();
            tokens.kinds.push(kind);
            tokens.spans.push((lexeme.range.0, lexeme.range.1));
            tokens.partner.push(NONE);
            match kind {
                L_PAREN | L_BRACK | L_BRACE => {
                    tokens.enclosing.push(open.last().copied().unwrap_or(NONE));
                    open.push(index);
                }
                R_PAREN | R_BRACK | R_BRACE => {
                    let opener = open.pop().unwrap_or(NONE);
                    if opener != NONE {
                        tokens.partner[opener] = index;
                        tokens.partner[index] = opener;
                    }
                    tokens.enclosing.push(open.last().copied().unwrap_or(NONE));
                }
                _ => tokens.enclosing.push(open.last().copied().unwrap_or(NONE)),
            }
        }
        tokens
    }

    /// The number of tokens.
    pub fn len(&self) -> usize {
        self.kinds.len()
    }

    /// The kind of token `i`; `EOF` past the last token, so a walk over a truncated
    /// file stops instead of indexing out of bounds.
    pub fn kind(&self, i: usize) -> SyntaxKind {
        self.kinds.get(i).copied().unwrap_or(EOF)
    }

    /// Byte offsets `(start, end)` of token `i`.
    pub fn span(&self, i: usize) -> (u32, u32) {
        self.spans[i]
    }

    /// The index of the bracket token `i` is directly inside, if any.
    pub fn enclosing(&self, i: usize) -> Option<usize> {
        Some(self.enclosing[i]).filter(|e| *e != NONE)
    }

    /// The index of the token starting at byte `offset`, if one does.
    pub fn starting_at(&self, offset: u32) -> Option<usize> {
        self.spans.binary_search_by_key(&offset, |s| s.0).ok()
    }

    /// The index of the token ending at byte `offset`, if one does.
    pub fn ending_at(&self, offset: u32) -> Option<usize> {
        self.spans.binary_search_by_key(&offset, |s| s.1).ok()
    }

    /// For a bracket token, the index of its partner.
    pub fn partner(&self, i: usize) -> Option<usize> {
        Some(self.partner[i]).filter(|p| *p != NONE)
    }

    /// Whether an operand can end with token `i`, so that a bracket after it is a
    /// call, an index or an object extension rather than a new expression.
    pub fn ends_operand(&self, i: usize) -> bool {
        match self.kinds[i] {
            kind if is_atom(kind) => true,
            R_BRACK | R_BRACE | TAILSTRICT_KW => true,
            // `)` closing a function's parameters is followed by its body, not a call.
            R_PAREN => self
                .partner(i)
                .and_then(|open| open.checked_sub(1))
                .is_none_or(|before| self.kinds[before] != FUNCTION_KW),
            _ => false,
        }
    }

    /// The first token of the postfix expression (a primary followed by `.f`, `[i]`,
    /// `(args)` and `{...}` parts) that ends just before token `next`: for the `(` of
    /// a call, where its callee starts. `None` when the tokens do not have that shape.
    pub fn postfix_start(&self, next: usize) -> Option<usize> {
        let mut next = next;
        loop {
            let last = next.checked_sub(1)?;
            match self.kinds[last] {
                R_PAREN | R_BRACK | R_BRACE => {
                    let open = self.partner(last)?;
                    match open.checked_sub(1) {
                        Some(before) if self.ends_operand(before) => next = open,
                        _ => return Some(open),
                    }
                }
                kind if is_atom(kind) => match last.checked_sub(1) {
                    Some(dot) if self.kinds[dot] == DOT => next = dot,
                    _ => return Some(last),
                },
                SUPER_KW => return Some(last),
                // `f(x) tailstrict`: the call continues before the keyword.
                TAILSTRICT_KW => next = last,
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Tokens;

    /// The text from where the callee of the call whose `(` is at `paren` starts.
    fn callee(text: &str, paren: &str) -> String {
        let tokens = Tokens::lex(text);
        let at = text.find(paren).unwrap() as u32;
        let open = tokens.starting_at(at).unwrap();
        let start = tokens.postfix_start(open).unwrap();
        text[tokens.span(start).0 as usize..at as usize].to_string()
    }

    #[test]
    fn finds_where_a_callee_starts() {
        assert_eq!(callee("x + f(1)", "(1)"), "f");
        assert_eq!(callee("a.b[c](1)", "(1)"), "a.b[c]");
        assert_eq!(
            callee("if c then self.f /* c */ .g (1)", "(1)"),
            "self.f /* c */ .g "
        );
        assert_eq!(callee("else (function(x) x)(1)", "(1)"), "(function(x) x)");
        assert_eq!(callee("function(x) (g)(1)", "(1)"), "(g)");
        assert_eq!(callee("super.f(1)", "(1)"), "super.f");
        assert_eq!(callee("$.f(1)", "(1)"), "$.f");
        assert_eq!(callee("g(0)(1)", "(1)"), "g(0)");
        assert_eq!(callee("a { b: 1 }.c(1)", "(1)"), "a { b: 1 }.c");
        assert_eq!(callee("[f][0](1)", "(1)"), "[f][0]");
    }

    #[test]
    fn pairs_brackets_and_skips_trivia() {
        let tokens = Tokens::lex("{ a: [1, (2)] } // (");
        assert_eq!(tokens.len(), 11);
        assert_eq!(tokens.enclosing(3), Some(0));
        assert_eq!(tokens.enclosing(7), Some(6));
        assert_eq!(tokens.ending_at(15), Some(10));
    }
}
