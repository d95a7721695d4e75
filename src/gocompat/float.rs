//! Go's formatting of `float64` values (`strconv`, `fmt`, `encoding/json`),
//! from the shortest round-trip digits: `strconv.FormatFloat(f, 'g', -1, 64)`, which is
//! also `fmt`'s `%v` (yaml.v2/v3 numbers, Go templates, map keys: `1e+06`), and
//! `encoding/json`'s float encoder (`1000000`, `1e-7`, `1e+21`).
//! Contact points: [`crate::manifest`] (YAML and JSON writers), [`crate::tanka`] (export
//! file names), [`crate::engine`] (`parseYaml` keys), [`crate::docs`]. Goldens made with
//! Go: `tests/testdata/gocompat/` (`oracle/main.go`).

/// The shortest decimal digits that round-trip `f` (finite, non-zero magnitude) and
/// the decimal point position: `f = 0.d1d2… × 10^dp`.
fn shortest(f: f64) -> (String, i32) {
    // Rust's `{:e}` prints the shortest round-trip digits: `1.2345e6`.
    let text = format!("{:e}", f.abs());
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    (digits, exp + 1)
}

/// `%e` with the shortest digits: `d.ddde±XX` (at least two exponent digits).
fn exp_form(neg: bool, digits: &str, dp: i32) -> String {
    let mut s = String::from(if neg { "-" } else { "" });
    s.push_str(&digits[..1]);
    if digits.len() > 1 {
        s.push('.');
        s.push_str(&digits[1..]);
    }
    let exp = dp - 1;
    s.push('e');
    s.push(if exp < 0 { '-' } else { '+' });
    s.push_str(&format!("{:02}", exp.abs()));
    s
}

/// `%f` with the shortest digits.
fn fixed_form(neg: bool, digits: &str, dp: i32) -> String {
    let mut s = String::from(if neg { "-" } else { "" });
    if dp <= 0 {
        s.push_str("0.");
        s.push_str(&"0".repeat((-dp) as usize));
        s.push_str(digits);
    } else if dp as usize >= digits.len() {
        s.push_str(digits);
        s.push_str(&"0".repeat(dp as usize - digits.len()));
    } else {
        s.push_str(&digits[..dp as usize]);
        s.push('.');
        s.push_str(&digits[dp as usize..]);
    }
    s
}

/// Special values as Go spells them; `None` for finite non-zero values.
fn special(f: f64) -> Option<String> {
    if f.is_nan() {
        Some("NaN".into())
    } else if f.is_infinite() {
        Some(if f > 0.0 { "+Inf" } else { "-Inf" }.into())
    } else if f == 0.0 {
        Some(if f.is_sign_negative() { "-0" } else { "0" }.into())
    } else {
        None
    }
}

/// `strconv.FormatFloat(f, 'g', -1, 64)`, the same as `fmt.Sprint(f)` (`%v`): exponent
/// form when the exponent is below -4 or at least 6 (`1e+06`, `1.5e-05`), positional
/// otherwise.
pub fn format_g(f: f64) -> String {
    if let Some(s) = special(f) {
        return s;
    }
    let (digits, dp) = shortest(f);
    let exp = dp - 1;
    if !(-4..6).contains(&exp) {
        exp_form(f < 0.0, &digits, dp)
    } else {
        fixed_form(f < 0.0, &digits, dp)
    }
}

/// `encoding/json`'s float: positional unless the magnitude is below 1e-6 or at least
/// 1e21, then the exponent form with a one-digit exponent kept short (`1e-7`).
pub fn format_json(f: f64) -> String {
    if let Some(s) = special(f) {
        return s;
    }
    let (digits, dp) = shortest(f);
    let abs = f.abs();
    if !(1e-6..1e21).contains(&abs) {
        let s = exp_form(f < 0.0, &digits, dp);
        // Go trims `e-09` to `e-9` (only negative exponents, as encoding/json does).
        match s.find("e-0") {
            Some(i) if s.len() == i + 4 => format!("{}e-{}", &s[..i], &s[i + 3..]),
            _ => s,
        }
    } else {
        fixed_form(f < 0.0, &digits, dp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gocompat::golden;

    #[test]
    fn floats_as_go_prints_them() {
        let cases = golden::cases("float");
        assert!(cases.len() > 30, "the golden has the float cases");
        for case in cases {
            let bits = u64::from_str_radix(golden::field(&case, "bits"), 16).expect("hex bits");
            let f = f64::from_bits(bits);
            assert_eq!(
                format_g(f),
                golden::field(&case, "g"),
                "FormatFloat 'g' of {f}"
            );
            assert_eq!(format_g(f), golden::field(&case, "v"), "fmt %v of {f}");
            if f.is_finite() {
                assert_eq!(format_json(f), golden::field(&case, "json"), "json of {f}");
            }
        }
    }

    #[test]
    fn g_format_as_go() {
        for (f, s) in [
            (1000000.0, "1e+06"),
            (123456.0, "123456"),
            (1234567.0, "1.234567e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-1.5e-7, "-1.5e-07"),
            (1.0, "1"),
            (0.1, "0.1"),
            (1e21, "1e+21"),
            (1.2345678901234567e19, "1.2345678901234567e+19"),
            (1e100, "1e+100"),
            (-0.0, "-0"),
        ] {
            assert_eq!(format_g(f), s, "{f}");
        }
    }

    #[test]
    fn json_format_as_go() {
        for (f, s) in [
            (1000000.0, "1000000"),
            (1e20, "100000000000000000000"),
            (1e21, "1e+21"),
            (1e-7, "1e-7"),
            (1.5e-10, "1.5e-10"),
            (0.000001, "0.000001"),
            (12345678901234567890.0, "12345678901234567000"),
            (3.25, "3.25"),
            (-2.0, "-2"),
        ] {
            assert_eq!(format_json(f), s, "{f}");
        }
    }
}
