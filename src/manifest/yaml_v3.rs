//! Go's `gopkg.in/yaml.v3` as Tanka uses it: [`marshal`] is `yaml.Marshal` of a value
//! decoded by `encoding/json` (4-space indent, sequences indented under their key,
//! keys in yaml.v3's natural order, no line folding, libyaml's choice of plain,
//! single-quoted, double-quoted or literal scalars; a string that yaml.v3 would resolve
//! as something else, [`crate::gocompat::yaml_resolve::v3`], is quoted). Used by the
//! engine's Tanka natives (`src/engine/tanka_natives.rs`: `manifestYamlFromJson`,
//! `parseYaml`, Helm values).

use crate::gocompat::float::format_g;
use crate::gocompat::json::Value;
use crate::gocompat::libyaml::{
    analyze, is_break, is_printable, select_style, width, Dialect, Style,
};
use crate::gocompat::yaml_numbers::is_base60_float;
use crate::gocompat::yaml_resolve::{self, Resolved};
use crate::gocompat::yaml_sort::key_order;

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)` with yaml.v3's spellings of the
/// non-finite values.
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.into();
    }
    format_g(f)
}

/// The emitter's state, as libyaml keeps it.
struct Emitter {
    out: String,
    column: usize,
    whitespace: bool,
    indention: bool,
    indent: i64,
    indents: Vec<i64>,
}

/// Where a node sits, for the emitter's context flags.
#[derive(Clone, Copy, PartialEq)]
enum Parent {
    Root,
    SeqItem,
    SimpleKey,
    ComplexKey,
    Value,
}

const BEST_INDENT: i64 = 4;

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
        self.indention = true;
    }

    fn write_str(&mut self, s: &str) {
        self.out.push_str(s);
        self.column += s.chars().count();
    }

    /// Writes one character of `b` at `i` (a line break resets the column).
    fn write_break(&mut self, b: &[u8], i: &mut usize) {
        if b[*i] == b'\n' {
            self.put_break();
            *i += 1;
        } else {
            let w = width(b[*i]);
            self.out
                .push_str(std::str::from_utf8(&b[*i..*i + w]).unwrap_or("\u{FFFD}"));
            *i += w;
            self.column = 0;
            self.indention = true;
        }
    }

    fn write_char(&mut self, b: &[u8], i: &mut usize) {
        let w = width(b[*i]);
        self.out
            .push_str(std::str::from_utf8(&b[*i..*i + w]).unwrap_or("\u{FFFD}"));
        self.column += 1;
        *i += w;
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
    }

    fn write_indicator(&mut self, s: &str, need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(' ');
        }
        self.write_str(s);
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
    }

    fn increase_indent(&mut self, flow: bool, parent: Parent) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if parent == Parent::SeqItem {
            self.indent += 2;
        } else {
            self.indent = BEST_INDENT * ((self.indent + BEST_INDENT) / BEST_INDENT);
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn node(&mut self, v: &Value, parent: Parent) {
        match v {
            Value::Null => self.scalar("null", Style::Plain, parent),
            Value::Bool(b) => self.scalar(if *b { "true" } else { "false" }, Style::Plain, parent),
            Value::Number(f) => self.scalar(&format_float(*f), Style::Plain, parent),
            Value::String(s) => {
                let can_plain = yaml_resolve::v3(s) == Resolved::Str
                    && !(is_base60_float(s)
                        || matches!(
                            s.as_str(),
                            "y" | "Y"
                                | "yes"
                                | "Yes"
                                | "YES"
                                | "on"
                                | "On"
                                | "ON"
                                | "n"
                                | "N"
                                | "no"
                                | "No"
                                | "NO"
                                | "off"
                                | "Off"
                                | "OFF"
                        ));
                let style = if s.contains('\n') {
                    Style::Literal
                } else if can_plain {
                    Style::Plain
                } else {
                    Style::Double
                };
                self.scalar(s, style, parent)
            }
            Value::Array(items) if items.is_empty() => self.empty("[", "]", parent),
            Value::Object(entries) if entries.is_empty() => self.empty("{", "}", parent),
            Value::Array(items) => {
                self.increase_indent(false, parent);
                for item in items {
                    self.write_indent();
                    self.write_indicator("-", true, false, true);
                    self.node(item, Parent::SeqItem);
                }
                self.pop_indent();
            }
            Value::Object(entries) => {
                let mut sorted: Vec<(Vec<char>, &(String, Value))> =
                    entries.iter().map(|e| (e.0.chars().collect(), e)).collect();
                sorted.sort_by(|(a, _), (b, _)| key_order(a, b, Dialect::V3));
                self.increase_indent(false, parent);
                for (_, (key, value)) in sorted {
                    self.write_indent();
                    let simple =
                        !analyze(key.as_bytes(), Dialect::V3).multiline && key.len() <= 128;
                    if simple {
                        self.node(&Value::String(key.clone()), Parent::SimpleKey);
                        self.write_indicator(":", false, false, false);
                    } else {
                        self.write_indicator("?", true, false, true);
                        self.node(&Value::String(key.clone()), Parent::ComplexKey);
                        self.write_indent();
                        self.write_indicator(":", true, false, true);
                    }
                    self.node(value, Parent::Value);
                }
                self.pop_indent();
            }
        }
    }

    fn empty(&mut self, open: &str, close: &str, parent: Parent) {
        self.write_indicator(open, true, true, false);
        self.increase_indent(true, parent);
        self.pop_indent();
        if self.column == 0 {
            self.write_indent();
        }
        self.write_indicator(close, false, false, false);
    }

    fn scalar(&mut self, value: &str, requested: Style, parent: Parent) {
        let simple_key = parent == Parent::SimpleKey;
        let style = select_style(value.as_bytes(), Dialect::V3, requested, simple_key);
        self.increase_indent(true, parent);
        let b = value.as_bytes();
        match style {
            Style::Plain => self.plain(b),
            Style::Single => self.single(b),
            Style::Double => self.double(value),
            Style::Literal => self.literal(b),
        }
        self.pop_indent();
    }

    fn plain(&mut self, b: &[u8]) {
        if !b.is_empty() && !self.whitespace {
            self.put(' ');
        }
        let mut breaks = false;
        let mut i = 0;
        while i < b.len() {
            if is_break(b, i) {
                if !breaks && b[i] == b'\n' {
                    self.put_break();
                }
                self.write_break(b, &mut i);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write_char(b, &mut i);
                self.indention = false;
                breaks = false;
            }
        }
        if !b.is_empty() {
            self.whitespace = false;
        }
        self.indention = false;
    }

    fn single(&mut self, b: &[u8]) {
        self.write_indicator("'", true, false, false);
        let mut breaks = false;
        let mut i = 0;
        while i < b.len() {
            if is_break(b, i) {
                if !breaks && b[i] == b'\n' {
                    self.put_break();
                }
                self.write_break(b, &mut i);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if b[i] == b'\'' {
                    self.put('\'');
                }
                self.write_char(b, &mut i);
                self.indention = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn double(&mut self, value: &str) {
        self.write_indicator("\"", true, false, false);
        let b = value.as_bytes();
        // libyaml checks for a byte order mark at the start of the value, not at
        // each character: a value starting with one is escaped throughout.
        let bom = value.starts_with('\u{FEFF}');
        let mut i = 0;
        for c in value.chars() {
            let escape = bom || !is_printable(b, i) || is_break(b, i) || c == '"' || c == '\\';
            i += c.len_utf8();
            if !escape {
                self.put_char(c);
                continue;
            }
            self.put('\\');
            match c {
                '\0' => self.put('0'),
                '\u{7}' => self.put('a'),
                '\u{8}' => self.put('b'),
                '\t' => self.put('t'),
                '\n' => self.put('n'),
                '\u{b}' => self.put('v'),
                '\u{c}' => self.put('f'),
                '\r' => self.put('r'),
                '\u{1b}' => self.put('e'),
                '"' => self.put('"'),
                '\\' => self.put('\\'),
                '\u{85}' => self.put('N'),
                '\u{a0}' => self.put('_'),
                '\u{2028}' => self.put('L'),
                '\u{2029}' => self.put('P'),
                c => {
                    let v = c as u32;
                    let s = if v <= 0xFF {
                        format!("x{v:02X}")
                    } else if v <= 0xFFFF {
                        format!("u{v:04X}")
                    } else {
                        format!("U{v:08X}")
                    };
                    self.write_str(&s);
                }
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn put_char(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn literal(&mut self, b: &[u8]) {
        self.write_indicator("|", true, false, false);
        if b[0] == b' ' || is_break(b, 0) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        // The chomping indicator: `-` without a final break, `+` with more than one.
        let mut i = b.len() - 1;
        while b[i] & 0xC0 == 0x80 {
            i -= 1;
        }
        let chomp = if !is_break(b, i) {
            Some("-")
        } else if i == 0 {
            Some("+")
        } else {
            i -= 1;
            while b[i] & 0xC0 == 0x80 {
                i -= 1;
            }
            is_break(b, i).then_some("+")
        };
        if let Some(c) = chomp {
            self.write_indicator(c, false, false, false);
        }
        self.whitespace = true;
        let mut breaks = true;
        let mut i = 0;
        while i < b.len() {
            if is_break(b, i) {
                self.write_break(b, &mut i);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write_char(b, &mut i);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

/// `yaml.Marshal(v)` of a JSON-decoded value: the document and a final newline.
pub fn marshal(v: &Value) -> String {
    let mut e = Emitter {
        out: String::new(),
        column: 0,
        whitespace: true,
        indention: true,
        indent: -1,
        indents: Vec::new(),
    };
    e.node(v, Parent::Root);
    // The document end.
    e.write_indent();
    e.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_like_go() {
        assert_eq!(format_float(1e6), "1e+06");
        assert_eq!(format_float(123456.0), "123456");
        assert_eq!(format_float(1e21), "1e+21");
        assert_eq!(format_float(0.0001), "0.0001");
        assert_eq!(format_float(0.00001), "1e-05");
    }
}
