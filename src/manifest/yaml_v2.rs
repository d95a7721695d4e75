//! Go's `gopkg.in/yaml.v2` (v2.4.0) encoder for values decoded from JSON, as Tanka
//! prints manifests: block style with a 2-space indent, sequences not indented under
//! their key, `{}`/`[]` when empty, keys in yaml.v2's order
//! ([`crate::gocompat::yaml_sort`]), numbers as Go `%g` (`1e+06`), strings
//! plain when yaml.v2 would read them back as strings, else single or double quoted,
//! multi-line strings as literal blocks (`|-`, `|+`, `|2-`), plain and quoted strings
//! folded past column 80, `---` between documents.
//!
//! The writer follows libyaml's emitter (yaml.v2's `emitterc.go`): the same column,
//! indent and whitespace bookkeeping, so folding and indentation match byte for byte.
//! Keys longer than 128 bytes or spanning lines are complex keys (`? key` / `: value`).
//! Contact points: [`crate::tanka`] (`show`), the docs' front matter
//! (`crate::docs`); numbers via [`crate::gocompat::float`].

use serde_json::Value;

use crate::gocompat::float::format_g;
use crate::gocompat::libyaml::{
    analyze, is_bom, is_break, is_printable, is_space_at, select_style, width, Dialect, Style,
};
use crate::gocompat::yaml_numbers::is_base60_float;
use crate::gocompat::yaml_resolve::{self, Resolved};
use crate::gocompat::yaml_sort::key_order;

/// yaml.v2's `Encoder`: each document as `yaml.Marshal` writes it, `---` between them.
pub fn encode_stream<'a>(docs: impl IntoIterator<Item = &'a Value>) -> String {
    let mut e = Emitter::default();
    for (i, doc) in docs.into_iter().enumerate() {
        if i > 0 {
            e.indicator("---", true, false, false);
        }
        e.indent = -1;
        e.node(doc, false, false);
        // Document end: a line break unless at the start of a line.
        e.write_indent();
    }
    e.out
}

/// `yaml.Marshal(value)`: one document.
pub fn marshal(value: &Value) -> String {
    encode_stream([value])
}

/// The emitter state that decides spacing: libyaml's fields of the same names.
struct Emitter {
    out: String,
    column: usize,
    indent: i32,
    indents: Vec<i32>,
    whitespace: bool,
    indention: bool,
}

impl Default for Emitter {
    fn default() -> Self {
        Self {
            out: String::new(),
            column: 0,
            indent: -1,
            indents: Vec::new(),
            whitespace: true,
            indention: true,
        }
    }
}

const BEST_INDENT: i32 = 2;
const BEST_WIDTH: usize = 80;

