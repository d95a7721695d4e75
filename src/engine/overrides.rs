//! `std` functions whose jrsonnet behaviour differs from go-jsonnet's, reimplemented
//! natively so results match go-jsonnet byte for byte: number-to-string conversion
//! (`toString`, `escapeStringJson` on non-strings), `mantissa`/`exponent`, and the YAML
//! manifesters (go quotes every string except multi-line ones that end in a newline).

use jrsonnet_evaluator::{
    apply_tla,
    error::{ErrorKind, Result},
    function::{builtin, builtin::Builtin, CallLocation, FuncVal, FunctionSignature},
    tla::TlaArg,
    IStr, ObjValue, ObjValueBuilder, Thunk, Val,
};
use jrsonnet_gcmodule::Trace;

use super::{manifest::escape_json_string, number::write_number};

/// Adds the overriding functions to a `std` layer over `upstream` (jrsonnet's `std`).
pub fn install(builder: &mut ObjValueBuilder, upstream: &ObjValue) {
    // go-jsonnet's set functions index their arguments, so strings work as arrays of
    // characters; jrsonnet's insist on arrays.
    for name in ["setInter", "setUnion", "setDiff"] {
        if let Ok(Some(Val::Func(f))) = upstream.get(name.into()) {
            builder.method(
                name,
                StringsAsArrays {
                    name: name.into(),
                    upstream: f,
                },
            );
        }
    }
    builder.method("toString", builtin_to_string {});
    builder.method("escapeStringJson", builtin_escape_string_json {});
    builder.method("mantissa", builtin_mantissa {});
    builder.method("exponent", builtin_exponent {});
    builder.method("manifestYamlDoc", builtin_manifest_yaml_doc {});
    builder.method("manifestYamlStream", builtin_manifest_yaml_stream {});
    builder.method("trace", builtin_trace {});
    builder.method("base64", builtin_base64 {});
    builder.method("pow", builtin_pow {});
    builder.method("manifestTomlEx", builtin_manifest_toml_ex {});
    builder.method("manifestToml", builtin_manifest_toml {});
}

/// Calls an upstream `std` function with string arguments turned into arrays of
/// one-character strings.
#[derive(Trace)]
struct StringsAsArrays {
    name: IStr,
    upstream: FuncVal,
}

