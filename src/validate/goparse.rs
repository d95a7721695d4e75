//! The Go standard-library parsers behind four of the API server's string formats,
//! re-implemented as yes/no checks: `mac` (`net.ParseMAC`), `uri`
//! (`net/url.ParseRequestURI`), `email` (`net/mail.ParseAddress`) and `duration`
//! (kube-openapi's `ParseDuration`: `time.ParseDuration`, else its lenient
//! "number and unit word" reading). The rules are Go's as read in Go 1.19's source,
//! and the unit tests' expected values come from running these Go functions (Go
//! 1.19, the toolchain at hand); a newer Go may differ at edges not covered there.
//! In `email`, an RFC 2047 encoded word of a display name whose text decodes but
//! whose charset Go does not know (not UTF-8, ISO-8859-1 or US-ASCII) is an error,
//! as in Go.
//! Used by [`super::format::check_string`]. Also apimachinery's
//! `resource.ParseQuantity` ([`parse_quantity`]), which the structural walk applies to
//! the `Quantity` nodes of the Kubernetes API's own kinds.

use std::sync::LazyLock;

use regex::Regex;

/// `net.ParseMAC`: 6, 8 or 20 octets as `xx:xx:..`, `xx-xx-..` or `xxxx.xxxx...`.
pub fn is_mac(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 14 {
        return false;
    }
    let hex2 = |x: &[u8]| x.len() >= 2 && x[0].is_ascii_hexdigit() && x[1].is_ascii_hexdigit();
    let octets_ok = |n: usize| matches!(n, 6 | 8 | 20);
    if b[2] == b':' || b[2] == b'-' {
        if !(b.len() + 1).is_multiple_of(3) || !octets_ok((b.len() + 1) / 3) {
            return false;
        }
        b.chunks(3)
            .all(|c| hex2(c) && (c.len() == 2 || c[2] == b[2]))
    } else if b[4] == b'.' {
        if !(b.len() + 1).is_multiple_of(5) || !octets_ok(2 * (b.len() + 1) / 5) {
            return false;
        }
        b.chunks(5)
            .all(|c| hex2(c) && hex2(&c[2..]) && (c.len() == 4 || c[4] == b'.'))
    } else {
        false
    }
}

/// `net/url.ParseRequestURI` succeeds: an absolute URI or an absolute path.
pub fn is_request_uri(s: &str) -> bool {
    if s.is_empty() || s.bytes().any(|b| b < b' ' || b == 0x7f) {
        return false;
    }
    if s == "*" {
        return true;
    }
    let Some((scheme, rest)) = split_scheme(s) else {
        return false;
    };
    let rest = match rest.strip_suffix('?') {
        Some(r) if !r.contains('?') => r,
        _ => rest.split_once('?').map_or(rest, |(r, _)| r),
    };
    if !rest.starts_with('/') {
        // A rootless path after a scheme is opaque; without a scheme it is no request URI.
        return !scheme.is_empty();
    }
    let mut path = rest;
    if !scheme.is_empty() {
        if let Some(after) = rest.strip_prefix("//") {
            let (authority, p) = after.find('/').map_or((after, ""), |i| after.split_at(i));
            if !authority_ok(authority) {
                return false;
            }
            path = p;
        }
    }
    unescape_ok(path, Mode::Other)
}

/// The scheme (empty when there is none) and the rest; `None` for a leading `:`.
fn split_scheme(s: &str) -> Option<(&str, &str)> {
    for (i, c) in s.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return None,
            b':' => return Some((&s[..i], &s[i + 1..])),
            _ => return Some(("", s)),
        }
    }
    Some(("", s))
}

fn authority_ok(authority: &str) -> bool {
    let (user, host) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    if !host_ok(host) {
        return false;
    }
    user.is_none_or(|u| {
        u.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._:~!$&'()*+,;=%@".contains(c))
            && unescape_ok(u, Mode::Other)
    })
}

