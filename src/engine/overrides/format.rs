//! `std.format` (and `std.mod`, the `%` operator, which calls it for a string: [`go_mod`]):
//! go-jsonnet 0.22's algorithm —
//! its `std.jsonnet` `format`, digit by digit in `f64` arithmetic with Go's `math.Pow` and
//! `math.Log` ([`super::math`]) — so every number prints with the same bytes, including the
//! digits go-jsonnet invents past a double's precision (`'%d' % 1e300`). jrsonnet's
//! own `format` keeps widths in 16 bits and integers in 64.
//!
//! Where go-jsonnet fails or prints nonsense, a clean error instead: a precision or a
//! width over [`MAX_WIDTH`] (go-jsonnet runs out of stack at a few hundred), a number
//! whose scaled form overflows (`'%.309f' % 1.5`; go-jsonnet: "Overflow"), a `*`
//! precision that is not a whole number. `%e`/`%g` of a subnormal number print its
//! true digits (go-jsonnet prints `0e-308` for `1e-320`). Contact points: installed over jrsonnet's
//! `std.format` by [`super::install`]; `%s` uses [`go_to_string`].

use jrsonnet_evaluator::{
    error::{ErrorKind, Result},
    function::builtin,
    IStr, ObjValue, Val,
};

use super::math::{go_log, go_pow};
use crate::engine::error::{
    called_in_std, go_std_error, StdFrame, MOD_FORMAT, MOD_NUMBERS, MOD_OPERANDS,
};
use crate::manifest::json::go_to_string;
use crate::manifest::number::write_number;

/// The largest field width or precision accepted (characters of padding or digits).
pub const MAX_WIDTH: f64 = 1_000_000.0;

/// A runtime error with `msg`.
fn fail<T>(msg: impl Into<String>) -> Result<T> {
    Err(ErrorKind::RuntimeError(msg.into().into()).into())
}

/// go-jsonnet 0.22's frames in the `format` of its `std.jsonnet`, as its output shows
/// them (innermost first), for the errors of a code formatting an array's value: the
/// code's branch in `format_code` (by conversion), the padding of its result
/// (`pad_left`, or `pad_right` for a `-` flag), the step of `format_codes_arr`, and
/// `std.format`'s call for an array, an object or a single value.
mod go_frames {
    use super::{Code, StdFrame};

    const CODES_ARR: &str = "function <format_codes_arr>";
    const FORMAT_CODE: &str = "function <format_code>";
    const S_PADDED: &str = "thunk <s_padded> from <function <format_codes_arr>>";
    const ANON: &str = "function <anonymous>";

    /// `Too many values to format`.
    pub const TOO_MANY: &[StdFrame] = &[
        StdFrame::at(727, 11, 86, CODES_ARR),
        StdFrame::at(733, 11, 59, CODES_ARR),
    ];

    /// `std.format` called with an array, an object, a single value.
    pub const ARRAY: StdFrame = StdFrame::at(820, 7, 46, ANON);
    pub const OBJECT: StdFrame = StdFrame::at(822, 7, 43, ANON);
    pub const SINGLE: StdFrame = StdFrame::at(824, 7, 48, ANON);

    /// The line of `format_code`'s branch for a conversion (as [`Code::conv`]).
    fn branch(conv: char) -> u32 {
        match conv {
            's' => 635,
            'd' => 637,
            'o' => 643,
            'x' => 650,
            'f' => 662,
            'e' => 674,
            'g' => 687,
            _ => 711,
        }
    }

    /// Where the code's result is padded and the step that formats it.
    fn padded(code: &Code, mut frames: Vec<StdFrame>) -> Vec<StdFrame> {
        frames.push(StdFrame::at(
            765,
            15,
            60,
            "thunk <s> from <function <format_codes_arr>>",
        ));
        if code.flags.left {
            frames.extend([
                StdFrame::at(
                    768,
                    25,
                    26,
                    "thunk from <thunk <s_padded> from <function <format_codes_arr>>>",
                ),
                StdFrame::at(527, 7, 10, "function <pad_right>"),
                StdFrame::at(768, 15, 40, S_PADDED),
            ]);
        } else {
            frames.extend([
                StdFrame::at(
                    770,
                    24,
                    25,
                    "thunk from <thunk <s_padded> from <function <format_codes_arr>>>",
                ),
                StdFrame::at(523, 30, 33, "thunk from <thunk from <function <pad_left>>>"),
                StdFrame::at(523, 19, 34, "thunk from <function <pad_left>>"),
                StdFrame::at(519, 11, 12, "thunk from <function <padding>>"),
                StdFrame::at(515, 12, 13, "function <aux>"),
                StdFrame::at(519, 7, 17, "function <padding>"),
                StdFrame::at(523, 7, 38, "function <pad_left>"),
                StdFrame::at(770, 15, 39, S_PADDED),
            ]);
        }
        frames.extend([
            StdFrame::at(776, 55, 63, "thunk from <function <format_codes_arr>>"),
            StdFrame::at(776, 11, 64, CODES_ARR),
        ]);
        frames
    }

