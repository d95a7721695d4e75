//! Coverage of a kind's schema: how many of its CEL rules and schema constraints the
//! validator checks, and which it does not and why, for `gwsonnet validate
//! --coverage` ([`crate::cli`]).
//!
//! A CEL rule is checked when it compiles and every function it calls is implemented
//! ([`super::Validator::rule_support`]); a transition rule (`oldSelf`) is present but
//! skipped. A schema constraint is one keyword of one node (`maximum`, `pattern`,
//! `x-kubernetes-list-type`, ...: [`Keyword`]); it is checked when the walk of
//! [`super::structural`] implements it ([`Keyword::CHECKED`], each proven by a test case
//! whose verdict the keyword changes) and, for a `pattern`, when it compiles (every
//! format the API server checks is checked by [`super::format`]). Formats the API
//! server ignores are no constraint and not counted.

use super::{format, structural::Keyword, Validator};
use crate::model::{AdditionalProperties, Kind, Schema};

/// A rule or constraint that is not checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    /// The schema path of the node (`spec.rules[*].backendRefs[*]`).
    pub path: String,
    /// The CEL rule's text, or the keyword and its value (`pattern: ...`).
    pub what: String,
    /// Why it is not checked.
    pub why: String,
}

/// The coverage of one kind.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Coverage {
    /// CEL rules in the schema, transition rules included.
    pub rules_present: usize,
    /// CEL rules checked.
    pub rules_checked: usize,
    /// Transition rules (present, skipped: there is no old object).
    pub transition_rules: usize,
    /// Rules neither checked nor transition rules.
    pub rules_not_checked: Vec<Gap>,
    /// Schema constraints (keywords) present.
    pub constraints_present: usize,
    /// Schema constraints checked.
    pub constraints_checked: usize,
    /// Constraints not checked.
    pub constraints_not_checked: Vec<Gap>,
}

impl Coverage {
    /// Adds `other`'s counts and gaps to these.
    pub fn add(&mut self, other: &Self) {
        self.rules_present += other.rules_present;
        self.rules_checked += other.rules_checked;
        self.transition_rules += other.transition_rules;
        self.constraints_present += other.constraints_present;
        self.constraints_checked += other.constraints_checked;
        self.rules_not_checked
            .extend(other.rules_not_checked.iter().cloned());
        self.constraints_not_checked
            .extend(other.constraints_not_checked.iter().cloned());
    }

    /// The share of the rules that can be checked (all but transition rules) that is
    /// checked, in percent; 100 when there is none.
    pub fn rules_percent(&self) -> f64 {
        percent(
            self.rules_checked,
            self.rules_present - self.transition_rules,
        )
    }

    /// The share of the schema constraints checked, in percent.
    pub fn constraints_percent(&self) -> f64 {
        percent(self.constraints_checked, self.constraints_present)
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        100.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

impl Validator {
    /// The coverage of `kind`'s whole schema.
    pub fn coverage(&self, kind: &Kind) -> Coverage {
        let mut c = Coverage::default();
        self.cover(&kind.schema, &mut String::new(), &mut c);
        c
    }

    fn cover(&self, s: &Schema, path: &mut String, c: &mut Coverage) {
        for rule in s.validations() {
            c.rules_present += 1;
            match self.rule_support(&rule.rule) {
                Ok(true) => c.rules_checked += 1,
                Ok(false) => c.transition_rules += 1,
                Err(why) => c.rules_not_checked.push(Gap {
                    path: path.clone(),
                    what: rule.rule.trim().to_owned(),
                    why: why.to_string(),
                }),
            }
        }
        for k in Keyword::ALL {
            if !k.present(s) {
                continue;
            }
            // A `format` the API server does not know is not a constraint there.
            let format = s.format.as_deref().unwrap_or_default();
            if k == Keyword::Format
                && format::int_range(format).is_none()
                && !format::is_kubernetes_format(format)
            {
                continue;
            }
            c.constraints_present += 1;
            let pattern = match (k, &s.pattern) {
                (Keyword::Pattern, Some(p)) => {
                    self.patterns.get(p).err().map(|why| (p, why.to_string()))
                }
                _ => None,
            };
            match pattern {
                Some((p, why)) => c.constraints_not_checked.push(Gap {
                    path: path.clone(),
                    what: format!("pattern: {p}"),
                    why,
                }),
                None if k.checked() => c.constraints_checked += 1,
                None => c.constraints_not_checked.push(Gap {
                    path: path.clone(),
                    what: k.name().to_owned(),
                    why: "not implemented by the validator".to_owned(),
                }),
            }
        }
        let len = path.len();
        for (name, child) in s.properties() {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(name);
            self.cover(child, path, c);
            path.truncate(len);
        }
        if let Some(items) = s.items() {
            path.push_str("[*]");
            self.cover(items, path, c);
            path.truncate(len);
        }
        if let Some(AdditionalProperties::Schema(a)) = &s.additional_properties {
            path.push_str("[*]");
            self.cover(a, path, c);
            path.truncate(len);
        }
        let junctors = [&s.all_of, &s.any_of, &s.one_of];
        for sub in junctors.into_iter().flatten().flatten() {
            self.cover(sub, path, c);
        }
        if let Some(not) = &s.not {
            self.cover(not, path, c);
        }
    }
}
