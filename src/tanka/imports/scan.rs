//! The import sites of one Jsonnet file: every `import`, `importstr` and `importbin`
//! followed by a string literal, read with jrsonnet's own lexer (so an `import` inside
//! a string or a comment is no import). Jsonnet allows nothing but a literal after the
//! keyword, so this is the file's whole static import list.
//!
//! Only what is needed is lexed: a file without the word `import` is not lexed at
//! all, and lexing stops after the last place the word occurs.
//!
//! Contact point: [`super::graph`] scans each file the first time an `import` reaches it.

use jrsonnet_lexer::{Lexeme, Lexer, SyntaxKind::*};

/// Which keyword imports the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportKind {
    /// `import`: the file is Jsonnet and its own imports count.
    Import,
    /// `importstr`: the file's text, nothing it names.
    ImportStr,
    /// `importbin`: the file's bytes, nothing it names.
    ImportBin,
}

impl ImportKind {
    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            Self::Import => "import",
            Self::ImportStr => "importstr",
            Self::ImportBin => "importbin",
        }
    }
}

/// One import in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSite {
    /// The keyword.
    pub kind: ImportKind,
    /// The path as the literal spells it, escapes decoded.
    pub path: String,
    /// The byte offset of the keyword in the file.
    pub offset: u32,
}

/// The import sites of `text`, in source order. Literals that do not decode (a bad
/// escape) and text blocks, which Jsonnet refuses as import paths, are left out: the
/// evaluation reports them.
pub fn scan(text: &str) -> Vec<ImportSite> {
    let Some(last) = memchr::memmem::rfind(text.as_bytes(), b"import") else {
        return Vec::new();
    };
    let mut tokens = Lexer::new(text).filter(|l| {
        !matches!(
            l.kind,
            WHITESPACE | SINGLE_LINE_SLASH_COMMENT | SINGLE_LINE_HASH_COMMENT | MULTI_LINE_COMMENT
        )
    });
    let mut sites = Vec::new();
    while let Some(token) = tokens.next() {
        if token.range.0 as usize > last {
            break;
        }
        let kind = match token.kind {
            IMPORT_KW => ImportKind::Import,
            IMPORTSTR_KW => ImportKind::ImportStr,
            IMPORTBIN_KW => ImportKind::ImportBin,
            _ => continue,
        };
        let Some(literal) = tokens.next() else { break };
        if let Some(path) = string_value(&literal) {
            sites.push(ImportSite {
                kind,
                path,
                offset: token.range.0,
            });
        }
    }
    sites
}

/// The value of a string literal token (`None` for other tokens and bad escapes).
fn string_value(token: &Lexeme<'_>) -> Option<String> {
    let text = token.text;
    match token.kind {
        STRING_DOUBLE | STRING_SINGLE if text.len() >= 2 => {
            jrsonnet_ir::unescape::unescape(&text[1..text.len() - 1])
        }
        STRING_DOUBLE_VERBATIM if text.len() >= 3 => {
            Some(text[2..text.len() - 1].replace("\"\"", "\""))
        }
        STRING_SINGLE_VERBATIM if text.len() >= 3 => {
            Some(text[2..text.len() - 1].replace("''", "'"))
        }
        _ => None,
    }
}

/// The 1-based line and column (in characters) of byte `offset` of `text`.
pub fn line_col(text: &str, offset: u32) -> (usize, usize) {
    let before = &text[..(offset as usize).min(text.len())];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(text: &str) -> Vec<(ImportKind, String)> {
        scan(text).into_iter().map(|s| (s.kind, s.path)).collect()
    }

    #[test]
    fn every_keyword_with_a_literal() {
        let text = "local a = import 'a.libsonnet';\n{ b: importstr \"b.txt\", c: importbin @'c''s.bin', d: (import @\"d\"\"q\") }";
        assert_eq!(
            paths(text),
            [
                (ImportKind::Import, "a.libsonnet".to_owned()),
                (ImportKind::ImportStr, "b.txt".to_owned()),
                (ImportKind::ImportBin, "c's.bin".to_owned()),
                (ImportKind::Import, "d\"q".to_owned()),
            ]
        );
    }

    #[test]
    fn strings_and_comments_are_no_imports() {
        let text = "// import 'x'\n/* import 'y' */ # import 'z'\n{ s: \"import 'w'\", t: |||\n  import 'v'\n|||, u: import 'u\\u0041' }";
        assert_eq!(paths(text), [(ImportKind::Import, "uA".to_owned())]);
        assert!(scan("{ a: 1 }").is_empty());
        assert!(scan("{ importer: 1 }").is_empty());
    }

    #[test]
    fn stops_at_the_last_mention_and_reports_positions() {
        let text = "{\n  a: import 'a',\n  b: [1, 2, 3],\n}";
        let sites = scan(text);
        assert_eq!(sites.len(), 1);
        assert_eq!(line_col(text, sites[0].offset), (2, 6));
        // A keyword at the very end without its literal.
        assert!(scan("import").is_empty());
    }
}
