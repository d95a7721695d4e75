//! Go's `json.MarshalIndent(v, "", indent)` of a value decoded into `interface{}`:
//! keys sorted bytewise, `{}`/`[]` when empty, numbers as Go `float64`, strings with
//! Go's escapes (`<`, `>`, `&`, U+2028, U+2029 as `\u…`; `\b`, `\f` as Go 1.22+ writes
//! them), and no trailing newline. `tk eval` prints this with two spaces, `tk export`'s
//! `manifest.json` with four.
//! Contact points: [`crate::tanka`] (`eval`, `export`); numbers via
//! [`crate::gocompat::float`].

use serde_json::Value;

use crate::gocompat::float::format_json;

/// `value` as `json.MarshalIndent(value, "", indent)` writes it (no trailing newline).
pub fn marshal_indent(value: &Value, indent: &str) -> String {
    let mut out = String::new();
    Writer {
        out: &mut out,
        indent,
    }
    .value(value, 0);
    out
}

/// The text written so far and the indent of one level.
struct Writer<'a> {
    out: &'a mut String,
    indent: &'a str,
}

impl Writer<'_> {
    fn newline(&mut self, depth: usize) {
        self.out.push('\n');
        for _ in 0..depth {
            self.out.push_str(self.indent);
        }
    }

    fn value(&mut self, value: &Value, depth: usize) {
        match value {
            Value::Null => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => self
                .out
                .push_str(&format_json(n.as_f64().unwrap_or(f64::NAN))),
            Value::String(s) => write_string(self.out, s),
            Value::Array(items) if items.is_empty() => self.out.push_str("[]"),
            Value::Array(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.newline(depth + 1);
                    self.value(item, depth + 1);
                }
                self.newline(depth);
                self.out.push(']');
            }
            Value::Object(map) if map.is_empty() => self.out.push_str("{}"),
            Value::Object(map) => {
                self.out.push('{');
                // serde_json's map is a BTreeMap: bytewise key order, as Go sorts.
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.newline(depth + 1);
                    write_string(self.out, k);
                    self.out.push_str(": ");
                    self.value(v, depth + 1);
                }
                self.newline(depth);
                self.out.push('}');
            }
        }
    }
}

/// Whether `encoding/json` writes `c` as `\u00xx` for HTML safety (Go ≥ 1.22: `<`, `>`,
/// `&`, U+2028 and U+2029).
fn html_unsafe(c: char) -> bool {
    matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}')
}

/// Go's `json.HTMLEscape` of JSON text (serde_json's, say): what `json.Marshal` adds to
/// it; those characters appear only inside strings.
pub fn html_escape(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            c if html_unsafe(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The bytes that start a character [`write_string`] escapes: controls, `"`, `\`,
/// `<`, `>`, `&`, and E2 (which starts U+2028 and U+2029, among others).
const MAY_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    let mut i = 0;
    let others = [b'"', b'\\', b'<', b'>', b'&', 0xE2];
    while i < others.len() {
        table[others[i] as usize] = true;
        i += 1;
    }
    table
};

/// A JSON string with `encoding/json`'s escaping (the HTML-safe escapes included), as
/// `json.Marshal` writes it. Runs of characters that need no escape are copied whole.
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut plain = 0;
    for (i, &b) in bytes.iter().enumerate() {
        // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
        if !MAY_ESCAPE[usize::from(b)]
            || (b == 0xE2 && !matches!(bytes.get(i + 1..i + 3), Some([0x80, 0xA8 | 0xA9])))
        {
            continue;
        }
        out.push_str(&s[plain..i]);
        let c = s[i..].chars().next().expect("a character starts here");
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c => out.push_str(&format!("\\u{:04x}", c as u32)),
        }
        plain = i + c.len_utf8();
    }
    out.push_str(&s[plain..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_json_then_html_escaped() {
        for s in [
            "",
            "plain",
            "<a> & \"b\" \\ c",
            "\u{1}\u{8}\u{c}\n\r\t\u{1f}\u{7f}",
            "é\u{2028}x\u{2029}\u{2027}\u{202a}€",
            "\u{2028}",
            "ends with é",
        ] {
            let mut out = String::new();
            write_string(&mut out, s);
            assert_eq!(
                out,
                html_escape(&serde_json::to_string(s).unwrap()),
                "{s:?}"
            );
        }
    }

    #[test]
    fn html_escape_is_go_json_html_escape() {
        assert_eq!(
            html_escape("{\"a\":\"<b> & \u{2028}\u{2029}é\"}"),
            r#"{"a":"\u003cb\u003e \u0026 \u2028\u2029é"}"#
        );
    }

    #[test]
    fn indents_sorts_and_escapes_as_go() {
        let v: Value =
            serde_json::from_str(r#"{"b": [1, 1e6, {}], "a": "<x>&\u0001\u2028é", "c": []}"#)
                .unwrap();
        assert_eq!(
            marshal_indent(&v, "  "),
            "{\n  \"a\": \"\\u003cx\\u003e\\u0026\\u0001\\u2028é\",\n  \"b\": [\n    1,\n    1000000,\n    {}\n  ],\n  \"c\": []\n}"
        );
        assert_eq!(marshal_indent(&Value::Null, "  "), "null");
        let v: Value = serde_json::from_str(r#"{"a": ["b"]}"#).unwrap();
        assert_eq!(
            marshal_indent(&v, "    "),
            "{\n    \"a\": [\n        \"b\"\n    ]\n}"
        );
    }
}
