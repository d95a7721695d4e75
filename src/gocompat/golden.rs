//! The Go-made goldens of `tests/testdata/gocompat/golden.jsonl`, one JSON object per
//! line with a `rule` field, for the tests of the sibling modules.

use serde_json::{Map, Value};

/// Every golden line whose `rule` is `rule`.
pub fn cases(rule: &str) -> Vec<Map<String, Value>> {
    include_str!("../../tests/testdata/gocompat/golden.jsonl")
        .lines()
        .map(|line| match serde_json::from_str(line) {
            Ok(Value::Object(m)) => m,
            other => panic!("golden line is not an object: {line}: {other:?}"),
        })
        .filter(|m| m.get("rule").and_then(Value::as_str) == Some(rule))
        .collect()
}

/// The string field `name` of a golden line.
pub fn field<'a>(case: &'a Map<String, Value>, name: &str) -> &'a str {
    case.get(name)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("golden line {case:?} has no string `{name}`"))
}
