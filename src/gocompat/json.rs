//! Go `encoding/json` as Tanka's natives use it: [`parse`] validates a JSON text the way
//! Go's scanner does and keeps the raw tokens, [`Node::indent`] is `json.Indent`
//! (whitespace only, tokens verbatim) and [`Node::to_value`] is `json.Unmarshal` into
//! `interface{}` (numbers as float64, lone surrogates as U+FFFD, last duplicate key
//! wins). Used by the engine's Tanka natives (`src/engine/tanka_natives.rs`); [`Value`] also feeds
//! [`crate::manifest::yaml_v3`], [`crate::manifest::go_json_indent`] and [`super::template`].

/// A value as Go's `json.Unmarshal` into `interface{}` leaves it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `nil`.
    Null,
    /// `bool`.
    Bool(bool),
    /// `float64`.
    Number(f64),
    /// `string`.
    String(String),
    /// `[]interface{}`.
    Array(Vec<Value>),
    /// `map[string]interface{}`, keys unique, in first-seen order.
    Object(Vec<(String, Value)>),
}

/// A parsed JSON text that still holds its tokens as written.
#[derive(Debug, PartialEq)]
pub enum Node<'a> {
    /// `null`, `true`, `false` or a number, as written.
    Literal(&'a str),
    /// A string token including its quotes.
    Str(&'a str),
    /// An array.
    Array(Vec<Node<'a>>),
    /// An object: raw key tokens and values.
    Object(Vec<(&'a str, Node<'a>)>),
}

/// Why a JSON text cannot be read; `Display` is Go's message (`*json.SyntaxError`,
/// `*json.UnmarshalTypeError`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    /// The text ends inside a value.
    #[error("unexpected end of JSON input")]
    UnexpectedEnd,
    /// A character the scanner does not expect where it is, with the scanner's words
    /// for where that is (`after object key`, `in string literal`, …).
    #[error("invalid character {} {context}", quote_char(*found))]
    InvalidCharacter {
        /// The character (a space when the text ends inside a number or literal,
        /// as Go's scanner steps one).
        found: char,
        /// Where, in the scanner's words.
        context: String,
        /// Its byte offset in the text.
        offset: usize,
    },
    /// A number beyond float64 (its text).
    #[error("json: cannot unmarshal number {0} into Go value of type float64")]
    NumberRange(String),
}

/// Parses one JSON value surrounded by optional whitespace; errors read like Go's.
pub fn parse(text: &str) -> Result<Node<'_>, JsonError> {
    let mut p = Parser { s: text, i: 0 };
    p.ws();
    let node = p.value(0)?;
    p.ws();
    match p.peek() {
        None => Ok(node),
        Some(_) => Err(p.unexpected("after top-level value")),
    }
}

/// A character quoted as Go's scanner quotes it in errors (`strconv.Quote` inside
/// single quotes).
fn quote_char(c: char) -> String {
    let inner = match c {
        '\'' => "\\'".into(),
        '"' => "\"".into(),
        '\\' => "\\\\".into(),
        '\u{7}' => "\\a".into(),
        '\u{8}' => "\\b".into(),
        '\u{c}' => "\\f".into(),
        '\n' => "\\n".into(),
        '\r' => "\\r".into(),
        '\t' => "\\t".into(),
        '\u{b}' => "\\v".into(),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => format!("\\x{:02x}", c as u32),
        c if c.is_control() => format!("\\u{:04x}", c as u32),
        c => c.to_string(),
    };
    format!("'{inner}'")
}

/// Deepest nesting Go's decoder accepts.
const MAX_DEPTH: usize = 10000;