fn port_ok(p: &str) -> bool {
    p.is_empty()
        || p.strip_prefix(':')
            .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
}

fn host_ok(host: &str) -> bool {
    if host.starts_with('[') {
        let Some(i) = host.rfind(']') else {
            return false;
        };
        if !port_ok(&host[i + 1..]) {
            return false;
        }
        if let Some(zone) = host[..i].find("%25") {
            return unescape_ok(&host[..zone], Mode::Host)
                && unescape_ok(&host[zone..i], Mode::Zone)
                && unescape_ok(&host[i..], Mode::Host);
        }
    } else if let Some(i) = host.rfind(':') {
        if !port_ok(&host[i..]) {
            return false;
        }
    }
    unescape_ok(host, Mode::Host)
}

#[derive(PartialEq, Clone, Copy)]
enum Mode {
    Host,
    Zone,
    Other,
}

/// Whether a host byte must be escaped (Go's `shouldEscape` in host and zone mode).
fn host_must_escape(c: u8) -> bool {
    !(c.is_ascii_alphanumeric() || b"!$&'()*+,;=:[]<>\"-_.~".contains(&c))
}

/// Go's `unescape`: every `%` starts two hex digits; hosts allow fewer bytes.
fn unescape_ok(s: &str, mode: Mode) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if i + 2 >= b.len() || !b[i + 1].is_ascii_hexdigit() || !b[i + 2].is_ascii_hexdigit() {
                return false;
            }
            let hi = (b[i + 1] as char).to_digit(16).unwrap_or(0) as u8;
            let lo = (b[i + 2] as char).to_digit(16).unwrap_or(0) as u8;
            let pct25 = &b[i..i + 3] == b"%25";
            if mode == Mode::Host && hi < 8 && !pct25 {
                return false;
            }
            let v = hi << 4 | lo;
            if mode == Mode::Zone && !pct25 && v != b' ' && host_must_escape(v) {
                return false;
            }
            i += 3;
        } else {
            if mode != Mode::Other && b[i] < 0x80 && host_must_escape(b[i]) {
                return false;
            }
            i += 1;
        }
    }
    true
}

/// `net/mail.ParseAddress` succeeds with a non-empty address.
pub fn is_email(s: &str) -> bool {
    let mut p = Mail(s);
    p.single_address()
}

/// Go's `addrParser`: the unparsed rest of the input.
#[derive(Clone, Copy)]
struct Mail<'a>(&'a str);

fn is_vchar(c: char) -> bool {
    ('!'..='~').contains(&c) || !c.is_ascii()
}

fn is_atext(c: char, dot: bool, permissive: bool) -> bool {
    match c {
        '.' => dot,
        '(' | ')' | '[' | ']' | ';' | '@' | '\\' | ',' => permissive,
        '<' | '>' | '"' | ':' => false,
        _ => is_vchar(c),
    }
}

impl<'a> Mail<'a> {
    fn single_address(&mut self) -> bool {
        // A group (`name: a@b;`) parses, but holds one address only when it has one.
        match self.address(true) {
            Some(n) => self.skip_cfws() && self.0.is_empty() && n == 1,
            None => false,
        }
    }

    fn skip_space(&mut self) {
        self.0 = self.0.trim_start_matches([' ', '\t']);
    }

    fn consume(&mut self, c: char) -> bool {
        match self.0.strip_prefix(c) {
            Some(r) => {
                self.0 = r;
                true
            }
            None => false,
        }
    }

    /// The number of addresses read, `None` on error.
    fn address(&mut self, group: bool) -> Option<usize> {
        self.skip_space();
        if self.0.is_empty() {
            return None;
        }
        if self.addr_spec() {
            self.skip_space();
            if self.0.starts_with('(') {
                self.display_name_comment()?;
            }
            return Some(1);
        }
        if !self.0.starts_with('<') {
            self.phrase()?;
        }
        self.skip_space();
        if group && self.consume(':') {
            return self.group_list();
        }
        (self.consume('<') && self.addr_spec() && self.consume('>')).then_some(1)
    }

