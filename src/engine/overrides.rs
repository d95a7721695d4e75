//! `std` functions whose jrsonnet behaviour differs from go-jsonnet's, reimplemented
//! natively so results match go-jsonnet byte for byte: number-to-string conversion
//! (`toString`, `escapeStringJson` on non-strings), `mantissa`/`exponent`, and the YAML
//! manifesters (go quotes every string except multi-line ones that end in a newline).

use jrsonnet_evaluator::{
    error::{ErrorKind, Result},
    function::builtin,
    IStr, ObjValueBuilder, Val,
};

use super::{manifest::escape_json_string, number::write_number};

/// Adds the overriding functions to a `std` layer.
pub fn install(builder: &mut ObjValueBuilder) {
    builder.method("toString", builtin_to_string {});
    builder.method("escapeStringJson", builtin_escape_string_json {});
    builder.method("mantissa", builtin_mantissa {});
    builder.method("exponent", builtin_exponent {});
    builder.method("manifestYamlDoc", builtin_manifest_yaml_doc {});
    builder.method("manifestYamlStream", builtin_manifest_yaml_stream {});
    builder.method("trace", builtin_trace {});
    builder.method("base64", builtin_base64 {});
}

/// go-jsonnet's string form of a value: strings as is, numbers like `%.17g`, anything
/// else as compact JSON.
fn go_to_string(v: &Val) -> Result<String> {
    Ok(match v {
        Val::Str(s) => s.to_string(),
        Val::Num(n) => {
            let mut out = String::new();
            write_number(&mut out, n.get());
            out
        }
        other => other.to_string()?.to_string(),
    })
}

#[builtin]
fn builtin_to_string(a: Val) -> Result<String> {
    go_to_string(&a)
}

#[builtin]
fn builtin_escape_string_json(str_: Val) -> Result<String> {
    let mut out = String::new();
    escape_json_string(&mut out, &go_to_string(&str_)?);
    Ok(out)
}

/// `std.trace(str, rest)`: both arguments required, as in go-jsonnet. jrsonnet hands
/// builtins no call location, so the line shows the message without `file:line`.
#[builtin]
fn builtin_trace(str: Val, rest: jrsonnet_evaluator::Thunk<Val>) -> Result<Val> {
    eprintln!("TRACE: {}", go_to_string(&str)?);
    rest.evaluate()
}

/// `std.base64`: strings must hold only code points below 256 (bytes), as in go-jsonnet.
#[builtin]
fn builtin_base64(input: Val) -> Result<String> {
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

/// `x = m * 2^e` with `0.5 <= |m| < 1` (both 0 for 0), like C's `frexp`.
fn frexp(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        // Subnormal: scale into the normal range first.
        let (m, e) = frexp(x * 2f64.powi(64));
        return (m, e - 64);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, exp - 1022)
}

#[builtin]
fn builtin_mantissa(x: f64) -> f64 {
    frexp(x).0
}

#[builtin]
fn builtin_exponent(x: f64) -> f64 {
    f64::from(frexp(x).1)
}

#[builtin]
fn builtin_manifest_yaml_doc(
    value: Val,
    #[default(false)] indent_array_in_object: bool,
    #[default(true)] quote_keys: bool,
) -> Result<String> {
    let yaml = Yaml {
        indent_array_in_object,
        quote_keys,
    };
    let mut out = String::new();
    yaml.value(&mut out, &value, "")?;
    Ok(out)
}

#[builtin]
fn builtin_manifest_yaml_stream(
    value: Val,
    #[default(false)] indent_array_in_object: bool,
    #[default(true)] c_document_end: bool,
    #[default(true)] quote_keys: bool,
) -> Result<String> {
    let Val::Arr(docs) = value else {
        return Err(ErrorKind::RuntimeError(
            format!(
                "manifestYamlStream only takes arrays, got {}",
                value.value_type()
            )
            .into(),
        )
        .into());
    };
    let yaml = Yaml {
        indent_array_in_object,
        quote_keys,
    };
    let mut out = String::from("---\n");
    for (i, doc) in docs.iter().enumerate() {
        if i != 0 {
            out.push_str("\n---\n");
        }
        yaml.value(&mut out, &doc?, "")?;
    }
    out.push_str(if c_document_end { "\n...\n" } else { "\n" });
    Ok(out)
}

/// The YAML writer of `std.manifestYamlDoc`, with go-jsonnet's layout rules.
struct Yaml {
    indent_array_in_object: bool,
    quote_keys: bool,
}