struct Parser<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<char> {
        self.s[self.i..].chars().next()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.as_bytes().get(self.i) {
            self.i += 1;
        }
    }

    /// The error at the current character; at the end of the input Go's scanner
    /// steps a space, which only inside a number or literal is itself an error.
    fn unexpected(&self, context: &str) -> JsonError {
        let in_token = context != "in string literal"
            && ["literal", "numeric", "escape"]
                .iter()
                .any(|w| context.contains(w));
        let found = match self.peek() {
            None if in_token => ' ',
            None => return JsonError::UnexpectedEnd,
            Some(c) => c,
        };
        JsonError::InvalidCharacter {
            found,
            context: context.to_owned(),
            offset: self.i,
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node<'a>, JsonError> {
        let start = self.i;
        // Go's scanner refuses to open a container beyond its limit.
        if depth >= MAX_DEPTH {
            if let Some('{' | '[') = self.peek() {
                return Err(self.unexpected("exceeded max depth"));
            }
        }
        match self.peek() {
            Some('{') => {
                self.i += 1;
                self.ws();
                let mut entries = Vec::new();
                if self.peek() == Some('}') {
                    self.i += 1;
                    return Ok(Node::Object(entries));
                }
                loop {
                    if self.peek() != Some('"') {
                        return Err(self.unexpected("looking for beginning of object key string"));
                    }
                    let key = self.string()?;
                    self.ws();
                    if self.peek() != Some(':') {
                        return Err(self.unexpected("after object key"));
                    }
                    self.i += 1;
                    self.ws();
                    let v = self.value(depth + 1)?;
                    entries.push((key, v));
                    self.ws();
                    match self.peek() {
                        Some(',') => {
                            self.i += 1;
                            self.ws();
                        }
                        Some('}') => {
                            self.i += 1;
                            return Ok(Node::Object(entries));
                        }
                        _ => return Err(self.unexpected("after object key:value pair")),
                    }
                }
            }
            Some('[') => {
                self.i += 1;
                self.ws();
                let mut items = Vec::new();
                if self.peek() == Some(']') {
                    self.i += 1;
                    return Ok(Node::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.peek() {
                        Some(',') => {
                            self.i += 1;
                            self.ws();
                        }
                        Some(']') => {
                            self.i += 1;
                            return Ok(Node::Array(items));
                        }
                        _ => return Err(self.unexpected("after array element")),
                    }
                }
            }
            Some('"') => Ok(Node::Str(self.string()?)),
            Some('-' | '0'..='9') => {
                self.number()?;
                Ok(Node::Literal(&self.s[start..self.i]))
            }
            Some('t' | 'f' | 'n') => {
                for word in ["true", "false", "null"] {
                    if self.s[self.i..].starts_with(word) {
                        self.i += word.len();
                        return Ok(Node::Literal(word));
                    }
                }
                // Go reports the first character that breaks the word.
                let word = ["true", "false", "null"]
                    .into_iter()
                    .find(|w| w.starts_with(self.peek().unwrap_or(' ')))
                    .unwrap_or("null");
                let mut k = 0;
                for (a, b) in self.s[self.i..].chars().zip(word.chars()) {
                    if a != b {
                        break;
                    }
                    k += a.len_utf8();
                }
                self.i += k;
                Err(self.unexpected(&format!(
                    "in literal {word} (expecting '{}')",
                    &word[k..k + 1]
                )))
            }
            _ => Err(self.unexpected("looking for beginning of value")),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.s.as_bytes().get(self.i) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<(), JsonError> {
        if self.peek() == Some('-') {
            self.i += 1;
        }
        match self.peek() {
            Some('0') => self.i += 1,
            Some('1'..='9') => {
                self.digits();
            }
            _ => return Err(self.unexpected("in numeric literal")),
        }
        if self.peek() == Some('.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(self.unexpected("after decimal point in numeric literal"));
            }
        }
        if let Some('e' | 'E') = self.peek() {
            self.i += 1;
            if let Some('+' | '-') = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.unexpected("in exponent of numeric literal"));
            }
        }
        Ok(())
    }

    /// A string token (quotes included), checked for Go's escapes and control bytes.
    fn string(&mut self) -> Result<&'a str, JsonError> {
        let start = self.i;
        self.i += 1;
        loop {
            match self.peek() {
                None => return Err(JsonError::UnexpectedEnd),
                Some('"') => {
                    self.i += 1;
                    return Ok(&self.s[start..self.i]);
                }
                Some('\\') => {
                    self.i += 1;
                    match self.peek() {
                        Some('"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't') => self.i += 1,
                        Some('u') => {
                            self.i += 1;
                            for _ in 0..4 {
                                match self.peek() {
                                    Some(c) if c.is_ascii_hexdigit() => self.i += 1,
                                    _ => {
                                        return Err(
                                            self.unexpected("in \\u hexadecimal character escape")
                                        )
                                    }
                                }
                            }
                        }
                        _ => return Err(self.unexpected("in string escape code")),
                    }
                }
                Some(c) if (c as u32) < 0x20 => {
                    return Err(self.unexpected("in string literal"));
                }
                Some(c) => self.i += c.len_utf8(),
            }
        }
    }
}

