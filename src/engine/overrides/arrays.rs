//! `std.makeArray` as go-jsonnet evaluates it: lazily, one element when it is first
//! needed, each costing the stack frames go-jsonnet counts for it (the element and
//! the call of the function). jrsonnet first tries to compute every element at once
//! and calls the function without a frame, so recursion through the array's own
//! elements never reached `--max-stack`, and a `std.trace` in the function could
//! print twice. `std.setMember`, which go-jsonnet evaluates only as far as its search
//! goes. `std.filterMap`, whose functions get the elements unevaluated.

use jrsonnet_evaluator::{
    error::{Error, ErrorKind, Result},
    function::{builtin, FuncVal, NativeFn},
    in_description_frame,
    val::{ArrValue, MemoizedClosureThunk},
    Thunk, Val,
};
use jrsonnet_gcmodule::Trace;

use crate::engine::lazy_array::{Compute, LazyArray};

/// `std.makeArray(sz, func)`; `sz` must be a non-negative integer (go-jsonnet 0.22
/// returns an empty array for a negative one; the jsonnet test suite and later
/// go-jsonnet reject it).
#[builtin]
pub(super) fn builtin_make_array(sz: f64, func: FuncVal) -> Result<ArrValue> {
    // go converts to an int64 and back.
    if sz.fract() != 0.0 || sz.abs() >= 9.223_372_036_854_776e18 {
        return Err(ErrorKind::RuntimeError(
            format!(
                "Expected an integer, but got {}",
                crate::gocompat::float::format_g(sz)
            )
            .into(),
        )
        .into());
    }
    if sz > f64::from(u32::MAX) {
        return Err(
            ErrorKind::RuntimeError(format!("makeArray size too large: {sz}").into()).into(),
        );
    }
    if sz < 0.0 {
        return Err(ErrorKind::RuntimeError(
            format!("makeArray requires size >= 0, got {sz}").into(),
        )
        .into());
    }
    let sz = sz as u32;
    let func_name = func.name().to_string();
    let func = NativeFn::try_from(func)?;
    Ok(ArrValue::new(LazyArray::new(
        sz,
        Elements {
            name: func_name,
            func,
        },
    )))
}

/// How the elements of a `std.makeArray` array are computed.
#[derive(Trace, Debug, Clone)]
struct Elements {
    #[trace(skip)]
    name: String,
    func: NativeFn<(u32, Val)>,
}

impl Compute for Elements {
    /// `func(index)` inside the two frames go-jsonnet counts.
    fn compute(&self, index: u32) -> Result<Val> {
        in_description_frame(
            || "std.makeArray element".into(),
            || {
                in_description_frame(
                    || format!("function <{}>", self.name),
                    || self.func.call(index),
                )
            },
        )
    }
}

/// `std.setMember(x, arr, keyF)` as go-jsonnet runs it: a binary search over `arr` (a
/// string searches its characters) that evaluates `x` and calls `keyF` only when `arr`
/// has elements, so an empty set answers `false` even for a failing `x` or a `null`
/// `keyF`.
#[builtin]
#[allow(non_snake_case)]
pub(super) fn builtin_set_member(x: Thunk<Val>, arr: Val, keyF: Option<Val>) -> Result<bool> {
    let arr = match arr {
        Val::Arr(a) => a,
        Val::Str(s) => ArrValue::new(
            s.to_string()
                .chars()
                .map(|c| Val::from(c.to_string()))
                .collect::<Vec<_>>(),
        ),
        other => return Err(unexpected_type(&other, "array")),
    };
    if arr.is_empty() {
        return Ok(false);
    }
    let key_f = match keyF {
        None => None,
        Some(Val::Func(f)) if f.is_identity() => None,
        Some(Val::Func(f)) => Some(NativeFn::<(Thunk<Val>, Val)>::try_from(f)?),
        Some(other) => return Err(unexpected_type(&other, "function")),
    };
    let key = |v: Thunk<Val>| match &key_f {
        Some(f) => f.call(v),
        None => v.evaluate(),
    };
    let x = key(x)?;
    let (mut low, mut high) = (0, arr.len());
    while low < high {
        let middle = low + (high - low) / 2;
        let element = arr.get_lazy(middle).expect("index in bounds");
        match Val::try_cmp(&key(element)?, &x)? {
            std::cmp::Ordering::Less => low = middle + 1,
            std::cmp::Ordering::Equal => return Ok(true),
            std::cmp::Ordering::Greater => high = middle,
        }
    }
    Ok(false)
}

/// go-jsonnet's type error: "Unexpected type null, expected function".
fn unexpected_type(v: &Val, expected: &str) -> Error {
    ErrorKind::RuntimeError(
        format!("Unexpected type {}, expected {expected}", v.value_type()).into(),
    )
    .into()
}

/// `std.filterMap(filter_func, map_func, arr)` as go-jsonnet evaluates it: both
/// functions get the elements unevaluated, and each result element is computed (once)
/// when it is first needed. jrsonnet hands `map_func` evaluated elements, so an
/// element the functions never look at still had to evaluate without error.
#[builtin]
pub(super) fn builtin_filter_map(
    filter_func: NativeFn<(Thunk<Val>, bool)>,
    map_func: NativeFn<(Thunk<Val>, Val)>,
    arr: ArrValue,
) -> Result<ArrValue> {
    // Not jrsonnet's `ArrValue::filter`: it evaluates the elements first, and one
    // that fails then reports "infinite recursion detected" instead of its error.
    let mut out = Vec::new();
    for element in arr.iter_lazy() {
        if filter_func.call(element.clone())? {
            out.push(Thunk::new(MemoizedClosureThunk::new(
                (map_func.clone(), element),
                |(map_func, element)| map_func.call(element),
            )));
        }
    }
    Ok(ArrValue::new(out))
}
