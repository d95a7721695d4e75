//! Go's `gopkg.in/yaml.v2` (v2.4.0) encoder for values decoded from JSON, as Tanka
//! prints manifests: block style with a 2-space indent, sequences not indented under
//! their key, `{}`/`[]` when empty, keys in yaml.v2's order (runs of digits compared as
//! numbers, letters before other characters), numbers as Go `%g` (`1e+06`), strings
//! plain when yaml.v2 would read them back as strings, else single or double quoted,
//! multi-line strings as literal blocks (`|-`, `|+`, `|2-`), plain and quoted strings
//! folded past column 80, `---` between documents.
//!
//! The writer follows libyaml's emitter (yaml.v2's `emitterc.go`): the same column,
//! indent and whitespace bookkeeping, so folding and indentation match byte for byte.
//! Keys longer than 128 bytes or spanning lines are complex keys (`? key` / `: value`).
//! Key order approximates Go's `unicode.IsLetter`/`IsDigit` with Rust's `is_alphabetic`/
//! `is_numeric` outside ASCII; where yaml.v2's order is not a total order (`"9"`, `"10"`,
//! `"1e3"`), Go's own output depends on map iteration order.
//! Contact points: [`crate::tanka`] (`show`), the docs' front matter
//! (`crate::docs`); numbers via [`crate::gocompat::float`].

use std::cmp::Ordering;

use serde_json::Value;

use super::yaml_chars::{is_blank_at, is_bom, is_break, is_printable, is_space_at, width};
use super::yaml_numbers::{is_base60_float, is_yaml_float, parse_float, parse_int};
use crate::gocompat::float::format_g;

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

/// A scalar's presentation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
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
                } else if !resolves_to_non_string(s) && !is_base60_float(s) {
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
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort_by(|a, b| key_order(a, b));
                self.increase_indent(false, false);
                for k in keys {
                    self.write_indent();
                    let key = Value::String(k.clone());
                    // libyaml's check_simple_key: one line, at most 128 bytes.
                    if k.len() <= 128 && !analyze(k.as_bytes()).multiline {
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
        let a = analyze(value.as_bytes());
        let mut style = requested;
        if simple_key && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain && (!a.block_plain_allowed || (value.is_empty() && simple_key)) {
            style = Style::Single;
        }
        if style == Style::Single && !a.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block_allowed || simple_key) {
            style = Style::Double;
        }
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

/// What libyaml's `analyze_scalar` decides for block context.
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn analyze(v: &[u8]) -> Analysis {
    if v.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = v.starts_with(b"---") || v.starts_with(b"...");
    let (mut line_breaks, mut special) = (false, false);
    let (mut leading_space, mut leading_break) = (false, false);
    let (mut trailing_space, mut trailing_break) = (false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_ws = true;
    let mut i = 0;
    while i < v.len() {
        let w = width(v[i]);
        let followed_by_ws = i + w >= v.len() || is_blank_at(v, i + w);
        if i == 0 {
            match v[i] {
                b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>'
                | b'\'' | b'"' | b'%' | b'@' | b'`' => block_indicators = true,
                b'?' | b':' | b'-' if followed_by_ws => block_indicators = true,
                _ => {}
            }
        } else {
            match v[i] {
                b':' if followed_by_ws => block_indicators = true,
                b'#' if preceded_by_ws => block_indicators = true,
                _ => {}
            }
        }
        if !is_printable(v, i) {
            special = true;
        }
        if v[i] == b' ' {
            leading_space |= i == 0;
            trailing_space |= i + w == v.len();
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(v, i) {
            line_breaks = true;
            leading_break |= i == 0;
            trailing_break |= i + w == v.len();
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_ws = is_blank_at(v, i) || is_break(v, i);
        i += w;
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

/// yaml.v2's `resolve`: whether `s` written plain would read back as something other
/// than a string (null, bool, int, float, timestamp).
fn resolves_to_non_string(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no",
        "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null",
        "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF",
    ];
    let Some(first) = s.bytes().next() else {
        return true;
    };
    let hint = match first {
        b'+' | b'-' => 'S',
        b'0'..=b'9' => 'D',
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => 'M',
        b'.' => '.',
        _ => return false,
    };
    if SPECIAL.contains(&s) {
        return true;
    }
    match hint {
        '.' => parse_float(s).is_some(),
        'D' | 'S' => {
            if hint == 'D' && is_timestamp(s) {
                return true;
            }
            let plain = s.replace('_', "");
            parse_int(&plain).is_some() || is_yaml_float(&plain) && parse_float(&plain).is_some()
        }
        _ => false,
    }
}

/// yaml.v2's `parseTimestamp`: `YYYY-M-D`, optionally with a time (`T`/`t` and a zone,
/// or a space and no zone), as Go's `time.Parse` reads its formats.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let num = |i: &mut usize, max_len: usize| -> Option<u32> {
        let start = *i;
        while *i < b.len() && *i - start < max_len && b[*i].is_ascii_digit() {
            *i += 1;
        }
        (*i > start).then(|| s[start..*i].parse().ok()).flatten()
    };
    let Some(year) = num(&mut i, 4).filter(|_| i == 4) else {
        return false;
    };
    let expect = |i: &mut usize, c: u8| -> bool {
        let ok = b.get(*i) == Some(&c);
        *i += usize::from(ok);
        ok
    };
    if !expect(&mut i, b'-') {
        return false;
    }
    let Some(month) = num(&mut i, 2) else {
        return false;
    };
    if !expect(&mut i, b'-') {
        return false;
    }
    let Some(day) = num(&mut i, 2) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days {
        return false;
    }
    if i == b.len() {
        return true;
    }
    let zoned = match b[i] {
        b'T' | b't' => true,
        b' ' => false,
        _ => return false,
    };
    i += 1;
    let time_ok = num(&mut i, 2).is_some_and(|h| h < 24)
        && expect(&mut i, b':')
        && num(&mut i, 2).is_some_and(|m| m < 60)
        && expect(&mut i, b':')
        && num(&mut i, 2).is_some_and(|s| s < 60);
    if !time_ok {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if num(&mut i, 9).is_none() {
            return false;
        }
    }
    if !zoned {
        return i == b.len();
    }
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            i += 1;
            b.len() == i + 5
                && num(&mut i, 2).is_some_and(|h| h < 24)
                && expect(&mut i, b':')
                && num(&mut i, 2).is_some_and(|m| m < 60)
        }
        _ => false,
    }
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic()
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

/// yaml.v2's `keyList.Less` for string keys.
fn key_order(a: &str, b: &str) -> Ordering {
    if key_less(a, b) {
        Ordering::Less
    } else if key_less(b, a) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

fn key_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    for i in 0..ar.len().min(br.len()) {
        if ar[i] == br[i] {
            continue;
        }
        let (al, bl) = (is_letter(ar[i]), is_letter(br[i]));
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && is_digit(ar[j - 1]) {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && is_digit(ar[ai]) {
            an = an.wrapping_mul(10).wrapping_add(ar[ai] as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && is_digit(br[bi]) {
            bn = bn.wrapping_mul(10).wrapping_add(br[bi] as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_in_natural_order() {
        let mut keys = vec!["a10", "a2", "b", "A", "a", "_x", "1", "10", "9"];
        keys.sort_by(|a, b| key_order(a, b));
        assert_eq!(keys, ["_x", "1", "9", "10", "A", "a", "a2", "a10", "b"]);
    }

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
        ] {
            let got = marshal(&json!({ "k": s }));
            assert_eq!(got, format!("k: {out}\n"), "{s:?}");
        }
    }
}