    fn group_list(&mut self) -> Option<usize> {
        let mut n = 0;
        self.skip_space();
        if self.consume(';') {
            self.skip_cfws();
            return Some(0);
        }
        loop {
            self.skip_space();
            n += self.address(false)?;
            if !self.skip_cfws() {
                return None;
            }
            if self.consume(';') {
                self.skip_cfws();
                return Some(n);
            }
            if !self.consume(',') {
                return None;
            }
        }
    }

    /// `local@domain`; on failure the input is left as it was.
    fn addr_spec(&mut self) -> bool {
        let orig = *self;
        let ok = (|| {
            self.skip_space();
            if self.0.is_empty() {
                return false;
            }
            let local = if self.0.starts_with('"') {
                self.quoted_string().is_some_and(|q| !q.is_empty())
            } else {
                self.atom(true, false).is_some()
            };
            if !local || !self.consume('@') {
                return false;
            }
            self.skip_space();
            !self.0.is_empty() && self.atom(true, false).is_some()
        })();
        if !ok {
            *self = orig;
        }
        ok
    }

    /// A display name's words; `None` when it has none.
    fn phrase(&mut self) -> Option<()> {
        let mut words = 0;
        loop {
            self.skip_space();
            if self.0.is_empty() {
                break;
            }
            let ok = if self.0.starts_with('"') {
                self.quoted_string().is_some()
            } else {
                self.atom(true, true).is_some_and(|w| !charset_error(w))
            };
            if !ok {
                break;
            }
            words += 1;
        }
        (words > 0).then_some(())
    }

    /// The content of a quoted string (its length in characters), `None` on error.
    fn quoted_string(&mut self) -> Option<String> {
        let mut out = String::new();
        let mut escaped = false;
        for (i, c) in self.0.char_indices().skip(1) {
            if escaped {
                if !is_vchar(c) && c != ' ' && c != '\t' {
                    return None;
                }
                out.push(c);
                escaped = false;
            } else if c == '"' {
                self.0 = &self.0[i + 1..];
                return Some(out);
            } else if c == '\\' {
                escaped = true;
            } else if is_vchar(c) || c == ' ' || c == '\t' {
                out.push(c);
            } else {
                return None;
            }
        }
        None
    }

    fn atom(&mut self, dot: bool, permissive: bool) -> Option<&'a str> {
        let end = self
            .0
            .char_indices()
            .find(|&(_, c)| !is_atext(c, dot, permissive))
            .map_or(self.0.len(), |(i, _)| i);
        if end == 0 {
            return None;
        }
        let (atom, rest) = self.0.split_at(end);
        self.0 = rest;
        if !permissive && (atom.starts_with('.') || atom.contains("..") || atom.ends_with('.')) {
            return None;
        }
        Some(atom)
    }

    fn skip_cfws(&mut self) -> bool {
        self.skip_space();
        while self.consume('(') {
            if self.comment().is_none() {
                return false;
            }
            self.skip_space();
        }
        true
    }

    /// A comment after its `(`, nested, with `\` escapes; `None` when unclosed.
    fn comment(&mut self) -> Option<String> {
        let mut depth = 1;
        let mut text = String::new();
        let b = self.0.as_bytes();
        let mut i = 0;
        while i < b.len() && depth > 0 {
            if b[i] == b'\\' && b.len() - i > 1 {
                i += 1;
            } else if b[i] == b'(' {
                depth += 1;
            } else if b[i] == b')' {
                depth -= 1;
            }
            if depth > 0 {
                text.push(b[i] as char);
            }
            i += 1;
        }
        self.0 = &self.0[i..];
        (depth == 0).then_some(text)
    }

    fn display_name_comment(&mut self) -> Option<()> {
        if !self.consume('(') {
            return None;
        }
        let text = self.comment()?;
        // Bytes were pushed as chars: only the ASCII encoded-word markers matter here.
        (!text.split([' ', '\t']).any(charset_error)).then_some(())
    }
}

