//! Validation of Kubernetes objects against the schema of their kind, as the API
//! server's CRD validation does it, offline: structural-schema checks
//! ([`structural`]), then the CEL rules of `x-kubernetes-validations` ([`cel`]).
//!
//! The order is the API server's: unknown fields are pruned (and reported as warnings,
//! since `kubectl apply` would silently drop them), `null` in non-nullable fields is
//! dropped, defaults are applied, and only then are the value constraints and the CEL
//! rules checked, each CEL rule seeing the defaulted, pruned value of its node.
//!
//! Every problem is one [`Finding`] with the JSON path of the value
//! (`spec.rules[0].backendRefs[1].port`), the constraint, the value and a message. A
//! CEL rule that cannot be evaluated here (it calls a function this crate does not
//! implement) is a [`Severity::NotChecked`] finding, never silently passed; transition
//! rules (`oldSelf`) need an old object: [`Validator::validate_update`] runs them,
//! [`Validator::validate`] counts them in [`Report::transition_rules_skipped`].
//!
//! A kind read from a CRD the API server would refuse (a rule over its estimated cost
//! limits, [`celcost`], or one that is not CEL, in any version's schema) has every
//! object of every version of the CRD reported with the refusal
//! ([`Validator::crd_refusals`]).
//!
//! The API server's own rules for `metadata` (names by kind, labels, annotations),
//! which no schema carries, are [`check_object_meta`] ([`objectmeta`]), run on every
//! object of a kind ([`Validator::validate_kind`]).
//!
//! Kinds come from CRD libraries and from the Kubernetes API itself (every
//! group/version/kind of the chosen version's OpenAPI document,
//! [`Registry::api_kinds`]); a CRD's kind wins over the API's. The API's schemas are
//! OpenAPI v2 definitions, read in their own [`Dialect`] (int-or-string, quantities,
//! `null`, free-form objects: [`structural`]).
//!
//! Many objects are validated on every core, while they are still being produced
//! ([`validate_streaming`], [`validate_all`]: `batch`); the commands share one
//! service over it ([`service`]: objects found in documents and rendered values, kinds
//! looked up once, YAML documents parsed on the workers).
//!
//! Contact points: the schema is the one model ([`crate::model::Schema`], read from a
//! [`crate::model::Registry`]); [`Validator::find_kind`] matches an object's
//! `apiVersion`/`kind` to a kind of the registry; the `validate` command and the
//! `--validate` flags ([`crate::cli`]) feed inputs and rendered output to [`service`]
//! and render the findings.

mod batch;
mod cel;
mod celcost;
mod celtext;
mod coverage;
mod format;
mod goparse;
mod objectmeta;
pub mod service;
mod structural;

use std::fmt::{self, Write as _};

use serde_json::Value;

pub use batch::{validate_all, validate_streaming, Feed, Unpacked};
pub use cel::RuleGap;
pub use celcost::{Estimated, ESTIMATED_RULE_LIMIT, ESTIMATED_SCHEMA_LIMIT};
pub use coverage::{Coverage, Gap};
pub use objectmeta::{
    check_object_meta, meta_rules, KindMetaRules, NameRule, ANNOTATIONS_MAX_BYTES,
};

use crate::model::{CrdOrigin, CrdSchema, Dialect, Kind, Registry, Schema, Scope};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The API server would reject the object.
    Error,
    /// The API server would accept the object but change it (an unknown field it
    /// prunes) or warn.
    Warning,
    /// A rule that could not be checked here; the API server may still reject.
    NotChecked,
}

impl Severity {
    /// The lower-case name used in output: `error`, `warning`, `not checked`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::NotChecked => "not checked",
        }
    }
}

/// One problem of one object.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// JSON path of the value, `spec.rules[0].backendRefs[1].port`; empty for the
    /// object itself.
    pub path: String,
    /// The schema keyword that failed (`maximum`, `required`, `x-kubernetes-validations`).
    pub constraint: String,
    /// What is wrong: `should be less than or equal to 65535`, or the CRD's message.
    pub message: String,
    /// The offending value as compact JSON (shortened), when there is one.
    pub value: Option<String>,
    /// The `reason` of a CEL rule (`FieldValueInvalid`, `FieldValueForbidden`, ...).
    pub reason: Option<String>,
}

impl Finding {
    /// A finding at `path` (rendered now), with the offending value shown shortened.
    fn at(
        severity: Severity,
        path: &Path,
        constraint: &str,
        message: String,
        value: Option<&Value>,
    ) -> Self {
        Self {
            severity,
            path: path.render(),
            constraint: constraint.to_owned(),
            message,
            value: value.map(show_value),
            reason: None,
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "<object>"
        } else {
            &self.path
        };
        write!(f, "{path}: {}", self.message)?;
        if let Some(v) = &self.value {
            write!(f, " (value: {v})")?;
        }
        write!(f, " [{}]", self.constraint)
    }
}

/// Everything found in one object.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Every finding, in the order the object was walked.
    pub findings: Vec<Finding>,
    /// CEL rules evaluated.
    pub rules_checked: usize,
    /// Transition rules (using `oldSelf`) skipped: there is no old object (or no old
    /// value at the rule's place).
    pub transition_rules_skipped: usize,
}