    /// `Not enough values to format` for the code's value.
    pub fn missing_value(code: &Code) -> Vec<StdFrame> {
        let line = branch(code.conv);
        let (outer, inner) = if code.conv == 's' {
            ((9, 26), (22, 25))
        } else {
            ((12, 25), (21, 24))
        };
        padded(
            code,
            vec![
                StdFrame::at(
                    760,
                    15,
                    103,
                    "thunk <val> from <function <format_codes_arr>>",
                ),
                StdFrame::at(
                    765,
                    27,
                    30,
                    "thunk from <thunk <s> from <function <format_codes_arr>>>",
                ),
                StdFrame::at(
                    line,
                    inner.0,
                    inner.1,
                    "thunk from <function <format_code>>",
                ),
                StdFrame::at(line, outer.0, outer.1, FORMAT_CODE),
            ],
        )
    }

    /// A value of the wrong type for a numeric conversion.
    pub fn not_a_number(code: &Code) -> Vec<StdFrame> {
        let line = branch(code.conv);
        padded(
            code,
            vec![StdFrame::span((line + 1, 11), (line + 2, 47), FORMAT_CODE)],
        )
    }

    /// `%c` of a string of another length than 1.
    pub fn char_length(code: &Code) -> Vec<StdFrame> {
        padded(code, vec![StdFrame::at(717, 13, 71, FORMAT_CODE)])
    }

    /// `%c` of a value neither a number nor a string.
    pub fn char_type(code: &Code) -> Vec<StdFrame> {
        padded(code, vec![StdFrame::at(719, 11, 69, FORMAT_CODE)])
    }
}

/// A field width or precision as written.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Size {
    Num(f64),
    Star,
}

/// The flags of a conversion.
#[derive(Clone, Copy, Debug, Default)]
struct Flags {
    alt: bool,
    zero: bool,
    left: bool,
    blank: bool,
    plus: bool,
}

/// One `%` code.
#[derive(Clone, Debug)]
struct Code<'f> {
    key: Option<&'f str>,
    flags: Flags,
    width: Size,
    precision: Option<Size>,
    /// `d` (also `i`, `u`), `o`, `x`, `e`, `f`, `g`, `c`, `s` or `%`.
    conv: char,
    caps: bool,
}

