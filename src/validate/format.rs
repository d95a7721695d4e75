//! String formats and `pattern` regular expressions, as the API server checks them.
//!
//! Formats: the API server checks the fixed set of kube-openapi's `strfmt` registry
//! ([`KUBERNETES_FORMATS`]) and ignores every other name; this module checks all of
//! them on strings, with kube-openapi's rules: `date-time`/`datetime`, `date`,
//! `byte`, `ipv4`, `ipv6`, `cidr`, `hostname`, `uuid` (hyphens optional, any case),
//! `uuid3`/`uuid4`/`uuid5` (version and variant digits), `isbn`/`isbn10`/`isbn13`
//! (spaces and hyphens dropped, check digit), `creditcard` (non-digits dropped,
//! issuer prefix and length, Luhn), `ssn` (`ddd-dd-dddd`, `-` or space),
//! `hexcolor`, `rgbcolor`, `bsonobjectid` (24 hex digits), and `mac`, `uri`, `email`,
//! `duration` through [`super::goparse`] (Go's parsers); `password` accepts anything.
//! It also checks the ranges of `int32` and `int64` on integers.
//!
//! Patterns: Kubernetes compiles `pattern` with Go's `regexp` (RE2 syntax), whatever
//! the OpenAPI text says about ECMA-262; they are compiled here by
//! [`crate::gocompat::regexp`] (Go's ASCII classes and limits on the `regex` crate).
//! Left as is: case-folding of non-ASCII letters under `(?i)`. A pattern Go would
//! refuse is reported as "not checked". Used by [`super::structural`].

use rustc_hash::FxHashMap;
use std::{cell::RefCell, rc::Rc, sync::LazyLock};

use regex::Regex;

use super::goparse;
use crate::gocompat::regexp::{self, RegexpError};

/// Compiled `pattern`s, by source text.
#[derive(Default)]
pub struct Patterns(RefCell<FxHashMap<String, Result<Rc<Regex>, RegexpError>>>);

impl Patterns {
    /// The compiled pattern, or why it cannot be compiled.
    pub fn get(&self, pattern: &str) -> Result<Rc<Regex>, RegexpError> {
        if let Some(r) = self.0.borrow().get(pattern) {
            return r.clone();
        }
        let compiled = regexp::compile(pattern).map(Rc::new);
        self.0
            .borrow_mut()
            .insert(pattern.to_owned(), compiled.clone());
        compiled
    }
}

/// The string formats the API server checks: kube-openapi's `strfmt` registry, as
/// apiextensions-apiserver keeps them (names compared with `-` removed, so
/// `date-time` is `datetime`); `k8s-short-name` and `k8s-long-name` since Kubernetes
/// 1.34. Other names, `quantity` included (listed as supported by apiextensions but
/// with no validator in the registry), are ignored, so they are no constraint.
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
    "k8sshortname",
    "k8slongname",
];

/// Whether the API server checks a string format (after its `-`-removing
/// normalisation); [`check_string`] checks every one of them.
pub fn is_kubernetes_format(format: &str) -> bool {
    KUBERNETES_FORMATS.contains(&normalize(format).as_ref())
}

/// The registry's name normalisation: dashes removed (without allocating for the
/// usual spellings).
fn normalize(format: &str) -> std::borrow::Cow<'_, str> {
    match format {
        "date-time" => "datetime".into(),
        "k8s-short-name" => "k8sshortname".into(),
        "k8s-long-name" => "k8slongname".into(),
        f if f.contains('-') => f.replace('-', "").into(),
        f => f.into(),
    }
}

/// Whether a string has a format; unknown formats pass (as the API server ignores
/// them).
pub fn check_string(format: &str, s: &str) -> bool {
    match normalize(format).as_ref() {
        "datetime" => is_date_time(s),
        "date" => is_date(s),
        "byte" => is_base64(s),
        "ipv4" => is_ipv4(s),
        "ipv6" => s.parse::<std::net::Ipv6Addr>().is_ok(),
        "cidr" => is_cidr(s),
        "uuid" => is_uuid(s, None),
        "uuid3" => is_uuid(s, Some(b'3')),
        "uuid4" => is_uuid(s, Some(b'4')),
        "uuid5" => is_uuid(s, Some(b'5')),
        "hostname" => is_hostname(s),
        "isbn" => is_isbn10(s) || is_isbn13(s),
        "isbn10" => is_isbn10(s),
        "isbn13" => is_isbn13(s),
        "creditcard" => is_credit_card(s),
        "ssn" => is_ssn(s),
        "hexcolor" => is_hex_color(s),
        "rgbcolor" => is_rgb_color(s),
        "bsonobjectid" => s.len() == 24 && s.bytes().all(|b| b.is_ascii_hexdigit()),
        "mac" => goparse::is_mac(s),
        "uri" => goparse::is_request_uri(s),
        "email" => goparse::is_email(s),
        "duration" => goparse::is_duration(s),
        "k8sshortname" => s.len() <= 63 && is_k8s_label(s),
        "k8slongname" => s.len() <= 253 && s.split('.').all(is_k8s_label),
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
    !s.is_empty()
        && s.len().is_multiple_of(4)
        && s.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// A decimal number as Go's old `dtoi` reads it (leading zeros allowed), at most `max`.
fn sloppy_number(s: &str, max: u32) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_digit())
        && s.trim_start_matches('0').len() <= 3
        && s.parse::<u32>().is_ok_and(|n| n <= max)
}