impl Yaml {
    fn value(&self, out: &mut String, v: &Val, indent: &str) -> Result<()> {
        match v {
            Val::Bool(true) => out.push_str("true"),
            Val::Bool(false) => out.push_str("false"),
            Val::Null => out.push_str("null"),
            Val::Num(n) => out.push_str(&n.to_string()),
            Val::Str(s) => {
                let s = s.to_string();
                if s.is_empty() {
                    out.push_str("\"\"");
                } else if let Some(body) = s.strip_suffix('\n') {
                    out.push('|');
                    for line in body.split('\n') {
                        out.push('\n');
                        out.push_str(indent);
                        out.push_str("  ");
                        out.push_str(line);
                    }
                } else {
                    escape_json_string(out, &s);
                }
            }
            Val::Func(_) => {
                return Err(ErrorKind::RuntimeError("tried to manifest function".into()).into())
            }
            Val::Arr(items) => jrsonnet_evaluator::ensure_sufficient_stack(|| {
                if items.is_empty() {
                    out.push_str("[]");
                    return Ok(());
                }
                for (i, item) in items.iter().enumerate() {
                    let item = item?;
                    if i != 0 {
                        out.push('\n');
                        out.push_str(indent);
                    }
                    out.push('-');
                    let child = format!("{indent}  ");
                    match &item {
                        Val::Arr(a) if !a.is_empty() => {
                            out.push('\n');
                            out.push_str(&child);
                            self.value(out, &item, &child)?;
                        }
                        Val::Obj(o) if !o.fields().is_empty() => {
                            out.push(' ');
                            self.value(out, &item, &child)?;
                        }
                        _ => {
                            out.push(' ');
                            self.value(out, &item, indent)?;
                        }
                    }
                }
                Ok::<_, jrsonnet_evaluator::Error>(())
            })?,
            Val::Obj(obj) => jrsonnet_evaluator::ensure_sufficient_stack(|| {
                obj.run_assertions()?;
                let fields = obj.fields();
                if fields.is_empty() {
                    out.push_str("{}");
                    return Ok(());
                }
                for (i, key) in fields.into_iter().enumerate() {
                    let item = obj.get(key.clone())?.expect("listed field exists");
                    if i != 0 {
                        out.push('\n');
                        out.push_str(indent);
                    }
                    self.key(out, &key);
                    out.push(':');
                    match &item {
                        Val::Arr(a) if !a.is_empty() => {
                            let child = if self.indent_array_in_object {
                                format!("{indent}  ")
                            } else {
                                indent.to_owned()
                            };
                            out.push('\n');
                            out.push_str(&child);
                            self.value(out, &item, &child)?;
                        }
                        Val::Obj(o) if !o.fields().is_empty() => {
                            let child = format!("{indent}  ");
                            out.push('\n');
                            out.push_str(&child);
                            self.value(out, &item, &child)?;
                        }
                        _ => {
                            out.push(' ');
                            self.value(out, &item, indent)?;
                        }
                    }
                }
                Ok::<_, jrsonnet_evaluator::Error>(())
            })?,
        }
        Ok(())
    }

    fn key(&self, out: &mut String, key: &IStr) {
        if !self.quote_keys && is_bare_key(key) {
            out.push_str(key);
        } else {
            escape_json_string(out, key);
        }
    }
}

/// True when a key can stay unquoted: safe characters only, and not a word or number
/// YAML would read as something other than a string.
fn is_bare_key(key: &str) -> bool {
    const RESERVED: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ];
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '/' | '.'))
        && !RESERVED.contains(&key.to_ascii_lowercase().as_str())
        && !key.chars().all(|c| c == '-')
        && !is_yaml_date(key)
        && !is_yaml_number(key)
}

/// A YAML timestamp's date part: `YYYY-M-D...`.
fn is_yaml_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 8 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[5].is_ascii_digit()
}

/// YAML 1.1/1.2 numbers: decimal (with `_`), hex, binary, floats, `.inf`, `.nan`.
fn is_yaml_number(s: &str) -> bool {
    let t = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = t.to_ascii_lowercase();
    if lower == ".inf" || lower == ".nan" {
        return true;
    }
    // Radix prefixes count only in lower case, as go-jsonnet's check has it.
    if let Some(hex) = t.strip_prefix("0x") {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit() || c == '_');
    }
    if let Some(bin) = t.strip_prefix("0b") {
        return !bin.is_empty() && bin.chars().all(|c| matches!(c, '0' | '1' | '_'));
    }
    let (mantissa, exponent) = match lower.split_once('e') {
        Some((m, e)) => (m, Some(e)),
        None => (lower.as_str(), None),
    };
    let digits = mantissa.chars().filter(char::is_ascii_digit).count();
    let dots = mantissa.chars().filter(|c| *c == '.').count();
    let mantissa_ok = digits > 0
        && dots <= 1
        && mantissa
            .chars()
            .all(|c| c.is_ascii_digit() || c == '_' || c == '.');
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::{frexp, is_bare_key};

    #[test]
    fn frexp_matches_c() {
        assert_eq!(frexp(42.0), (0.65625, 6));
        assert_eq!(frexp(0.0), (0.0, 0));
        assert_eq!(frexp(-1.0), (-0.5, 1));
        assert_eq!(frexp(f64::MIN_POSITIVE / 4.0), (0.5, -1023));
    }

    #[test]
    fn bare_keys_like_go_jsonnet() {
        for bare in [
            "a",
            "-a",
            "a-",
            "_a",
            "a/b",
            "a.b",
            "0o17",
            "1x",
            "0X_0a_74_ae",
            "-0B1010_01",
        ] {
            assert!(is_bare_key(bare), "{bare}");
        }
        for quoted in [
            "", "1", "-1", "+1", ".5", "1.5", "1e3", "0x1F", "1_000", ".inf", ".nan", "yes", "No",
            "ON", "y", "null", "true", "a b", "a:b", "@a", "é",
        ] {
            assert!(!is_bare_key(quoted), "{quoted}");
        }
    }
}
