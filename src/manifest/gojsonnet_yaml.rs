//! go-jsonnet's YAML (`std.manifestYamlDoc`, `std.manifestYamlStream`): its layout
//! and quoting rules (every string quoted except multi-line ones ending in a newline;
//! keys bare only when YAML cannot read them as anything but a string).
//!
//! Contact point: the std overrides (`crate::engine::overrides`) call [`Yaml`].

use jrsonnet_evaluator::{
    error::{ErrorKind, Result},
    val::ArrValue,
    IStr, Val,
};

use super::{json::escape_json_string, nested};

/// The YAML writer of `std.manifestYamlDoc`, with go-jsonnet's layout rules.
pub struct Yaml {
    /// Indent arrays that are object fields (`indent_array_in_object`).
    pub indent_array_in_object: bool,
    /// Quote every key, as go-jsonnet does by default (`quote_keys`).
    pub quote_keys: bool,
}

impl Yaml {
    /// One document, without document markers.
    pub fn document(&self, value: &Val) -> Result<String> {
        let mut out = String::new();
        self.value(&mut out, value, "")?;
        Ok(out)
    }

    /// A stream of documents: `---` before each, `...` after the last when
    /// `document_end`.
    pub fn stream(&self, docs: &ArrValue, document_end: bool) -> Result<String> {
        let mut out = String::from("---\n");
        for (i, doc) in docs.iter().enumerate() {
            if i != 0 {
                out.push_str("\n---\n");
            }
            self.value(&mut out, &doc?, "")?;
        }
        out.push_str(if document_end { "\n...\n" } else { "\n" });
        Ok(out)
    }

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
            Val::Arr(items) => nested(|| {
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
            Val::Obj(obj) => nested(|| {
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
    use super::is_bare_key;

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
