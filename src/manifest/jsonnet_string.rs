//! Jsonnet string literals as the jsonnet-libs generator writes them: Go's
//! `json.Marshal` text, restyled by go-jsonnet's formatter.
//!
//! Contact points: the source generator (`crate::libsonnet`) and the docs' argument
//! defaults (`crate::docs`).

/// A string literal as the generator writes it: Go's `json.Marshal` text, then
/// go-jsonnet's formatter string style (single quotes by default, double quotes when the
/// text has a `'`, the JSON text unchanged when it has both `'` and `"`).
pub fn string_literal(s: &str) -> String {
    let has_single = s.contains('\'');
    let has_double = s.contains('"');
    if has_single && has_double {
        let mut out = String::with_capacity(s.len() + 2);
        super::go_json_indent::write_string(&mut out, s);
        return out;
    }
    let single = !has_single;
    let quote = if single { '\'' } else { '"' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    out.push_str(&jsonnet_escape(s, single));
    out.push(quote);
    out
}

/// A field name as the formatter prints it: bare when it is an identifier that is not
/// a keyword, otherwise a string literal.
pub fn field_name(name: &str) -> String {
    if is_identifier(name) {
        name.to_owned()
    } else {
        string_literal(name)
    }
}

/// go-jsonnet's `IsValidIdentifier`: `[A-Za-z_][A-Za-z0-9_]*` and not a keyword.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == '_') {
        return false;
    }
    if !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return false;
    }
    !matches!(
        s,
        "assert"
            | "else"
            | "error"
            | "false"
            | "for"
            | "function"
            | "if"
            | "import"
            | "importstr"
            | "importbin"
            | "in"
            | "local"
            | "null"
            | "self"
            | "super"
            | "tailstrict"
            | "then"
            | "true"
    )
}

/// go-jsonnet's `StringEscape`: escapes the active quote, `\`, the C escapes, and
/// control characters (C0, DEL and C1) as `\uXXXX`.
fn jsonnet_escape(s: &str, single: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' if !single => out.push_str("\\\""),
            '\'' if single => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || (0x7f..=0x9f).contains(&(c as u32)) => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::string_literal;

    #[test]
    fn string_styles() {
        assert_eq!(string_literal(""), "''");
        assert_eq!(string_literal("plain"), "'plain'");
        assert_eq!(string_literal("\"q\" a\\nb"), "'\"q\" a\\\\nb'");
        assert_eq!(string_literal("it's"), "\"it's\"");
        assert_eq!(
            string_literal("\"it's\" <&>"),
            "\"\\\"it's\\\" \\u003c\\u0026\\u003e\""
        );
        assert_eq!(string_literal("a\n\tb<"), "'a\\n\\tb<'");
        assert_eq!(
            string_literal("\u{1}\u{7f}\u{85}é"),
            "'\\u0001\\u007f\\u0085é'"
        );
        assert_eq!(
            string_literal("'\"\u{1}\u{7f}\u{2028}"),
            "\"'\\\"\\u0001\u{7f}\\u2028\""
        );
    }
}
