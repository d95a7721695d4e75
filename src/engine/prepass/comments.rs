//! Block comments that end where go-jsonnet ends them.
//!
//! The Jsonnet spec ends a `/* ... */` comment at the first `*/` after its `/*`.
//! jrsonnet's lexer lets a comment's body hold `*` followed by any character but `/`,
//! so a body ending in a star (`/* x **/`, `/***/`) either runs on to a later `*/`,
//! silently swallowing the code between, or is reported unterminated. Before anything
//! else lexes a file, [`close_as_go`] finds each comment as jrsonnet's lexer sees it
//! and, where go-jsonnet's comment is a different one, blanks the stars inside that
//! comment's body: same length, same lines, and jrsonnet's lexer then closes it at
//! the same `*/`. Code, strings and text blocks are never touched (the lexer tells
//! them apart), and a comment's text is never visible to the program.
//!
//! Contact point: [`super::Prepass::prepare`] calls [`close_as_go`] first.

use jrsonnet_lexer::{Lexer, SyntaxKind::*};

/// The closing marker of a block comment.
const CLOSE: &str = "*/";

/// `text` with every block comment closed at its first `*/`, or `None` when jrsonnet's
/// lexer already ends every comment there (the common case: only text holding `**/`
/// can differ, and nothing else is lexed).
pub fn close_as_go(text: &str) -> Option<String> {
    // Only text holding `**/` can differ.
    memchr::memmem::find(text.as_bytes(), b"**/")?;
    let mut fixed: Option<Vec<u8>> = None;
    let mut from = 0usize;
    'restart: while from < text.len() {
        for lexeme in Lexer::new(&text[from..]) {
            if !matches!(
                lexeme.kind,
                MULTI_LINE_COMMENT | ERROR_COMMENT_UNTERMINATED | ERROR_COMMENT_TOO_SHORT
            ) {
                continue;
            }
            let start = from + lexeme.range.0 as usize;
            let lexed_end = from + lexeme.range.1 as usize;
            let Some(close) = text[start + 2..].find(CLOSE) else {
                // Unterminated for go-jsonnet too: jrsonnet reports it.
                break 'restart;
            };
            let end = start + 2 + close + CLOSE.len();
            if end == lexed_end {
                continue;
            }
            let bytes = fixed.get_or_insert_with(|| text.as_bytes().to_vec());
            for b in &mut bytes[start + 2..end - CLOSE.len()] {
                if *b == b'*' {
                    *b = b' ';
                }
            }
            // Lexing resumes right after the comment: the rest is as the user wrote it.
            from = end;
            continue 'restart;
        }
        break;
    }
    fixed.map(|bytes| String::from_utf8(bytes).expect("only ASCII stars were replaced"))
}

#[cfg(test)]
mod tests {
    use super::close_as_go;

    fn closed(text: &str) -> String {
        close_as_go(text).unwrap_or_else(|| text.to_string())
    }

    #[test]
    fn comments_ending_in_stars_close_at_the_first_marker() {
        assert_eq!(
            closed("{ a: 1, /* x **/ b: 2, /* y */ c: 3 }"),
            "{ a: 1, /* x  */ b: 2, /* y */ c: 3 }"
        );
        assert_eq!(closed("/* a **/ 1"), "/* a  */ 1");
        assert_eq!(
            closed("/******** x ********/ 1"),
            "/        x        */ 1".replacen('/', "/*", 1)
        );
        assert_eq!(closed("/***/ 1"), "/* */ 1");
        assert_eq!(close_as_go("/****/ 1"), None);
    }

    #[test]
    fn leaves_everything_else_alone() {
        for text in [
            "/* a */ 1",
            "/**/ 1",
            "/* a ***/ 1",
            "'/* a **/' + \"**/\"",
            "// x **/\n1",
            "# x **/\n1",
            "|||\n  /* a **/\n|||",
            "@'a **/'",
        ] {
            assert_eq!(close_as_go(text).as_deref().unwrap_or(text), text, "{text}");
        }
    }

    #[test]
    fn unterminated_comments_stay_unterminated() {
        assert_eq!(close_as_go("1 /* a **"), None);
    }
}
