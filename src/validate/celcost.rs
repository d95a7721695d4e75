//! The runtime cost limits of CEL rules, as the API server applies them: one rule
//! evaluation may cost at most [`PER_CALL_LIMIT`], and the rules of one object together
//! at most [`PER_OBJECT_BUDGET`]; past either the API server stops and rejects the
//! object.
//!
//! What is counted here is a lower bound of cel-go's cost: one unit per element a
//! comprehension (`all`, `exists`, `map`, `filter`, …) or a list function takes from a
//! list or map of the object (cel-go charges that and more for the loop body), so a rule
//! stopped here is stopped by the API server too, while a rule whose cost comes from
//! elsewhere (long strings) may run past the API server's limit undetected. Outcomes
//! [`super::cel`] remembers cost nothing again, which also only undercounts.
//!
//! Contact points: [`super::cel`] wraps each rule evaluation in [`start_call`] /
//! [`end_call`] and counts in its shared containers' iterators ([`charge`]);
//! [`super::structural::check_object`] starts each object ([`start_object`]).

use std::cell::Cell;

/// cel-go's `PerCallLimit` in the API server (`apiextensions` validation).
pub const PER_CALL_LIMIT: u64 = 1_000_000;

/// The API server's `RuntimeCELCostBudget` for the rules of one object.
pub const PER_OBJECT_BUDGET: u64 = 10_000_000;

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
