//! Math as Go's `math` package computes it, so results agree with go-jsonnet to the last
//! digit: Cephes polynomials for trigonometry, fdlibm's log, Go's amd64 `exp`
//! ([`crate::gocompat::math`]), binary powering for `pow`;
//! `isEven`/`isOdd` on the truncated integer and `clamp` over any comparable values.

use jrsonnet_evaluator::{bail, error::Result, function::builtin, Thunk, Val};

/// `std.atan`, `std.asin`, `std.acos` as Go's `math` package computes them (the Cephes
/// rational approximation), so results agree with go-jsonnet to the last digit.
#[builtin]
pub(super) fn builtin_atan(x: f64) -> f64 {
    go_atan(x)
}

#[builtin]
pub(super) fn builtin_asin(x: f64) -> Result<f64> {
    go_number(go_asin(x))
}

#[builtin]
pub(super) fn builtin_acos(x: f64) -> Result<f64> {
    go_number(std::f64::consts::FRAC_PI_2 - go_asin(x))
}

/// Go's `math.Atan2` on top of [`go_atan`].
#[builtin]
pub(super) fn builtin_atan2(y: f64, x: f64) -> f64 {
    use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};
    if y.is_nan() || x.is_nan() {
        return f64::NAN;
    }
    if y == 0.0 {
        return if x >= 0.0 && x.is_sign_positive() {
            y
        } else {
            PI.copysign(y)
        };
    }
    if x == 0.0 {
        return FRAC_PI_2.copysign(y);
    }
    if x.is_infinite() {
        return if x > 0.0 {
            if y.is_infinite() {
                FRAC_PI_4.copysign(y)
            } else {
                0.0f64.copysign(y)
            }
        } else if y.is_infinite() {
            (3.0 * FRAC_PI_4).copysign(y)
        } else {
            PI.copysign(y)
        };
    }
    if y.is_infinite() {
        return FRAC_PI_2.copysign(y);
    }
    let q = go_atan(y / x);
    if x < 0.0 {
        if q <= 0.0 {
            return q + PI;
        }
        return q - PI;
    }
    q
}

/// `sin`, `cos`, `tan` as Go's `math` package computes them (Cephes polynomials after
/// reducing the argument by pi/4 in three parts). Arguments of 2^29 and more, where Go
/// switches to Payne-Hanek reduction, use the platform's functions.
#[builtin]
pub(super) fn builtin_sin(x: f64) -> f64 {
    if x == 0.0 || x.is_nan() {
        return x;
    }
    if x.is_infinite() {
        return f64::NAN;
    }
    if x.abs() >= TRIG_REDUCE_THRESHOLD {
        return x.sin();
    }
    let (z, octant) = trig_reduce(x.abs());
    let mut negative = x < 0.0;
    let mut j = octant;
    if j > 3 {
        negative = !negative;
        j -= 4;
    }
    let y = if j == 1 || j == 2 {
        cos_poly(z)
    } else {
        sin_poly(z)
    };
    if negative {
        -y
    } else {
        y
    }
}

#[builtin]
pub(super) fn builtin_cos(x: f64) -> f64 {
    if x.is_nan() || x.is_infinite() {
        return f64::NAN;
    }
    if x.abs() >= TRIG_REDUCE_THRESHOLD {
        return x.cos();
    }
    let (z, octant) = trig_reduce(x.abs());
    let mut negative = false;
    let mut j = octant;
    if j > 3 {
        j -= 4;
        negative = !negative;
    }
    if j > 1 {
        negative = !negative;
    }
    let y = if j == 1 || j == 2 {
        sin_poly(z)
    } else {
        cos_poly(z)
    };
    if negative {
        -y
    } else {
        y
    }
}

#[builtin]
#[allow(clippy::excessive_precision)]
pub(super) fn builtin_tan(x: f64) -> f64 {
    const P: [f64; 3] = [
        -1.30936939181383777646e4,
        1.15351664838587416140e6,
        -1.79565251976484877988e7,
    ];
    const Q: [f64; 4] = [
        1.36812963470692954678e4,
        -1.32089234440210967447e6,
        2.50083801823357915839e7,
        -5.38695755929454629881e7,
    ];
    if x == 0.0 || x.is_nan() {
        return x;
    }
    if x.is_infinite() {
        return f64::NAN;
    }
    if x.abs() >= TRIG_REDUCE_THRESHOLD {
        return x.tan();
    }
    let (z, j) = trig_reduce(x.abs());
    let zz = z * z;
    let mut y = if zz > 1e-14 {
        z + z
            * (zz * ((P[0] * zz + P[1]) * zz + P[2])
                / ((((zz + Q[0]) * zz + Q[1]) * zz + Q[2]) * zz + Q[3]))
    } else {
        z
    };
    if j & 2 == 2 {
        y = -1.0 / y;
    }
    if x < 0.0 {
        -y
    } else {
        y
    }
}

