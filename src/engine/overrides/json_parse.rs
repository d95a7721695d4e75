//! `std.parseJson` as go-jsonnet runs it: Go's `encoding/json` reading
//! ([`crate::gocompat::json`]) — nesting up to Go's 10,000 levels (jrsonnet's reader
//! stopped at 128), numbers as float64, the last of duplicate keys, and Go's messages
//! after `failed to parse JSON: `.

use jrsonnet_evaluator::{
    error::{ErrorKind, Result},
    function::builtin,
    IStr, ObjValueBuilder, Val,
};

use crate::gocompat::json::{self as go_json, Value};

#[builtin]
pub(super) fn builtin_parse_json(str: IStr) -> Result<Val> {
    let failed = |e: go_json::JsonError| {
        ErrorKind::RuntimeError(format!("failed to parse JSON: {e}").into())
    };
    let value = go_json::parse(&str)
        .and_then(|node| node.to_value())
        .map_err(failed)?;
    to_val(&value)
}

/// The Jsonnet value of a decoded JSON value.
fn to_val(value: &Value) -> Result<Val> {
    Ok(match value {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(n) => Val::try_num(*n)?,
        Value::String(s) => Val::from(s.as_str()),
        Value::Array(items) => Val::arr(items.iter().map(to_val).collect::<Result<Vec<_>>>()?),
        Value::Object(entries) => {
            let mut object = ObjValueBuilder::with_capacity(entries.len());
            for (key, value) in entries {
                object.field(key.as_str()).value(to_val(value)?);
            }
            Val::Obj(object.build())
        }
    })
}
