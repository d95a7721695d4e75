//! The alias-bomb guard of Go's `gopkg.in/yaml.v2` and `yaml.v3` decoders ("billion
//! laughs": nine lines that expand to 10⁹ nodes), kept by the one YAML tree builder
//! ([`super::yaml_tree`]) for every reader that expands aliases: `std.parseYaml`,
//! Tanka's `parseYaml` and the CRD/manifest reader (`--crds`, `validate`).
//!
//! The rule is Go's: every node decoded counts, and every node decoded while expanding
//! an alias counts as aliased too (a nested alias counts once as itself and then its
//! target's nodes). Once more than 100 nodes were aliased and more than 1,000 decoded,
//! the aliased share may not exceed 99 % up to 400,000 decoded nodes, falling linearly
//! to 10 % at 4,000,000 and staying there. A document over that fails with
//! [`EXCESSIVE_ALIASING`]. Counts start over at each document, as each Go `Unmarshal` or
//! `Decode` call does.

/// The message of Go's decoders for a document over the budget.
pub const EXCESSIVE_ALIASING: &str = "document contains excessive aliasing";

/// Decoded nodes up to which 99 % may come from aliases.
const RATIO_RANGE_LOW: u64 = 400_000;
/// Decoded nodes from which only 10 % may come from aliases.
const RATIO_RANGE_HIGH: u64 = 4_000_000;

/// The share of aliased nodes allowed after `decoded` nodes (Go's `allowedAliasRatio`).
fn allowed_ratio(decoded: u64) -> f64 {
    if decoded <= RATIO_RANGE_LOW {
        0.99
    } else if decoded >= RATIO_RANGE_HIGH {
        0.10
    } else {
        let range = (RATIO_RANGE_HIGH - RATIO_RANGE_LOW) as f64;
        0.99 - 0.89 * ((decoded - RATIO_RANGE_LOW) as f64 / range)
    }
}

/// The counts of one document (see the module header).
#[derive(Debug, Default, Clone, Copy)]
pub struct AliasBudget {
    decoded: u64,
    aliased: u64,
}

impl AliasBudget {
    /// Nodes decoded so far in this document: the size of a subtree is the difference
    /// of this count at its end and at its start.
    pub fn decoded(&self) -> u64 {
        self.decoded
    }

    /// Counts one node read from the text (a scalar, a sequence or mapping start, a
    /// document start).
    ///
    /// # Errors
    /// [`EXCESSIVE_ALIASING`] when the document is over the budget.
    pub fn node(&mut self) -> Result<(), &'static str> {
        self.decoded += 1;
        self.check()
    }

    /// Counts an alias whose target has `size` nodes (itself counted by this budget),
    /// before the target is copied.
    ///
    /// # Errors
    /// [`EXCESSIVE_ALIASING`] when the copy would put the document over the budget.
    /// (Go checks node by node; during one expansion the aliased share only grows and
    /// the allowed share only shrinks, so checking once after the whole target decides
    /// the same.)
    pub fn alias(&mut self, size: u64) -> Result<(), &'static str> {
        self.decoded = self.decoded.saturating_add(1).saturating_add(size);
        self.aliased = self.aliased.saturating_add(size);
        self.check()
    }

    fn check(&self) -> Result<(), &'static str> {
        let over = self.aliased > 100
            && self.decoded > 1000
            && self.aliased as f64 / self.decoded as f64 > allowed_ratio(self.decoded);
        if over {
            Err(EXCESSIVE_ALIASING)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_documents_may_alias_a_lot_large_ones_little() {
        let mut b = AliasBudget::default();
        for _ in 0..20 {
            b.node().unwrap();
        }
        // 20 nodes, then 1,000 aliased nodes: 98 % aliased, allowed.
        b.alias(1000).unwrap();
        assert_eq!(b.decoded(), 1021);
        // Another 1,000: over 99 %.
        let mut over = b;
        for _ in 0..100 {
            if over.alias(1000).is_err() {
                return;
            }
        }
        panic!("never over budget: {over:?}");
    }

    #[test]
    fn the_allowed_share_falls_from_99_to_10_percent() {
        assert_eq!(allowed_ratio(1), 0.99);
        assert_eq!(allowed_ratio(RATIO_RANGE_LOW), 0.99);
        assert!((allowed_ratio(2_200_000) - 0.545).abs() < 1e-9);
        assert_eq!(allowed_ratio(RATIO_RANGE_HIGH), 0.10);
        assert_eq!(allowed_ratio(u64::MAX), 0.10);
    }
}
