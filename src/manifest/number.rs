//! Number formatting exactly as go-jsonnet prints numbers: integral values with no
//! fraction (`%.0f`), everything else like C's `%.17g`.

use std::fmt::Write;

/// Appends `v` to `out` the way go-jsonnet's `unparseNumber` formats it.
pub fn write_number(out: &mut String, v: f64) {
    if v == v.floor() {
        // Integers below 2^53 (ports, counts, weights): integer formatting, much
        // cheaper than the exact float expansion. `-0` keeps its sign below.
        if v.abs() < 9007199254740992.0 && !(v == 0.0 && v.is_sign_negative()) {
            let _ = write!(out, "{}", v as i64);
            return;
        }
        // Exact decimal expansion of an integral double, including "-0".
        let _ = write!(out, "{v:.0}");
        return;
    }
    write_g17(out, v);
}

/// Formats a finite, non-integral `v` like C's `printf("%.17g", v)`.
fn write_g17(out: &mut String, v: f64) {
    const PRECISION: i32 = 17;
    // Scientific form with 17 significant digits, correctly rounded.
    let sci = format!("{:.*e}", (PRECISION - 1) as usize, v);
    let (mantissa, exp) = sci.split_once('e').expect("`{:e}` always has an exponent");
    let exp: i32 = exp.parse().expect("`{:e}` exponent is an integer");
    if !(-4..PRECISION).contains(&exp) {
        out.push_str(trim_fraction(mantissa));
        let sign = if exp < 0 { '-' } else { '+' };
        let _ = write!(out, "e{sign}{:02}", exp.abs());
    } else {
        let decimals = (PRECISION - 1 - exp).max(0) as usize;
        let fixed = format!("{v:.decimals$}");
        out.push_str(trim_fraction(&fixed));
    }
}

/// Removes trailing zeros of a fraction, and the point if nothing is left after it.
fn trim_fraction(s: &str) -> &str {
    if !s.contains('.') {
        return s;
    }
    s.trim_end_matches('0').trim_end_matches('.')
}

#[cfg(test)]
mod tests {
    use super::write_number;

    fn fmt(v: f64) -> String {
        let mut s = String::new();
        write_number(&mut s, v);
        s
    }

    #[test]
    fn matches_go_jsonnet() {
        assert_eq!(fmt(0.1), "0.10000000000000001");
        assert_eq!(fmt(0.5), "0.5");
        assert_eq!(fmt(1.0), "1");
        assert_eq!(fmt(-0.0), "-0");
        assert_eq!(fmt(1e20), "100000000000000000000");
        assert_eq!(fmt(1e-5), "1.0000000000000001e-05");
        assert_eq!(fmt(123456.789), "123456.789");
        assert_eq!(fmt(1.5e-7), "1.4999999999999999e-07");
        assert_eq!(fmt(std::f64::consts::PI), "3.1415926535897931");
        assert_eq!(fmt(-2.5), "-2.5");
        assert_eq!(fmt(-7.0), "-7");
        assert_eq!(fmt(9007199254740991.0), "9007199254740991");
        assert_eq!(fmt(-9007199254740992.0), "-9007199254740992");
        assert_eq!(fmt(9007199254740993.0), "9007199254740992");
    }
}
