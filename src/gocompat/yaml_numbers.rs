//! The number syntaxes Go's YAML libraries resolve plain scalars with
//! ([`super::yaml_resolve`], for `std.parseYaml`, Tanka's natives and the yaml.v2 and
//! yaml.v3 writers, which also quote base-60 floats).
//!
//! - [`parse_int`]: Go's `strconv.ParseInt(s, 0, 64)`, then `ParseUint(s, 0, 64)`;
//! - [`is_yaml_float`] and [`parse_float`]: the float pattern both libraries test
//!   before `strconv.ParseFloat(s, 64)`;
//! - [`is_base60_float`]: the sexagesimal form both quote for YAML 1.1 readers.

/// Go's `strconv.ParseInt(s, 0, 64)`, else `strconv.ParseUint(s, 0, 64)`: an optional
/// sign, `0x`/`0o`/`0b` prefixes (either case) or a leading `0` for octal. `None` on a
/// syntax error or out of range (`ParseUint` takes no sign, so `+2^63` fails). Callers
/// remove YAML's `_` separators first.
pub fn parse_int(s: &str) -> Option<i128> {
    let (sign, digits) = match s.as_bytes().first() {
        Some(b'-') => (-1, &s[1..]),
        Some(b'+') => (1, &s[1..]),
        _ => (0, s),
    };
    let lower = digits.to_ascii_lowercase();
    let (radix, body) = if let Some(b) = lower.strip_prefix("0x") {
        (16, b)
    } else if let Some(b) = lower.strip_prefix("0o") {
        (8, b)
    } else if let Some(b) = lower.strip_prefix("0b") {
        (2, b)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i128::from(u64::from_str_radix(body, radix).ok()?);
    let value = if sign < 0 { -magnitude } else { magnitude };
    let fits_int = value >= i128::from(i64::MIN) && value <= i128::from(i64::MAX);
    (fits_int || sign == 0).then_some(value)
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`: what yaml.v2 and yaml.v3
/// hand to `strconv.ParseFloat` (so `inf`, hex floats and `1,000` stay strings).
pub fn is_yaml_float(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            all_digits(int) && all_digits(frac) && (!int.is_empty() || !frac.is_empty())
        }
        None => !mantissa.is_empty() && all_digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    mantissa_ok && exponent_ok
}

/// Go's `strconv.ParseFloat(s, 64)` for the decimal forms YAML floats take (callers test
/// [`is_yaml_float`] or a leading `.` first); `None` on a syntax error or out of range.
pub fn parse_float(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let decimal = !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if !decimal {
        return None;
    }
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$` (`isBase60Float` of yaml.v2 and
/// yaml.v3): strings of this form are quoted so YAML 1.1 readers keep them strings.
pub fn is_base60_float(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (head, frac) = match s.split_once('.') {
        Some((h, f)) => (h, Some(f)),
        None => (s, None),
    };
    if frac.is_some_and(|f| !f.bytes().all(|b| b.is_ascii_digit() || b == b'_')) {
        return false;
    }
    let mut parts = head.split(':');
    let first = parts.next().unwrap_or("");
    let first_ok = first.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && first.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    let mut groups = 0;
    for part in parts {
        groups += 1;
        let ok = match part.as_bytes() {
            [d] => d.is_ascii_digit(),
            [a, d] => (b'0'..=b'5').contains(a) && d.is_ascii_digit(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    first_ok && groups > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_as_go_parses_them() {
        assert_eq!(parse_int("0777"), Some(511));
        assert_eq!(parse_int("0o17"), Some(15));
        assert_eq!(parse_int("-0b11"), Some(-3));
        assert_eq!(parse_int("0x1F"), Some(31));
        assert_eq!(parse_int("18446744073709551615"), Some(u64::MAX.into()));
        assert_eq!(parse_int("-9223372036854775808"), Some(i64::MIN.into()));
        assert_eq!(parse_int("+9223372036854775808"), None);
        assert_eq!(parse_int("-9223372036854775809"), None);
        assert_eq!(parse_int("18446744073709551616"), None);
        assert_eq!(parse_int("1x"), None);
        assert_eq!(parse_int("0x"), None);
    }

    #[test]
    fn floats_as_yaml_tests_them() {
        assert!(is_yaml_float("12e03") && is_yaml_float(".5") && is_yaml_float("0."));
        assert!(!is_yaml_float("inf") && !is_yaml_float(".") && !is_yaml_float("1,000"));
        assert!(!is_yaml_float("1e") && !is_yaml_float("0x1p3"));
        assert_eq!(parse_float(".5"), Some(0.5));
        assert_eq!(parse_float("-1e3"), Some(-1000.0));
        assert_eq!(parse_float("1e999"), None);
        assert_eq!(parse_float("."), None);
    }

    #[test]
    fn base60_floats() {
        for yes in ["1:20", "-190:20:30.15", "1_0:59", "+1:2.", "0:00"] {
            assert!(is_base60_float(yes), "{yes}");
        }
        for no in ["1", "1:60", "a:1", ":1", "1:", "1:2:345", "1:2.x", "1.5:2"] {
            assert!(!is_base60_float(no), "{no}");
        }
    }
}