/// A piece of a format string (borrowed from it).
enum Piece<'f> {
    Text(&'f str),
    Code(Code<'f>),
}

/// go-jsonnet's error for a format string ending inside a code.
fn truncated<T>() -> Result<T> {
    fail("Truncated format code.")
}

/// Parses a format string as go-jsonnet does. Every character of the syntax is ASCII,
/// so the string is scanned by bytes and each piece is a slice of it.
fn parse(format: &str) -> Result<Vec<Piece<'_>>> {
    let bytes = format.as_bytes();
    let mut pieces = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            i += 1;
            continue;
        }
        pieces.push(Piece::Text(&format[text_start..i]));
        i += 1;
        let mut key = None;
        if i >= bytes.len() {
            return truncated();
        }
        if bytes[i] == b'(' {
            let close = bytes[i + 1..].iter().position(|&c| c == b')');
            let Some(close) = close else {
                return truncated();
            };
            key = Some(&format[i + 1..i + 1 + close]);
            i += close + 2;
        }
        let mut flags = Flags::default();
        loop {
            match bytes.get(i) {
                None => return truncated(),
                Some(b'#') => flags.alt = true,
                Some(b'0') => flags.zero = true,
                Some(b'-') => flags.left = true,
                Some(b' ') => flags.blank = true,
                Some(b'+') => flags.plus = true,
                Some(_) => break,
            }
            i += 1;
        }
        let size = |i: &mut usize| -> Result<Size> {
            if bytes.get(*i) == Some(&b'*') {
                *i += 1;
                return Ok(Size::Star);
            }
            let mut v = 0.0f64;
            loop {
                match bytes.get(*i) {
                    None => return truncated(),
                    Some(c @ b'0'..=b'9') => v = v * 10.0 + f64::from(c - b'0'),
                    Some(_) => return Ok(Size::Num(v)),
                }
                *i += 1;
            }
        };
        let width = size(&mut i)?;
        let precision = match bytes.get(i) {
            None => return truncated(),
            Some(b'.') => {
                i += 1;
                Some(size(&mut i)?)
            }
            Some(_) => None,
        };
        if matches!(bytes.get(i), Some(b'h' | b'l' | b'L')) {
            i += 1;
        }
        // Only ASCII was stepped over since the `%`, so `i` starts a character.
        let Some(c) = format[i..].chars().next() else {
            return truncated();
        };
        let (conv, caps) = match c {
            'd' | 'i' | 'u' => ('d', false),
            'o' | 'x' | 'e' | 'f' | 'g' | 'c' | 's' | '%' => (c, false),
            'X' | 'E' | 'F' | 'G' => (c.to_ascii_lowercase(), true),
            other => return fail(format!("Unrecognised conversion type: {other}")),
        };
        i += 1;
        pieces.push(Piece::Code(Code {
            key,
            flags,
            width,
            precision,
            conv,
            caps,
        }));
        text_start = i;
    }
    pieces.push(Piece::Text(&format[text_start..]));
    Ok(pieces)
}

/// `x`, or go-jsonnet's arithmetic error when it is not finite.
fn finite(x: f64) -> Result<f64> {
    if x.is_finite() {
        Ok(x)
    } else {
        fail("std.format: the number is too large to format with this precision (overflow)")
    }
}

/// A number as go-jsonnet turns it into text (a digit, mostly).
fn num_text(x: f64) -> String {
    let mut s = String::new();
    write_number(&mut s, x);
    s
}

/// `s` padded on the left with `fill` to `width` characters (a fractional width pads
/// up to the next whole number, as go-jsonnet's countdown does).
fn pad_left(s: String, width: f64, fill: char) -> String {
    let n = pad_count(&s, width);
    if n == 0 {
        return s;
    }
    let mut out: String = std::iter::repeat_n(fill, n).collect();
    out.push_str(&s);
    out
}

fn pad_count(s: &str, width: f64) -> usize {
    if width <= 0.0 {
        return 0;
    }
    let missing = width - s.chars().count() as f64;
    if missing > 0.0 {
        missing.ceil() as usize
    } else {
        0
    }
}

/// Below this, [`render_int`]'s `f64` division by 10 or 8 of a whole number is exact
/// after `floor` (the quotient's rounding error stays under a tenth), so its digits are
/// the integer's. (A magnitude with a fraction, which `%e` of some huge precisions hands
/// it, keeps go-jsonnet's loop: its last digit is printed as the fraction's text.)
const EXACT_DIGITS: f64 = 1e15;

/// `zero_prefix` and the digits of `mag` (> 0) in `radix` as go-jsonnet's `render_int`
/// computes them, one `f64` remainder and division at a time (past a double's
/// precision, the digits it invents).
fn go_digits(mag: f64, radix: f64, zero_prefix: &str) -> Result<String> {
    let mut digits = Vec::new();
    let mut n = mag;
    while n != 0.0 {
        digits.push(num_text(n % radix));
        n = finite(n / radix)?.floor();
    }
    let mut s = zero_prefix.to_owned();
    digits.iter().rev().for_each(|d| s.push_str(d));
    Ok(s)
}

/// `zero_prefix` and the digits of `n` in `radix` (10 or 8): what go-jsonnet's digit
/// loop in [`render_int`] gives for a whole number below [`EXACT_DIGITS`], where each
/// `n % radix` and `floor(n / radix)` it computes in `f64` is exact.
fn whole_digits(mut n: u64, radix: u64, zero_prefix: &str) -> String {
    // 10^15 has 17 octal digits.
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % radix) as u8;
        n /= radix;
        if n == 0 {
            break;
        }
    }
    let mut s = String::with_capacity(zero_prefix.len() + digits.len() - start);
    s.push_str(zero_prefix);
    s.extend(digits[start..].iter().map(|&d| char::from(d)));
    s
}

