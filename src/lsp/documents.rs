//! The texts the editor has open, with their parse trees, and the conversion between
//! LSP positions (line and UTF-16 column) and byte offsets.
//!
//! Contact points: [`super::server`] keeps a [`Documents`] updated from
//! `didOpen`/`didChange`/`didClose`; every feature reads a [`Document`] through it.
//! A request for a file that is not open reads the file from disk (or answers with
//! nothing when there is none).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use lsp_types::{Position, Range, Uri};

use super::syntax::Parsed;

/// Byte offsets of line starts, to convert positions both ways.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// The index of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self { starts }
    }

    /// The byte offset of `pos` in `text`, clamped to the end of its line and of the
    /// text (an out-of-range position is the nearest one inside).
    pub fn offset(&self, text: &str, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return text.len();
        };
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .map_or(text.len(), |e| e - 1);
        let mut units = 0u32;
        for (i, c) in text[start..end].char_indices() {
            if units >= pos.character {
                return start + i;
            }
            units += c.len_utf16() as u32;
        }
        end
    }

    /// The position of byte `offset` of `text`.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let col: usize = text
            .get(start..offset)
            .map_or(0, |s| s.chars().map(char::len_utf16).sum());
        Position::new(line as u32, col as u32)
    }

    /// The range of bytes `start..end` of `text`.
    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range::new(self.position(text, start), self.position(text, end))
    }
}

/// One text and its parse.
pub struct Document {
    /// The file's path, when the URI is a `file:` URI.
    pub path: Option<PathBuf>,
    /// The current text.
    pub text: String,
    /// Its line starts.
    pub lines: LineIndex,
    /// Its parse tree (see [`super::syntax`] for the placeholders in it) and syntax
    /// errors, made on first use: of a burst of changes only the text the next
    /// request or diagnostics read is parsed.
    parsed: std::cell::OnceCell<Parsed>,
}

impl Document {
    /// The document of `text` (parsed when first asked).
    pub fn new(path: Option<PathBuf>, text: String) -> Self {
        Self {
            path,
            lines: LineIndex::new(&text),
            text,
            parsed: std::cell::OnceCell::new(),
        }
    }

    /// The parse of the text.
    pub fn parsed(&self) -> &Parsed {
        self.parsed.get_or_init(|| Parsed::parse(&self.text))
    }

    /// The offset in the analysed tree of `pos` ([`Parsed::analysed`]).
    pub fn offset(&self, pos: Position) -> usize {
        self.parsed().analysed(self.lines.offset(&self.text, pos))
    }

    /// The range of bytes `start..end` of the analysed tree, in the text as typed.
    pub fn range(&self, start: usize, end: usize) -> Range {
        self.lines.range(
            &self.text,
            self.parsed().original(start),
            self.parsed().original(end),
        )
    }
}

/// The open documents by URI.
#[derive(Default)]
pub struct Documents {
    open: HashMap<String, (Rc<Document>, i32)>,
}

impl Documents {
    /// Opens (or replaces) `uri` with `text`, the client's version `version` of it.
    pub fn open(&mut self, uri: &Uri, text: String, version: i32) {
        let doc = Document::new(uri_to_path(uri), text);
        self.open
            .insert(uri.as_str().to_owned(), (Rc::new(doc), version));
    }

    /// Closes `uri`.
    pub fn close(&mut self, uri: &Uri) {
        self.open.remove(uri.as_str());
    }

    /// The open document `uri`.
    pub fn get(&self, uri: &Uri) -> Option<Rc<Document>> {
        self.open.get(uri.as_str()).map(|(d, _)| d.clone())
    }

    /// The client's version of the open document `uri`.
    pub fn version(&self, uri: &Uri) -> Option<i32> {
        self.open.get(uri.as_str()).map(|(_, v)| *v)
    }

    /// The open document `uri`, or the file it names read from disk (not kept).
    pub fn get_or_read(&self, uri: &Uri) -> Option<Rc<Document>> {
        if let Some(doc) = self.get(uri) {
            return Some(doc);
        }
        let path = uri_to_path(uri)?;
        let text = std::fs::read_to_string(&path).ok()?;
        Some(Rc::new(Document::new(Some(path), text)))
    }
}

/// The path of a `file:` URI (percent-decoded), or `None` for any other URI.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file:///p` (empty authority) or `file://localhost/p`.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(rest.get(i + 1..i + 3).unwrap_or(""), 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    use std::os::unix::ffi::OsStringExt;
    Some(PathBuf::from(std::ffi::OsString::from_vec(out)))
}

/// The `file:` URI of an absolute path (characters outside RFC 3986's unreserved
/// set and `/` percent-encoded).
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    use std::os::unix::ffi::OsStrExt;
    let mut s = String::from("file://");
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "ab\nxé𝄞z\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.offset(text, Position::new(1, 0)), 3);
        // é is one unit, 𝄞 two.
        assert_eq!(idx.offset(text, Position::new(1, 2)), 6);
        assert_eq!(idx.offset(text, Position::new(1, 4)), 10);
        assert_eq!(idx.position(text, 10), Position::new(1, 4));
        // Out of range: clamped.
        assert_eq!(idx.offset(text, Position::new(0, 99)), 2);
        assert_eq!(idx.offset(text, Position::new(9, 0)), text.len());
    }

    #[test]
    fn file_uris_round_trip() {
        let p = Path::new("/tmp/a b/c%.jsonnet");
        let uri = path_to_uri(p).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/a%20b/c%25.jsonnet");
        assert_eq!(uri_to_path(&uri).unwrap(), p);
        let other: Uri = "untitled:x".parse().unwrap();
        assert_eq!(uri_to_path(&other), None);
    }
}