impl Report {
    /// True when no finding is an error.
    pub fn is_valid(&self) -> bool {
        !self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// The number of findings of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// Validates objects; holds the compiled CEL programs and regular expressions, so one
/// validator should serve every object of a run. Not shareable between threads.
pub struct Validator {
    cel: cel::Rules,
    patterns: format::Patterns,
}

impl Default for Validator {
    fn default() -> Self {
        Self::new()
    }
}

impl Validator {
    /// A validator with nothing compiled yet.
    pub fn new() -> Self {
        Self {
            cel: cel::Rules::new(),
            patterns: format::Patterns::default(),
        }
    }

    /// A validator for one batch of objects whose kinds all stay borrowed while it
    /// lives ([`validate_streaming`]): it remembers the outcome of the CEL rules of a node
    /// on each small value, so values repeated across the batch are judged once.
    fn for_batch() -> Self {
        Self {
            cel: cel::Rules::remembering(),
            patterns: format::Patterns::default(),
        }
    }

    /// Validates `object` against `schema` (the kind's whole `openAPIV3Schema`).
    pub fn validate(&self, schema: &Schema, object: &Value) -> Report {
        let mut report = Report::default();
        let mut value = object.clone();
        self.cel.set_invalid_reported_with_crd(false);
        structural::check_object(
            self,
            schema,
            Dialect::Structural,
            &mut value,
            None,
            &mut report,
        );
        report
    }

    /// Validates an update of `old` to `object`, as [`Validator::validate`] does, and
    /// also runs the transition rules (`oldSelf`) where `old` has a value at the same
    /// place (by property name, and by key in `x-kubernetes-list-type: map` lists), as
    /// the API server does on an update.
    pub fn validate_update(&self, schema: &Schema, object: &Value, old: &Value) -> Report {
        let mut report = Report::default();
        let mut old = old.clone();
        structural::normalize(self, schema, &mut old);
        let mut value = object.clone();
        let dialect = Dialect::Structural;
        self.cel.set_invalid_reported_with_crd(false);
        structural::check_object(self, schema, dialect, &mut value, Some(&old), &mut report);
        report
    }

    /// Validates `object` against its `kind` ([`Validator::validate`], the schema read
    /// in the kind's [`Dialect`]), first reporting why the API server would refuse the
    /// kind's CRD ([`Validator::crd_refusals`]) and warning when the kind is a version
    /// the API server does not serve, then checks its `metadata` by the API server's own rules
    /// for the kind ([`check_object_meta`]; a problem the schema already reported at
    /// the same path is not repeated).
    pub fn validate_kind(&self, kind: &Kind, object: &Value) -> Report {
        self.check_kind(kind, &mut object.clone())
    }

    /// [`Validator::validate_kind`] on `object` itself: changes it into what the API
    /// server would store (pruned, defaulted).
    fn check_kind(&self, kind: &Kind, object: &mut Value) -> Report {
        let mut report = Report::default();
        report
            .findings
            .extend(self.crd_refusals(kind).iter().map(|message| Finding {
                severity: Severity::Error,
                path: String::new(),
                constraint: "x-kubernetes-validations".into(),
                message: message.clone(),
                value: None,
                reason: None,
            }));
        let mut meta = Vec::new();
        let rules = meta_rules(&kind.group, &kind.kind, kind.scope == Scope::Namespaced);
        check_object_meta(object, &rules, &mut meta);
        self.cel.set_invalid_reported_with_crd(kind.crd.is_some());
        structural::check_object(self, &kind.schema, kind.dialect, object, None, &mut report);
        for finding in meta {
            if !report.findings.iter().any(|f| f.path == finding.path) {
                report.findings.push(finding);
            }
        }
        if !kind.served {
            let warning = Finding {
                severity: Severity::Warning,
                path: "apiVersion".into(),
                constraint: "served".into(),
                message: format!(
                    "version {} of {} is not served (the CRD says served: false)",
                    kind.version, kind.kind
                ),
                value: Some(Value::String(kind.api_version()).to_string()),
                reason: None,
            };
            report.findings.insert(0, warning);
        }
        report
    }

    /// The estimated cost of every rule and message expression of `kind`'s schema, as
    /// the API server estimates them when the CRD is created ([`celcost`]).
    pub fn estimated_costs(&self, kind: &Kind) -> Vec<Estimated> {
        self.estimates(&kind.schema).costs
    }

    /// [`celcost::estimate_schema`] of `schema` with this validator's CEL rules.
    fn estimates(&self, schema: &Schema) -> celcost::Estimates {
        celcost::estimate_schema(schema, &|text, is_rule, node| {
            self.cel.estimated_cost(text, is_rule, node)
        })
    }

    /// Why the API server would refuse the CustomResourceDefinition `kind` was read
    /// from when it is created, each in the API server's words with the CRD's name and
    /// the field path: a rule or message expression of any of its versions' schemas
    /// that is not CEL, or whose estimated cost is over its limits (with the estimated
    /// cost, the limit and the rule). The API server refuses the CRD as a whole, so
    /// every version's objects get them. Found once per CRD; empty for a kind that does
    /// not come from a CRD. Every object of the kind is reported with them
    /// ([`Validator::validate_kind`]).
    pub fn crd_refusals<'k>(&self, kind: &'k Kind) -> &'k [String] {
        match &kind.crd {
            Some(crd) => crd.refusals(|| self.find_refusals(kind, crd)),
            None => &[],
        }
    }

