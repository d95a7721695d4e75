//! The API server's cost limits of CEL rules: the estimated cost of each rule when a
//! CRD is created ([`estimate_schema`], [`refusals`]), and the runtime limits when an object is
//! validated ([`start_call`], [`charge`], …).
//!
//! **Estimated cost.** The API server refuses a CRD when one rule's estimated cost,
//! times the most times its node can occur in one object, exceeds
//! [`ESTIMATED_RULE_LIMIT`], or when the costs of all rules of a version's schema
//! together exceed [`ESTIMATED_SCHEMA_LIMIT`]. How often a node can occur is the
//! product of the `maxItems`/`maxProperties` of the arrays and maps above it, or, when
//! one is unbounded, what fits in a request of 3 MiB ([`decl`]); the cost of an
//! expression is cel-go's static estimate ([`estimate`]). Followed:
//! k8s.io/apiextensions-apiserver `pkg/apis/apiextensions/validation` (cost limits,
//! cardinality, messages) and `pkg/apiserver/schema/cel/compilation.go` as of commit
//! 1aa2717 (July 2026, Kubernetes 1.36 development), k8s.io/apiserver `pkg/cel` at
//! 24a394e (same date), and cel-go `checker/cost.go` at 14f6746 (v0.28, the estimator
//! of the v0.29.2 the API server uses is the same code); the differences are listed in
//! `docs/compatibility.md` and all err towards accepting.
//!
//! **Runtime cost.** One rule evaluation may cost at most [`PER_CALL_LIMIT`], and the
//! rules of one object together at most [`PER_OBJECT_BUDGET`]; past either the API
//! server stops and rejects the object. What is counted here is a lower bound of
//! cel-go's cost: one unit per element a comprehension (`all`, `exists`, `map`,
//! `filter`, …) or a list function takes from a list or map of the object (cel-go
//! charges that and more for the loop body), so a rule stopped here is stopped by the
//! API server too, while a rule whose cost comes from elsewhere (long strings) may run
//! past the API server's limit undetected. Outcomes [`super::cel`] remembers cost
//! nothing again, which also only undercounts.
//!
//! Contact points: [`super::Validator`] asks for a kind's [`refusals`] once, with
//! [`super::cel::Rules::estimated_cost`] estimating each expression; [`super::cel`]
//! wraps each rule evaluation in [`start_call`] / [`end_call`] and counts in its
//! shared containers' iterators ([`charge`]); [`super::structural::check_object`]
//! starts each object ([`start_object`]).

pub mod decl;
pub mod estimate;

use std::cell::Cell;

use crate::model::{AdditionalProperties, Schema};
use decl::{cardinality_factor, request_cardinality, Decl};

/// cel-go's `PerCallLimit` in the API server (`apiextensions` validation).
pub const PER_CALL_LIMIT: u64 = 1_000_000;

/// The API server's `RuntimeCELCostBudget` for the rules of one object.
pub const PER_OBJECT_BUDGET: u64 = 10_000_000;

/// The API server's limit on one rule's estimated cost, times the most times its
/// node can occur (`StaticEstimatedCostLimit`).
pub const ESTIMATED_RULE_LIMIT: u64 = 10_000_000;

/// The API server's limit on the estimated cost of all rules of one schema
/// (`StaticEstimatedCRDCostLimit`).
pub const ESTIMATED_SCHEMA_LIMIT: u64 = 100_000_000;

/// The estimated cost of one rule or message expression of a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estimated {
    /// Its field path below the schema's root:
    /// `.properties[spec].x-kubernetes-validations[0].rule`.
    pub path: String,
    /// The expression.
    pub text: String,
    /// The estimated cost; a rule's times the most times its node can occur.
    pub cost: u64,
    /// A `messageExpression` rather than a rule.
    pub message_expression: bool,
}

/// What [`estimate_schema`] found in a schema.
#[derive(Debug, Default)]
pub struct Estimates {
    /// The estimated cost of each rule and message expression that compiles.
    pub costs: Vec<Estimated>,
    /// The rules and message expressions that do not compile.
    pub invalid: Vec<Invalid>,
}

/// A rule or message expression that does not compile: the API server refuses the
/// CRD with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// Its field path below the schema's root, as [`Estimated::path`].
    pub path: String,
    /// The expression.
    pub text: String,
    /// Why it does not compile (with its line and column).
    pub why: String,
}