/// go-jsonnet's `render_int`: sign and magnitude (a whole number ≥ 0) in `radix`.
#[allow(clippy::too_many_arguments)]
fn render_int(
    neg: bool,
    mag: f64,
    min_chars: f64,
    min_digits: f64,
    blank: bool,
    plus: bool,
    radix: f64,
    zero_prefix: &str,
) -> Result<String> {
    let dec = if mag == 0.0 {
        "0".to_owned()
    } else if mag < EXACT_DIGITS && mag.fract() == 0.0 && (radix == 10.0 || radix == 8.0) {
        whole_digits(mag as u64, radix as u64, zero_prefix)
    } else {
        go_digits(mag, radix, zero_prefix)?
    };
    let zp = min_chars - if neg || blank || plus { 1.0 } else { 0.0 };
    let zp2 = zp.max(min_digits);
    let dec2 = pad_left(dec, zp2, '0');
    let sign = if neg {
        "-"
    } else if plus {
        "+"
    } else if blank {
        " "
    } else {
        ""
    };
    Ok(if sign.is_empty() {
        dec2
    } else {
        format!("{sign}{dec2}")
    })
}

/// go-jsonnet's `render_hex`.
fn render_hex(n: f64, min_chars: f64, min_digits: f64, f: Flags, caps: bool) -> Result<String> {
    let numerals: &[u8] = if caps {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let mag = n.abs().floor();
    let hex = if mag == 0.0 {
        "0".to_owned()
    } else {
        let mut digits = Vec::new();
        let mut m = mag;
        while m != 0.0 {
            digits.push(numerals[(m % 16.0) as usize]);
            m = finite(m / 16.0)?.floor();
        }
        digits.iter().rev().map(|&b| b as char).collect()
    };
    let neg = n < 0.0;
    let zp = min_chars
        - if neg || f.blank || f.plus { 1.0 } else { 0.0 }
        - if f.alt { 2.0 } else { 0.0 };
    let zp2 = zp.max(min_digits);
    let prefix = match (f.alt, caps) {
        (false, _) => "",
        (true, true) => "0X",
        (true, false) => "0x",
    };
    let sign = if neg {
        "-"
    } else if f.plus {
        "+"
    } else if f.blank {
        " "
    } else {
        ""
    };
    Ok(format!("{sign}{prefix}{}", pad_left(hex, zp2, '0')))
}

/// go-jsonnet's `render_float_dec`.
fn render_float_dec(
    n: f64,
    zero_pad: f64,
    f: Flags,
    ensure_pt: bool,
    trailing: bool,
    prec: f64,
) -> Result<String> {
    let abs = n.abs();
    let denominator = finite(go_pow(10.0, prec))?;
    let numerator = finite(finite(abs * denominator)? + 0.5)?;
    let sign = if abs == 0.0 { 0.0 } else { 1.0 };
    let whole = sign * finite(numerator / denominator)?.floor();
    let frac = numerator.floor() % denominator;
    let dot_size = if prec == 0.0 && !ensure_pt { 0.0 } else { 1.0 };
    let zp = zero_pad - prec - dot_size;
    let s = render_int(n < 0.0, whole, zp, 0.0, f.blank, f.plus, 10.0, "")?;
    if prec == 0.0 {
        return Ok(if ensure_pt { s + "." } else { s });
    }
    if !(trailing || frac > 0.0) {
        return Ok(s);
    }
    let frac_str = render_int(false, frac, prec, 0.0, false, false, 10.0, "")?;
    let frac_str = if trailing {
        frac_str.as_str()
    } else {
        frac_str.trim_end_matches('0')
    };
    Ok(format!("{s}.{frac_str}"))
}

/// The decimal exponent go-jsonnet computes: `floor(log(|n|) / log(10))`.
fn exponent_of(n: f64) -> f64 {
    if n == 0.0 {
        0.0
    } else {
        (go_log(n.abs()) / go_log(10.0)).floor()
    }
}

/// go-jsonnet's `render_float_sci`.
fn render_float_sci(
    n: f64,
    zero_pad: f64,
    f: Flags,
    ensure_pt: bool,
    trailing: bool,
    caps: bool,
    prec: f64,
) -> Result<String> {
    let exponent = exponent_of(n);
    let suffix = format!(
        "{}{}",
        if caps { 'E' } else { 'e' },
        render_int(
            exponent < 0.0,
            exponent.abs(),
            3.0,
            0.0,
            false,
            true,
            10.0,
            ""
        )?
    );
    let mantissa = if n != 0.0 && n.abs() < f64::MIN_POSITIVE {
        // A subnormal: 10^exponent is subnormal too and too coarse to divide by (go-jsonnet
        // prints `0e-308` for 1e-320, C++ jsonnet `10.0198e-321`). Scaled up first, the
        // mantissa comes out as C's printf has it (`9.99989e-321`).
        (n * 1e308) / go_pow(10.0, exponent + 308.0)
    } else {
        n / go_pow(10.0, exponent)
    };
    let zp2 = zero_pad - suffix.chars().count() as f64;
    Ok(render_float_dec(finite(mantissa)?, zp2, f, ensure_pt, trailing, prec)? + &suffix)
}

/// go-jsonnet's name of a value's type.
fn type_name(v: &Val) -> &'static str {
    match v {
        Val::Null => "null",
        Val::Bool(_) => "boolean",
        Val::Str(_) => "string",
        Val::Num(_) => "number",
        Val::Arr(_) => "array",
        Val::Obj(_) => "object",
        Val::Func(_) => "function",
    }
}