impl Builtin for StringsAsArrays {
    fn name(&self) -> &str {
        &self.name
    }
    fn params(&self) -> FunctionSignature {
        self.upstream.params()
    }
    fn call(&self, _loc: CallLocation<'_>, args: &[Option<Thunk<Val>>]) -> Result<Val> {
        let params = self.upstream.params();
        let mut named = std::collections::HashMap::new();
        for (param, arg) in params.iter().zip(args) {
            let (Some(name), Some(arg)) = (param.name().as_str(), arg) else {
                continue;
            };
            let value = match arg.evaluate()? {
                Val::Str(s) => Val::arr(
                    s.to_string()
                        .chars()
                        .map(|c| Val::from(c.to_string()))
                        .collect::<Vec<_>>(),
                ),
                other => other,
            };
            named.insert(IStr::from(name), TlaArg::Val(value));
        }
        apply_tla(&named, Val::Func(self.upstream.clone()))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
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

/// `std.trace(str, rest)` where no call site is known (e.g. `std.trace` passed around
/// as a value): a string and a value, both required, as in go-jsonnet.
#[builtin]
fn builtin_trace(str: Val, rest: jrsonnet_evaluator::Thunk<Val>) -> Result<Val> {
    print_trace(None, &str)?;
    rest.evaluate()
}

/// Prints go-jsonnet's trace line, `TRACE: file:line message`, to stderr.
pub(super) fn print_trace(location: Option<&str>, message: &Val) -> Result<()> {
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

/// `std.pow` computed the way Go's `math.Pow` does (binary powering of the frexp
/// mantissa, `exp(frac * ln x)` for the fractional part), so results agree with
/// go-jsonnet to the last digit.
#[builtin]
fn builtin_pow(x: f64, n: f64) -> Result<f64> {
    Ok(go_pow(x, n))
}

fn go_pow(x: f64, y: f64) -> f64 {
    let is_odd_int = |v: f64| v.fract() == 0.0 && (v.abs() < 2f64.powi(53)) && (v as i64) % 2 != 0;
    if y == 0.0 || x == 1.0 {
        return 1.0;
    }
    if y == 1.0 {
        return x;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 {
        return match (y < 0.0, is_odd_int(y)) {
            (true, true) => f64::INFINITY.copysign(x),
            (true, false) => f64::INFINITY,
            (false, true) => x,
            (false, false) => 0.0,
        };
    }
    if y.is_infinite() {
        return if x == -1.0 {
            1.0
        } else if (x.abs() < 1.0) == (y > 0.0) {
            0.0
        } else {
            f64::INFINITY
        };
    }
    if x.is_infinite() {
        if x < 0.0 {
            return go_pow(1.0 / x, -y);
        }
        return if y < 0.0 { 0.0 } else { f64::INFINITY };
    }
    if y == 0.5 {
        return x.sqrt();
    }
    if y == -0.5 {
        return 1.0 / x.sqrt();
    }
    let mut yi = y.abs().trunc();
    let mut yf = y.abs() - yi;
    if yf != 0.0 && x < 0.0 {
        return f64::NAN;
    }
    if yi >= 2f64.powi(63) {
        // An even integer this large: the result is 0, 1 or infinity.
        return if x == -1.0 {
            1.0
        } else if (x.abs() < 1.0) == (y > 0.0) {
            0.0
        } else {
            f64::INFINITY
        };
    }
    let mut a1 = 1.0;
    let mut ae: i64 = 0;
    if yf != 0.0 {
        if yf > 0.5 {
            yf -= 1.0;
            yi += 1.0;
        }
        a1 = (yf * x.ln()).exp();
    }
    let (mut x1, xe) = frexp(x);
    let mut xe = i64::from(xe);
    let mut i = yi as i64;
    while i != 0 {
        if !(-(1 << 12)..=(1 << 12)).contains(&xe) {
            // The exponent overflows whatever the mantissa does.
            ae += xe;
            break;
        }
        if i & 1 == 1 {
            a1 *= x1;
            ae += xe;
        }
        x1 *= x1;
        xe <<= 1;
        if x1 < 0.5 {
            x1 += x1;
            xe -= 1;
        }
        i >>= 1;
    }
    if y < 0.0 {
        a1 = 1.0 / a1;
        ae = -ae;
    }
    ldexp(a1, ae)
}

/// `frac * 2^exp`, rounding once like C's `ldexp`.
fn ldexp(frac: f64, exp: i64) -> f64 {
    if frac == 0.0 || !frac.is_finite() {
        return frac;
    }
    let (m, e) = frexp(frac);
    let exp = exp.saturating_add(i64::from(e));
    if exp > 1024 {
        return f64::INFINITY.copysign(frac);
    }
    if exp < -1100 {
        return 0.0f64.copysign(frac);
    }
    // m in [0.5, 1): scale in two exact steps, the last one rounding into subnormals.
    let exp = exp as i32;
    if exp > 1000 {
        (m * 2f64.powi(exp - 100)) * 2f64.powi(100)
    } else if exp >= -1021 {
        m * 2f64.powi(exp)
    } else {
        (m * 2f64.powi(exp + 600)) * 2f64.powi(-600)
    }
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

#[builtin]
fn builtin_manifest_toml_ex(value: Val, indent: IStr) -> Result<String> {
    toml_document(&value, &indent)
}

#[builtin]
fn builtin_manifest_toml(value: Val) -> Result<String> {
    toml_document(&value, "  ")
}

/// `std.manifestTomlEx` with go-jsonnet's layout: plain keys first, then `[tables]` and
/// `[[table arrays]]`, nested tables indented by `indent`, numbers as go prints them.
fn toml_document(value: &Val, indent: &str) -> Result<String> {
    let Val::Obj(obj) = value else {
        return Err(ErrorKind::RuntimeError(
            format!("TOML body must be an object. Got {}", value.value_type()).into(),
        )
        .into());
    };
    let toml = Toml { indent };
    let mut out = String::new();
    toml.table_body(&mut out, obj, &[], "")?;
    Ok(out)
}

struct Toml<'a> {
    indent: &'a str,
}

impl Toml<'_> {
    fn is_table_array(v: &Val) -> Result<bool> {
        let Val::Arr(items) = v else { return Ok(false) };
        if items.is_empty() {
            return Ok(false);
        }
        for item in items.iter() {
            if !matches!(item?, Val::Obj(_)) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn is_section(v: &Val) -> Result<bool> {
        Ok(matches!(v, Val::Obj(_)) || Self::is_table_array(v)?)
    }

    fn key(out: &mut String, key: &str) {
        if !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            out.push_str(key);
        } else {
            escape_json_string(out, key);
        }
    }

    fn path(out: &mut String, path: &[IStr]) {
        for (i, k) in path.iter().enumerate() {
            if i != 0 {
                out.push('.');
            }
            Self::key(out, k);
        }
    }

    fn value(&self, out: &mut String, v: &Val, inline: bool, indent: &str) -> Result<()> {
        match v {
            Val::Bool(true) => out.push_str("true"),
            Val::Bool(false) => out.push_str("false"),
            Val::Null => {
                return Err(ErrorKind::RuntimeError("Tried to manifest \"null\"".into()).into())
            }
            Val::Num(n) => write_number(out, n.get()),
            Val::Str(s) => escape_json_string(out, &s.to_string()),
            Val::Func(_) => {
                return Err(ErrorKind::RuntimeError("Tried to manifest function".into()).into())
            }
            Val::Arr(items) => {
                if items.is_empty() {
                    out.push_str("[]");
                    return Ok(());
                }
                let inner = if inline {
                    String::new()
                } else {
                    format!("{indent}{}", self.indent)
                };
                let sep = if inline { " " } else { "\n" };
                out.push('[');
                out.push_str(sep);
                for (i, item) in items.iter().enumerate() {
                    if i != 0 {
                        out.push(',');
                        out.push_str(sep);
                    }
                    out.push_str(&inner);
                    self.value(out, &item?, true, "")?;
                }
                out.push_str(sep);
                if !inline {
                    out.push_str(indent);
                }
                out.push(']');
            }
            Val::Obj(obj) => {
                out.push_str("{ ");
                for (i, key) in obj.fields().into_iter().enumerate() {
                    if i != 0 {
                        out.push_str(", ");
                    }
                    let item = obj.get(key.clone())?.expect("listed field exists");
                    Self::key(out, &key);
                    out.push_str(" = ");
                    self.value(out, &item, true, "")?;
                }
                out.push_str(" }");
            }
        }
        Ok(())
    }

    /// Plain keys, then sections, joined by blank lines.
    fn table_body(
        &self,
        out: &mut String,
        obj: &ObjValue,
        path: &[IStr],
        indent: &str,
    ) -> Result<()> {
        let fields = obj.fields();
        let mut plain = Vec::new();
        let mut sections = Vec::new();
        for key in fields {
            let v = obj.get(key.clone())?.expect("listed field exists");
            if Self::is_section(&v)? {
                sections.push((key, v));
            } else {
                plain.push((key, v));
            }
        }
        for (i, (key, v)) in plain.iter().enumerate() {
            if i != 0 {
                out.push('\n');
            }
            out.push_str(indent);
            Self::key(out, key);
            out.push_str(" = ");
            self.value(out, v, false, indent)?;
        }
        for (key, v) in sections {
            out.push_str("\n\n");
            let mut child = path.to_vec();
            child.push(key);
            match &v {
                Val::Obj(o) => self.table(out, o, &child, indent, false)?,
                Val::Arr(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if i != 0 {
                            out.push_str("\n\n");
                        }
                        let Val::Obj(o) = item? else {
                            unreachable!("a table array holds only objects")
                        };
                        self.table(out, &o, &child, indent, true)?;
                    }
                }
                _ => unreachable!("sections are objects or table arrays"),
            }
        }
        Ok(())
    }

    fn table(
        &self,
        out: &mut String,
        obj: &ObjValue,
        path: &[IStr],
        indent: &str,
        array: bool,
    ) -> Result<()> {
        out.push_str(indent);
        out.push_str(if array { "[[" } else { "[" });
        Self::path(out, path);
        out.push_str(if array { "]]" } else { "]" });
        if !obj.fields().is_empty() {
            out.push('\n');
        }
        self.table_body(out, obj, path, &format!("{indent}{}", self.indent))
    }
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