/// Where Go stops reducing by pi/4 in three parts.
const TRIG_REDUCE_THRESHOLD: f64 = (1u64 << 29) as f64;

/// Reduces `x >= 0` to `z` in [-pi/4, pi/4] and its octant `j` (0..8), Go's way.
#[allow(clippy::excessive_precision)]
fn trig_reduce(x: f64) -> (f64, u64) {
    const PI4A: f64 = 7.85398125648498535156e-1;
    const PI4B: f64 = 3.77489470793079817668e-8;
    const PI4C: f64 = 2.69515142907905952645e-15;
    const FOUR_OVER_PI: f64 = 1.27323954473516268615107010698;
    let mut j = (x * FOUR_OVER_PI) as u64;
    let mut y = j as f64;
    if j & 1 == 1 {
        j += 1;
        y += 1.0;
    }
    j &= 7;
    (((x - y * PI4A) - y * PI4B) - y * PI4C, j)
}

#[allow(clippy::excessive_precision)]
fn sin_poly(z: f64) -> f64 {
    const S: [f64; 6] = [
        1.58962301576546568060e-10,
        -2.50507477628578072866e-8,
        2.75573136213857245213e-6,
        -1.98412698295895385996e-4,
        8.33333333332211858878e-3,
        -1.66666666666666307295e-1,
    ];
    let zz = z * z;
    z + z * zz * (((((S[0] * zz + S[1]) * zz + S[2]) * zz + S[3]) * zz + S[4]) * zz + S[5])
}

#[allow(clippy::excessive_precision)]
fn cos_poly(z: f64) -> f64 {
    const C: [f64; 6] = [
        -1.13585365213876817300e-11,
        2.08757008419747316778e-9,
        -2.75573141792967388112e-7,
        2.48015872888517045348e-5,
        -1.38888888888730564116e-3,
        4.16666666666665929218e-2,
    ];
    let zz = z * z;
    1.0 - 0.5 * zz
        + zz * zz * (((((C[0] * zz + C[1]) * zz + C[2]) * zz + C[3]) * zz + C[4]) * zz + C[5])
}

/// Natural logarithm as Go's `math.Log` computes it (the FreeBSD `e_log.c` method).
#[builtin]
pub(super) fn builtin_log(x: f64) -> Result<f64> {
    go_number(go_log(x))
}

/// go-jsonnet defines `log2` and `log10` as quotients of natural logarithms.
#[builtin]
pub(super) fn builtin_log2(x: f64) -> Result<f64> {
    go_number(go_log(x) / go_log(2.0))
}

#[builtin]
pub(super) fn builtin_log10(x: f64) -> Result<f64> {
    go_number(go_log(x) / go_log(10.0))
}

/// `hypot` as Go's `math.Hypot` computes it: `p * sqrt(1 + (q/p)^2)` with `p >= q`.
#[builtin]
pub(super) fn builtin_hypot(a: f64, b: f64) -> f64 {
    let (mut p, mut q) = (a.abs(), b.abs());
    if p.is_infinite() || q.is_infinite() {
        return f64::INFINITY;
    }
    if p.is_nan() || q.is_nan() {
        return f64::NAN;
    }
    if p < q {
        std::mem::swap(&mut p, &mut q);
    }
    if p == 0.0 {
        return 0.0;
    }
    let q = q / p;
    p * (1.0 + q * q).sqrt()
}

/// go-jsonnet's `isEven(x)`: on the integer part of `x` (truncated toward zero).
#[builtin]
pub(super) fn builtin_is_even(x: f64) -> bool {
    x.trunc() % 2.0 == 0.0
}

/// go-jsonnet's `isOdd(x)`: on the integer part of `x`, so `-1` is odd.
#[builtin]
pub(super) fn builtin_is_odd(x: f64) -> bool {
    x.trunc() % 2.0 != 0.0
}

/// go-jsonnet's `clamp(x, minVal, maxVal)`: `<` and `>` on any comparable values
/// (numbers, strings, arrays), and `maxVal` only evaluated when `x` is not below
/// `minVal`.
#[builtin]
#[allow(non_snake_case)]
pub(super) fn builtin_clamp(x: Val, minVal: Val, maxVal: Thunk<Val>) -> Result<Val> {
    if Val::try_cmp(&x, &minVal)?.is_lt() {
        return Ok(minVal);
    }
    let max = maxVal.evaluate()?;
    Ok(if Val::try_cmp(&x, &max)?.is_gt() {
        max
    } else {
        x
    })
}

/// go-jsonnet's `deg2rad(x)`: `x * pi / 180`, in that order.
#[builtin]
pub(super) fn builtin_deg2rad(x: f64) -> f64 {
    x * std::f64::consts::PI / 180.0
}

