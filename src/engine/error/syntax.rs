//! go-jsonnet's parser words and places for syntax errors jrsonnet's parser describes
//! in its own: a missing comma between fields, array elements or call arguments, a
//! stray token after the program (`Did not expect: (NUMBER, "42")`), an early end of
//! file (placed at the end, as go's lexer has it), an unterminated string or text
//! block (placed at its first character), object comprehensions with asserts or
//! without a field (placed at their `for`), and `$`/`self`/`super` outside an object
//! (placed at the keyword), `+:` in a method (placed at its name), a computed import (placed at its path), and escape sequences go rejects in a string
//! ([`string_escape_error`]). The brackets around the error are read from the
//! file's tokens ([`Tokens`]).
//!
//! Contact points: [`super::convert`] asks [`go_syntax_error`] for every parse error
//! and [`outside_object`] for the static analysis' findings without a place.

use jrsonnet_lexer::SyntaxKind::{self, *};

use crate::engine::prepass::tokens::Tokens;

/// go's message and place (byte offsets) for jrsonnet's parse error `message` at
/// `span` in `code`; `None` when go words it as jrsonnet does (or differently in a way
/// not known here).
pub fn go_syntax_error(
    code: &str,
    message: &str,
    span: (u32, u32),
) -> Option<(String, (u32, u32))> {
    let eof = (code.len() as u32, code.len() as u32);
    // go places an early end of file at the end, and the lexer's errors in a string
    // or text block at its first character.
    match message {
        "unexpected end of file" => return Some(("Unexpected end of file".to_owned(), eof)),
        "unexpected end of text block" => {
            let text = if code.ends_with('\n') {
                "Text block not terminated with |||"
            } else {
                "Unexpected EOF"
            };
            return Some((text.to_owned(), (span.0, span.0)));
        }
        "unterminated double-quoted string"
        | "unterminated single-quoted string"
        | "unterminated text block"
        | "text block requires new line after |||" => {
            return Some((super::messages::static_text(message), (span.0, span.0)));
        }
        _ => {}
    }
    if let Some(expected) = message
        .strip_prefix("expected ")
        .and_then(|m| m.strip_suffix(", got end of file"))
    {
        let text = match expected {
            "';'" => "Expected , or ; but got end of file",
            "')'" if unclosed_call(code) => {
                "Expected a comma before next function argument, got end of file"
            }
            _ => return None,
        };
        return Some((text.to_owned(), eof));
    }
    if let Some(got) = message.strip_prefix("expected end of file, got ") {
        let (kind, value) = got.split_once(' ')?;
        let kind = match kind {
            "identifier" => "IDENTIFIER",
            "number" => "NUMBER",
            _ => return None,
        };
        return Some((format!("Did not expect: ({kind}, {value})"), span));
    }
    let tokens = Tokens::lex(code);
    let at = tokens.starting_at(span.0);
    let inside = |open: SyntaxKind| {
        at.and_then(|i| tokens.enclosing(i))
            .filter(|&b| tokens.kind(b) == open)
    };
    // `{ f(x)+: … }`: go rejects the `+:` of a method at the field's name (for a
    // computed name, at its `[`).
    if message == "expected ':', got '+'" {
        let close = at?.checked_sub(1).filter(|&i| tokens.kind(i) == R_PAREN)?;
        let mut name = tokens.partner(close)?.checked_sub(1)?;
        if tokens.kind(name) == R_BRACK {
            name = tokens.partner(name)?;
        }
        let (b, e) = tokens.span(name);
        let text = code.get(b as usize..e as usize)?;
        let shown = match tokens.kind(name) {
            STRING_DOUBLE | STRING_SINGLE => text.get(1..text.len() - 1)?,
            _ => text,
        };
        return Some((
            format!("Cannot use +: syntax sugar in a method: {shown}"),
            (b, e),
        ));
    }
    if message.starts_with("expected ']', got ") {
        let open = inside(L_BRACK)?;
        // An index (`a[1 2]`) is not an array.
        let is_index = open.checked_sub(1).is_some_and(|b| tokens.ends_operand(b));
        return (!is_index).then(|| {
            (
                "Expected a comma before next array element".to_owned(),
                span,
            )
        });
    }
    if message.starts_with("expected '}', got ") {
        inside(L_BRACE)?;
        return Some(("Expected a comma before next field".to_owned(), span));
    }
    let comprehension = match message {
        "asserts are unsupported in object comprehension" => {
            "Object comprehension cannot have asserts"
        }
        "missing object comprehension field" => "Object comprehension can only have one field",
        _ => return None,
    };
    // go points at the comprehension's `for`, jrsonnet at its closing brace.
    let close = at?;
    let open = tokens.partner(close)?;
    let for_kw = (open + 1..close)
        .find(|&i| tokens.kind(i) == FOR_KW && tokens.enclosing(i) == Some(open))?;
    Some((comprehension.to_owned(), tokens.span(for_kw)))
}

