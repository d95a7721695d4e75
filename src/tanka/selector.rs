//! Kubernetes label selectors (`-l/--selector` of `export`) on environment labels, as
//! Tanka parses them with `k8s.io/apimachinery/pkg/labels`: comma-separated
//! requirements, all of which must hold — `key`, `!key`, `key=value` (or `==`),
//! `key!=value` (also true without the label), `key in (a,b)`, `key notin (a,b)` (also
//! true without the label). `>`/`<` are refused with a clear error. Used by
//! [`super::export`].

use std::collections::BTreeMap;

pub use crate::error::{SelectorError, SelectorProblem};

/// One requirement on the labels.
#[derive(Debug, PartialEq)]
enum Requirement {
    Exists(String),
    NotExists(String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
}

/// A parsed selector; empty matches everything.
#[derive(Debug, Default, PartialEq)]
pub struct Selector {
    requirements: Vec<Requirement>,
}

impl Selector {
    /// Parses a selector; a malformed one is an error naming the bad requirement.
    pub fn parse(text: &str) -> Result<Self, SelectorError> {
        let fail = |problem| SelectorError {
            selector: text.to_owned(),
            problem,
        };
        let mut requirements = Vec::new();
        for term in split_terms(text) {
            let term = term.trim();
            if term.is_empty() {
                if text.trim().is_empty() {
                    continue;
                }
                return Err(fail(SelectorProblem::EmptyRequirement));
            }
            requirements.push(requirement(term).map_err(fail)?);
        }
        Ok(Self { requirements })
    }

    /// Whether every requirement holds for `labels`.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.requirements.iter().all(|r| match r {
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::NotExists(k) => !labels.contains_key(k),
            Requirement::In(k, vs) => labels.get(k).is_some_and(|v| vs.contains(v)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|v| !vs.contains(v)),
        })
    }
}

/// The text split at commas outside parentheses.
fn split_terms(text: &str) -> Vec<&str> {
    let mut terms = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                terms.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    terms.push(&text[start..]);
    terms
}

/// A label key or value: letters, digits, `-`, `_`, `.`, and `/` in keys.
fn checked(word: &str, what: &'static str, key: bool) -> Result<String, SelectorProblem> {
    let ok = word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c) || (key && c == '/'));
    if !ok || (key && word.is_empty()) {
        return Err(SelectorProblem::InvalidLabel {
            what,
            word: word.to_owned(),
        });
    }
    Ok(word.to_owned())
}

fn requirement(term: &str) -> Result<Requirement, SelectorProblem> {
    if let Some(key) = term.strip_prefix('!') {
        return Ok(Requirement::NotExists(checked(key.trim(), "key", true)?));
    }
    if let Some((key, values)) = set_requirement(term) {
        let key = checked(key, "key", true)?;
        let values = values
            .split(',')
            .map(|v| checked(v.trim(), "value", false))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(match term[key.len()..].trim_start().starts_with("notin") {
            true => Requirement::NotIn(key, values),
            false => Requirement::In(key, values),
        });
    }
    for (op, negated) in [("!=", true), ("==", false), ("=", false)] {
        if let Some((key, value)) = term.split_once(op) {
            let key = checked(key.trim(), "key", true)?;
            let value = checked(value.trim(), "value", false)?;
            return Ok(match negated {
                true => Requirement::NotIn(key, vec![value]),
                false => Requirement::In(key, vec![value]),
            });
        }
    }
    if term.contains(['>', '<']) {
        return Err(SelectorProblem::Comparison(term.to_owned()));
    }
    Ok(Requirement::Exists(checked(term, "key", true)?))
}

/// `key in (a,b)` / `key notin (a,b)`: the key and the text between the parentheses.
fn set_requirement(term: &str) -> Option<(&str, &str)> {
    let (key, rest) = term.split_once(char::is_whitespace)?;
    let rest = rest.trim_start();
    let rest = rest
        .strip_prefix("notin")
        .or_else(|| rest.strip_prefix("in"))?
        .trim_start();
    let inner = rest.strip_prefix('(')?.strip_suffix(')')?;
    Some((key, inner))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn selects_as_kubernetes_does() {
        let l = labels(&[("team", "platform"), ("tier", "backend")]);
        let m = |s: &str| Selector::parse(s).unwrap().matches(&l);
        assert!(m(""));
        assert!(m("team"));
        assert!(!m("!team"));
        assert!(m("!owner"));
        assert!(m("team=platform"));
        assert!(m("team==platform,tier"));
        assert!(!m("team=apps"));
        assert!(m("team!=apps"));
        assert!(m("owner!=x"));
        assert!(m("team in (apps, platform)"));
        assert!(!m("team notin (apps,platform)"));
        assert!(m("owner notin (x)"));
        assert!(!m("owner in (x)"));
        assert!(m("example.com/x!=1"));
    }

    #[test]
    fn errors_name_the_problem() {
        let problem = |s: &str| Selector::parse(s).unwrap_err().problem;
        use SelectorProblem as Problem;
        assert_eq!(problem("a>1"), Problem::Comparison("a>1".into()));
        assert!(matches!(
            problem("a=b c"),
            Problem::InvalidLabel { what: "value", .. }
        ));
        assert_eq!(problem("a,,b"), Problem::EmptyRequirement);
        assert!(matches!(
            problem("=x"),
            Problem::InvalidLabel { what: "key", .. }
        ));
        assert_eq!(
            Selector::parse("a in (x y)").unwrap_err().to_string(),
            r#"invalid selector "a in (x y)": invalid label value "x y""#
        );
    }
}