/// Estimates every rule (and message expression) of a CRD version's schema `root`, in
/// the order of the schema (properties by name, then map values, then items), as the
/// API server does when the CRD is created. `cost_of(text, is_rule, self)` estimates
/// one expression, or says why it does not compile (the CRD is refused for that).
/// Rules below `allOf`, `anyOf`, `oneOf` and `not` are not estimated (the API server
/// does not compile them there either).
pub fn estimate_schema(root: &Schema, cost_of: &CostOf<'_>) -> Estimates {
    let mut out = Estimates::default();
    walk(root, true, Some(1), &mut String::new(), cost_of, &mut out);
    out
}

/// Estimates one expression of a schema node ([`estimate_schema`]): its cost, or why it
/// does not compile.
pub type CostOf<'a> = dyn Fn(&str, bool, Decl<'_>) -> Result<u64, String> + 'a;

/// [`estimate_schema`] at node `s`, which can occur at most `cardinality` times in an
/// object (`None`: an array or map above it is unbounded).
fn walk(
    s: &Schema,
    resource_root: bool,
    cardinality: Option<u64>,
    path: &mut String,
    cost_of: &CostOf<'_>,
    out: &mut Estimates,
) {
    let decl = Decl::Node(s, resource_root || s.embedded_resource == Some(true));
    // A node the API server does not declare to CEL gets no estimate (its rules are
    // refused for that).
    let declared = match s.validations() {
        [] => None,
        _ => decl.min_size(),
    };
    for (i, rule) in s.validations().iter().enumerate() {
        let Some(min_size) = declared else {
            break;
        };
        if rule.rule.trim().is_empty() {
            continue;
        }
        let at = format!("{path}.x-kubernetes-validations[{i}]");
        let cost = match cost_of(&rule.rule, true, decl) {
            Ok(cost) => cost,
            Err(why) => {
                out.invalid.push(Invalid {
                    path: format!("{at}.rule"),
                    text: rule.rule.clone(),
                    why,
                });
                continue;
            }
        };
        let times = cardinality.unwrap_or_else(|| request_cardinality(min_size));
        out.costs.push(Estimated {
            path: format!("{at}.rule"),
            text: rule.rule.clone(),
            cost: times_guarded(cost, times),
            message_expression: false,
        });
        let Some(m) = rule.message_expression.as_deref().filter(|m| !m.is_empty()) else {
            continue;
        };
        match cost_of(m, false, decl) {
            Ok(cost) => out.costs.push(Estimated {
                path: format!("{at}.messageExpression"),
                text: m.to_owned(),
                cost,
                message_expression: true,
            }),
            Err(why) => out.invalid.push(Invalid {
                path: format!("{at}.messageExpression"),
                text: m.to_owned(),
                why,
            }),
        }
    }
    let below = cardinality
        .zip(cardinality_factor(s))
        .map(|(c, f)| times_guarded(c, f));
    let len = path.len();
    for (name, p) in s.properties() {
        path.push_str(".properties[");
        path.push_str(name);
        path.push(']');
        walk(p, false, below, path, cost_of, out);
        path.truncate(len);
    }
    if let Some(AdditionalProperties::Schema(values)) = &s.additional_properties {
        path.push_str(".additionalProperties");
        walk(values, false, below, path, cost_of, out);
        path.truncate(len);
    }
    if let Some(items) = s.items() {
        path.push_str(".items");
        walk(items, false, below, path, cost_of, out);
        path.truncate(len);
    }
}

/// `cost` times `n`, `u64::MAX` past it (`multiplyWithOverflowGuard`).
fn times_guarded(cost: u64, n: u64) -> u64 {
    cost.saturating_mul(n)
}

/// What the API server refuses a schema for, given its rules' [`Estimated`] costs:
/// (field path below the schema's root, the API server's message, the cost and the
/// limit it exceeds, the expression). A rule over [`ESTIMATED_RULE_LIMIT`]; when the
/// total is over [`ESTIMATED_SCHEMA_LIMIT`], the (at most four) most expensive rules
/// that contributed at least 1 % of it, then the total itself (path empty, no
/// expression).
pub fn refusals(estimated: &[Estimated]) -> Vec<Refusal> {
    let mut out = Vec::new();
    let mut total = 0u64;
    for e in estimated {
        if e.cost > ESTIMATED_RULE_LIMIT {
            let what = if e.message_expression {
                "estimated messageExpression cost"
            } else {
                "estimated rule cost"
            };
            out.push(Refusal {
                path: e.path.clone(),
                message: over_budget(what, e.cost, ESTIMATED_RULE_LIMIT),
                cost: e.cost,
                limit: Some(ESTIMATED_RULE_LIMIT),
                text: Some(e.text.clone()),
            });
        }
        total = total.saturating_add(e.cost);
    }
    if total > ESTIMATED_SCHEMA_LIMIT {
        let mut expensive: Vec<&Estimated> = estimated
            .iter()
            .filter(|e| e.cost >= ESTIMATED_SCHEMA_LIMIT / 100)
            .collect();
        expensive.sort_by_key(|e| std::cmp::Reverse(e.cost));
        for e in expensive.into_iter().take(4) {
            out.push(Refusal {
                path: e.path.clone(),
                message: "contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema".into(),
                cost: e.cost,
                limit: None,
                text: Some(e.text.clone()),
            });
        }
        let what = "x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema";
        out.push(Refusal {
            path: String::new(),
            message: over_budget(what, total, ESTIMATED_SCHEMA_LIMIT),
            cost: total,
            limit: Some(ESTIMATED_SCHEMA_LIMIT),
            text: None,
        });
    }
    out
}

