//! `importstr` and `importbin` always read a file's bytes as written.
//!
//! jrsonnet keeps one text per resolved file for `import`, `importstr` and
//! `importbin` alike, and that text is what the prepass made of a `.jsonnet` or
//! `.libsonnet` file. So the prepass marks the path literal of every `importstr` and
//! `importbin` with a leading [`MARK`] (a NUL, which no file name holds); the import
//! resolver strips it, resolves the path as usual and hands back a distinct source
//! ([`crate::engine`]'s raw file) whose contents skip the prepass. The mark is inserted
//! text, so error locations map back to the file as written.
//!
//! Contact points: [`super::Prepass::prepare`] calls [`marks`]; the resolver calls
//! [`strip_mark`].

use jrsonnet_lexer::SyntaxKind::*;

use super::tokens::Tokens;

/// The character put in front of a raw import's path.
pub const MARK: &str = "\0";

/// A cheap textual test before lexing: can the text hold a raw import at all?
pub fn mentioned(text: &str) -> bool {
    memchr::memmem::find_iter(text.as_bytes(), b"import")
        .any(|at| matches!(text.as_bytes().get(at + 6..at + 9), Some(b"str" | b"bin")))
}

/// The byte offsets, just inside the opening quote, of each `importstr`/`importbin`
/// path literal (text blocks are left alone: jrsonnet rejects them as paths).
pub fn marks(tokens: &Tokens) -> Vec<u32> {
    (0..tokens.len())
        .filter(|&i| matches!(tokens.kind(i), IMPORTSTR_KW | IMPORTBIN_KW))
        .filter_map(|i| {
            let quote = match tokens.kind(i + 1) {
                STRING_SINGLE | STRING_DOUBLE => 1,
                STRING_SINGLE_VERBATIM | STRING_DOUBLE_VERBATIM => 2,
                _ => return None,
            };
            Some(tokens.span(i + 1).0 + quote)
        })
        .collect()
}

/// The path of a marked raw import without its mark; `None` for any other path.
pub fn strip_mark(path: &str) -> Option<&str> {
    path.strip_prefix(MARK)
}

#[cfg(test)]
mod tests {
    use super::{marks, Tokens};

    #[test]
    fn marks_the_path_of_every_raw_import() {
        let text = "[importstr 'a', importbin \"b\", import 'c', importstr @'d', (importstr 'e')]";
        let at: Vec<usize> = marks(&Tokens::lex(text))
            .into_iter()
            .map(|o| o as usize)
            .collect();
        let expected: Vec<usize> = ["'a'", "\"b\"", "@'d'", "'e'"]
            .iter()
            .map(|lit| text.find(lit).unwrap() + lit.len() - 2)
            .collect();
        assert_eq!(at, expected);
    }
}