/// A dotted-quad IPv4 address, leading zeros tolerated (`netutils.ParseIPSloppy`).
fn is_ipv4_sloppy(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4 && parts.iter().all(|p| sloppy_number(p, 255))
}

/// kube-openapi's `ipv4`: any IP address `ParseIPSloppy` reads whose text has a dot,
/// so an IPv6 address with an embedded IPv4 one (`::ffff:10.0.0.1`) passes too.
fn is_ipv4(s: &str) -> bool {
    is_ipv4_sloppy(s) || (s.contains('.') && s.parse::<std::net::Ipv6Addr>().is_ok())
}

/// `netutils.ParseCIDRSloppy`: an address, `/`, and a prefix length within its size.
fn is_cidr(s: &str) -> bool {
    let Some((ip, bits)) = s.split_once('/') else {
        return false;
    };
    let max = if is_ipv4_sloppy(ip) {
        32
    } else if ip.parse::<std::net::Ipv6Addr>().is_ok() {
        128
    } else {
        return false;
    };
    sloppy_number(bits, max)
}

/// kube-openapi's UUID patterns: 8-4-4-4-12 hex digits of any case, each hyphen
/// optional; for a version, the third group starts with it and (versions 4 and 5)
/// the fourth with `8`, `9`, `a` or `b`.
fn is_uuid(s: &str, version: Option<u8>) -> bool {
    let mut groups = [""; 5];
    let mut rest = s;
    for (i, len) in [8, 4, 4, 4, 12].into_iter().enumerate() {
        if i > 0 {
            rest = rest.strip_prefix('-').unwrap_or(rest);
        }
        if rest.len() < len || !rest.is_char_boundary(len) {
            return false;
        }
        let (g, r) = rest.split_at(len);
        if !g.bytes().all(|b| b.is_ascii_hexdigit()) {
            return false;
        }
        groups[i] = g;
        rest = r;
    }
    rest.is_empty()
        && version.is_none_or(|v| {
            groups[2].as_bytes()[0] == v
                && (v == b'3'
                    || matches!(
                        groups[3].as_bytes()[0],
                        b'8' | b'9' | b'a' | b'b' | b'A' | b'B'
                    ))
        })
}

/// ISBN-10 after dropping ASCII spaces and hyphens: nine digits and a digit or `X`,
/// weighted sum 1..10 divisible by 11.
fn is_isbn10(s: &str) -> bool {
    let d: Vec<u8> = s.bytes().filter(|b| !is_go_space_or_minus(*b)).collect();
    d.len() == 10
        && d[..9].iter().all(u8::is_ascii_digit)
        && (d[9].is_ascii_digit() || d[9] == b'X')
        && d.iter()
            .enumerate()
            .map(|(i, b)| (i as u32 + 1) * if *b == b'X' { 10 } else { u32::from(b - b'0') })
            .sum::<u32>()
            .is_multiple_of(11)
}

/// ISBN-13 after dropping ASCII spaces and hyphens: 13 digits, weights 1 and 3.
fn is_isbn13(s: &str) -> bool {
    let d: Vec<u8> = s.bytes().filter(|b| !is_go_space_or_minus(*b)).collect();
    if d.len() != 13 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = d[..12]
        .iter()
        .enumerate()
        .map(|(i, b)| [1, 3][i % 2] * u32::from(b - b'0'))
        .sum();
    u32::from(d[12] - b'0') == (10 - sum % 10) % 10
}

/// RE2's `[\s-]`.
fn is_go_space_or_minus(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'-')
}

