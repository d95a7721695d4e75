//! The counts a `validate` run (or `--validate`) ends with ([`Summary`]): printed on
//! success, and carried by [`super::Error::Validation`] (violations) and
//! [`super::Error::Incomplete`] (inputs that failed) when it is the run's failure.
//!
//! Contact points: `crate::cli`'s validation report builds it from its results.

use std::fmt;

/// How many objects a validation run checked and what it found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Inputs that could not be read or evaluated.
    pub failed: usize,
    /// Objects checked against a schema.
    pub objects: usize,
    /// Of those, the invalid ones.
    pub invalid: usize,
    /// Objects of kinds with no schema.
    pub unknown: usize,
    /// Findings that are errors.
    pub errors: usize,
    /// Findings that are warnings.
    pub warnings: usize,
    /// Constraints that could not be checked.
    pub not_checked: usize,
    /// CEL rules evaluated.
    pub rules: usize,
    /// Transition rules skipped (no old object).
    pub transition_rules: usize,
}

/// `n` and the noun in its number (`1 object`, `2 objects`).
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.failed > 0 {
            write!(f, "{} failed; ", count(self.failed, "input", "inputs"))?;
        }
        write!(
            f,
            "{} checked, {} invalid, {}; {}, {}, {} not checked; {} evaluated, {} skipped",
            count(self.objects, "object", "objects"),
            self.invalid,
            count(self.unknown, "of an unknown kind", "of unknown kinds"),
            count(self.errors, "error", "errors"),
            count(self.warnings, "warning", "warnings"),
            self.not_checked,
            count(self.rules, "CEL rule", "CEL rules"),
            count(self.transition_rules, "transition rule", "transition rules"),
        )
    }
}
