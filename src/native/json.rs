//! Conversion of model-side JSON values (docs fields, defaults) into Jsonnet values.

use jrsonnet_evaluator::{ObjValueBuilder, Val};

/// Converts a JSON value into the equal Jsonnet value.
pub fn json_to_val(v: &serde_json::Value) -> Val {
    match v {
        serde_json::Value::Null => Val::Null,
        serde_json::Value::Bool(b) => Val::Bool(*b),
        serde_json::Value::Number(n) => {
            Val::try_num(n.as_f64().unwrap_or(0.0)).unwrap_or(Val::Null)
        }
        serde_json::Value::String(s) => Val::from(s.as_str()),
        serde_json::Value::Array(items) => {
            Val::arr(items.iter().map(json_to_val).collect::<Vec<_>>())
        }
        serde_json::Value::Object(map) => {
            let mut b = ObjValueBuilder::with_capacity(map.len());
            for (k, v) in map {
                b.field(k.as_str()).value(json_to_val(v));
            }
            Val::Obj(b.build())
        }
    }
}