/// go-jsonnet's `rad2deg(x)`: `x * 180 / pi`, in that order.
#[builtin]
pub(super) fn builtin_rad2deg(x: f64) -> f64 {
    x * 180.0 / std::f64::consts::PI
}

#[allow(clippy::excessive_precision)]
pub(super) fn go_log(x: f64) -> f64 {
    const LN2_HI: f64 = 6.93147180369123816490e-01;
    const LN2_LO: f64 = 1.90821492927058770002e-10;
    const L: [f64; 7] = [
        6.666666666666735130e-01,
        3.999999999940941908e-01,
        2.857142874366239149e-01,
        2.222219843214978396e-01,
        1.818357216161805012e-01,
        1.531383769920937332e-01,
        1.479819860511658591e-01,
    ];
    if x.is_nan() || x == f64::INFINITY {
        return x;
    }
    if x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    let (mut f1, mut ki) = frexp(x);
    if f1 < std::f64::consts::SQRT_2 / 2.0 {
        f1 *= 2.0;
        ki -= 1;
    }
    let f = f1 - 1.0;
    let k = f64::from(ki);
    let s = f / (2.0 + f);
    let s2 = s * s;
    let s4 = s2 * s2;
    let t1 = s2 * (L[0] + s4 * (L[2] + s4 * (L[4] + s4 * L[6])));
    let t2 = s4 * (L[1] + s4 * (L[3] + s4 * L[5]));
    let r = t1 + t2;
    let hfsq = 0.5 * f * f;
    k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f)
}

/// atan on [0, 0.66] by the Cephes rational approximation (coefficients as published,
/// digits beyond f64 precision kept so they round exactly as Go's constants do).
#[allow(clippy::excessive_precision)]
fn atan_reduced(x: f64) -> f64 {
    const P: [f64; 5] = [
        -8.750608600031904122785e-01,
        -1.615753718733365076637e+01,
        -7.500855792314704667340e+01,
        -1.228866684490136173410e+02,
        -6.485021904942025371773e+01,
    ];
    const Q: [f64; 5] = [
        2.485846490142306297962e+01,
        1.650270098316988542046e+02,
        4.328810604912902668951e+02,
        4.853903996359136964868e+02,
        1.945506571482613964425e+02,
    ];
    let z = x * x;
    let z = z * ((((P[0] * z + P[1]) * z + P[2]) * z + P[3]) * z + P[4])
        / (((((z + Q[0]) * z + Q[1]) * z + Q[2]) * z + Q[3]) * z + Q[4]);
    x * z + x
}

/// atan of a non-negative argument, reduced into [0, 0.66].
#[allow(clippy::excessive_precision)]
fn atan_positive(x: f64) -> f64 {
    const MORE_BITS: f64 = 6.123233995736765886130e-17;
    const TAN_3PI_8: f64 = 2.41421356237309504880;
    use std::f64::consts::{FRAC_PI_2, FRAC_PI_4};
    if x <= 0.66 {
        atan_reduced(x)
    } else if x > TAN_3PI_8 {
        FRAC_PI_2 - atan_reduced(1.0 / x) + MORE_BITS
    } else {
        FRAC_PI_4 + atan_reduced((x - 1.0) / (x + 1.0)) + 0.5 * MORE_BITS
    }
}

fn go_atan(x: f64) -> f64 {
    if x == 0.0 {
        return x;
    }
    if x > 0.0 {
        atan_positive(x)
    } else {
        -atan_positive(-x)
    }
}

fn go_asin(x: f64) -> f64 {
    if x == 0.0 {
        return x;
    }
    let (a, negative) = if x < 0.0 { (-x, true) } else { (x, false) };
    if a > 1.0 {
        return f64::NAN;
    }
    let root = (1.0 - a * a).sqrt();
    let r = if a > 0.7 {
        std::f64::consts::FRAC_PI_2 - atan_positive(root / a)
    } else {
        atan_positive(a / root)
    };
    if negative {
        -r
    } else {
        r
    }
}

/// `std.pow` computed the way Go's `math.Pow` does (binary powering of the frexp
/// mantissa, `exp(frac * ln x)` for the fractional part), so results agree with
/// go-jsonnet to the last digit.
#[builtin]
pub(super) fn builtin_pow(x: f64, n: f64) -> Result<f64> {
    go_number(go_pow(x, n))
}

/// `std.exp` as Go's `math.Exp` computes it on amd64 ([`crate::gocompat::math::exp`]),
/// with go-jsonnet's "Overflow" past the largest double.
#[builtin]
pub(super) fn builtin_exp(x: f64) -> Result<f64> {
    go_number(crate::gocompat::math::exp(x))
}

/// `std.sqrt`, with go's error for a negative argument.
#[builtin]
pub(super) fn builtin_sqrt(x: f64) -> Result<f64> {
    go_number(x.sqrt())
}

