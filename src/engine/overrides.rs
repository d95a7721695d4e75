//! `std` functions whose jrsonnet behaviour differs from go-jsonnet's, reimplemented
//! natively so results match go-jsonnet byte for byte: number-to-string conversion
//! (`toString`, `escapeStringJson` on non-strings), `mantissa`/`exponent`, and the YAML
//! manifesters (go quotes every string except multi-line ones that end in a newline).

use jrsonnet_evaluator::{
    apply_tla,
    error::{ErrorKind, Result},
    function::{builtin, builtin::Builtin, CallLocation, FuncVal, FunctionSignature},
    tla::TlaArg,
    IStr, ObjValue, ObjValueBuilder, Thunk, Val,
};
use jrsonnet_gcmodule::Trace;

use super::{
    manifest::{escape_json_string, write_json_single_line, ManifestError},
    number::write_number,
};

/// Adds the overriding functions to a `std` layer over `upstream` (jrsonnet's `std`).
pub fn install(builder: &mut ObjValueBuilder, upstream: &ObjValue) {
    // go-jsonnet's set functions index their arguments, so strings work as arrays of
    // characters; jrsonnet's insist on arrays.
    for name in ["setInter", "setUnion", "setDiff"] {
        adapt(builder, upstream, name, strings_as_arrays);
    }
    // go-jsonnet rejects an empty separator; jrsonnet splits between characters.
    for name in ["split", "splitLimit", "splitLimitR"] {
        adapt(builder, upstream, name, non_empty_separator);
    }
    builder.method("toString", builtin_to_string {});
    builder.method("escapeStringJson", builtin_escape_string_json {});
    builder.method("mantissa", builtin_mantissa {});
    builder.method("exponent", builtin_exponent {});
    builder.method("manifestYamlDoc", builtin_manifest_yaml_doc {});
    builder.method("manifestYamlStream", builtin_manifest_yaml_stream {});
    builder.method("trace", builtin_trace {});
    builder.method("base64", builtin_base64 {});
    builder.method("pow", builtin_pow {});
    builder.method("atan", builtin_atan {});
    builder.method("asin", builtin_asin {});
    builder.method("acos", builtin_acos {});
    builder.method("atan2", builtin_atan2 {});
    builder.method("sin", builtin_sin {});
    builder.method("cos", builtin_cos {});
    builder.method("tan", builtin_tan {});
    builder.method("log", builtin_log {});
    builder.method("log2", builtin_log2 {});
    builder.method("log10", builtin_log10 {});
    builder.method("hypot", builtin_hypot {});
    builder.method("deg2rad", builtin_deg2rad {});
    builder.method("rad2deg", builtin_rad2deg {});
    builder.method("manifestTomlEx", builtin_manifest_toml_ex {});
    builder.method("manifestToml", builtin_manifest_toml {});
}

/// Checks or converts one argument of an adapted function: (function name, argument
/// position, value) → the value to pass on.
type ArgAdapter = fn(&str, usize, Val) -> Result<Val>;

/// Overrides `name` with the upstream function behind an argument adapter.
fn adapt(builder: &mut ObjValueBuilder, upstream: &ObjValue, name: &str, adapter: ArgAdapter) {
    if let Ok(Some(Val::Func(f))) = upstream.get(name.into()) {
        builder.method(
            name,
            Adapted {
                name: name.into(),
                upstream: f,
                adapter,
            },
        );
    }
}

/// Strings become arrays of one-character strings.
fn strings_as_arrays(_name: &str, _position: usize, value: Val) -> Result<Val> {
    Ok(match value {
        Val::Str(s) => Val::arr(
            s.to_string()
                .chars()
                .map(|c| Val::from(c.to_string()))
                .collect::<Vec<_>>(),
        ),
        other => other,
    })
}

/// The separator (second argument) must not be empty.
fn non_empty_separator(name: &str, position: usize, value: Val) -> Result<Val> {
    if position == 1 {
        if let Val::Str(s) = &value {
            if s.is_empty() {
                let verb = if name == "split" { "must" } else { "should" };
                return Err(ErrorKind::RuntimeError(
                    format!("std.{name} second parameter {verb} have length 1 or greater, got 0")
                        .into(),
                )
                .into());
            }
        }
    }
    Ok(value)
}