/// go's message for the first escape sequence of the quoted string `token` (`"…"` or
/// `'…'`) that go-jsonnet 0.22's `StringUnescape` rejects; `None` when it accepts
/// them all. go quotes the first four bytes of the string, not the sequence, in its
/// "malformed" messages.
pub fn string_escape_error(token: &str) -> Option<String> {
    let s = token.get(1..token.len().checked_sub(1)?)?;
    let bytes = s.as_bytes();
    let first_four = || String::from_utf8_lossy(&bytes[..4.min(bytes.len())]).into_owned();
    let hex = |at: usize| {
        s.get(at..at + 4)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .map(|h| u32::from_str_radix(h, 16).expect("four hex digits"))
    };
    let mut chars = s.char_indices();
    while let Some((_, c)) = chars.next() {
        if c != '\\' {
            continue;
        }
        let Some((at, escaped)) = chars.next() else {
            return Some("Truncated escape sequence in string literal.".into());
        };
        match escaped {
            '"' | '\'' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't' => {}
            'u' => {
                let digits = at + 1;
                if digits + 4 > s.len() {
                    return Some("Truncated unicode escape sequence in string literal.".into());
                }
                let Some(code) = hex(digits) else {
                    return Some(format!(
                        "Unicode escape sequence was malformed: {}",
                        first_four()
                    ));
                };
                let mut next = digits + 4;
                if (0xD800..0xE000).contains(&code) {
                    if next + 6 > s.len() {
                        return Some(
                            "Truncated unicode surrogate pair escape sequence in string literal."
                                .into(),
                        );
                    }
                    if &s[next..next + 2] != "\\u" {
                        return Some(
                            "Unicode surrogate pair escape sequence missing low surrogate in string literal."
                                .into(),
                        );
                    }
                    if hex(next + 2).is_none() {
                        return Some(format!(
                            "Unicode low surrogate escape sequence was malformed: {}",
                            first_four()
                        ));
                    }
                    next += 6;
                }
                // Past the digits (ASCII): resume after them.
                while chars.clone().next().is_some_and(|(i, _)| i < next) {
                    chars.next();
                }
            }
            other => {
                return Some(format!(
                    "Unknown escape sequence in string literal: \\{other}"
                ))
            }
        }
    }
    None
}

/// The place go gives a computed import (the static analysis' finding at the `import`
/// keyword at `keyword`): its path expression.
pub fn computed_import(code: &str, keyword: (u32, u32)) -> Option<(u32, u32)> {
    let tokens = Tokens::lex(code);
    let first = tokens.starting_at(keyword.0)? + 1;
    let last = operand_last(&tokens, first)?;
    Some((tokens.span(first).0, tokens.span(last).1))
}

/// The last token of the expression starting at token `first`: up to a `,`, `;`, `:`,
/// a closing bracket, `then`/`else` or the end, brackets inside it skipped whole.
fn operand_last(tokens: &Tokens, first: usize) -> Option<usize> {
    let mut i = first;
    let mut last = None;
    while i < tokens.len() {
        match tokens.kind(i) {
            COMMA | SEMI | COLON | R_PAREN | R_BRACK | R_BRACE | THEN_KW | ELSE_KW | EOF => break,
            L_PAREN | L_BRACK | L_BRACE => i = tokens.partner(i)?,
            _ => {}
        }
        last = Some(i);
        i += 1;
    }
    last
}

/// Whether the last bracket left open in `code` is a call's `(`.
fn unclosed_call(code: &str) -> bool {
    let tokens = Tokens::lex(code);
    let Some(last) = tokens.len().checked_sub(1) else {
        return false;
    };
    let open = if matches!(tokens.kind(last), L_PAREN | L_BRACK | L_BRACE) {
        Some(last)
    } else {
        tokens.enclosing(last)
    };
    open.is_some_and(|o| {
        tokens.kind(o) == L_PAREN && o.checked_sub(1).is_some_and(|b| tokens.ends_operand(b))
    })
}

