//! Go's `gopkg.in/yaml.v3` as Tanka uses it: [`marshal`] is `yaml.Marshal` of a value
//! decoded by `encoding/json` (4-space indent, sequences indented under their key,
//! keys in yaml.v3's natural order, no line folding, libyaml's choice of plain,
//! single-quoted, double-quoted or literal scalars), and [`resolve`] is yaml.v3's
//! YAML 1.2-style resolution of a plain scalar (`yes`/`on` stay strings, `0x1F` is 31,
//! timestamps). Used by the engine's Tanka natives (`src/engine/tanka_natives.rs`: `manifestYamlFromJson`,
//! `parseYaml`, Helm values).

use std::cmp::Ordering;

use super::yaml_chars::{is_blankz_at, is_break, is_printable, width};
use super::yaml_numbers::{is_base60_float, is_yaml_float, parse_float, parse_int};
use crate::gocompat::float::format_g;
use crate::gocompat::json::Value;

/// What yaml.v3 makes of a plain scalar.
#[derive(Debug, PartialEq)]
pub enum Resolved {
    /// `~`, `null`, empty.
    Null,
    /// `true`/`false` in three spellings.
    Bool(bool),
    /// An integer that fits int64 or uint64.
    Int(i128),
    /// A float (including `.inf`, `.nan`).
    Float(f64),
    /// A timestamp, already in Go's RFC 3339 (nano) form.
    Timestamp(String),
    /// Anything else.
    Str,
}

/// yaml.v3's `resolve("", s)`. The merge key `<<` resolves as a string here (its
/// first character is no resolution hint); decoders recognise it by its text.
pub fn resolve(s: &str) -> Resolved {
    let Some(&first) = s.as_bytes().first() else {
        return Resolved::Null;
    };
    match s {
        "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "true" | "True" | "TRUE" => return Resolved::Bool(true),
        "false" | "False" | "FALSE" => return Resolved::Bool(false),
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        _ => {}
    }
    match first {
        b'.' => match parse_float(s) {
            Some(f) => Resolved::Float(f),
            None => Resolved::Str,
        },
        b'+' | b'-' | b'0'..=b'9' => {
            if let Some(t) = timestamp(s) {
                return Resolved::Timestamp(t);
            }
            let plain = s.replace('_', "");
            if let Some(i) = parse_int(&plain) {
                return Resolved::Int(i);
            }
            if is_yaml_float(&plain) {
                if let Some(f) = parse_float(&plain) {
                    return Resolved::Float(f);
                }
            }
            Resolved::Str
        }
        _ => Resolved::Str,
    }
}

/// A number of 1 to `max` digits at the start of `s`, and the rest.
fn digits(s: &str, min: usize, max: usize) -> Option<(u32, &str)> {
    let n = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    (n >= min)
        .then(|| (s[..n].parse().ok(), &s[n..]))
        .and_then(|(v, r)| Some((v?, r)))
}