/// An upstream `std` function whose arguments pass through an [`ArgAdapter`] first.
#[derive(Trace)]
struct Adapted {
    name: IStr,
    upstream: FuncVal,
    #[trace(skip)]
    adapter: ArgAdapter,
}

impl Builtin for Adapted {
    fn name(&self) -> &str {
        &self.name
    }
    fn params(&self) -> FunctionSignature {
        self.upstream.params()
    }
    fn call(&self, _loc: CallLocation<'_>, args: &[Option<Thunk<Val>>]) -> Result<Val> {
        let params = self.upstream.params();
        let mut named = std::collections::HashMap::new();
        for (position, (param, arg)) in params.iter().zip(args).enumerate() {
            let (Some(name), Some(arg)) = (param.name().as_str(), arg) else {
                continue;
            };
            let value = (self.adapter)(&self.name, position, arg.evaluate()?)?;
            named.insert(IStr::from(name), TlaArg::Val(value));
        }
        apply_tla(&named, Val::Func(self.upstream.clone()))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// go-jsonnet's string form of a value: strings as is, numbers like `%.17g`, anything
/// else as compact JSON.
fn go_to_string(v: &Val) -> Result<String> {
    Ok(match v {
        Val::Str(s) => s.to_string(),
        Val::Num(n) => {
            let mut out = String::new();
            write_number(&mut out, n.get());
            out
        }
        other => {
            let mut out = Vec::new();
            write_json_single_line(&mut out, other).map_err(|e| match e {
                ManifestError::Eval(e) => e,
                ManifestError::Io(e) => ErrorKind::RuntimeError(e.to_string().into()).into(),
            })?;
            String::from_utf8(out).expect("the JSON writer writes UTF-8")
        }
    })
}

#[builtin]
fn builtin_to_string(a: Val) -> Result<String> {
    go_to_string(&a)
}

#[builtin]
fn builtin_escape_string_json(str_: Val) -> Result<String> {
    let mut out = String::new();
    escape_json_string(&mut out, &go_to_string(&str_)?);
    Ok(out)
}

/// `std.trace(str, rest)` where no call site is known (e.g. `std.trace` passed around
/// as a value): a string and a value, both required, as in go-jsonnet.
#[builtin]
fn builtin_trace(str: Val, rest: jrsonnet_evaluator::Thunk<Val>) -> Result<Val> {
    print_trace(None, &str)?;
    rest.evaluate()
}

/// Prints go-jsonnet's trace line, `TRACE: file:line message`, to stderr.
pub(super) fn print_trace(location: Option<&str>, message: &Val) -> Result<()> {
    let Val::Str(message) = message else {
        return Err(ErrorKind::RuntimeError(
            format!(
                "Builtin function trace expected string as first parameter but got {}",
                message.value_type()
            )
            .into(),
        )
        .into());
    };
    match location {
        Some(at) => eprintln!("TRACE: {at} {message}"),
        None => eprintln!("TRACE: {message}"),
    }
    Ok(())
}

/// `std.atan`, `std.asin`, `std.acos` as Go's `math` package computes them (the Cephes
/// rational approximation), so results agree with go-jsonnet to the last digit.
#[builtin]
fn builtin_atan(x: f64) -> f64 {
    go_atan(x)
}

#[builtin]
fn builtin_asin(x: f64) -> Result<f64> {
    Ok(go_asin(x))
}

#[builtin]
fn builtin_acos(x: f64) -> Result<f64> {
    Ok(std::f64::consts::FRAC_PI_2 - go_asin(x))
}

/// Go's `math.Atan2` on top of [`go_atan`].
#[builtin]
fn builtin_atan2(y: f64, x: f64) -> f64 {
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
fn builtin_sin(x: f64) -> f64 {
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
fn builtin_cos(x: f64) -> f64 {
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
fn builtin_tan(x: f64) -> f64 {
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
fn builtin_log(x: f64) -> f64 {
    go_log(x)
}

/// go-jsonnet defines `log2` and `log10` as quotients of natural logarithms.
#[builtin]
fn builtin_log2(x: f64) -> f64 {
    go_log(x) / go_log(2.0)
}

#[builtin]
fn builtin_log10(x: f64) -> f64 {
    go_log(x) / go_log(10.0)
}

/// `hypot` as Go's `math.Hypot` computes it: `p * sqrt(1 + (q/p)^2)` with `p >= q`.
#[builtin]
fn builtin_hypot(a: f64, b: f64) -> f64 {
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

/// go-jsonnet's `deg2rad(x)`: `x * pi / 180`, in that order.
#[builtin]
fn builtin_deg2rad(x: f64) -> f64 {
    x * std::f64::consts::PI / 180.0
}

/// go-jsonnet's `rad2deg(x)`: `x * 180 / pi`, in that order.
#[builtin]
fn builtin_rad2deg(x: f64) -> f64 {
    x * 180.0 / std::f64::consts::PI
}

#[allow(clippy::excessive_precision)]
fn go_log(x: f64) -> f64 {
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
fn builtin_pow(x: f64, n: f64) -> Result<f64> {
    Ok(go_pow(x, n))
}

fn go_pow(x: f64, y: f64) -> f64 {
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
        a1 = (yf * go_log(x)).exp();
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

/// `std.base64`: strings must hold only code points below 256 (bytes), as in go-jsonnet.
#[builtin]
fn builtin_base64(input: Val) -> Result<String> {
    let bytes: Vec<u8> = match &input {
        Val::Str(s) => {
            let s = s.to_string();
            let mut out = Vec::with_capacity(s.len());
            for c in s.chars() {
                let Ok(b) = u8::try_from(u32::from(c)) else {
                    return Err(ErrorKind::RuntimeError(
                        format!("base64 encountered invalid codepoint value in the string (must be 0 <= X <= 255), got {}", u32::from(c)).into(),
                    )
                    .into());
                };
                out.push(b);
            }
            out
        }
        Val::Arr(items) => {
            let mut out = Vec::with_capacity(items.len() as usize);
            for item in items.iter() {
                match item? {
                    Val::Num(n) if (0.0..=255.0).contains(&n.get()) && n.get().fract() == 0.0 => {
                        out.push(n.get() as u8)
                    }
                    other => {
                        return Err(ErrorKind::RuntimeError(
                            format!("base64 encountered invalid value in the array (must be integers 0 <= X <= 255), got {}", go_to_string(&other)?).into(),
                        )
                        .into())
                    }
                }
            }
            out
        }
        other => {
            return Err(ErrorKind::RuntimeError(
                format!(
                    "base64 expects a string or an array, got {}",
                    other.value_type()
                )
                .into(),
            )
            .into())
        }
    };
    Ok(base64_encode(&bytes))
}

/// Standard base64 with padding.
fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `x = m * 2^e` with `0.5 <= |m| < 1` (both 0 for 0), like C's `frexp`.
fn frexp(x: f64) -> (f64, i32) {
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
fn builtin_mantissa(x: f64) -> f64 {
    frexp(x).0
}

#[builtin]
fn builtin_exponent(x: f64) -> f64 {
    f64::from(frexp(x).1)
}

#[builtin]
fn builtin_manifest_yaml_doc(
    value: Val,
    #[default(false)] indent_array_in_object: bool,
    #[default(true)] quote_keys: bool,
) -> Result<String> {
    let yaml = Yaml {
        indent_array_in_object,
        quote_keys,
    };
    let mut out = String::new();
    yaml.value(&mut out, &value, "")?;
    Ok(out)
}

#[builtin]
fn builtin_manifest_yaml_stream(
    value: Val,
    #[default(false)] indent_array_in_object: bool,
    #[default(true)] c_document_end: bool,
    #[default(true)] quote_keys: bool,
) -> Result<String> {
    let Val::Arr(docs) = value else {
        return Err(ErrorKind::RuntimeError(
            format!(
                "manifestYamlStream only takes arrays, got {}",
                value.value_type()
            )
            .into(),
        )
        .into());
    };
    let yaml = Yaml {
        indent_array_in_object,
        quote_keys,
    };
    let mut out = String::from("---\n");
    for (i, doc) in docs.iter().enumerate() {
        if i != 0 {
            out.push_str("\n---\n");
        }
        yaml.value(&mut out, &doc?, "")?;
    }
    out.push_str(if c_document_end { "\n...\n" } else { "\n" });
    Ok(out)
}

/// The YAML writer of `std.manifestYamlDoc`, with go-jsonnet's layout rules.
struct Yaml {
    indent_array_in_object: bool,
    quote_keys: bool,
}

impl Yaml {
    fn value(&self, out: &mut String, v: &Val, indent: &str) -> Result<()> {
        match v {
            Val::Bool(true) => out.push_str("true"),
            Val::Bool(false) => out.push_str("false"),
            Val::Null => out.push_str("null"),
            Val::Num(n) => out.push_str(&n.to_string()),
            Val::Str(s) => {
                let s = s.to_string();
                if s.is_empty() {
                    out.push_str("\"\"");
                } else if let Some(body) = s.strip_suffix('\n') {
                    out.push('|');
                    for line in body.split('\n') {
                        out.push('\n');
                        out.push_str(indent);
                        out.push_str("  ");
                        out.push_str(line);
                    }
                } else {
                    escape_json_string(out, &s);
                }
            }
            Val::Func(_) => {
                return Err(ErrorKind::RuntimeError("tried to manifest function".into()).into())
            }
            Val::Arr(items) => jrsonnet_evaluator::ensure_sufficient_stack(|| {
                if items.is_empty() {
                    out.push_str("[]");
                    return Ok(());
                }
                for (i, item) in items.iter().enumerate() {
                    let item = item?;
                    if i != 0 {
                        out.push('\n');
                        out.push_str(indent);
                    }
                    out.push('-');
                    let child = format!("{indent}  ");
                    match &item {
                        Val::Arr(a) if !a.is_empty() => {
                            out.push('\n');
                            out.push_str(&child);
                            self.value(out, &item, &child)?;
                        }
                        Val::Obj(o) if !o.fields().is_empty() => {
                            out.push(' ');
                            self.value(out, &item, &child)?;
                        }
                        _ => {
                            out.push(' ');
                            self.value(out, &item, indent)?;
                        }
                    }
                }
                Ok::<_, jrsonnet_evaluator::Error>(())
            })?,
            Val::Obj(obj) => jrsonnet_evaluator::ensure_sufficient_stack(|| {
                obj.run_assertions()?;
                let fields = obj.fields();
                if fields.is_empty() {
                    out.push_str("{}");
                    return Ok(());
                }
                for (i, key) in fields.into_iter().enumerate() {
                    let item = obj.get(key.clone())?.expect("listed field exists");
                    if i != 0 {
                        out.push('\n');
                        out.push_str(indent);
                    }
                    self.key(out, &key);
                    out.push(':');
                    match &item {
                        Val::Arr(a) if !a.is_empty() => {
                            let child = if self.indent_array_in_object {
                                format!("{indent}  ")
                            } else {
                                indent.to_owned()
                            };
                            out.push('\n');
                            out.push_str(&child);
                            self.value(out, &item, &child)?;
                        }
                        Val::Obj(o) if !o.fields().is_empty() => {
                            let child = format!("{indent}  ");
                            out.push('\n');
                            out.push_str(&child);
                            self.value(out, &item, &child)?;
                        }
                        _ => {
                            out.push(' ');
                            self.value(out, &item, indent)?;
                        }
                    }
                }
                Ok::<_, jrsonnet_evaluator::Error>(())
            })?,
        }
        Ok(())
    }

    fn key(&self, out: &mut String, key: &IStr) {
        if !self.quote_keys && is_bare_key(key) {
            out.push_str(key);
        } else {
            escape_json_string(out, key);
        }
    }
}

/// True when a key can stay unquoted: safe characters only, and not a word or number
/// YAML would read as something other than a string.
fn is_bare_key(key: &str) -> bool {
    const RESERVED: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ];
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '/' | '.'))
        && !RESERVED.contains(&key.to_ascii_lowercase().as_str())
        && !key.chars().all(|c| c == '-')
        && !is_yaml_date(key)
        && !is_yaml_number(key)
}

/// A YAML timestamp's date part: `YYYY-M-D...`.
fn is_yaml_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 8 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[5].is_ascii_digit()
}

#[builtin]
fn builtin_manifest_toml_ex(value: Val, indent: IStr) -> Result<String> {
    toml_document(&value, &indent)
}

#[builtin]
fn builtin_manifest_toml(value: Val) -> Result<String> {
    toml_document(&value, "  ")
}

/// `std.manifestTomlEx` with go-jsonnet's layout: plain keys first, then `[tables]` and
/// `[[table arrays]]`, nested tables indented by `indent`, numbers as go prints them.
fn toml_document(value: &Val, indent: &str) -> Result<String> {
    let Val::Obj(obj) = value else {
        return Err(ErrorKind::RuntimeError(
            format!("TOML body must be an object. Got {}", value.value_type()).into(),
        )
        .into());
    };
    let toml = Toml { indent };
    let mut out = String::new();
    toml.table_body(&mut out, obj, &[], "")?;
    Ok(out)
}

struct Toml<'a> {
    indent: &'a str,
}

impl Toml<'_> {
    fn is_table_array(v: &Val) -> Result<bool> {
        let Val::Arr(items) = v else { return Ok(false) };
        if items.is_empty() {
            return Ok(false);
        }
        for item in items.iter() {
            if !matches!(item?, Val::Obj(_)) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn is_section(v: &Val) -> Result<bool> {
        Ok(matches!(v, Val::Obj(_)) || Self::is_table_array(v)?)
    }

    fn key(out: &mut String, key: &str) {
        if !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            out.push_str(key);
        } else {
            escape_json_string(out, key);
        }
    }

    fn path(out: &mut String, path: &[IStr]) {
        for (i, k) in path.iter().enumerate() {
            if i != 0 {
                out.push('.');
            }
            Self::key(out, k);
        }
    }

    fn value(&self, out: &mut String, v: &Val, inline: bool, indent: &str) -> Result<()> {
        match v {
            Val::Bool(true) => out.push_str("true"),
            Val::Bool(false) => out.push_str("false"),
            Val::Null => {
                return Err(ErrorKind::RuntimeError("Tried to manifest \"null\"".into()).into())
            }
            Val::Num(n) => write_number(out, n.get()),
            Val::Str(s) => escape_json_string(out, &s.to_string()),
            Val::Func(_) => {
                return Err(ErrorKind::RuntimeError("Tried to manifest function".into()).into())
            }
            Val::Arr(items) => {
                if items.is_empty() {
                    out.push_str("[]");
                    return Ok(());
                }
                let inner = if inline {
                    String::new()
                } else {
                    format!("{indent}{}", self.indent)
                };
                let sep = if inline { " " } else { "\n" };
                out.push('[');
                out.push_str(sep);
                for (i, item) in items.iter().enumerate() {
                    if i != 0 {
                        out.push(',');
                        out.push_str(sep);
                    }
                    out.push_str(&inner);
                    self.value(out, &item?, true, "")?;
                }
                out.push_str(sep);
                if !inline {
                    out.push_str(indent);
                }
                out.push(']');
            }
            Val::Obj(obj) => {
                out.push_str("{ ");
                for (i, key) in obj.fields().into_iter().enumerate() {
                    if i != 0 {
                        out.push_str(", ");
                    }
                    let item = obj.get(key.clone())?.expect("listed field exists");
                    Self::key(out, &key);
                    out.push_str(" = ");
                    self.value(out, &item, true, "")?;
                }
                out.push_str(" }");
            }
        }
        Ok(())
    }

    /// Plain keys, then sections, joined by blank lines.
    fn table_body(
        &self,
        out: &mut String,
        obj: &ObjValue,
        path: &[IStr],
        indent: &str,
    ) -> Result<()> {
        let fields = obj.fields();
        let mut plain = Vec::new();
        let mut sections = Vec::new();
        for key in fields {
            let v = obj.get(key.clone())?.expect("listed field exists");
            if Self::is_section(&v)? {
                sections.push((key, v));
            } else {
                plain.push((key, v));
            }
        }
        for (i, (key, v)) in plain.iter().enumerate() {
            if i != 0 {
                out.push('\n');
            }
            out.push_str(indent);
            Self::key(out, key);
            out.push_str(" = ");
            self.value(out, v, false, indent)?;
        }
        for (key, v) in sections {
            out.push_str("\n\n");
            let mut child = path.to_vec();
            child.push(key);
            match &v {
                Val::Obj(o) => self.table(out, o, &child, indent, false)?,
                Val::Arr(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if i != 0 {
                            out.push_str("\n\n");
                        }
                        let Val::Obj(o) = item? else {
                            unreachable!("a table array holds only objects")
                        };
                        self.table(out, &o, &child, indent, true)?;
                    }
                }
                _ => unreachable!("sections are objects or table arrays"),
            }
        }
        Ok(())
    }

    fn table(
        &self,
        out: &mut String,
        obj: &ObjValue,
        path: &[IStr],
        indent: &str,
        array: bool,
    ) -> Result<()> {
        out.push_str(indent);
        out.push_str(if array { "[[" } else { "[" });
        Self::path(out, path);
        out.push_str(if array { "]]" } else { "]" });
        if !obj.fields().is_empty() {
            out.push('\n');
        }
        self.table_body(out, obj, path, &format!("{indent}{}", self.indent))
    }
}

/// YAML 1.1/1.2 numbers: decimal (with `_`), hex, binary, floats, `.inf`, `.nan`.
fn is_yaml_number(s: &str) -> bool {
    let t = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = t.to_ascii_lowercase();
    if lower == ".inf" || lower == ".nan" {
        return true;
    }
    // Radix prefixes count only in lower case, as go-jsonnet's check has it.
    if let Some(hex) = t.strip_prefix("0x") {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit() || c == '_');
    }
    if let Some(bin) = t.strip_prefix("0b") {
        return !bin.is_empty() && bin.chars().all(|c| matches!(c, '0' | '1' | '_'));
    }
    let (mantissa, exponent) = match lower.split_once('e') {
        Some((m, e)) => (m, Some(e)),
        None => (lower.as_str(), None),
    };
    let digits = mantissa.chars().filter(char::is_ascii_digit).count();
    let dots = mantissa.chars().filter(|c| *c == '.').count();
    let mantissa_ok = digits > 0
        && dots <= 1
        && mantissa
            .chars()
            .all(|c| c.is_ascii_digit() || c == '_' || c == '.');
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::{frexp, is_bare_key};

    #[test]
    fn frexp_matches_c() {
        assert_eq!(frexp(42.0), (0.65625, 6));
        assert_eq!(frexp(0.0), (0.0, 0));
        assert_eq!(frexp(-1.0), (-0.5, 1));
        assert_eq!(frexp(f64::MIN_POSITIVE / 4.0), (0.5, -1023));
    }

    #[test]
    fn bare_keys_like_go_jsonnet() {
        for bare in [
            "a",
            "-a",
            "a-",
            "_a",
            "a/b",
            "a.b",
            "0o17",
            "1x",
            "0X_0a_74_ae",
            "-0B1010_01",
        ] {
            assert!(is_bare_key(bare), "{bare}");
        }
        for quoted in [
            "", "1", "-1", "+1", ".5", "1.5", "1e3", "0x1F", "1_000", ".inf", ".nan", "yes", "No",
            "ON", "y", "null", "true", "a b", "a:b", "@a", "é",
        ] {
            assert!(!is_bare_key(quoted), "{quoted}");
        }
    }
}
