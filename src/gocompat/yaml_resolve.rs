//! How Go's YAML libraries resolve a plain (untagged, unquoted) scalar: yaml.v2 v2.4.0
//! ([`v2`], YAML 1.1: `yes`/`on` booleans) and yaml.v3 ([`v3`], YAML 1.2-style: `yes`
//! stays a string), both `resolve.go` with its first-character hints, the number
//! syntaxes of [`super::yaml_numbers`] and one timestamp reader; and yaml.v2's check
//! of a scalar with an explicit tag of those types ([`v2_tagged`]).
//!
//! Contact points: the readers `std.parseYaml` (`crate::engine::overrides`, yaml.v2
//! through sigs.k8s.io/yaml) and Tanka's natives (`crate::engine::tanka_natives`,
//! yaml.v3), and the writers `crate::manifest::yaml_v2`/`yaml_v3` (a string that would
//! read back as something else is quoted).

use super::libyaml::Dialect;
use super::yaml_numbers::{is_yaml_float, parse_float, parse_int};

/// What yaml.v2 or yaml.v3 makes of a plain scalar.
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
    /// A timestamp, already in Go's RFC 3339 (nano) form; `None` for one `Time.MarshalJSON`
    /// refuses (a zone offset of 24 hours or more, such as `+24:00`).
    Timestamp(Option<String>),
    /// Anything else.
    Str,
}

/// yaml.v2's `resolve("", s)`. A timestamp is [`Resolved::Timestamp`] here; yaml.v2's
/// decoder gives its text back as a string when decoding into `interface{}`.
pub fn v2(s: &str) -> Resolved {
    resolve(s, Dialect::V2, true)
}

/// yaml.v2's `resolve(tag, s)` for a scalar (quoted or not) with an explicit tag of a
/// type it resolves, given by name: `bool`, `int`, `float`, `null` or `timestamp`
/// (`!!str` and other tags take the text as it is). The text resolves as a plain
/// scalar would, a timestamp only under `!!timestamp`, and must be of the tag's type,
/// an integer that fits int64 also doing for `!!float`; otherwise the name of the
/// type it is, for yaml.v2's error ``cannot decode !!<that> `s` as a !!<tag>``.
pub fn v2_tagged(tag: &str, s: &str) -> Result<Resolved, &'static str> {
    let resolved = resolve(s, Dialect::V2, tag == "timestamp");
    let found = match &resolved {
        Resolved::Null => "null",
        Resolved::Bool(_) => "bool",
        Resolved::Int(_) => "int",
        Resolved::Float(_) => "float",
        Resolved::Timestamp(_) => "timestamp",
        Resolved::Str => "str",
    };
    match resolved {
        _ if found == tag => Ok(resolved),
        Resolved::Int(i) if tag == "float" && i64::try_from(i).is_ok() => {
            Ok(Resolved::Float(i as f64))
        }
        _ => Err(found),
    }
}

/// yaml.v3's `resolve("", s)`. The merge key `<<` resolves as a string here (its
/// first character is no resolution hint); decoders recognise it by its text.
pub fn v3(s: &str) -> Resolved {
    resolve(s, Dialect::V3, true)
}

/// `resolve` of both libraries: the map of special values (yaml.v2's YAML 1.1
/// booleans `yes`/`on`/`y`/… too), then by the first character's hint: `.` a float
/// read as written (no `_` removed), a digit a timestamp (when `timestamps`), a digit
/// or sign an integer or float with `_` removed.
fn resolve(s: &str, dialect: Dialect, timestamps: bool) -> Resolved {
    let Some(&first) = s.as_bytes().first() else {
        return Resolved::Null;
    };
    let yaml11 = dialect == Dialect::V2;
    match s {
        "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "true" | "True" | "TRUE" => return Resolved::Bool(true),
        "false" | "False" | "FALSE" => return Resolved::Bool(false),
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" if yaml11 => {
            return Resolved::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" if yaml11 => {
            return Resolved::Bool(false)
        }
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        _ => {}
    }
    match first {
        b'.' => parse_float(s).map_or(Resolved::Str, Resolved::Float),
        b'+' | b'-' | b'0'..=b'9' => {
            if timestamps && first.is_ascii_digit() {
                if let Some(t) = timestamp(s) {
                    return Resolved::Timestamp(t);
                }
            }
            number(s)
        }
        _ => Resolved::Str,
    }
}