/// go-jsonnet's `format_code`: one value by one code (`at`: its index or key, for
/// errors; `in_array`: a value of an array, whose errors get go's `<std>` frames),
/// before width padding.
fn format_code(
    val: &Val,
    code: &Code,
    width: f64,
    precision: Option<f64>,
    at: &dyn std::fmt::Display,
    in_array: bool,
) -> Result<String> {
    let rejected = |message: String, frames: fn(&Code) -> Vec<StdFrame>| {
        if in_array {
            go_std_error(message, &frames(code))
        } else {
            ErrorKind::RuntimeError(message.into()).into()
        }
    };
    let f = code.flags;
    let fpprec = precision.unwrap_or(6.0);
    let iprec = precision.unwrap_or(0.0);
    let zp = if f.zero && !f.left { width } else { 0.0 };
    let number = || match val {
        Val::Num(n) => Ok(n.get()),
        other => Err(rejected(
            format!("Format required number at {at}, got {}", type_name(other)),
            go_frames::not_a_number,
        )),
    };
    match code.conv {
        's' => go_to_string(val),
        'd' => {
            let n = number()?;
            render_int(
                n <= -1.0,
                n.abs().floor(),
                zp,
                iprec,
                f.blank,
                f.plus,
                10.0,
                "",
            )
        }
        'o' => {
            let n = number()?;
            let prefix = if f.alt { "0" } else { "" };
            render_int(
                n <= -1.0,
                n.abs().floor(),
                zp,
                iprec,
                f.blank,
                f.plus,
                8.0,
                prefix,
            )
        }
        'x' => render_hex(number()?.floor(), zp, iprec, f, code.caps),
        'f' => render_float_dec(number()?, zp, f, f.alt, true, fpprec),
        'e' => render_float_sci(number()?, zp, f, f.alt, true, code.caps, fpprec),
        'g' => {
            let n = number()?;
            let exponent = exponent_of(n);
            if exponent < -4.0 || exponent >= fpprec {
                render_float_sci(n, zp, f, f.alt, f.alt, code.caps, fpprec - 1.0)
            } else {
                let digits_before_pt = (exponent + 1.0).max(1.0);
                render_float_dec(n, zp, f, f.alt, f.alt, fpprec - digits_before_pt)
            }
        }
        'c' => match val {
            Val::Num(n) => codepoint(n.get()),
            Val::Str(s) => {
                let s = s.to_string();
                match s.chars().count() {
                    1 => Ok(s),
                    len => Err(rejected(
                        format!("%c expected 1-sized string got: {len}"),
                        go_frames::char_length,
                    )),
                }
            }
            other => Err(rejected(
                format!("%c expected number / string, got: {}", type_name(other)),
                go_frames::char_type,
            )),
        },
        other => fail(format!("Unknown code: {other}")),
    }
}

