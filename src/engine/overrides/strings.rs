//! Strings as go-jsonnet makes them: numbers formatted like `%.17g` in `toString` and
//! `escapeStringJson` (and `escapeStringPython`, which go-jsonnet defines as it), compound values as single-line JSON, `base64`, `base64Decode` and `base64DecodeBytes`
//! with go-jsonnet's bytes and messages (Go's decoder: [`crate::gocompat::base64`]), and
//! the `TRACE:` line. `std.parseInt` as Go's `strconv.ParseInt` (64-bit) and `std.char`
//! with Go's rune conversion. `std.md5` writes the digest's hex digits itself ([`crate::gocompat::md5`];
//! jrsonnet formats each byte through `fmt`, a quarter of its cost on short strings).

use jrsonnet_evaluator::{
    error::{ErrorKind, Result},
    function::builtin,
    IBytes, IStr, Val,
};

use crate::engine::error::{go_std_error, type_error, StdFrame};
use crate::gocompat::base64 as gobase64;
use crate::manifest::json::{escape_json_string, go_to_string};

/// `std.assertEqual`: `true`, or go-jsonnet's `Assertion failed. a != b` (strings
/// quoted as JSON, other values as `std.toString` writes them) raised in go's `std`.
#[builtin]
pub(super) fn builtin_assert_equal(a: Val, b: Val) -> Result<bool> {
    if jrsonnet_evaluator::val::equals(&a, &b)? {
        return Ok(true);
    }
    let show = |v: &Val| -> Result<String> {
        Ok(match v {
            Val::Str(s) => {
                let mut out = String::new();
                escape_json_string(&mut out, &s.to_string());
                out
            }
            other => go_to_string(other)?,
        })
    };
    let message = format!("Assertion failed. {} != {}", show(&a)?, show(&b)?);
    Err(go_std_error(
        message,
        &[StdFrame::at(861, 7, 56, "function <anonymous>")],
    ))
}

/// `std.sum`: a left fold from 0, as go-jsonnet defines it (so `sum([])` is `0`).
#[builtin]
pub(super) fn builtin_sum(arr: Vec<f64>) -> f64 {
    arr.iter().fold(0.0, |acc, x| acc + x)
}

#[builtin]
pub(super) fn builtin_to_string(a: Val) -> Result<String> {
    go_to_string(&a)
}

/// `std.md5(s)`: the MD5 digest of the string's UTF-8 bytes, as 32 lowercase hex digits.
#[builtin]
pub(super) fn builtin_md5(s: IStr) -> String {
    crate::gocompat::md5::md5_hex(s.as_bytes())
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
        return Err(type_error(message, "string"));
    };
    match location {
        Some(at) => eprintln!("TRACE: {at} {message}"),
        None => eprintln!("TRACE: {message}"),
    }
    Ok(())
}

/// A runtime error with go-jsonnet's text.
fn runtime(message: String) -> jrsonnet_evaluator::error::Error {
    ErrorKind::RuntimeError(message.into()).into()
}

/// `std.base64`, as go-jsonnet 0.22 encodes: a string whose code points are all below
/// 256 is encoded as its UTF-8 bytes (go-jsonnet's `[]byte(string)`: `"ÿ"` gives
/// `w78=`), an array of integers 0–255 as those bytes; its messages.
#[builtin]
pub(super) fn builtin_base64(input: Val) -> Result<String> {
    let invalid = |n: String| {
        runtime(format!(
            "base64 encountered invalid codepoint value in the array (must be 0 <= X <= 255), got {n}"
        ))
    };
    match &input {
        Val::Str(s) => {
            let s = s.to_string();
            if let Some(c) = s.chars().find(|c| u32::from(*c) > 255) {
                return Err(invalid(u32::from(c).to_string()));
            }
            Ok(gobase64::encode_std(s.as_bytes()))
        }
        Val::Arr(items) => {
            let mut bytes = Vec::with_capacity(items.len() as usize);
            for item in items.iter() {
                match item? {
                    Val::Num(n) if n.get().fract() == 0.0 => match u8::try_from(n.get() as i64) {
                        Ok(b) => bytes.push(b),
                        Err(_) => return Err(invalid(go_to_string(&Val::Num(n))?)),
                    },
                    other => {
                        return Err(runtime(format!(
                            "base64 encountered a non-integer value in the array, got {}",
                            other.value_type()
                        )))
                    }
                }
            }
            Ok(gobase64::encode_std(&bytes))
        }
        other => Err(runtime(format!(
            "base64 can only base64 encode strings / arrays of single bytes, got {}",
            other.value_type()
        ))),
    }
}

/// The bytes of `std.base64Decode(str)`/`std.base64DecodeBytes(str)` as go-jsonnet
/// decodes them: a string whose UTF-8 length is a multiple of 4, then Go's
/// `base64.StdEncoding.DecodeString`; go-jsonnet's messages (both functions say
/// `base64DecodeBytes`).
fn go_base64_decode(input: &Val) -> Result<Vec<u8>> {
    let Val::Str(s) = input else {
        return Err(runtime(format!(
            "base64DecodeBytes requires a string, got {}",
            input.value_type()
        )));
    };
    let s = s.to_string();
    if s.len() % 4 != 0 {
        return Err(runtime(format!(
            "input string appears not to be a base64 encoded string. Wrong length found ({})",
            s.len()
        )));
    }
    gobase64::decode_std(s.as_bytes()).map_err(|at| {
        runtime(format!(
            "failed to decode: illegal base64 data at input byte {at}"
        ))
    })
}

