//! Heading anchors as docsonnet v0.0.5 makes them (`pkg/slug`): whitespace becomes `-`,
//! punctuation is dropped, repeats get `-1`, `-2`, … and the result is lower-cased.

use std::collections::HashMap;

/// Makes anchors for one page, numbering repeated ones.
#[derive(Debug, Default)]
pub struct Slugger {
    occurrences: HashMap<String, usize>,
}

impl Slugger {
    /// A slugger that has seen nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The anchor for `s`: `fn metadata.withName` → `fn-metadatawithname`; the second
    /// time the same text comes, `…-1`.
    pub fn slug(&mut self, s: &str) -> String {
        let base: String = s
            .chars()
            .filter_map(|c| match c {
                '\t' | '\n' | '\u{c}' | '\r' | ' ' => Some('-'),
                c if is_special(c) => None,
                c => Some(c),
            })
            .collect();
        let seen = self.occurrences.entry(base.clone()).or_insert(0);
        let mut out = base;
        if *seen > 0 {
            out.push_str(&format!("-{seen}"));
        }
        *seen += 1;
        go_to_lower(&out)
    }
}

/// The characters the anchor drops: general punctuation (U+2000–U+206F), supplemental
/// punctuation (U+2E00–U+2E7F), ASCII punctuation except `-`, `_` and `\`.
fn is_special(c: char) -> bool {
    matches!(c, '\u{2000}'..='\u{206F}' | '\u{2E00}'..='\u{2E7F}')
        || "'!\"#$%&()*+,./:;<=>?@[]^`{|}~".contains(c)
}

/// Go's `strings.ToLower`: every rune mapped on its own (no context rules).
fn go_to_lower(s: &str) -> String {
    s.chars()
        .map(|c| c.to_lowercase().next().unwrap_or(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_like_docsonnet() {
        let mut s = Slugger::new();
        assert_eq!(s.slug("fn metadata.withName"), "fn-metadatawithname");
        assert_eq!(
            s.slug("obj spec.rules.backendRefs"),
            "obj-specrulesbackendrefs"
        );
        assert_eq!(s.slug("fn metadata.withName"), "fn-metadatawithname-1");
        assert_eq!(s.slug("fn metadata.withName"), "fn-metadatawithname-2");
        assert_eq!(s.slug("a_b-c\\d(e)"), "a_b-c\\de");
        assert_eq!(s.slug("A\tB"), "a-b");
    }

    #[test]
    fn repeats_count_before_lower_casing() {
        let mut s = Slugger::new();
        assert_eq!(s.slug("fn withA"), "fn-witha");
        assert_eq!(s.slug("fn witha"), "fn-witha");
        assert_eq!(s.slug("fn withA"), "fn-witha-1");
    }
}