/// `std.char(n)` as go-jsonnet computes it.
fn codepoint(n: f64) -> Result<String> {
    if n < 0.0 {
        return fail(format!("Codepoints must be >= 0, got {}", num_text(n)));
    }
    if n > f64::from(char::MAX as u32) {
        return fail(format!("Invalid unicode codepoint, got {}", num_text(n)));
    }
    // Go's string(rune) turns a surrogate into U+FFFD.
    Ok(char::from_u32(n as u32).unwrap_or('\u{FFFD}').to_string())
}

/// A width or precision given as a `*` value.
fn star_value(v: &Val, what: &str) -> Result<f64> {
    match v {
        Val::Num(n) => Ok(n.get()),
        other => fail(format!(
            "std.format: a * {what} must be a number, got {}",
            type_name(other)
        )),
    }
}

/// Checks a width or precision against [`MAX_WIDTH`]; a precision must also be a
/// whole number ≥ 0 (go-jsonnet prints nonsense for `'%.*g' % [2.7, 1.2]`).
fn checked(v: f64, what: &str) -> Result<f64> {
    if v > MAX_WIDTH {
        return fail(format!(
            "std.format: {what} {} is too large (at most {MAX_WIDTH})",
            num_text(v)
        ));
    }
    if what == "precision" && (v < 0.0 || v.fract() != 0.0) {
        return fail(format!(
            "std.format: precision must be a whole number >= 0, got {}",
            num_text(v)
        ));
    }
    Ok(v)
}

/// Appends `s` padded to `width` as the code's `-` flag says.
fn push_padded(out: &mut String, s: String, width: f64, left: bool) {
    if left {
        let n = pad_count(&s, width);
        out.push_str(&s);
        out.extend(std::iter::repeat_n(' ', n));
    } else {
        out.push_str(&pad_left(s, width, ' '));
    }
}

/// Formats with an array of values (a single value is an array of one).
fn format_array(pieces: &[Piece], values: &[Val]) -> Result<String> {
    let mut out = String::new();
    let mut j = 0;
    // The value of a `*` width or precision.
    let next = |j: &mut usize| -> Result<Val> {
        let Some(v) = values.get(*j) else {
            let len = values.len();
            return fail(format!(
                "Not enough values to format: {len}, expected at least {j}"
            ));
        };
        *j += 1;
        Ok(v.clone())
    };
    for piece in pieces {
        let code = match piece {
            Piece::Text(t) => {
                out.push_str(t);
                continue;
            }
            Piece::Code(code) => code,
        };
        let width = match code.width {
            Size::Star => star_value(&next(&mut j)?, "width")?,
            Size::Num(w) => w,
        };
        let precision = match code.precision {
            Some(Size::Star) => Some(star_value(&next(&mut j)?, "precision")?),
            Some(Size::Num(p)) => Some(p),
            None => None,
        };
        let width = checked(width, "field width")?;
        let precision = precision.map(|p| checked(p, "precision")).transpose()?;
        if code.conv == '%' {
            push_padded(&mut out, "%".to_owned(), width, code.flags.left);
            continue;
        }
        let Some(val) = values.get(j) else {
            return Err(go_std_error(
                format!(
                    "Not enough values to format: {}, expected more than {j}",
                    values.len()
                ),
                &go_frames::missing_value(code),
            ));
        };
        let s = format_code(val, code, width, precision, &j, true)?;
        j += 1;
        push_padded(&mut out, s, width, code.flags.left);
    }
    if j < values.len() {
        return Err(go_std_error(
            format!("Too many values to format: {}, expected {j}", values.len()),
            go_frames::TOO_MANY,
        ));
    }
    Ok(out)
}

/// Formats with an object of values (`%(key)s`).
fn format_object(pieces: &[Piece], obj: &ObjValue) -> Result<String> {
    let mut out = String::new();
    for piece in pieces {
        let code = match piece {
            Piece::Text(t) => {
                out.push_str(t);
                continue;
            }
            Piece::Code(code) => code,
        };
        let Some(key) = code.key else {
            return fail("Mapping keys required.");
        };
        let width = match code.width {
            Size::Star => return fail("Cannot use * field width with object."),
            Size::Num(w) => checked(w, "field width")?,
        };
        let precision = match code.precision {
            Some(Size::Star) => return fail("Cannot use * precision with object."),
            Some(Size::Num(p)) => Some(checked(p, "precision")?),
            None => None,
        };
        let Some(val) = obj.get(key.into())? else {
            return fail(format!("No such field: {key}"));
        };
        let s = if code.conv == '%' {
            "%".to_owned()
        } else {
            format_code(&val, code, width, precision, &key, false)?
        };
        push_padded(&mut out, s, width, code.flags.left);
    }
    Ok(out)
}