/// `std.base64Decode(str)`: the decoded bytes as a string, each byte of an invalid
/// UTF-8 sequence a U+FFFD (as go-jsonnet's `string(bytes)`).
#[builtin]
pub(super) fn builtin_base64_decode(str: Val) -> Result<String> {
    Ok(gobase64::lossy_string(&go_base64_decode(&str)?))
}

/// `std.base64DecodeBytes(str)`: the decoded bytes as an array of numbers.
#[builtin]
pub(super) fn builtin_base64_decode_bytes(str: Val) -> Result<IBytes> {
    Ok(go_base64_decode(&str)?.as_slice().into())
}

/// `std.parseInt(str)`: Go's `strconv.ParseInt(str, 10, 64)` converted to a number, as
/// go-jsonnet: an optional `+` or `-`, decimal digits, within 64 bits (so
/// `"9223372036854775807"` is 2^63 as a float64, and one more is an error).
#[builtin]
pub(super) fn builtin_parse_int(str: IStr) -> Result<f64> {
    let text = str.to_string();
    match text.parse::<i64>() {
        Ok(n) if !text.starts_with("+-") => Ok(if n == 0 { 0.0 } else { n as f64 }),
        _ => Err(ErrorKind::RuntimeError(format!("{text} is not a base 10 integer").into()).into()),
    }
}

/// `std.char(n)` as go-jsonnet: `n` is truncated to a whole code point, a surrogate
/// becomes U+FFFD (Go's `string(rune)`), and a negative or too large one is an error.
#[builtin]
pub(super) fn builtin_char(n: f64) -> Result<String> {
    if n < 0.0 {
        return Err(ErrorKind::RuntimeError(
            format!(
                "Codepoints must be >= 0, got {}",
                crate::gocompat::float::format_g(n)
            )
            .into(),
        )
        .into());
    }
    if n > f64::from(u32::from(char::MAX)) {
        return Err(ErrorKind::RuntimeError(
            format!(
                "Invalid unicode codepoint, got {}",
                crate::gocompat::float::format_g(n)
            )
            .into(),
        )
        .into());
    }
    Ok(char::from_u32(n as u32)
        .unwrap_or(char::REPLACEMENT_CHARACTER)
        .to_string())
}

/// The length `std.length` gives a value of a type it takes (characters of a string,
/// elements, visible fields, parameters); `None` for the others.
fn go_length(v: &Val) -> Option<usize> {
    Some(match v {
        Val::Str(s) => s.to_string().chars().count(),
        Val::Arr(a) => a.len() as usize,
        Val::Obj(o) => o.len() as usize,
        Val::Func(f) => f.params_len() as usize,
        _ => return None,
    })
}

/// `std.startsWith(a, b)` and `std.endsWith(a, b)` as go-jsonnet's `std.jsonnet` writes
/// them: `false` when `a` is shorter than `b`, else `b` compared with the piece of `a`
/// that `std.substr` cuts (so a non-string `b` is `false`, and a non-string `a` long
/// enough is `substr`'s error at go's `<std>` frame `at`).
fn affix(a: &Val, b: &Val, at_end: bool, at: StdFrame) -> Result<bool> {
    let (Some(len_a), Some(len_b)) = (go_length(a), go_length(b)) else {
        // go's `std.length` check, given by the checks wrapper.
        return Err(type_error(a, "string"));
    };
    if len_a < len_b {
        return Ok(false);
    }
    let Val::Str(text) = a else {
        return Err(go_std_error(
            format!(
                "substr first parameter should be a string, got {}",
                a.value_type().name()
            ),
            &[at],
        ));
    };
    let Val::Str(affix) = b else {
        return Ok(false);
    };
    let text = text.to_string();
    let skip = if at_end { len_a - len_b } else { 0 };
    let piece: String = text.chars().skip(skip).take(len_b).collect();
    Ok(piece == affix.to_string())
}

/// `std.startsWith(a, b)` as go-jsonnet ([`affix`]).
#[builtin]
pub(super) fn builtin_starts_with(a: Val, b: Val) -> Result<bool> {
    affix(
        &a,
        &b,
        false,
        StdFrame::at(52, 7, 38, "function <anonymous>"),
    )
}

/// `std.endsWith(a, b)` as go-jsonnet ([`affix`]).
#[builtin]
pub(super) fn builtin_ends_with(a: Val, b: Val) -> Result<bool> {
    affix(
        &a,
        &b,
        true,
        StdFrame::at(58, 7, 66, "function <anonymous>"),
    )
}

#[cfg(test)]
mod tests {
    use super::builtin_md5;

    #[test]
    fn md5_digests_are_go_jsonnets() {
        // go-jsonnet 0.22: std.md5 of each.
        for (text, digest) in [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("grüße, 世界", "64f53a184babae7ab040130ca2faa5e3"),
            (&"a".repeat(1000), "cabe45dcc9ae5b66ba86600cca6b8ba8"),
        ] {
            assert_eq!(builtin_md5(text.into()), digest, "{text}");
        }
    }
}
