//! Go's `math.Exp` as go-jsonnet runs it on amd64 (`src/math/exp_amd64.s`, the AVX2/FMA
//! path every x86-64 CPU of the last decade takes): the argument reduced by a two-part
//! ln 2, scaled by 1/16, a degree-8 Taylor polynomial, squared back four times, then
//! multiplied by a power of two. It is not libm's `exp`, so the last digit of
//! `std.exp` (and of `std.pow` with a fractional exponent, which calls it) differs
//! from Rust's `f64::exp` for about one argument in eight.
//!
//! Used by `std.exp` and `std.pow` (`src/engine/overrides/math.rs`). Golden made by Go
//! (go1.19.8 on a CPU with AVX2 and FMA): `rule: "exp"` in
//! `tests/testdata/gocompat/golden.jsonl`. On a CPU without FMA, Go itself takes a
//! path with separate multiplies and adds and prints other last digits.

/// log2(e) (Go's `LOG2E` rounds to the same double).
const LOG2E: f64 = std::f64::consts::LOG2_E;
/// The upper part of ln 2 (few mantissa bits, so `k * LN2U` is exact).
#[allow(clippy::excessive_precision)]
const LN2U: f64 = 0.693_147_180_559_662_956_511_601_805_686_950_683_593_75;
/// The rest of ln 2.
#[allow(clippy::excessive_precision)]
const LN2L: f64 = 0.282_352_905_630_315_771_225_884_481_750_134_360_255_254_120_68e-12;
/// Above this, the result is +Inf.
const OVERFLOW: f64 = 7.097_827_128_933_84e2;
/// The Taylor coefficients 1/n! from n = 8 down to n = 3, then 1/2 and 1, in the order
/// the polynomial takes them.
#[allow(clippy::excessive_precision)]
const TAYLOR: [f64; 8] = [
    2.480_158_730_158_730_158_7e-5,
    1.984_126_984_126_984_127_0e-4,
    1.388_888_888_888_888_888_9e-3,
    8.333_333_333_333_333_333_3e-3,
    4.166_666_666_666_666_666_7e-2,
    1.666_666_666_666_666_666_7e-1,
    0.5,
    1.0,
];

/// `math.Exp(x)` as Go computes it on amd64 with FMA.
pub fn exp(x: f64) -> f64 {
    if x.is_nan() || x == f64::INFINITY {
        return x;
    }
    if x == f64::NEG_INFINITY {
        return 0.0;
    }
    if x > OVERFLOW {
        return f64::INFINITY;
    }
    // CVTSD2SL: round to nearest even; out of range gives i32::MIN, as the saturating
    // cast does for the only side reachable here (very negative x).
    let k = (LOG2E * x).round_ties_even() as i32;
    let kf = f64::from(k);
    let mut r = (-kf).mul_add(LN2U, x);
    r = (-kf).mul_add(LN2L, r);
    r *= 0.0625;
    let mut p = TAYLOR[0];
    for c in &TAYLOR[1..] {
        p = p.mul_add(r, *c);
    }
    // (e^(r/16) - 1) squared back to e^r - 1: y' = y * (y + 2), four times; the last
    // step adds the 1 in the same fused operation.
    let mut y = r * p;
    for _ in 0..3 {
        y *= y + 2.0;
    }
    y = (y + 2.0).mul_add(y, 1.0);
    let biased = k.wrapping_add(0x3ff);
    if biased >= 0x7ff {
        return f64::INFINITY;
    }
    if biased > 0 {
        return y * f64::from_bits((biased as u64) << 52);
    }
    // A subnormal result: scaled in two steps, the second by 2^-1022.
    if biased < -52 {
        return 0.0;
    }
    y *= f64::from_bits(((biased + 0x3fe) as u64) << 52);
    y * f64::from_bits(1 << 52)
}

#[cfg(test)]
mod tests {
    use super::super::golden::{cases, field};

    fn bits(hex: &str) -> f64 {
        f64::from_bits(u64::from_str_radix(hex, 16).expect("hex bits"))
    }

    #[test]
    fn exp_is_gos_to_the_last_bit() {
        let cases = cases("exp");
        assert!(cases.len() > 400, "the golden has the exp cases");
        for case in cases {
            let x = bits(field(&case, "x"));
            let want = bits(field(&case, "exp"));
            let got = super::exp(x);
            assert!(
                got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()),
                "exp({x:e}) = {got:e}, Go says {want:e}"
            );
        }
    }
}