/// One reason the API server refuses a CRD ([`refusals`]): a `Forbidden` error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The field path below the schema's root (empty: the schema).
    pub path: String,
    /// The API server's message.
    pub message: String,
    /// The estimated cost (of the rule, or of all rules).
    pub cost: u64,
    /// The limit it exceeds, when it exceeds one itself.
    pub limit: Option<u64>,
    /// The rule or message expression.
    pub text: Option<String>,
}

/// The API server's message for a cost over its limit (`getCostErrorMessage`).
fn over_budget(what: &str, cost: u64, limit: u64) -> String {
    let factor = cost as f64 / limit as f64;
    let factor = if factor > 100.0 {
        "more than 100x".to_owned()
    } else if factor < 1.5 {
        format!("{factor:.6}x")
    } else {
        format!("{factor:.1}x")
    };
    format!("{what} exceeds budget by factor of {factor} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)")
}

thread_local! {
    /// Units left in the current call; `None` outside a call (nothing is counted).
    static CALL_LEFT: Cell<Option<u64>> = const { Cell::new(None) };
    /// Units the object's calls spent so far.
    static OBJECT_SPENT: Cell<u64> = const { Cell::new(0) };
    /// Whether the object was told its budget is spent.
    static OBJECT_TOLD: Cell<bool> = const { Cell::new(false) };
}

/// Starts the rules of a new object: its budget is whole again.
pub fn start_object() {
    OBJECT_SPENT.set(0);
    OBJECT_TOLD.set(false);
}

/// Whether the object's budget is spent (no further rule may run).
pub fn object_exhausted() -> bool {
    OBJECT_SPENT.get() >= PER_OBJECT_BUDGET
}

/// True the first time it is asked after the object's budget was spent, so the
/// object gets one finding about it.
pub fn tell_exhausted() -> bool {
    object_exhausted() && !OBJECT_TOLD.replace(true)
}

/// Starts counting one rule evaluation, with the per-call limit or what is left of
/// the object's budget, whichever is less (plus one, to tell reaching it from
/// passing it).
pub fn start_call() {
    let left = PER_OBJECT_BUDGET.saturating_sub(OBJECT_SPENT.get());
    CALL_LEFT.set(Some(PER_CALL_LIMIT.min(left) + 1));
}

/// How a counted evaluation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spent {
    /// Within the limits.
    Within,
    /// Over the per-call limit.
    CallLimit,
    /// Over what was left of the object's budget.
    ObjectBudget,
}

/// Ends counting the evaluation [`start_call`] began, charging its cost to the
/// object.
pub fn end_call() -> Spent {
    let Some(left) = CALL_LEFT.replace(None) else {
        return Spent::Within;
    };
    let before = OBJECT_SPENT.get();
    let allowed = PER_CALL_LIMIT.min(PER_OBJECT_BUDGET.saturating_sub(before));
    let spent = allowed + 1 - left;
    OBJECT_SPENT.set(before + spent);
    match (left, allowed == PER_CALL_LIMIT) {
        (0, true) => Spent::CallLimit,
        (0, false) => Spent::ObjectBudget,
        _ => Spent::Within,
    }
}

