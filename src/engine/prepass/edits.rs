//! Text inserted into a file before jrsonnet parses it, and the way back: every byte
//! offset of the edited text maps to the offset of the original, so errors name the
//! line and column the user wrote.

use jrsonnet_ir::{Source, Span};

/// One insertion, as placed in the edited text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Inserted {
    /// Where the inserted text starts in the edited text.
    at: u32,
    /// Its length.
    len: u32,
    /// The offset of the original text it was inserted before.
    original: u32,
}

/// The insertions made into one file, with its original text.
pub struct EditMap {
    original: Source,
    inserted: Vec<Inserted>,
    /// The map of an earlier edit, when this one's insertions were made into its
    /// result: offsets then map through both.
    earlier: Option<Box<EditMap>>,
}

impl EditMap {
    /// Inserts each `(offset, text)` of `insertions` before that byte offset of
    /// `original` (equal offsets keep their order) and returns the edited text with
    /// the map back to `original`, whose source is `source`.
    pub fn apply(
        source: Source,
        edited_base: &str,
        insertions: &mut [(u32, &str)],
    ) -> (String, Self) {
        insertions.sort_by_key(|(offset, _)| *offset);
        let extra: usize = insertions.iter().map(|(_, t)| t.len()).sum();
        let mut text = String::with_capacity(edited_base.len() + extra);
        let mut inserted = Vec::with_capacity(insertions.len());
        let mut copied = 0usize;
        for (offset, piece) in insertions.iter() {
            let offset = *offset as usize;
            text.push_str(&edited_base[copied..offset]);
            copied = offset;
            inserted.push(Inserted {
                at: text.len() as u32,
                len: piece.len() as u32,
                original: offset as u32,
            });
            text.push_str(piece);
        }
        text.push_str(&edited_base[copied..]);
        (
            text,
            Self {
                original: source,
                inserted,
                earlier: None,
            },
        )
    }

    /// This map followed by `earlier`, the map of the edit whose result this one's
    /// insertions were made into.
    pub fn after(self, earlier: EditMap) -> Self {
        Self {
            earlier: Some(Box::new(earlier)),
            ..self
        }
    }

    /// The original offset of `offset` in the edited text; offsets inside inserted
    /// text map to where it was inserted.
    pub fn to_original(&self, offset: u32) -> u32 {
        let offset = self.before_own(offset);
        match &self.earlier {
            Some(earlier) => earlier.to_original(offset),
            None => offset,
        }
    }

    /// `offset` in the text this map's own insertions were made into.
    fn before_own(&self, offset: u32) -> u32 {
        let mut shift = 0;
        for ins in &self.inserted {
            if offset < ins.at {
                break;
            }
            if offset < ins.at + ins.len {
                return ins.original;
            }
            shift += ins.len;
        }
        offset - shift
    }

    /// The text the (first) insertions were made into: the user's.
    pub fn original(&self) -> &Source {
        match &self.earlier {
            Some(earlier) => earlier.original(),
            None => &self.original,
        }
    }

    /// `span` of the edited text as a span of the original text.
    pub fn original_span(&self, span: &Span) -> Span {
        Span(
            self.original().clone(),
            self.to_original(span.1),
            self.to_original(span.2),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::EditMap;
    use jrsonnet_ir::{Source, SourcePath, SourceVirtual};

    #[test]
    fn maps_edited_offsets_back() {
        let text = "a + f(x) tailstrict";
        let source = Source::new(SourcePath::new(SourceVirtual("t".into())), text.into());
        let (edited, map) = EditMap::apply(source, text, &mut [(19, ")"), (4, "T(")]);
        assert_eq!(edited, "a + T(f(x) tailstrict)");
        assert_eq!(map.to_original(0), 0);
        assert_eq!(map.to_original(4), 4);
        assert_eq!(map.to_original(6), 4);
        assert_eq!(map.to_original(8), 6);
        assert_eq!(map.to_original(21), 19);
        assert_eq!(map.to_original(22), 19);
    }
}