/// An RFC 2047 encoded word (`=?charset?q?text?=`) in a charset Go's default
/// decoder does not know.
fn charset_error(word: &str) -> bool {
    let Some(inner) = word.strip_prefix("=?").and_then(|w| w.strip_suffix("?=")) else {
        return false;
    };
    if word.len() < 8 || word.matches('?').count() != 4 {
        return false;
    }
    let mut parts = inner.split('?');
    let (Some(charset), Some(enc), Some(text)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let decodes = match enc {
        "b" | "B" => {
            let body = text
                .strip_suffix("==")
                .or(text.strip_suffix('='))
                .unwrap_or(text);
            text.len().is_multiple_of(4)
                && body
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
        }
        "q" | "Q" => {
            let b = text.as_bytes();
            b.iter().enumerate().all(|(i, c)| match c {
                b'=' => {
                    b.len() > i + 2 && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit()
                }
                _ => (b' '..=b'~').contains(c),
            })
        }
        _ => false,
    };
    !charset.is_empty()
        && decodes
        && !["utf-8", "iso-8859-1", "us-ascii"]
            .iter()
            .any(|k| charset.eq_ignore_ascii_case(k))
}

/// `resource.ParseQuantity`'s error for text that is not a quantity.
pub const QUANTITY_FORMAT: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/// apimachinery's `resource.ParseQuantity` succeeds (`512Mi`, `100m`, `1e3`, `0.5`):
/// a signed decimal number, then a suffix — binary SI (`Ki` … `Ei`), decimal SI (`n`,
/// `u`, `m`, `k`, `M` … `E`, or none) or a decimal exponent (`e3`, `E-2`). As Go's
/// parser, a number of no digits (`.`, `-`, `Ki`) is zero when the fast integer path
/// takes it and an error when the decimal path does. Errors are Go's messages.
pub fn parse_quantity(s: &str) -> Result<(), &'static str> {
    const NUMERIC: &str = "unable to parse numeric part of quantity";
    const SUFFIX: &str = "unable to parse quantity's suffix";
    let b = s.as_bytes();
    if b.is_empty() {
        return Err(QUANTITY_FORMAT);
    }
    let end = b.len();
    let mut pos = usize::from(matches!(b[0], b'-' | b'+'));
    let zeros_start = pos;
    while pos < end && b[pos] == b'0' {
        pos += 1;
    }
    let mut has_digit = pos > zeros_start;
    let num_start = pos;
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    let num_len = (pos - num_start).max(1);
    has_digit |= pos > num_start;
    let mut denom_len = 0;
    if pos < end && b[pos] == b'.' {
        pos += 1;
        let start = pos;
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
        denom_len = pos - start;
        has_digit |= denom_len > 0;
    }
    let suffix = &s[pos..];
    while pos < end && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < end && matches!(b[pos], b'-' | b'+') {
        pos += 1;
    }
    if !b[pos..].iter().all(u8::is_ascii_digit) {
        return Err(QUANTITY_FORMAT);
    }
    // Which of Go's two paths parses the number: the int64 fast path, which reads
    // the digits alone, or the decimal one, which needs at least one digit.
    let len = i64::try_from(num_len + denom_len).unwrap_or(i64::MAX);
    let denom = i64::try_from(denom_len).unwrap_or(i64::MAX);
    let fast = match suffix {
        "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => {
            let exponent: i64 = match suffix {
                "Ki" => 10,
                "Mi" => 20,
                "Gi" => 30,
                "Ti" => 40,
                "Pi" => 50,
                _ => 60,
            };
            // Go: `15 - len(num) - exponent*3/10 - 1 >= 0`.
            denom_len == 0 && 15 - len - exponent * 3 / 10 > 0
        }
        _ => {
            let exponent: i64 = match suffix {
                "n" => -9,
                "u" => -6,
                "m" => -3,
                "" => 0,
                "k" => 3,
                "M" => 6,
                "G" => 9,
                "T" => 12,
                "P" => 15,
                "E" => 18,
                _ => match suffix.strip_prefix(['e', 'E']) {
                    // Go keeps the low 32 bits of the exponent.
                    Some(e) if !e.is_empty() => e.parse::<i64>().map_err(|_| SUFFIX)? as i32 as i64,
                    _ => return Err(SUFFIX),
                },
            };
            18 - len >= 0 && exponent - denom >= -9
        }
    };
    if fast || has_digit {
        Ok(())
    } else {
        Err(NUMERIC)
    }
}