/// The place of the first `keyword` token (`$`, `self` or `super`) outside every
/// object of `code`, for the static analysis' findings, which have none; `e in super`
/// from `e` on, as go has it.
pub fn outside_object(code: &str, keyword: SyntaxKind) -> Option<(u32, u32)> {
    let tokens = Tokens::lex(code);
    let at = (0..tokens.len())
        .filter(|&i| tokens.kind(i) == keyword)
        .find(|&i| {
            let mut b = tokens.enclosing(i);
            while let Some(open) = b {
                if tokens.kind(open) == L_BRACE {
                    return false;
                }
                b = tokens.enclosing(open);
            }
            true
        })?;
    let begin = match at.checked_sub(1) {
        Some(op) if keyword == SUPER_KW && tokens.kind(op) == IN_KW => {
            tokens.span(tokens.postfix_start(op)?).0
        }
        _ => tokens.span(at).0,
    };
    Some((begin, tokens.span(at).1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn go(code: &str, message: &str, at: &str) -> Option<(String, String)> {
        let b = code.find(at).unwrap_or(code.len()) as u32;
        let (text, (s, e)) = go_syntax_error(code, message, (b, b + at.len() as u32))?;
        Some((text, code[s as usize..e as usize].to_owned()))
    }

    #[test]
    fn missing_commas_in_go_words() {
        assert_eq!(
            go("{x:1, y:1 z:1}", "expected '}', got identifier \"z\"", "z"),
            Some(("Expected a comma before next field".into(), "z".into()))
        );
        assert_eq!(
            go("[1, 2 3]", "expected ']', got number \"3\"", "3"),
            Some((
                "Expected a comma before next array element".into(),
                "3".into()
            ))
        );
        assert_eq!(go("a[1 2]", "expected ']', got number \"2\"", "2"), None);
        assert_eq!(
            go("f(1, 2", "expected ')', got end of file", ""),
            Some((
                "Expected a comma before next function argument, got end of file".into(),
                String::new()
            ))
        );
        assert_eq!(go("(1 + 2", "expected ')', got end of file", ""), None);
    }

    #[test]
    fn plus_sugar_in_a_method_at_its_name() {
        assert_eq!(
            go("{ a : 2 } + { a()+:: 1 }", "expected ':', got '+'", "+:"),
            Some((
                "Cannot use +: syntax sugar in a method: a".into(),
                "a".into()
            ))
        );
        assert_eq!(
            go("{ 'b c'(x)+: 1 }", "expected ':', got '+'", "+"),
            Some((
                "Cannot use +: syntax sugar in a method: b c".into(),
                "'b c'".into()
            ))
        );
        assert_eq!(go("{ a: b +: 1 }", "expected ':', got '+'", "+"), None);
    }

    #[test]
    fn computed_imports_at_the_path() {
        let code = "local a = import 'x' + f(1, 2); a";
        let (b, e) = computed_import(code, (10, 16)).unwrap();
        assert_eq!(&code[b as usize..e as usize], "'x' + f(1, 2)");
    }

    #[test]
    fn escapes_go_rejects() {
        let e = |t: &str| string_escape_error(t);
        assert_eq!(
            e(r#""a\o""#).as_deref(),
            Some(r"Unknown escape sequence in string literal: \o")
        );
        assert_eq!(
            e(r#""ab\u000t""#).as_deref(),
            Some(r"Unicode escape sequence was malformed: ab\u")
        );
        assert_eq!(
            e(r#"'\u33'"#).as_deref(),
            Some("Truncated unicode escape sequence in string literal.")
        );
        assert_eq!(
            e(r#""\ud83dxxxxxx""#).as_deref(),
            Some("Unicode surrogate pair escape sequence missing low surrogate in string literal.")
        );
        assert_eq!(
            e(r#""\ud83d\uzzzz""#).as_deref(),
            Some(r"Unicode low surrogate escape sequence was malformed: \ud8")
        );
        assert_eq!(e(r#""\u00e9\ud83d\ude00 \n\"\/""#), None);
    }

    #[test]
    fn stray_tokens_and_comprehensions() {
        assert_eq!(
            go("042", "expected end of file, got number \"42\"", "42"),
            Some(("Did not expect: (NUMBER, \"42\")".into(), "42".into()))
        );
        let code = "{ assert self.x == 5, [\"x\"]: 5 for i in [42] }";
        assert_eq!(
            go(code, "asserts are unsupported in object comprehension", "}"),
            Some((
                "Object comprehension cannot have asserts".into(),
                "for".into()
            ))
        );
        let at = outside_object("[self, {a: self}]", SELF_KW).unwrap();
        assert_eq!(at, (1, 5));
        assert_eq!(outside_object("\"x\" in super", SUPER_KW), Some((0, 12)));
        assert_eq!(
            go("|||\n  a", "unexpected end of text block", "|||\n  a"),
            Some(("Unexpected EOF".into(), String::new()))
        );
        assert_eq!(outside_object("{a: $}", DOLLAR), None);
    }
}