impl Emitter {
    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn indicator(&mut self, text: &str, need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(' ');
        }
        self.out.push_str(text);
        self.column += text.chars().count();
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
    }

    /// libyaml's `emit_node` for one value; `mapping` and `simple_key` are its contexts.
    fn node(&mut self, v: &Value, mapping: bool, simple_key: bool) {
        match v {
            Value::Null => self.scalar("null", Style::Plain, simple_key),
            Value::Bool(b) => {
                self.scalar(if *b { "true" } else { "false" }, Style::Plain, simple_key)
            }
            Value::Number(n) => {
                let f = n.as_f64().unwrap_or(f64::NAN);
                let s = match format_g(f).as_str() {
                    "+Inf" => ".inf".to_owned(),
                    "-Inf" => "-.inf".to_owned(),
                    "NaN" => ".nan".to_owned(),
                    other => other.to_owned(),
                };
                self.scalar(&s, Style::Plain, simple_key)
            }
            Value::String(s) => {
                let style = if s.contains('\n') {
                    Style::Literal
                } else if yaml_resolve::v2(s) == Resolved::Str && !is_base60_float(s) {
                    Style::Plain
                } else {
                    Style::Double
                };
                self.scalar(s, style, simple_key)
            }
            Value::Array(items) if items.is_empty() => self.empty_flow("[", "]"),
            Value::Object(map) if map.is_empty() => self.empty_flow("{", "}"),
            Value::Array(items) => {
                self.increase_indent(false, mapping && !self.indention);
                for item in items {
                    self.write_indent();
                    self.indicator("-", true, false, true);
                    self.node(item, false, false);
                }
                self.pop_indent();
            }
            Value::Object(map) => {
                let mut keys: Vec<(Vec<char>, &String)> =
                    map.keys().map(|k| (k.chars().collect(), k)).collect();
                keys.sort_by(|(a, _), (b, _)| key_order(a, b, Dialect::V2));
                self.increase_indent(false, false);
                for (_, k) in keys {
                    self.write_indent();
                    let key = Value::String(k.clone());
                    // libyaml's check_simple_key: one line, at most 128 bytes.
                    if k.len() <= 128 && !analyze(k.as_bytes(), Dialect::V2).multiline {
                        self.node(&key, false, true);
                        self.indicator(":", false, false, false);
                    } else {
                        self.indicator("?", true, false, true);
                        self.node(&key, true, false);
                        self.write_indent();
                        self.indicator(":", true, false, true);
                    }
                    self.node(&map[k.as_str()], true, false);
                }
                self.pop_indent();
            }
        }
    }

    fn empty_flow(&mut self, open: &str, close: &str) {
        self.indicator(open, true, true, false);
        self.increase_indent(true, false);
        self.pop_indent();
        self.indicator(close, false, false, false);
    }

    fn scalar(&mut self, value: &str, requested: Style, simple_key: bool) {
        let style = select_style(value.as_bytes(), Dialect::V2, requested, simple_key);
        self.increase_indent(true, false);
        let v = value.as_bytes();
        match style {
            Style::Plain => self.plain(v, !simple_key),
            Style::Single => self.single_quoted(v, !simple_key),
            Style::Double => self.double_quoted(v, !simple_key),
            Style::Literal => self.literal(v),
        }
        self.pop_indent();
    }

    /// Copies one UTF-8 character from `v[*i..]`.
    fn write(&mut self, v: &[u8], i: &mut usize) {
        let w = width(v[*i]);
        self.out
            .push_str(std::str::from_utf8(&v[*i..*i + w]).unwrap_or("\u{fffd}"));
        self.column += 1;
        *i += w;
    }

    fn write_break(&mut self, v: &[u8], i: &mut usize) {
        if v[*i] == b'\n' {
            self.put_break();
            *i += 1;
        } else {
            self.write(v, i);
            self.column = 0;
        }
    }

    fn plain(&mut self, v: &[u8], allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let (mut spaces, mut breaks) = (false, false);
        let mut i = 0;
        while i < v.len() {
            if v[i] == b' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !is_space_at(v, i + 1) {
                    self.write_indent();
                    i += 1;
                } else {
                    self.write(v, &mut i);
                }
                spaces = true;
            } else if is_break(v, i) {
                if !breaks && v[i] == b'\n' {
                    self.put_break();
                }
                self.write_break(v, &mut i);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(v, &mut i);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn single_quoted(&mut self, v: &[u8], allow_breaks: bool) {
        self.indicator("'", true, false, false);
        let (mut spaces, mut breaks) = (false, false);
        let mut i = 0;
        while i < v.len() {
            if v[i] == b' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i < v.len() - 1
                    && !is_space_at(v, i + 1)
                {
                    self.write_indent();
                    i += 1;
                } else {
                    self.write(v, &mut i);
                }
                spaces = true;
            } else if is_break(v, i) {
                if !breaks && v[i] == b'\n' {
                    self.put_break();
                }
                self.write_break(v, &mut i);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if v[i] == b'\'' {
                    self.put('\'');
                }
                self.write(v, &mut i);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn double_quoted(&mut self, v: &[u8], allow_breaks: bool) {
        let mut spaces = false;
        self.indicator("\"", true, false, false);
        let mut i = 0;
        while i < v.len() {
            if !is_printable(v, i)
                || is_bom(v, i)
                || is_break(v, i)
                || v[i] == b'"'
                || v[i] == b'\\'
            {
                let w = width(v[i]);
                let c = std::str::from_utf8(&v[i..i + w])
                    .ok()
                    .and_then(|s| s.chars().next())
                    .unwrap_or('\u{fffd}') as u32;
                i += w;
                self.put('\\');
                let short = match c {
                    0x00 => Some('0'),
                    0x07 => Some('a'),
                    0x08 => Some('b'),
                    0x09 => Some('t'),
                    0x0a => Some('n'),
                    0x0b => Some('v'),
                    0x0c => Some('f'),
                    0x0d => Some('r'),
                    0x1b => Some('e'),
                    0x22 => Some('"'),
                    0x5c => Some('\\'),
                    0x85 => Some('N'),
                    0xa0 => Some('_'),
                    0x2028 => Some('L'),
                    0x2029 => Some('P'),
                    _ => None,
                };
                match short {
                    Some(s) => self.put(s),
                    None => {
                        let (tag, digits) = match c {
                            0..=0xff => ('x', 2),
                            0x100..=0xffff => ('u', 4),
                            _ => ('U', 8),
                        };
                        self.put(tag);
                        for ch in format!("{c:0digits$X}").chars() {
                            self.put(ch);
                        }
                    }
                }
                spaces = false;
            } else if v[i] == b' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i > 0 && i < v.len() - 1 {
                    self.write_indent();
                    if is_space_at(v, i + 1) {
                        self.put('\\');
                    }
                    i += 1;
                } else {
                    self.write(v, &mut i);
                }
                spaces = true;
            } else {
                self.write(v, &mut i);
                spaces = false;
            }
        }
        self.indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn literal(&mut self, v: &[u8]) {
        self.indicator("|", true, false, false);
        // Block scalar hints: an indentation indicator when the text starts with a
        // space or break, `-` without a final break, `+` with more than one.
        if is_space_at(v, 0) || is_break(v, 0) {
            self.indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let chomp = match last_char_start(v, v.len()) {
            None => Some("-"),
            Some(i) if !is_break(v, i) => Some("-"),
            Some(0) => Some("+"),
            Some(i) => match last_char_start(v, i) {
                Some(j) if is_break(v, j) => Some("+"),
                _ => None,
            },
        };
        if let Some(c) = chomp {
            self.indicator(c, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        let mut i = 0;
        while i < v.len() {
            if is_break(v, i) {
                self.write_break(v, &mut i);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(v, &mut i);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

/// The start of the UTF-8 character ending before `end`.
fn last_char_start(v: &[u8], end: usize) -> Option<usize> {
    let mut i = end.checked_sub(1)?;
    while i > 0 && v[i] & 0xC0 == 0x80 {
        i -= 1;
    }
    Some(i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn block_layout() {
        let v =
            json!({"a": {"b": [1, "x", {"c": null, "d": true}], "e": {}, "f": []}, "n": 1000000});
        assert_eq!(
            marshal(&v),
            "a:\n  b:\n  - 1\n  - x\n  - c: null\n    d: true\n  e: {}\n  f: []\n\"n\": 1e+06\n"
        );
        let docs = [json!({"a": 1}), json!({"b": 2})];
        assert_eq!(encode_stream(&docs), "a: 1\n---\nb: 2\n");
    }

    #[test]
    fn quoting() {
        for (s, out) in [
            ("yes", "\"yes\""),
            ("", "\"\""),
            ("123", "\"123\""),
            ("1e3", "\"1e3\""),
            ("0x1F", "\"0x1F\""),
            ("2001-12-14", "\"2001-12-14\""),
            ("1:20", "\"1:20\""),
            ("a: b", "'a: b'"),
            ("- x", "'- x'"),
            (" lead", "' lead'"),
            ("it's #1", "'it''s #1'"),
            ("it's 1", "it's 1"),
            ("x #y", "'x #y'"),
            ("tab\there", "\"tab\\there\""),
            ("a\nb", "|-\n  a\n  b"),
            ("a\n", "|\n  a"),
            (" a\n\n", "|2+\n   a\n"),
            ("é ü", "é ü"),
            // Timestamps as yaml.v2 built with Go 1.26 resolves them (`tk export`
            // v0.38.0 quotes these four and leaves the last two plain).
            (
                "2001-12-14 21:59:43.1234567891",
                "\"2001-12-14 21:59:43.1234567891\"",
            ),
            ("2001-12-14T21:59:43-05:60", "\"2001-12-14T21:59:43-05:60\""),
            ("2001-12-14T21:59:43+24:00", "\"2001-12-14T21:59:43+24:00\""),
            (
                "2001-12-14T21:59:43.0000000001Z",
                "\"2001-12-14T21:59:43.0000000001Z\"",
            ),
            ("2001-12-14T21:59:43-05:61", "2001-12-14T21:59:43-05:61"),
            ("2001-12-14 21:59:43.", "2001-12-14 21:59:43."),
        ] {
            let got = marshal(&json!({ "k": s }));
            assert_eq!(got, format!("k: {out}\n"), "{s:?}");
        }
    }
}