/// go-jsonnet's check of a math builtin's result (`makeDoubleCheck`): NaN is "Not a
/// number", an infinity "Overflow" (jrsonnet says "Overflow" for both).
fn go_number(x: f64) -> Result<f64> {
    if x.is_nan() {
        bail!("Not a number");
    }
    if x.is_infinite() {
        bail!("Overflow");
    }
    Ok(x)
}

pub(super) fn go_pow(x: f64, y: f64) -> f64 {
    let is_odd_int = |v: f64| v.fract() == 0.0 && (v.abs() < 2f64.powi(53)) && (v as i64) % 2 != 0;
    if y == 0.0 || x == 1.0 {
        return 1.0;
    }
    if y == 1.0 {
        return x;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 {
        return match (y < 0.0, is_odd_int(y)) {
            (true, true) => f64::INFINITY.copysign(x),
            (true, false) => f64::INFINITY,
            (false, true) => x,
            (false, false) => 0.0,
        };
    }
    if y.is_infinite() {
        return if x == -1.0 {
            1.0
        } else if (x.abs() < 1.0) == (y > 0.0) {
            0.0
        } else {
            f64::INFINITY
        };
    }
    if x.is_infinite() {
        if x < 0.0 {
            return go_pow(1.0 / x, -y);
        }
        return if y < 0.0 { 0.0 } else { f64::INFINITY };
    }
    if y == 0.5 {
        return x.sqrt();
    }
    if y == -0.5 {
        return 1.0 / x.sqrt();
    }
    let mut yi = y.abs().trunc();
    let mut yf = y.abs() - yi;
    if yf != 0.0 && x < 0.0 {
        return f64::NAN;
    }
    if yi >= 2f64.powi(63) {
        // An even integer this large: the result is 0, 1 or infinity.
        return if x == -1.0 {
            1.0
        } else if (x.abs() < 1.0) == (y > 0.0) {
            0.0
        } else {
            f64::INFINITY
        };
    }
    let mut a1 = 1.0;
    let mut ae: i64 = 0;
    if yf != 0.0 {
        if yf > 0.5 {
            yf -= 1.0;
            yi += 1.0;
        }
        a1 = crate::gocompat::math::exp(yf * go_log(x));
    }
    let (mut x1, xe) = frexp(x);
    let mut xe = i64::from(xe);
    let mut i = yi as i64;
    while i != 0 {
        if !(-(1 << 12)..=(1 << 12)).contains(&xe) {
            // The exponent overflows whatever the mantissa does.
            ae += xe;
            break;
        }
        if i & 1 == 1 {
            a1 *= x1;
            ae += xe;
        }
        x1 *= x1;
        xe <<= 1;
        if x1 < 0.5 {
            x1 += x1;
            xe -= 1;
        }
        i >>= 1;
    }
    if y < 0.0 {
        a1 = 1.0 / a1;
        ae = -ae;
    }
    ldexp(a1, ae)
}

/// `frac * 2^exp`, rounding once like C's `ldexp`.
fn ldexp(frac: f64, exp: i64) -> f64 {
    if frac == 0.0 || !frac.is_finite() {
        return frac;
    }
    let (m, e) = frexp(frac);
    let exp = exp.saturating_add(i64::from(e));
    if exp > 1024 {
        return f64::INFINITY.copysign(frac);
    }
    if exp < -1100 {
        return 0.0f64.copysign(frac);
    }
    // m in [0.5, 1): scale in two exact steps, the last one rounding into subnormals.
    let exp = exp as i32;
    if exp > 1000 {
        (m * 2f64.powi(exp - 100)) * 2f64.powi(100)
    } else if exp >= -1021 {
        m * 2f64.powi(exp)
    } else {
        (m * 2f64.powi(exp + 600)) * 2f64.powi(-600)
    }
}

/// `x = m * 2^e` with `0.5 <= |m| < 1` (both 0 for 0), like C's `frexp`.
pub(super) fn frexp(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        // Subnormal: scale into the normal range first.
        let (m, e) = frexp(x * 2f64.powi(64));
        return (m, e - 64);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, exp - 1022)
}

#[builtin]
pub(super) fn builtin_mantissa(x: f64) -> f64 {
    frexp(x).0
}

#[builtin]
pub(super) fn builtin_exponent(x: f64) -> f64 {
    f64::from(frexp(x).1)
}

#[cfg(test)]
mod tests {
    use super::frexp;

    #[test]
    fn frexp_matches_c() {
        assert_eq!(frexp(42.0), (0.65625, 6));
        assert_eq!(frexp(0.0), (0.0, 0));
        assert_eq!(frexp(-1.0), (-0.5, 1));
        assert_eq!(frexp(f64::MIN_POSITIVE / 4.0), (0.5, -1023));
    }
}