/// An integer or float of the `D`/`S` hints, `_` separators removed, else a string.
fn number(s: &str) -> Resolved {
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

/// A number of 1 to `max` digits at the start of `s`, and the rest.
fn digits(s: &str, min: usize, max: usize) -> Option<(u32, &str)> {
    let n = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    (n >= min)
        .then(|| (s[..n].parse().ok(), &s[n..]))
        .and_then(|(v, r)| Some((v?, r)))
}

/// The timestamp formats of yaml.v2's and yaml.v3's `parseTimestamp` (`2006-1-2T15:4:5.999999999Z07:00`, the same with `t`,
/// `2006-1-2 15:4:5.999999999`, `2006-1-2`) parsed as Go's `time.Parse` does (Go 1.26,
/// checked against `tk` v0.38.0), rendered as `time.Time`'s JSON form (RFC 3339 with
/// nanoseconds, trailing zeros dropped); `Some(None)` where that form fails.
fn timestamp(s: &str) -> Option<Option<String>> {
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
        return Some(Some(format!("{date}T00:00:00Z")));
    }
    let (zoned, rest) = if let Some(r) = rest.strip_prefix(['T', 't']) {
        (true, r)
    } else if rest.starts_with(' ') {
        // A space of Go's layout matches any run of spaces.
        (false, rest.trim_start_matches(' '))
    } else {
        return None;
    };
    let (hour, rest) = digits(rest, 1, 2)?;
    let (minute, rest) = digits(rest.strip_prefix(':')?, 1, 2)?;
    let (second, mut rest) = digits(rest.strip_prefix(':')?, 1, 2)?;
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut frac = String::new();
    if let Some(r) = rest.strip_prefix(['.', ',']) {
        // Go's `time.Parse` (since Go 1.20) reads every digit after the separator
        // and keeps the first nine: nanoseconds, truncated, never rounded.
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        frac = r[..n.min(9)].trim_end_matches('0').to_owned();
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
        if !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (hv, mv): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        // `time.Parse` accepts an hour up to 24 and a minute up to 60 and adds them up
        // (`-05:60` is six hours west).
        if hv > 24 || mv > 60 {
            return None;
        }
        let minutes = hv * 60 + mv;
        if minutes == 0 {
            "Z".to_owned()
        } else if minutes >= 24 * 60 {
            // `Time.MarshalJSON` refuses a zone of a day or more.
            return Some(None);
        } else {
            format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
        }
    };
    let frac = if frac.is_empty() {
        frac
    } else {
        format!(".{frac}")
    };
    Some(Some(format!(
        "{date}T{hour:02}:{minute:02}:{second:02}{frac}{zone}"
    )))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_like_yaml_v3() {
        assert_eq!(v3("yes"), Resolved::Str);
        assert_eq!(v3("0x1F"), Resolved::Int(31));
        assert_eq!(v3("0777"), Resolved::Int(511));
        assert_eq!(v3("1_000"), Resolved::Int(1000));
        assert_eq!(v3("08"), Resolved::Float(8.0));
        assert_eq!(v3("1e400"), Resolved::Str);
        assert_eq!(
            v3("2001-12-14 21:59:43.10"),
            Resolved::Timestamp(Some("2001-12-14T21:59:43.1Z".into()))
        );
        assert_eq!(v3("2001-02-30"), Resolved::Str);
    }

    /// Go 1.26's `time.Parse` as `tk` v0.38.0 runs it: more than nine fractional digits
    /// are truncated, a zone minute of 60 carries, a zone of a day fails to print.
    #[test]
    fn timestamps_like_go_1_26() {
        let ts = |s: &str| Resolved::Timestamp(Some(s.into()));
        assert_eq!(
            v3("2001-12-14 21:59:43.123456789999"),
            ts("2001-12-14T21:59:43.123456789Z")
        );
        assert_eq!(
            v3("2001-12-14T21:59:43.0000000001Z"),
            ts("2001-12-14T21:59:43Z")
        );
        assert_eq!(
            v3("2001-12-14T21:59:43-05:60"),
            ts("2001-12-14T21:59:43-06:00")
        );
        assert_eq!(v3("2001-12-14T21:59:43+24:00"), Resolved::Timestamp(None));
        assert_eq!(v3("2001-12-14T21:59:43-05:61"), Resolved::Str);
        assert_eq!(v3("2001-12-14T21:59:43+25:00"), Resolved::Str);
        assert_eq!(v3("2001-12-14 21:59:43."), Resolved::Str);
        assert_eq!(v3("2001-12-14   1:2:3"), ts("2001-12-14T01:02:03Z"));
    }

    /// go-jsonnet 0.22's `std.parseYaml` (yaml.v2) on each text, checked with the Python
    /// module `_gojsonnet`: `._5` stays a string (a `.` hint reads the text as written),
    /// `+.5_0` is 0.5 (a sign hint removes `_`).
    #[test]
    fn resolves_like_yaml_v2() {
        assert_eq!(v2("yes"), Resolved::Bool(true));
        assert_eq!(v2("Off"), Resolved::Bool(false));
        assert_eq!(v2(""), Resolved::Null);
        assert_eq!(v2("._5"), Resolved::Str);
        assert_eq!(v2(".5"), Resolved::Float(0.5));
        assert_eq!(v2("+.5_0"), Resolved::Float(0.5));
        assert_eq!(v2("-_1"), Resolved::Int(-1));
        assert_eq!(v2("0b1_0"), Resolved::Int(2));
        assert_eq!(v2("1_0"), Resolved::Int(10));
        assert!(matches!(v2("2001-12-14"), Resolved::Timestamp(_)));
        assert_eq!(v2("+2001-12-14"), Resolved::Str);
        assert_eq!(v2("no_thanks"), Resolved::Str);
    }

    /// yaml.v2's check of tagged scalars, as go-jsonnet 0.22's `std.parseYaml` reports
    /// it (checked with `_gojsonnet`; the cases of `tests/testdata/yaml_errors`).
    #[test]
    fn tagged_scalars_like_yaml_v2() {
        assert!(matches!(
            v2_tagged("timestamp", "2001-12-14"),
            Ok(Resolved::Timestamp(_))
        ));
        assert_eq!(v2_tagged("timestamp", "foo"), Err("str"));
        assert_eq!(v2_tagged("timestamp", "12"), Err("int"));
        assert_eq!(v2_tagged("timestamp", ""), Err("null"));
        assert_eq!(v2_tagged("int", "2001-12-14"), Err("str"));
        assert_eq!(v2_tagged("int", "yes"), Err("bool"));
        // `<` is no hint, so the merge key of the special values is not looked up.
        assert_eq!(v2_tagged("int", "<<"), Err("str"));
        assert_eq!(v2_tagged("float", "0x10"), Ok(Resolved::Float(16.0)));
        assert_eq!(v2_tagged("float", "18446744073709551615"), Err("int"));
        assert_eq!(v2_tagged("bool", "1"), Err("int"));
        assert_eq!(v2_tagged("null", "x"), Err("str"));
        assert_eq!(v2_tagged("null", "~"), Ok(Resolved::Null));
    }
}