    /// [`Validator::crd_refusals`]; `kind`'s own schema is the one loaded already.
    fn find_refusals(&self, kind: &Kind, crd: &CrdOrigin) -> Vec<String> {
        let mut out = Vec::new();
        for CrdSchema {
            path,
            versions,
            index,
        } in crd.schemas()
        {
            let estimates = if versions.contains(&kind.version) {
                self.estimates(&kind.schema)
            } else {
                match crd.load_schema(index) {
                    Some(schema) => self.estimates(&schema),
                    None => continue,
                }
            };
            let refused = |at: &str, what: String| {
                format!(
                    "The CustomResourceDefinition \"{}\" is invalid: {path}{at}: {what}",
                    crd.name
                )
            };
            for invalid in &estimates.invalid {
                let what = format!(
                    "Invalid value: {:?}: compilation failed: {}",
                    invalid.text.trim(),
                    invalid.why
                );
                out.push(refused(&invalid.path, what));
            }
            for r in celcost::refusals(&estimates.costs) {
                let cost = match r.limit {
                    Some(limit) => format!("estimated cost {}, limit {limit}", r.cost),
                    None => format!("estimated cost {}", r.cost),
                };
                let text = r
                    .text
                    .map(|t| format!(": {}", t.trim()))
                    .unwrap_or_default();
                out.push(refused(
                    &r.path,
                    format!("Forbidden: {} ({cost}){text}", r.message),
                ));
            }
        }
        out
    }

    /// Whether a CEL rule can be checked here: `Ok(true)` it is, `Ok(false)` it is a
    /// transition rule (skipped), `Err` why it is not checked (for coverage reports).
    pub fn rule_support(&self, rule: &str) -> Result<bool, RuleGap> {
        self.cel.support(rule)
    }

    /// The kind of the registry an object's `apiVersion` and `kind` name: a kind of a
    /// CRD library, else one of the Kubernetes version validation uses
    /// ([`Registry::api_kinds`]); `None` when neither has it (or its schema does not
    /// load).
    pub fn find_kind<'r>(registry: &'r Registry, object: &Value) -> Option<&'r Kind> {
        let (api_version, kind) =
            crate::manifest::k8s_object::identity(object.as_object()?).ok()?;
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        let group_key = crate::model::library::group_key(group);
        let kind_key = crate::model::library::camel_lower(kind);
        let crd = registry.libraries().find_map(|lib| {
            let k = lib.slot(&group_key, version, &kind_key)?.kind()?.ok()?;
            (k.group == group && k.version == version && k.kind == kind).then_some(k)
        });
        crd.or_else(|| registry.api_kinds()?.find(api_version, kind)?.ok())
    }
}

/// One step of a JSON path: a key (its bytes in [`Path::keys`]) or an index.
#[derive(Debug, Clone, Copy)]
enum Step {
    Key(usize, usize),
    Index(usize),
}

/// The path of the value being checked. The keys are copied into one buffer, so
/// stepping in and out allocates nothing; the path is rendered only for a finding.
#[derive(Debug, Default, Clone)]
struct Path {
    keys: String,
    steps: Vec<Step>,
}

impl Path {
    /// Steps into the field `key`.
    fn push_key(&mut self, key: &str) {
        let start = self.keys.len();
        self.keys.push_str(key);
        self.steps.push(Step::Key(start, self.keys.len()));
    }

    /// Steps into the element `index`.
    fn push_index(&mut self, index: usize) {
        self.steps.push(Step::Index(index));
    }

    /// Steps out of the last step.
    fn pop(&mut self) {
        if let Some(Step::Key(start, _)) = self.steps.pop() {
            self.keys.truncate(start);
        }
    }

    /// Renders `spec.rules[0].backendRefs[1].port`; keys that are not identifiers are
    /// quoted: `metadata.labels["app.kubernetes.io/name"]`.
    fn render(&self) -> String {
        let mut out = String::new();
        for step in &self.steps {
            match *step {
                Step::Key(start, end) => {
                    let k = &self.keys[start..end];
                    let identifier = !k.is_empty()
                        && k.chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
                    if identifier {
                        if !out.is_empty() {
                            out.push('.');
                        }
                        out.push_str(k);
                    } else {
                        let _ = write!(out, "[{}]", Value::String(k.to_owned()));
                    }
                }
                Step::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
            }
        }
        out
    }
}

/// A value as compact JSON, shortened to about 80 characters.
fn show_value(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() <= 80 {
        return s;
    }
    let mut short: String = s.chars().take(77).collect();
    short.push_str("...");
    short
}

#[cfg(test)]
mod tests;