/// kube-openapi's `duration`: Go's `time.ParseDuration`, or else at least one
/// "digits, optional spaces, unit word" run with a known unit (`5 days`, `3wk`) and
/// no run whose number overflows an `int64`.
pub fn is_duration(s: &str) -> bool {
    static RUN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"([0-9]+)[\t\n\f\r ]*([A-Za-zµ]+)").expect("valid regex"));
    if go_parse_duration(s) {
        return true;
    }
    let mut ok = false;
    for c in RUN.captures_iter(s) {
        if c[1].parse::<i64>().is_err() {
            return false;
        }
        let unit = c[2].to_lowercase();
        const UNITS: [&[&str]; 8] = [
            &["ns", "nano"],
            &["us", "µs", "micro"],
            &["ms", "milli"],
            &["s", "sec"],
            &["m", "min"],
            &["h", "hr", "hour"],
            &["d", "day"],
            &["w", "wk", "week"],
        ];
        ok |= UNITS.iter().any(|variants| {
            let last = variants.len() - 1;
            variants
                .iter()
                .enumerate()
                .any(|(i, v)| unit == *v || (i == last && unit.starts_with(v)))
        });
    }
    ok
}

/// Go's `time.ParseDuration` succeeds: `[-+]` then runs of a decimal number and a
/// unit (`ns`, `us`, `µs`, `μs`, `ms`, `s`, `m`, `h`), or `0`, within ±2⁶³ ns.
fn go_parse_duration(s: &str) -> bool {
    const LIMIT: u64 = 1 << 63;
    let (neg, mut s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if s == "0" {
        return true;
    }
    if s.is_empty() {
        return false;
    }
    let mut total: u64 = 0;
    while !s.is_empty() {
        if !(s.starts_with('.') || s.as_bytes()[0].is_ascii_digit()) {
            return false;
        }
        let int_len = s.bytes().take_while(u8::is_ascii_digit).count();
        let mut v: u64 = 0;
        for d in s[..int_len].bytes() {
            if v > LIMIT / 10 {
                return false;
            }
            v = v * 10 + u64::from(d - b'0');
            if v > LIMIT {
                return false;
            }
        }
        s = &s[int_len..];
        let (mut f, mut scale, mut post) = (0u64, 1f64, false);
        if let Some(r) = s.strip_prefix('.') {
            let n = r.bytes().take_while(u8::is_ascii_digit).count();
            let mut overflow = false;
            for d in r[..n].bytes() {
                if overflow {
                    continue;
                }
                if f > (LIMIT - 1) / 10 {
                    overflow = true;
                    continue;
                }
                let y = f * 10 + u64::from(d - b'0');
                if y > LIMIT {
                    overflow = true;
                    continue;
                }
                f = y;
                scale *= 10.0;
            }
            post = n > 0;
            s = &r[n..];
        }
        if int_len == 0 && !post {
            return false;
        }
        let unit_len = s
            .bytes()
            .take_while(|b| *b != b'.' && !b.is_ascii_digit())
            .count();
        let unit: u64 = match &s[..unit_len] {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return false,
        };
        s = &s[unit_len..];
        if v > LIMIT / unit {
            return false;
        }
        v *= unit;
        if f > 0 {
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > LIMIT {
                return false;
            }
        }
        total += v;
        if total > LIMIT {
            return false;
        }
    }
    neg || total < LIMIT
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every parser answers, never panics, on any text: all strings of up to three
    /// characters over an alphabet of the characters the parsers treat specially, plus
    /// multi-byte ones (slicing at a non-character boundary would panic).
    #[test]
    fn arbitrary_text_never_panics() {
        const ALPHABET: &[char] = &[
            '%',
            '2',
            '5',
            'a',
            'F',
            ':',
            '.',
            '@',
            '[',
            ']',
            '/',
            '"',
            '\\',
            ' ',
            '<',
            '>',
            'µ',
            's',
            '-',
            '=',
            '?',
            '(',
            ')',
            ',',
            'é',
            '€',
            '\u{1F600}',
        ];
        let mut word = String::new();
        let check = |w: &str| {
            let _ = (is_mac(w), is_request_uri(w), is_email(w), is_duration(w));
        };
        for a in ALPHABET {
            for b in ALPHABET {
                for c in ALPHABET {
                    word.clear();
                    word.extend([*a, *b, *c]);
                    check(&word);
                    check(&word[..a.len_utf8() + b.len_utf8()]);
                    check(&format!("x{word}@{word}"));
                    check(&format!("http://{word}/"));
                    check(&format!("1{word}"));
                }
            }
        }
    }

    // Expected values: Go 1.19's net.ParseMAC, url.ParseRequestURI, mail.ParseAddress
    // (with a non-empty address) and kube-openapi's strfmt.ParseDuration, run on each
    // input (`err == nil`).

    #[test]
    fn mac() {
        for (s, ok) in [
            ("00:00:5e:00:53:01", true),
            ("00-00-5E-00-53-01", true),
            ("0000.5e00.5301", true),
            ("02:00:5e:10:00:00:00:01", true),
            (
                "00:00:00:00:fe:80:00:00:00:00:00:00:02:00:5e:10:00:00:00:01",
                true,
            ),
            ("0200.5e10.0000.0001", true),
            ("00:00:5e:00:53", false),
            ("00:00:5e:00:53:01:02", false),
            ("00:00:5e-00:53:01", false),
            ("00:00:5g:00:53:01", false),
            ("0000.5e00.530", false),
            ("00005e005301", false),
            ("0000:5e00:5301", false),
            ("00:00:5e:00:53:1", false),
        ] {
            assert_eq!(is_mac(s), ok, "{s:?}");
        }
    }

    #[test]
    fn request_uri() {
        for (s, ok) in [
            ("https://example.com/a?b=c#d", true),
            ("/just/a/path", true),
            ("*", true),
            ("mailto:a@b.c", true),
            ("http://[fe80::1%25en0]:8080/", true),
            ("http://user:p%40ss@host/", true),
            ("http://h/%zz", false),
            ("http://h:port/", false),
            ("http://a b/", false),
            ("http://us^er@h/", false),
            ("http://[::1/", false),
            ("http://%41/", false),
            ("relative/path", false),
            ("", false),
            (":nope", false),
            ("http://h/\n", false),
            ("http://h/a b", true),
            ("http:/x", true),
            ("http://", true),
            ("http://h/?%zz", true),
            ("foo:bar:baz", true),
            ("1http://x/", false),
            ("http://[::1]:80x/", false),
            ("http://h:80:90/", true),
            ("http://h%C3%A9/", true),
            ("//host/path", true),
            ("http://ü.example/", true),
            ("http://[fe80::1%25%41]/", true),
            ("http://[fe80::1%25en0%2F]/", false),
            ("http://h/#frag%zz", false),
            ("?q", false),
        ] {
            assert_eq!(is_request_uri(s), ok, "{s:?}");
        }
    }

    #[test]
    fn email() {
        for (s, ok) in [
            ("a@example.com", true),
            ("John Doe <john.doe@example.com>", true),
            ("\"quoted local\"@example.com", true),
            ("a@b (comment)", true),
            ("\"Joe Q. Public\" <joe@example.com>", true),
            ("grp: a@b.c;", true),
            ("=?utf-8?q?J=C3=B6rg?= <j@example.com>", true),
            ("=?x-unknown?q?J?= <j@example.com>", false),
            ("=?x-unknown?q?J=zz?= <j@example.com>", true),
            ("Bob =?x-unknown?q?J?= <j@example.com>", true),
            ("a@b (=?x-unknown?q?J?=)", false),
            ("grp:;", false),
            ("grp: a@b.c, d@e.f;", false),
            ("plainaddress", false),
            ("a@b@c", false),
            ("a..b@c", false),
            (".a@c", false),
            ("a@", false),
            ("<a@b", false),
            ("a@b, c@d", false),
            ("\"\"@example.com", false),
            ("", false),
            ("  a@b  ", true),
            ("a@b (unclosed", false),
            ("<a@b> (c)", true),
            ("Jörg <j@b.c>", true),
            ("j@b.c.", false),
            ("a@[1.2.3.4]", false),
            ("\"a\\\"b\"@c", true),
            ("Name <a@b> trailing", false),
            ("a(b)@c", false),
            ("(c) a@b", false),
        ] {
            assert_eq!(is_email(s), ok, "{s:?}");
        }
    }

    #[test]
    fn duration() {
        for (s, ok) in [
            ("1h30m", true),
            ("-1.5h", true),
            ("+0", true),
            ("0", true),
            (".5s", true),
            ("1μs", true),
            ("1µs", true),
            ("3 days", true),
            ("2wk", true),
            ("10 Seconds", true),
            ("every 5 minutes", true),
            ("3000000h", true),
            ("9223372036854775807ns", true),
            ("-9223372036854775808ns", true),
            ("9223372036854775808ns", false),
            ("99999999999999999999s", false),
            ("1", false),
            ("", false),
            ("5 lightyears", false),
            (".s", false),
            ("forever", false),
            ("5 hrs", false),
            ("7 weeks", true),
            ("1 nanosecond", true),
            ("2 MS", true),
            ("-0", true),
            ("1.5", false),
            ("1e3s", true),
            ("1 lightyear 2 s", true),
            ("99999999999999999999x 5s", false),
            ("3 mo", false),
            ("5.s", true),
            ("1h ", true),
        ] {
            assert_eq!(is_duration(s), ok, "{s:?}");
        }
    }

    #[test]
    fn quantities_parse_as_apimachinery_parses_them() {
        for (s, want) in [
            ("512Mi", Ok(())),
            ("256000", Ok(())),
            ("100m", Ok(())),
            ("0", Ok(())),
            ("-1.5", Ok(())),
            ("+.5", Ok(())),
            ("1e3", Ok(())),
            ("1E+3", Ok(())),
            ("2.5Gi", Ok(())),
            ("1E", Ok(())),
            ("5n", Ok(())),
            (".", Ok(())),
            ("Ki", Ok(())),
            ("1K", Err("unable to parse quantity's suffix")),
            ("1e", Err("unable to parse quantity's suffix")),
            ("1Mi5", Err("unable to parse quantity's suffix")),
            (".e-10", Err("unable to parse numeric part of quantity")),
            ("", Err(QUANTITY_FORMAT)),
            ("abc", Err(QUANTITY_FORMAT)),
            ("1 Gi", Err(QUANTITY_FORMAT)),
            ("1.5.5", Err(QUANTITY_FORMAT)),
            ("1Gi ", Err(QUANTITY_FORMAT)),
        ] {
            assert_eq!(parse_quantity(s), want, "{s:?}");
        }
    }
}