/// `std.format(str, vals)`.
#[builtin]
pub(super) fn builtin_format(str: IStr, vals: Val) -> Result<String> {
    format(&str, vals)
}

/// `std.mod(a, b)`, and the `%` operator (`crate::engine::prepass` rewrites it into a
/// call): as go-jsonnet's `std.mod`, `std.format(a, b)` for a string `a`, else the
/// floating-point remainder of two numbers; its errors in go's words and with go's
/// `<std>` frames.
pub fn go_mod(a: Val, b: Val) -> Result<Val> {
    match (a, b) {
        (Val::Str(text), values) => format(&text.into_flat(), values)
            .map(Val::from)
            .map_err(|e| called_in_std(e, &[MOD_FORMAT])),
        (Val::Num(a), Val::Num(b)) => {
            if b.get() == 0.0 {
                return Err(go_std_error("Division by zero.".into(), &[MOD_NUMBERS]));
            }
            Val::try_num(a.get() % b.get()).or_else(|_| fail("Overflow"))
        }
        (a, b) => Err(go_std_error(
            format!(
                "Operator % cannot be used on types {} and {}.",
                a.value_type(),
                b.value_type()
            ),
            &[MOD_OPERANDS],
        )),
    }
}

/// `std.mod(a, b)`: [`go_mod`].
#[builtin]
pub(super) fn builtin_mod(a: Val, b: Val) -> Result<Val> {
    go_mod(a, b)
}

/// `std.format(str, vals)` of a format string.
fn format(str: &str, vals: Val) -> Result<String> {
    let pieces = parse(str)?;
    let (result, called) = match vals {
        Val::Arr(items) => {
            let items = items.iter().collect::<Result<Vec<_>>>()?;
            (format_array(&pieces, &items), go_frames::ARRAY)
        }
        Val::Obj(obj) => (format_object(&pieces, &obj), go_frames::OBJECT),
        single => (format_array(&pieces, &[single]), go_frames::SINGLE),
    };
    result.map_err(|e| called_in_std(e, &[called]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(format: &str, values: &[f64]) -> String {
        let values: Vec<Val> = values.iter().map(|&v| Val::try_num(v).unwrap()).collect();
        format_array(&parse(format).unwrap(), &values).unwrap()
    }

    #[test]
    fn widths_do_not_wrap_and_huge_integers_print_go_jsonnet_digits() {
        assert_eq!(fmt("%70000d", &[1.0]).len(), 70000);
        assert_eq!(fmt("%65536d", &[1.0]).len(), 65536);
        assert_eq!(
            fmt("%05.2f|%-6x|%+d", &[1.23456, 255.0, 7.0]),
            "01.23|ff    |+7"
        );
        assert_eq!(fmt("%d", &[1e19]), "10000000000000000000");
        assert_eq!(fmt("%#o", &[8.0]), "010");
    }

    #[test]
    fn whole_numbers_below_the_exact_bound_get_go_jsonnet_digits_from_integers() {
        // Boundaries, powers of the radixes, and a spread of pseudo-random magnitudes.
        let mut values = vec![1.0, 7.0, 8.0, 9.0, 10.0, 99.0, EXACT_DIGITS - 1.0];
        values.extend(
            (1..15)
                .map(|e| 10f64.powi(e))
                .flat_map(|p| [p - 1.0, p, p + 1.0]),
        );
        values.extend(
            (1..17)
                .map(|e| 8f64.powi(e))
                .flat_map(|p| [p - 1.0, p, p + 1.0]),
        );
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let bits = 1 + (x >> 58) % 50; // magnitudes of 1 to 50 bits
            values.push(((x >> 8) % (1 << bits)).max(1) as f64);
        }
        for v in values.into_iter().filter(|&v| v < EXACT_DIGITS) {
            for (radix, prefix) in [(10.0, ""), (8.0, "0")] {
                assert_eq!(
                    whole_digits(v as u64, radix as u64, prefix),
                    go_digits(v, radix, prefix).unwrap(),
                    "{v} in radix {radix}"
                );
            }
        }
    }
}