/// yaml.v3's timestamp formats (`2006-1-2T15:4:5.999999999Z07:00`, the same with `t`,
/// `2006-1-2 15:4:5.999999999`, `2006-1-2`) parsed as Go's `time.Parse` does, rendered
/// as `time.Time`'s JSON form (RFC 3339 with nanoseconds, trailing zeros dropped).
fn timestamp(s: &str) -> Option<String> {
    if s.len() < 5 || !s.as_bytes()[..4].iter().all(u8::is_ascii_digit) || s.as_bytes()[4] != b'-' {
        return None;
    }
    let year: u32 = s[..4].parse().ok()?;
    let (month, rest) = digits(&s[5..], 1, 2)?;
    let rest = rest.strip_prefix('-')?;
    let (day, rest) = digits(rest, 1, 2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in(year, month) {
        return None;
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    if rest.is_empty() {
        return Some(format!("{date}T00:00:00Z"));
    }
    let (zoned, rest) = if let Some(r) = rest.strip_prefix(['T', 't']) {
        (true, r)
    } else {
        (false, rest.strip_prefix(' ')?)
    };
    let (hour, rest) = digits(rest, 1, 2)?;
    let (minute, rest) = digits(rest.strip_prefix(':')?, 1, 2)?;
    let (second, mut rest) = digits(rest.strip_prefix(':')?, 1, 2)?;
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut frac = String::new();
    if let Some(r) = rest.strip_prefix(['.', ',']) {
        // Go's layout allows one to nine digits.
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 || n > 9 {
            return None;
        }
        frac = r[..n].trim_end_matches('0').to_owned();
        rest = &r[n..];
    }
    let zone = if !zoned {
        if !rest.is_empty() {
            return None;
        }
        "Z".to_owned()
    } else if rest == "Z" {
        "Z".to_owned()
    } else {
        let sign = rest.chars().next()?;
        if !matches!(sign, '+' | '-') || rest.len() != 6 || rest.as_bytes()[3] != b':' {
            return None;
        }
        let (h, m) = (&rest[1..3], &rest[4..6]);
        let (hv, mv): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        if !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) || hv > 24 || mv > 59 {
            return None;
        }
        if hv == 0 && mv == 0 {
            "Z".to_owned()
        } else {
            rest.to_owned()
        }
    };
    let frac = if frac.is_empty() {
        frac
    } else {
        format!(".{frac}")
    };
    Some(format!(
        "{date}T{hour:02}:{minute:02}:{second:02}{frac}{zone}"
    ))
}

fn days_in(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// yaml.v3's order of map keys (its `keyList.Less` for strings): letters compare
/// as characters, digit runs by value, a letter sorts after a non-letter unless a
/// digit run precedes it. yaml.v2 sorts string keys the same way.
pub fn key_less(a: &str, b: &str) -> bool {
    let (ar, br): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    chars_less(&ar, &br)
}

/// [`key_less`] over the keys' characters.
fn chars_less(ar: &[char], br: &[char]) -> bool {
    let mut digits = false;
    let n = ar.len().min(br.len());
    for i in 0..n {
        if ar[i] == br[i] {
            digits = ar[i].is_numeric();
            continue;
        }
        let (al, bl) = (ar[i].is_alphabetic(), br[i].is_alphabetic());
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return if digits { al } else { bl };
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_numeric() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_numeric() {
            an = an
                .wrapping_mul(10)
                .wrapping_add(i64::from(ar[ai] as u32) - i64::from(b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_numeric() {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(i64::from(br[bi] as u32) - i64::from(b'0'));
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

/// A scalar style as libyaml names them.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// What libyaml's `yaml_emitter_analyze_scalar` learns about a scalar.
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn analyze(value: &str) -> Analysis {
    let b = value.as_bytes();
    if b.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = value.starts_with("---") || value.starts_with("...");
    let (mut line_breaks, mut special, mut tabs) = (false, false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    let mut i = 0;
    while i < b.len() {
        let w = width(b[i]);
        let followed_by_whitespace = is_blankz_at(b, i + w);
        if i == 0 {
            match b[i] {
                b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>'
                | b'\'' | b'"' | b'%' | b'@' | b'`' => block_indicators = true,
                b'?' | b':' | b'-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match b[i] {
                b':' if followed_by_whitespace => block_indicators = true,
                b'#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if b[i] == b'\t' {
            tabs = true;
        } else if !is_printable(b, i) {
            special = true;
        }
        if b[i] == b' ' {
            leading_space |= i == 0;
            trailing_space |= i + w == b.len();
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(b, i) {
            line_breaks = true;
            leading_break |= i == 0;
            trailing_break |= i + w == b.len();
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blankz_at(b, i);
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
    if break_space || space_break || tabs || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    a
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
                let can_plain = resolve(s) == Resolved::Str
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
                sorted.sort_by(|(a, _), (b, _)| {
                    if chars_less(a, b) {
                        Ordering::Less
                    } else if chars_less(b, a) {
                        Ordering::Greater
                    } else {
                        Ordering::Equal
                    }
                });
                self.increase_indent(false, parent);
                for (_, (key, value)) in sorted {
                    self.write_indent();
                    let simple = !analyze(key).multiline && key.len() <= 128;
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
        let a = analyze(value);
        let simple_key = parent == Parent::SimpleKey;
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
    fn resolves_like_yaml_v3() {
        assert_eq!(resolve("yes"), Resolved::Str);
        assert_eq!(resolve("0x1F"), Resolved::Int(31));
        assert_eq!(resolve("0777"), Resolved::Int(511));
        assert_eq!(resolve("1_000"), Resolved::Int(1000));
        assert_eq!(resolve("08"), Resolved::Float(8.0));
        assert_eq!(resolve("1e400"), Resolved::Str);
        assert_eq!(
            resolve("2001-12-14 21:59:43.10"),
            Resolved::Timestamp("2001-12-14T21:59:43.1Z".into())
        );
        assert_eq!(resolve("2001-02-30"), Resolved::Str);
    }

    #[test]
    fn floats_like_go() {
        assert_eq!(format_float(1e6), "1e+06");
        assert_eq!(format_float(123456.0), "123456");
        assert_eq!(format_float(1e21), "1e+21");
        assert_eq!(format_float(0.0001), "0.0001");
        assert_eq!(format_float(0.00001), "1e-05");
    }
}
