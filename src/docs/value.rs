//! How docsonnet v0.0.5 prints the default values of the docs (`pkg/render`): an
//! argument's default as Jsonnet (`data={}`, `type='Opaque'`: Go's `json.Marshal`
//! reformatted by the go-jsonnet formatter with single quotes, unpadded objects and
//! arrays, identifier field names bare), a value field's default with Go's `fmt.Sprint`
//! of the decoded JSON (`map[a:1]`, `[x y]`).
//! Contact points: [`super::render_package`]; numbers through [`crate::gocompat::float`].

use serde_json::Value;

use crate::gocompat::float::{format_g, format_json};
use crate::manifest::jsonnet_string::{field_name, string_literal};

/// An argument's default as docsonnet writes it after `name=`.
pub fn jsonnet_param(v: &Value) -> String {
    let mut out = String::new();
    write_jsonnet(&mut out, v);
    out
}

fn write_jsonnet(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&format_json(n.as_f64().unwrap_or(f64::NAN))),
        Value::String(s) => out.push_str(&string_literal(s)),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_jsonnet(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            // serde_json's map is sorted bytewise, as Go's json.Marshal sorts keys.
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&field_name(k));
                out.push_str(": ");
                write_jsonnet(out, item);
            }
            out.push('}');
        }
    }
}

/// A value field's default as Go's `fmt.Sprint` prints the decoded JSON.
pub fn go_sprint(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format_g(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(go_sprint).collect();
            format!("[{}]", parts.join(" "))
        }
        Value::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .map(|(k, item)| format!("{k}:{}", go_sprint(item)))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn argument_defaults_print_as_formatted_jsonnet() {
        assert_eq!(jsonnet_param(&json!({})), "{}");
        assert_eq!(jsonnet_param(&json!([])), "[]");
        assert_eq!(jsonnet_param(&json!(1)), "1");
        assert_eq!(jsonnet_param(&json!(1e21)), "1e+21");
        assert_eq!(jsonnet_param(&json!("Opaque")), "'Opaque'");
        assert_eq!(jsonnet_param(&json!("it's")), "\"it's\"");
        assert_eq!(jsonnet_param(&json!("a\"b'c<")), "\"a\\\"b'c\\u003c\"");
        assert_eq!(jsonnet_param(&json!("a\nb\\<")), "'a\\nb\\\\<'");
        assert_eq!(
            jsonnet_param(&json!({"b": [1, true, null], "a-b": {"if": "x"}, "a": 0.5})),
            "{a: 0.5, 'a-b': {'if': 'x'}, b: [1, true, null]}"
        );
    }

    #[test]
    fn value_defaults_print_as_go_sprint() {
        assert_eq!(go_sprint(&json!("x y")), "x y");
        assert_eq!(go_sprint(&json!(1000000)), "1e+06");
        assert_eq!(go_sprint(&json!(2.5)), "2.5");
        assert_eq!(
            go_sprint(&json!({"b": [1, "s"], "a": null})),
            "map[a:<nil> b:[1 s]]"
        );
    }
}
