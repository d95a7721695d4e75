//! Strings as go-jsonnet makes them: numbers formatted like `%.17g` in `toString` and
//! `escapeStringJson` (and `escapeStringPython`, which go-jsonnet defines as it), compound values as single-line JSON, `base64` of bytes only, and
//! the `TRACE:` line.

use jrsonnet_evaluator::{
    error::{ErrorKind, Result},
    function::builtin,
    Val,
};

use crate::manifest::json::{escape_json_string, go_to_string};

/// `std.sum`: a left fold from 0, as go-jsonnet defines it (so `sum([])` is `0`).
#[builtin]
pub(super) fn builtin_sum(arr: Vec<f64>) -> f64 {
    arr.iter().fold(0.0, |acc, x| acc + x)
}

#[builtin]
pub(super) fn builtin_to_string(a: Val) -> Result<String> {
    go_to_string(&a)
}

#[builtin]
pub(super) fn builtin_escape_string_json(str_: Val) -> Result<String> {
    let mut out = String::new();
    escape_json_string(&mut out, &go_to_string(&str_)?);
    Ok(out)
}

/// `std.escapeStringPython(str)`: go-jsonnet's `escapeStringJson`, so U+007F–U+009F
/// are escaped too.
#[builtin]
pub(super) fn builtin_escape_string_python(str: Val) -> Result<String> {
    let mut out = String::new();
    escape_json_string(&mut out, &go_to_string(&str)?);
    Ok(out)
}

/// `std.trace(str, rest)` where no call site is known (e.g. `std.trace` passed around
/// as a value): a string and a value, both required, as in go-jsonnet.
#[builtin]
pub(super) fn builtin_trace(str: Val, rest: jrsonnet_evaluator::Thunk<Val>) -> Result<Val> {
    print_trace(None, &str)?;
    rest.evaluate()
}

/// Prints go-jsonnet's trace line, `TRACE: file:line message`, to stderr.
pub(in crate::engine) fn print_trace(location: Option<&str>, message: &Val) -> Result<()> {
    let Val::Str(message) = message else {
        return Err(ErrorKind::RuntimeError(
            format!(
                "Builtin function trace expected string as first parameter but got {}",
                message.value_type()
            )
            .into(),
        )
        .into());
    };
    match location {
        Some(at) => eprintln!("TRACE: {at} {message}"),
        None => eprintln!("TRACE: {message}"),
    }
    Ok(())
}

/// `std.base64`: strings must hold only code points below 256 (bytes), as in go-jsonnet.
#[builtin]
pub(super) fn builtin_base64(input: Val) -> Result<String> {
    let bytes: Vec<u8> = match &input {
        Val::Str(s) => {
            let s = s.to_string();
            let mut out = Vec::with_capacity(s.len());
            for c in s.chars() {
                let Ok(b) = u8::try_from(u32::from(c)) else {
                    return Err(ErrorKind::RuntimeError(
                        format!("base64 encountered invalid codepoint value in the string (must be 0 <= X <= 255), got {}", u32::from(c)).into(),
                    )
                    .into());
                };
                out.push(b);
            }
            out
        }
        Val::Arr(items) => {
            let mut out = Vec::with_capacity(items.len() as usize);
            for item in items.iter() {
                match item? {
                    Val::Num(n) if (0.0..=255.0).contains(&n.get()) && n.get().fract() == 0.0 => {
                        out.push(n.get() as u8)
                    }
                    other => {
                        return Err(ErrorKind::RuntimeError(
                            format!("base64 encountered invalid value in the array (must be integers 0 <= X <= 255), got {}", go_to_string(&other)?).into(),
                        )
                        .into())
                    }
                }
            }
            out
        }
        other => {
            return Err(ErrorKind::RuntimeError(
                format!(
                    "base64 expects a string or an array, got {}",
                    other.value_type()
                )
                .into(),
            )
            .into())
        }
    };
    Ok(base64_encode(&bytes))
}

/// Standard base64 with padding.
fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
