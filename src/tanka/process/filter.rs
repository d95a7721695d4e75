//! Step 6, Tanka's `Filter` (`-t/--target`): each expression is a regular expression
//! (RE2 syntax, case-insensitive, anchored) on `<kind>/<name>`; a manifest is kept
//! when a positive expression matches it and no `!`-expression does. Patterns mean
//! what they mean in Go ([`crate::gocompat::regexp`]: `\w`, `\d` are ASCII).

use regex::Regex;

use crate::error::TankaError;
use crate::gocompat::regexp;
use crate::tanka::manifest::{kind, meta_str, Manifest};

/// The compiled `--target` expressions.
#[derive(Debug, Default)]
pub struct Filters(Vec<(Regex, bool)>);

impl Filters {
    /// Compiles `exprs` as Tanka's `StrExps` does (`(?i)^<expr>$`, `!` negates).
    pub fn new(exprs: &[String]) -> Result<Self, TankaError> {
        let mut out = Vec::new();
        for raw in exprs {
            let (negated, body) = match raw.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, raw.as_str()),
            };
            let re =
                regexp::compile(&format!("(?i)^{body}$")).map_err(|source| TankaError::Target {
                    expr: raw.clone(),
                    source,
                })?;
            out.push((re, negated));
        }
        Ok(Self(out))
    }

    /// No expressions given.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `kind_name` (`Kind/name`) is kept. A negated expression counts as
    /// matching for the positive test, as in Tanka (`!x` alone keeps all but `x`).
    pub fn keeps(&self, kind_name: &str) -> bool {
        let matched = self
            .0
            .iter()
            .any(|(re, negated)| *negated || re.is_match(kind_name));
        let ignored = self
            .0
            .iter()
            .any(|(re, negated)| *negated && re.is_match(kind_name));
        matched && !ignored
    }

    /// The manifests that are kept, in order.
    pub fn filter(&self, list: Vec<Manifest>) -> Vec<Manifest> {
        list.into_iter()
            .filter(|m| self.keeps(&format!("{}/{}", kind(m), meta_str(m, "name"))))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_like_tanka() {
        let f = Filters::new(&["deployment/.*".into(), "!deployment/skip".into()]).unwrap();
        assert!(f.keeps("Deployment/web"));
        assert!(!f.keeps("Deployment/skip"));
        // Tanka's quirk: a negated expression matches everything positively.
        assert!(f.keeps("Service/web"));
        let f = Filters::new(&["deployment/.*".into()]).unwrap();
        assert!(!f.keeps("Service/web"));
        let f = Filters::new(&["!service/.*".into()]).unwrap();
        assert!(f.keeps("ConfigMap/a"));
        assert!(!f.keeps("Service/a"));
        let f = Filters::new(&["configmap/a".into()]).unwrap();
        assert!(!f.keeps("ConfigMap/ab"), "anchored");
        assert!(matches!(
            Filters::new(&["(".into()]),
            Err(TankaError::Target { expr, .. }) if expr == "("
        ));
    }

    #[test]
    fn classes_are_ascii_as_in_go() {
        let f = Filters::new(&[r"deployment/\w+".into()]).unwrap();
        assert!(f.keeps("Deployment/grafana"));
        assert!(!f.keeps("Deployment/grafanä"), "Go's \\w is ASCII");
        let f = Filters::new(&[r"configmap/\d+".into()]).unwrap();
        assert!(f.keeps("ConfigMap/42") && !f.keeps("ConfigMap/٤٢"));
        // Go rejects what the regex crate would take.
        assert!(Filters::new(&["a**".into()]).is_err());
    }
}