/// A card number: the digits (everything else dropped) match an issuer's prefix
/// and length, and pass the Luhn check.
fn is_credit_card(s: &str) -> bool {
    static ISSUERS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            "^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}\
             |3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35[0-9]{3})[0-9]{11})$",
        )
        .expect("valid regex")
    });
    let d: String = s.chars().filter(char::is_ascii_digit).collect();
    if !ISSUERS.is_match(&d) {
        return false;
    }
    let sum: u32 = d
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let n = u32::from(b - b'0');
            match i % 2 {
                0 => n,
                _ if n * 2 >= 10 => n * 2 % 10 + 1,
                _ => n * 2,
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A US social security number: 11 bytes, `ddd-dd-dddd` with `-` or space.
fn is_ssn(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11
        && b.iter().enumerate().all(|(i, c)| match i {
            3 | 6 => *c == b'-' || *c == b' ',
            _ => c.is_ascii_digit(),
        })
}

/// `#` (optional) and 3 or 6 hex digits.
fn is_hex_color(s: &str) -> bool {
    let h = s.strip_prefix('#').unwrap_or(s);
    matches!(h.len(), 3 | 6) && h.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `rgb(r, g, b)` with 0..255 each, no leading zeros, ASCII spaces around them.
fn is_rgb_color(s: &str) -> bool {
    static RGB: LazyLock<Regex> = LazyLock::new(|| {
        let n = "(?:0|[1-9][0-9]?|1[0-9][0-9]?|2[0-4][0-9]|25[0-5])";
        let sp = "[\\t\\n\\f\\r ]*";
        Regex::new(&format!("^rgb\\({sp}{n}{sp},{sp}{n}{sp},{sp}{n}{sp}\\)$")).expect("valid regex")
    });
    RGB.is_match(s)
}

/// `k8s-short-name`'s label: lower-case letters, digits, inner hyphens.
fn is_k8s_label(l: &str) -> bool {
    !l.is_empty()
        && l.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !l.starts_with('-')
        && !l.ends_with('-')
}

/// kube-openapi's hostname: one label, or labels and a top-level domain of 2..63
/// letters; letters and symbols of any script count; at most 255 bytes, labels at
/// most 63.
fn is_hostname(s: &str) -> bool {
    static HOSTNAME: LazyLock<Regex> = LazyLock::new(|| {
        let c = r"[a-zA-Z0-9\p{S}\p{L}]";
        let inner = r"[a-zA-Z0-9\-\p{S}\p{L}]";
        Regex::new(&format!(
            r"^(?:{c}(?:-?{c}{{0,62}})?|(?:{c}(?:{inner}{{0,61}}{c})?\.)+[a-zA-Z\p{{L}}]{{2,63}})$"
        ))
        .expect("valid regex")
    });
    s.len() <= 255 && HOSTNAME.is_match(s) && s.split('.').all(|l| l.len() <= 63)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every format answers, never panics, on any text (multi-byte characters where
    /// the checks slice, digits and separators where they count).
    #[test]
    fn arbitrary_text_never_panics() {
        const ALPHABET: &[char] = &[
            '1',
            '9',
            'a',
            'X',
            '-',
            ':',
            '.',
            '/',
            'T',
            'Z',
            '+',
            ' ',
            'é',
            '\u{1F600}',
        ];
        let mut word = String::new();
        for format in KUBERNETES_FORMATS {
            for a in ALPHABET {
                for b in ALPHABET {
                    for c in ALPHABET {
                        word.clear();
                        word.extend([*a, *b, *c]);
                        for w in [
                            word.clone(),
                            format!("2024-01-0{word}"),
                            format!("978{word}0123456"),
                            format!("{word}{word}{word}{word}"),
                            format!("10.0.{word}"),
                        ] {
                            let _ = check_string(format, &w);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn patterns_are_go_regexps() {
        let p = Patterns::default();
        assert!(!p.get(r"^\d$").unwrap().is_match("٣"));
        assert!(p.get(r"^\d$").unwrap().is_match("3"));
        let not_non_digit = p.get(r"^[^\D]$").unwrap();
        assert!(not_non_digit.is_match("3") && !not_non_digit.is_match("a"));
        assert!(!not_non_digit.is_match("٣"));
        assert!(p.get(r"^[\w.-]+$").unwrap().is_match("a_b.c-d"));
        assert!(p.get(r"\bx").unwrap().is_match("éx"), "Go's \\b is ASCII");
        assert!(matches!(p.get("(a"), Err(RegexpError::Syntax(_))));
        assert!(
            matches!(p.get("a{1001}"), Err(RegexpError::RepeatCount(_))),
            "Go's repeat limit"
        );
    }

    #[test]
    fn formats_valid_and_invalid() {
        for (f, good, bad) in [
            (
                "date-time",
                "2023-01-02T03:04:05.5+01:00",
                "2023-01-02 03:04:05Z",
            ),
            ("datetime", "2023-01-02T03:04:05Z", "2023-01-02"),
            ("date", "2024-02-29", "2023-02-29"),
            ("byte", "aGVsbG8=", "aGVsbG8"),
            ("ipv4", "10.0.0.1", "10.0.0.256"),
            ("ipv4", "010.000.0.1", "10.0.0"),
            ("ipv4", "::ffff:10.0.0.1", "fd00::1"),
            ("ipv6", "fd00::1", "fd00:::1"),
            ("cidr", "10.0.0.0/8", "10.0.0.0/33"),
            ("cidr", "fd00::/008", "fd00::/129"),
            ("uuid", "123e4567-e89b-12d3-a456-426614174000", "123e4567"),
            (
                "uuid",
                "123E4567E89B12D3A456426614174000",
                "123e4567-e89b-12d3-a456-42661417400g",
            ),
            (
                "uuid3",
                "a3bb189e-8bf9-3888-9912-ace4e6543002",
                "a3bb189e-8bf9-4888-9912-ace4e6543002",
            ),
            (
                "uuid4",
                "16fd2706-8baf-433b-82eb-8c7fada847da",
                "16fd2706-8baf-433b-72eb-8c7fada847da",
            ),
            (
                "uuid5",
                "886313e1-3b8a-5372-9b90-0c9aee199e5d",
                "886313e1-3b8a-4372-9b90-0c9aee199e5d",
            ),
            ("hostname", "a.example.com", "-a.example.com"),
            ("hostname", "localhost", "a.b"),
            ("hostname", "bücher.example", "a_b.example.com"),
            (
                "bsonobjectid",
                "507f1f77bcf86cd799439011",
                "507f1f77bcf86cd79943901",
            ),
            (
                "bsonobjectid",
                "507F1F77BCF86CD799439011",
                "507f1f77bcf86cd79943901z",
            ),
            ("mac", "00:00:5e:00:53:01", "00:00:5e:00:53"),
            ("uri", "https://example.com/x", "example.com/x"),
            ("email", "a@example.com", "a@@example.com"),
            ("duration", "1h30m", "soon"),
            ("k8s-short-name", "my-name", "My-name"),
            ("k8s-long-name", "a.my-name", "a..b"),
        ] {
            assert!(check_string(f, good), "{f} {good}");
            assert!(!check_string(f, bad), "{f} {bad}");
        }
        for f in ["password", "quantity", "unknown-format"] {
            assert!(check_string(f, "anything at all"), "{f}");
        }
        assert!(is_kubernetes_format("date-time") && is_kubernetes_format("uu-id"));
        assert!(!is_kubernetes_format("quantity"));
        assert_eq!(int_range("int32"), Some((-2147483648, 2147483647)));
    }

    /// Expected values: kube-openapi's govalidator functions (`IsISBN10`, `IsISBN13`,
    /// `IsCreditCard`, `IsSSN`, `IsHexcolor`, `IsRGBcolor`, `IsBase64`) run on each input
    /// with Go 1.19.
    #[test]
    fn formats_as_kube_openapi_decides() {
        for (f, s, ok) in [
            ("isbn10", "0321751043", true),
            ("isbn10", "0-321-75104-3", true),
            ("isbn10", "0 321 75104 3", true),
            ("isbn10", "080442957X", true),
            ("isbn10", "080442957x", false),
            ("isbn10", "0321751044", false),
            ("isbn10", "032175104", false),
            ("isbn13", "978-0321751041", true),
            ("isbn13", "9780321751041", true),
            ("isbn13", "9780321751042", false),
            ("isbn13", "978 0 321 75104 1", true),
            ("isbn", "0321751043", true),
            ("isbn", "978-0321751041", true),
            ("isbn", "12345", false),
            ("creditcard", "4111 1111 1111 1111", true),
            ("creditcard", "4111-1111-1111-1111", true),
            ("creditcard", "4111111111111112", false),
            ("creditcard", "5500000000000004", true),
            ("creditcard", "378282246310005", true),
            ("creditcard", "6011111111111117", true),
            ("creditcard", "x4111111111111111y", true),
            ("creditcard", "1234567812345670", false),
            ("creditcard", "2221000000000009", false),
            ("ssn", "123-45-6789", true),
            ("ssn", "123 45 6789", true),
            ("ssn", "123-45 6789", true),
            ("ssn", "123456789", false),
            ("ssn", "12-345-6789", false),
            ("ssn", "123-45-678a", false),
            ("hexcolor", "#fff", true),
            ("hexcolor", "FFFFFF", true),
            ("hexcolor", "#ffff", false),
            ("hexcolor", "#ggg", false),
            ("hexcolor", "#", false),
            ("rgbcolor", "rgb(255,255,255)", true),
            ("rgbcolor", "rgb( 0 , 10 , 199 )", true),
            ("rgbcolor", "rgb(256,0,0)", false),
            ("rgbcolor", "rgb(01,0,0)", false),
            ("rgbcolor", "RGB(1,2,3)", false),
            ("rgbcolor", "rgb(1,2)", false),
            ("byte", "aGVsbG8=", true),
            ("byte", "aGVsbG8", false),
            ("byte", "", false),
            ("byte", "aGVsbA==", true),
            ("byte", "a===", false),
            ("byte", "aGVs bG8=", false),
        ] {
            assert_eq!(check_string(f, s), ok, "{f} {s:?}");
        }
    }
}