/// Decodes a checked string token (with its quotes) as Go does.
pub fn unquote(token: &str) -> String {
    let body = &token[1..token.len() - 1];
    if !body.contains('\\') {
        return body.to_owned();
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    let hex4 = |chars: &mut std::str::Chars| -> u32 {
        let h: String = chars.take(4).collect();
        u32::from_str_radix(&h, 16).unwrap_or(0xFFFD)
    };
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let u = hex4(&mut chars);
                if (0xD800..0xDC00).contains(&u) {
                    // A high surrogate combines only with a following low one.
                    let rest = chars.as_str();
                    if let Some(low) = rest
                        .strip_prefix("\\u")
                        .and_then(|r| r.get(..4))
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .filter(|l| (0xDC00..0xE000).contains(l))
                    {
                        chars = rest[6..].chars();
                        let c = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
                        out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                        continue;
                    }
                }
                out.push(char::from_u32(u).unwrap_or('\u{FFFD}'));
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

impl Node<'_> {
    /// `json.Indent(dst, src, "", indent)`: a newline and `indent` per level inside
    /// non-empty arrays and objects, one space after `:`, tokens unchanged.
    pub fn indent(&self, indent: &str) -> String {
        let mut out = String::new();
        self.write_indented(&mut out, indent, 0);
        out
    }

    fn write_indented(&self, out: &mut String, indent: &str, depth: usize) {
        let newline = |out: &mut String, depth: usize| {
            out.push('\n');
            for _ in 0..depth {
                out.push_str(indent);
            }
        };
        match self {
            Node::Literal(s) | Node::Str(s) => out.push_str(s),
            Node::Array(items) if items.is_empty() => out.push_str("[]"),
            Node::Object(entries) if entries.is_empty() => out.push_str("{}"),
            Node::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    item.write_indented(out, indent, depth + 1);
                }
                newline(out, depth);
                out.push(']');
            }
            Node::Object(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    out.push_str(key);
                    out.push_str(": ");
                    value.write_indented(out, indent, depth + 1);
                }
                newline(out, depth);
                out.push('}');
            }
        }
    }

    /// `json.Unmarshal` into `interface{}`; a number beyond float64 is an error.
    pub fn to_value(&self) -> Result<Value, JsonError> {
        Ok(match self {
            Node::Literal("null") => Value::Null,
            Node::Literal("true") => Value::Bool(true),
            Node::Literal("false") => Value::Bool(false),
            Node::Literal(n) => match n.parse::<f64>() {
                Ok(f) if f.is_finite() => Value::Number(f),
                _ => return Err(JsonError::NumberRange((*n).to_owned())),
            },
            Node::Str(s) => Value::String(unquote(s)),
            Node::Array(items) => {
                Value::Array(items.iter().map(Node::to_value).collect::<Result<_, _>>()?)
            }
            Node::Object(entries) => {
                let mut out: Vec<(String, Value)> = Vec::with_capacity(entries.len());
                let mut index = std::collections::HashMap::new();
                for (k, v) in entries {
                    let key = unquote(k);
                    let value = v.to_value()?;
                    match index.get(&key) {
                        Some(&i) => out[i] = (key, value),
                        None => {
                            index.insert(key.clone(), out.len());
                            out.push((key, value));
                        }
                    }
                }
                Value::Object(out)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indent_keeps_tokens() {
        let n = parse(" {\"a\" : [1e2, \"\\u003c\", {}, []], \"b\":{\"c\":null}} ").unwrap();
        assert_eq!(
            n.indent("  "),
            "{\n  \"a\": [\n    1e2,\n    \"\\u003c\",\n    {},\n    []\n  ],\n  \"b\": {\n    \"c\": null\n  }\n}"
        );
    }

    #[test]
    fn errors_read_like_go() {
        let text = |t: &str| parse(t).unwrap_err().to_string();
        assert_eq!(text(""), "unexpected end of JSON input");
        assert_eq!(text("{} x"), "invalid character 'x' after top-level value");
        assert_eq!(
            text("[1,]"),
            "invalid character ']' looking for beginning of value"
        );
        assert_eq!(
            text("[1."),
            "invalid character ' ' after decimal point in numeric literal"
        );
        assert_eq!(text("\"\t\""), "invalid character '\\t' in string literal");
        assert_eq!(
            parse("1e400").unwrap().to_value().unwrap_err().to_string(),
            "json: cannot unmarshal number 1e400 into Go value of type float64"
        );
    }

    #[test]
    fn errors_say_what_and_where() {
        assert_eq!(parse("[1, 2"), Err(JsonError::UnexpectedEnd));
        assert!(matches!(
            parse("[1, }"),
            Err(JsonError::InvalidCharacter {
                found: '}',
                offset: 4,
                ..
            })
        ));
        assert_eq!(
            parse("2e999").unwrap().to_value(),
            Err(JsonError::NumberRange("2e999".into()))
        );
    }

    #[test]
    fn surrogates_like_go() {
        assert_eq!(unquote(r#""\ud83d\ude00""#), "\u{1F600}");
        assert_eq!(unquote(r#""\ud800x""#), "\u{FFFD}x");
    }
}
