//! Short descriptions of the `cel` crate's values and errors for findings.
//!
//! The crate's own texts embed whole values in Rust's debug form (`List([String("a"),
//! …])`): a rule that fails on a list of ten thousand items would put all of them in
//! one finding. Here a value is its CEL type and a rendering cut at [`LIMIT`]
//! characters (`list of 10000 items: ["a", "b", …]`), and an error is the crate's
//! message with each value so described.
//!
//! Contact points: [`super::cel`] describes with these what a rule returned or failed
//! with.

use std::fmt::Write as _;

use cel::{objects::Key, ExecutionError, Value as Cel};

/// Characters of a value's rendering, at most (the `…` that marks a cut aside).
const LIMIT: usize = 60;

/// `v` as its type and a rendering of at most [`LIMIT`] characters: `int 3`, `string
/// "a"`, `list of 2 items: [1, 2]`, `map of 1 entry: {"a": 1}`.
pub fn describe(v: &Cel) -> String {
    let mut text = String::new();
    let complete = render(v, &mut text);
    if !complete {
        text.push('…');
    }
    let items =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match v {
        Cel::List(l) => format!("list of {}: {text}", items(l.len(), "item", "items")),
        Cel::Map(m) => format!("map of {}: {text}", items(m.map.len(), "entry", "entries")),
        other => format!("{} {text}", other.type_of()),
    }
}

/// Appends `v`'s rendering to `out` while `out` is shorter than [`LIMIT`]; false when
/// it was cut.
fn render(v: &Cel, out: &mut String) -> bool {
    if out.chars().count() >= LIMIT {
        return false;
    }
    match v {
        Cel::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if !render(item, out) {
                    return false;
                }
            }
            out.push(']');
        }
        Cel::Map(m) => {
            out.push('{');
            for (i, (key, value)) in m.map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let key = match key {
                    Key::String(s) => Cel::String(s.clone()),
                    Key::Int(n) => Cel::Int(*n),
                    Key::Uint(n) => Cel::UInt(*n),
                    Key::Bool(b) => Cel::Bool(*b),
                };
                if !render(&key, out) {
                    return false;
                }
                out.push_str(": ");
                if !render(value, out) {
                    return false;
                }
            }
            out.push('}');
        }
        Cel::String(s) => push_cut(out, &format!("{:?}", cut(s, LIMIT))),
        Cel::Bytes(b) => push_cut(out, &format!("b{:?}", &b[..b.len().min(LIMIT)])),
        Cel::Int(n) => push_cut(out, &n.to_string()),
        Cel::UInt(n) => push_cut(out, &format!("{n}u")),
        Cel::Float(f) => push_cut(out, &f.to_string()),
        Cel::Bool(b) => push_cut(out, &b.to_string()),
        Cel::Null => out.push_str("null"),
        Cel::Timestamp(t) => push_cut(out, &t.to_rfc3339()),
        Cel::Duration(d) => push_cut(out, &d.to_string()),
        Cel::Function(name, _) => push_cut(out, name),
        Cel::Opaque(o) => push_cut(out, o.runtime_type_name()),
        Cel::Struct(s) => push_cut(out, s.name()),
    }
    out.chars().count() <= LIMIT
}

/// The first `n` characters of `s`.
fn cut(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

/// Appends as much of `text` as [`LIMIT`] leaves room for.
fn push_cut(out: &mut String, text: &str) {
    let room = LIMIT.saturating_sub(out.chars().count());
    out.push_str(cut(text, room + 1));
}

/// The crate's message for `e`, with every value in it [`describe`]d.
pub fn describe_error(e: &ExecutionError) -> String {
    let d = describe;
    let mut out = String::new();
    let _ = match e {
        ExecutionError::UnsupportedTargetType { target } => {
            write!(out, "Invalid argument type: {}", d(target))
        }
        ExecutionError::NotSupportedAsMethod { method, target } => {
            write!(out, "Method '{method}' not supported on {}", d(target))
        }
        ExecutionError::UnsupportedKeyType(v) => {
            write!(out, "Unable to use {} as a key", d(v))
        }
        ExecutionError::ValuesNotComparable(a, b) => {
            write!(out, "{} can not be compared to {}", d(a), d(b))
        }
        ExecutionError::UnsupportedBinaryOperator(op, a, b) => {
            write!(
                out,
                "Unsupported binary operator '{op}': {}, {}",
                d(a),
                d(b)
            )
        }
        ExecutionError::UnsupportedIndex(i, v) => {
            write!(out, "Cannot use {} to index {}", d(i), d(v))
        }
        ExecutionError::DivisionByZero(v) => write!(out, "Division by zero of {}", d(v)),
        ExecutionError::RemainderByZero(v) => write!(out, "Remainder by zero of {}", d(v)),
        ExecutionError::Overflow(op, a, b) => {
            write!(
                out,
                "Overflow from binary operator '{op}': {}, {}",
                d(a),
                d(b)
            )
        }
        ExecutionError::IndexOutOfBounds(v) => write!(out, "Index out of bounds: {}", d(v)),
        ExecutionError::DuplicateKey(v) => write!(out, "Failed with repeated key: {}", d(v)),
        other => write!(out, "{other}"),
    };
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn values_are_their_type_and_a_bounded_rendering() {
        assert_eq!(describe(&Cel::Int(3)), "int 3");
        assert_eq!(
            describe(&Cel::String(Arc::new("a\"b".into()))),
            "string \"a\\\"b\""
        );
        let list = Cel::List(Arc::new(vec![Cel::Int(1), Cel::Bool(true), Cel::Null]));
        assert_eq!(describe(&list), "list of 3 items: [1, true, null]");
        let big: Vec<Cel> = (0..10_000)
            .map(|i| Cel::String(Arc::new(format!("item-{i}"))))
            .collect();
        let text = describe(&Cel::List(Arc::new(big)));
        assert!(
            text.starts_with("list of 10000 items: [\"item-0\", \"item-1\""),
            "{text}"
        );
        assert!(text.ends_with('…'), "{text}");
        assert!(text.chars().count() < 100, "{text}");
        let long = Cel::String(Arc::new("x".repeat(100_000)));
        assert!(describe(&long).chars().count() < 80);
        let nested = Cel::List(Arc::new(vec![Cel::List(Arc::new(vec![long; 3]))]));
        assert!(describe(&nested).chars().count() < 100);
    }

    #[test]
    fn errors_describe_their_values() {
        let big = Cel::List(Arc::new(vec![Cel::Int(7); 10_000]));
        let e = ExecutionError::UnsupportedBinaryOperator("add", big, Cel::Int(1));
        let text = describe_error(&e);
        assert!(
            text.starts_with("Unsupported binary operator 'add': list of 10000 items: [7, 7,"),
            "{text}"
        );
        assert!(text.ends_with("…, int 1"), "{text}");
        let e = ExecutionError::NoSuchKey(Arc::new("a".into()));
        assert_eq!(describe_error(&e), "No such key: a");
    }
}