/// Charges one unit to the running evaluation; false once its limit is passed (the
/// caller then stops iterating: the outcome is discarded by [`end_call`]).
pub fn charge() -> bool {
    match CALL_LEFT.get() {
        None => true,
        Some(0) => false,
        Some(left) => {
            CALL_LEFT.set(Some(left - 1));
            left > 1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each rule costs 7, messages 3.
    fn fixed(text: &str, is_rule: bool, _: Decl<'_>) -> Result<u64, String> {
        match text.contains("syntax error") {
            true => Err(format!("cannot compile {text}")),
            false => Ok(if is_rule { 7 } else { 3 }),
        }
    }

    #[test]
    fn rules_are_multiplied_by_how_often_their_node_can_occur() {
        let rules = serde_json::json!([{"rule": "r", "messageExpression": "m"}]);
        let s = Schema::from_json(&serde_json::json!({
            "type": "object",
            "x-kubernetes-validations": [{"rule": "root"}, {"rule": "syntax error"}, {"rule": " "}],
            "properties": {
                "bounded": {"type": "array", "maxItems": 5, "items": {
                    "type": "array", "maxItems": 10, "items": {
                        "type": "string", "x-kubernetes-validations": rules}}},
                "map": {"type": "object", "maxProperties": 4, "additionalProperties": {
                    "type": "object", "x-kubernetes-validations": rules}},
                "unbounded": {"type": "array", "items": {
                    "type": "integer", "x-kubernetes-validations": rules}},
                "untyped": {"x-kubernetes-validations": rules}
            }
        }))
        .unwrap();
        let found = estimate_schema(&s, &fixed);
        assert_eq!(
            found.invalid,
            [Invalid {
                path: ".x-kubernetes-validations[1].rule".into(),
                text: "syntax error".into(),
                why: "cannot compile syntax error".into(),
            }]
        );
        let got: Vec<(String, u64)> = found.costs.into_iter().map(|e| (e.path, e.cost)).collect();
        let rule = ".x-kubernetes-validations[0].rule";
        let message = ".x-kubernetes-validations[0].messageExpression";
        let p = |at: &str, what: &str| format!("{at}{what}");
        let bounded = ".properties[bounded].items.items";
        let map = ".properties[map].additionalProperties";
        let unbounded = ".properties[unbounded].items";
        assert_eq!(
            got,
            [
                (rule.to_owned(), 7),
                (p(bounded, rule), 7 * 50),
                (p(bounded, message), 3),
                (p(map, rule), 7 * 4),
                (p(map, message), 3),
                // An integer takes at least 1 byte and a comma.
                (p(unbounded, rule), 7 * (3 * 1024 * 1024 / 2)),
                (p(unbounded, message), 3),
            ]
        );
    }

    #[test]
    fn refusals_are_in_the_api_servers_words() {
        let e = |path: &str, cost: u64| Estimated {
            path: path.into(),
            text: format!("rule at {path}"),
            cost,
            message_expression: false,
        };
        assert!(refusals(&[e(".a", ESTIMATED_RULE_LIMIT)]).is_empty());
        let over = refusals(&[e(".a", 12_000_000), e(".b", 30_000_000)]);
        assert_eq!(over.len(), 2);
        assert_eq!(over[0].message, "estimated rule cost exceeds budget by factor of 1.200000x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)");
        assert!(
            over[1].message.contains("by factor of 3.0x"),
            "{}",
            over[1].message
        );
        let huge = refusals(&[e(".a", u64::MAX)]);
        assert!(huge[0].message.contains("by factor of more than 100x"));
        // The total: the four most expensive contributors of at least 1 %, then itself.
        let many: Vec<Estimated> = (0..12)
            .map(|i| e(&format!(".r{i}"), 9_000_000 + i))
            .collect();
        let total = refusals(&many);
        let paths: Vec<&str> = total.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(paths, [".r11", ".r10", ".r9", ".r8", ""]);
        assert_eq!(total[4].cost, 108_000_066);
        assert_eq!(
            total[4].message,
            "x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of 1.080001x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)"
        );
        assert_eq!(total[0].message, "contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema");
    }

    #[test]
    fn a_call_stops_past_its_limit_and_the_object_past_its_budget() {
        start_object();
        start_call();
        assert!((0..PER_CALL_LIMIT).all(|_| charge()));
        assert_eq!(end_call(), Spent::Within);
        start_call();
        assert!(!(0..=PER_CALL_LIMIT).all(|_| charge()));
        assert_eq!(end_call(), Spent::CallLimit);
        // 2,000,001 spent; eight more full calls exhaust the budget.
        for _ in 0..7 {
            start_call();
            (0..PER_CALL_LIMIT).for_each(|_| {
                charge();
            });
            assert_eq!(end_call(), Spent::Within);
        }
        start_call();
        assert!(!(0..PER_CALL_LIMIT).all(|_| charge()));
        assert_eq!(end_call(), Spent::ObjectBudget);
        assert!(object_exhausted());
        assert!(tell_exhausted());
        assert!(!tell_exhausted(), "once");
        // Outside a call nothing is counted.
        assert!(charge());
        start_object();
        assert!(!object_exhausted());
    }
}
