//! String formats and `pattern` regular expressions, as the API server checks them.
//!
//! Formats: the API server checks a fixed set (kube-openapi's registry) and ignores
//! the rest; this module checks `date-time`, `date`, `byte`, `ipv4`, `ipv6`, `cidr`,
//! `uuid` and `hostname` on strings, and the ranges of `int32` and `int64` on integers.
//! Not checked (accepted as the API server would accept an unknown format): `uri`,
//! `email`, `mac`, `isbn*`, `creditcard`, `ssn`, `hexcolor`, `rgbcolor`, `duration`,
//! `bsonobjectid`, `password`; no Gateway API CRD uses them.
//!
//! Patterns: Kubernetes compiles `pattern` with Go's `regexp` (RE2 syntax), whatever
//! the OpenAPI text says about ECMA-262; the `regex` crate implements the same syntax
//! and semantics (no backreferences, no lookaround, leftmost-first). The one
//! difference handled here: RE2's `\d`, `\w`, `\s` (and negations) are ASCII classes,
//! the `regex` crate's are Unicode, so they are rewritten to ASCII classes. Left as is:
//! `\b` (Unicode word boundary here, ASCII in RE2) and case-folding of non-ASCII
//! letters under `(?i)`. A pattern the `regex` crate refuses is reported as "not
//! checked". Used by [`super::structural`].

use std::{cell::RefCell, collections::HashMap, net::IpAddr, rc::Rc};

use regex::Regex;

/// Compiled `pattern`s, by source text.
#[derive(Default)]
pub struct Patterns(RefCell<HashMap<String, Result<Rc<Regex>, String>>>);

impl Patterns {
    /// The compiled pattern, or why it cannot be compiled.
    pub fn get(&self, pattern: &str) -> Result<Rc<Regex>, String> {
        if let Some(r) = self.0.borrow().get(pattern) {
            return r.clone();
        }
        let compiled = Regex::new(&ascii_classes(pattern))
            .map(Rc::new)
            .map_err(|e| e.to_string());
        self.0
            .borrow_mut()
            .insert(pattern.to_owned(), compiled.clone());
        compiled
    }
}

/// Rewrites RE2's ASCII shorthand classes for the `regex` crate (whose are Unicode).
pub fn ascii_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut in_class = false;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push(c);
                    break;
                };
                let class = match n {
                    'd' => Some(("digit", false)),
                    'D' => Some(("digit", true)),
                    'w' => Some(("word", false)),
                    'W' => Some(("word", true)),
                    's' => Some(("space", false)),
                    'S' => Some(("space", true)),
                    _ => None,
                };
                match class {
                    // RE2's \s is [\t\n\f\r ], POSIX space adds \v: spell it out.
                    Some(("space", neg)) => {
                        let body = r"\t\n\f\r ";
                        match (in_class, neg) {
                            (true, false) => out.push_str(body),
                            (false, false) => out.push_str(&format!("[{body}]")),
                            (_, true) => out.push_str(&format!("[^{body}]")),
                        }
                    }
                    Some((name, neg)) => {
                        let caret = if neg { "^" } else { "" };
                        if in_class {
                            out.push_str(&format!("[:{caret}{name}:]"));
                        } else {
                            out.push_str(&format!("[[:{caret}{name}:]]"));
                        }
                    }
                    None => {
                        out.push(c);
                        out.push(n);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` right after `[` or `[^` is a literal.
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().unwrap_or('^'));
                }
                if chars.peek() == Some(&']') {
                    out.push_str(r"\]");
                    chars.next();
                }
            }
            '[' if in_class && chars.peek() == Some(&':') => {
                // A POSIX class inside a class: copy up to its `:]`.
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == ']' {
                        break;
                    }
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// The string formats the API server checks (kube-openapi's format registry);
/// others are ignored by it, so they are no constraint.
pub const KUBERNETES_FORMATS: &[&str] = &[
    "bsonobjectid",
    "uri",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "cidr",
    "mac",
    "uuid",
    "uuid3",
    "uuid4",
    "uuid5",
    "isbn",
    "isbn10",
    "isbn13",
    "creditcard",
    "ssn",
    "hexcolor",
    "rgbcolor",
    "byte",
    "password",
    "date",
    "duration",
    "datetime",
    "date-time",
];

/// The formats [`check_string`] checks (the others of [`KUBERNETES_FORMATS`] pass
/// unchecked); `password` has no constraint.
pub const CHECKED_FORMATS: &[&str] = &[
    "date-time",
    "datetime",
    "date",
    "byte",
    "ipv4",
    "ipv6",
    "cidr",
    "uuid",
    "hostname",
    "password",
];

/// Whether a string has a format; unknown formats pass (as the API server ignores
/// them).
pub fn check_string(format: &str, s: &str) -> bool {
    match format {
        "date-time" | "datetime" => is_date_time(s),
        "date" => is_date(s),
        "byte" => is_base64(s),
        "ipv4" => s.parse::<std::net::Ipv4Addr>().is_ok(),
        "ipv6" => s.parse::<std::net::Ipv6Addr>().is_ok(),
        "cidr" => is_cidr(s),
        "uuid" => is_uuid(s),
        "hostname" => is_hostname(s),
        _ => true,
    }
}

/// The range of an integer format, if it has one.
pub fn int_range(format: &str) -> Option<(i64, i64)> {
    match format {
        "int32" => Some((i32::MIN.into(), i32::MAX.into())),
        "int64" => Some((i64::MIN, i64::MAX)),
        _ => None,
    }
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts[..] else {
        return false;
    };
    let (Some(y), Some(m), Some(d)) = (digits(y, 4), digits(m, 2), digits(d, 2)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// RFC 3339 as Go's `time.RFC3339` parses it: `2006-01-02T15:04:05[.frac](Z|±hh:mm)`.
fn is_date_time(s: &str) -> bool {
    let Some((date, time)) = s.split_once('T') else {
        return false;
    };
    if !is_date(date) || time.len() < 9 {
        return false;
    }
    let (clock, rest) = time.split_at(8);
    let c: Vec<&str> = clock.split(':').collect();
    let [h, mi, se] = c[..] else {
        return false;
    };
    let (Some(h), Some(mi), Some(se)) = (digits(h, 2), digits(mi, 2), digits(se, 2)) else {
        return false;
    };
    if h > 23 || mi > 59 || se > 60 {
        return false;
    }
    let rest = match rest.strip_prefix('.') {
        Some(r) => {
            let n = r.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return false;
            }
            &r[n..]
        }
        None => rest,
    };
    if rest == "Z" {
        return true;
    }
    let Some(offset) = rest.strip_prefix(['+', '-']) else {
        return false;
    };
    matches!(offset.split_once(':'), Some((oh, om))
        if digits(oh, 2).is_some_and(|h| h < 24) && digits(om, 2).is_some_and(|m| m < 60))
}

fn is_base64(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    s.len().is_multiple_of(4)
        && s.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

fn is_cidr(s: &str) -> bool {
    let Some((ip, bits)) = s.split_once('/') else {
        return false;
    };
    let Ok(ip) = ip.parse::<IpAddr>() else {
        return false;
    };
    let max = if ip.is_ipv4() { 32 } else { 128 };
    !bits.is_empty()
        && bits.len() <= 3
        && bits.bytes().all(|b| b.is_ascii_digit())
        && bits.parse::<u32>().is_ok_and(|b| b <= max)
}

fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// RFC 1123 hostname: dot-separated labels of letters, digits and inner hyphens.
pub fn is_hostname(s: &str) -> bool {
    s.len() <= 253 && !s.is_empty() && s.split('.').all(is_dns_label)
}

/// An RFC 1123 label of any case: 1..63 letters, digits and inner hyphens.
fn is_dns_label(l: &str) -> bool {
    !l.is_empty()
        && l.len() <= 63
        && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !l.starts_with('-')
        && !l.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorthand_classes_become_ascii() {
        assert_eq!(ascii_classes(r"^\d+$"), "^[[:digit:]]+$");
        assert_eq!(ascii_classes(r"[\w.-]"), "[[:word:].-]");
        assert_eq!(ascii_classes(r"\\d"), r"\\d");
        assert_eq!(ascii_classes(r"[^\D]"), "[^[:^digit:]]");
        assert_eq!(ascii_classes(r"[]a]\s"), r"[\]a][\t\n\f\r ]");
        let p = Patterns::default();
        assert!(!p.get(r"^\d$").unwrap().is_match("٣"));
        assert!(p.get(r"^\d$").unwrap().is_match("3"));
        assert!(p.get("(a").is_err());
    }

    #[test]
    fn formats_valid_and_invalid() {
        for (f, good, bad) in [
            (
                "date-time",
                "2023-01-02T03:04:05.5+01:00",
                "2023-01-02 03:04:05Z",
            ),
            ("date", "2024-02-29", "2023-02-29"),
            ("byte", "aGVsbG8=", "aGVsbG8"),
            ("ipv4", "10.0.0.1", "10.0.0.256"),
            ("ipv6", "fd00::1", "fd00:::1"),
            ("cidr", "10.0.0.0/8", "10.0.0.0/33"),
            ("uuid", "123e4567-e89b-12d3-a456-426614174000", "123e4567"),
            ("hostname", "a.example.com", "-a.example.com"),
        ] {
            assert!(check_string(f, good), "{f} {good}");
            assert!(!check_string(f, bad), "{f} {bad}");
        }
        assert!(check_string("email", "anything"));
        assert_eq!(int_range("int32"), Some((-2147483648, 2147483647)));
    }
}
