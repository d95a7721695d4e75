//! `std.makeArray` as go-jsonnet evaluates it: lazily, one element when it is first
//! needed, each costing the stack frames go-jsonnet counts for it (the element and
//! the call of the function). jrsonnet first tries to compute every element at once
//! and calls the function without a frame, so recursion through the array's own
//! elements never reached `--max-stack`, and a `std.trace` in the function could
//! print twice. `std.setMember`, which go-jsonnet evaluates only as far as its search
//! goes. `std.filterMap`, whose functions get the elements unevaluated. `std.flatMap`,
//! `std.slice` and `std.removeAt` with go-jsonnet's number and type rules (fractional
//! bounds, lazy elements, strings mapped to strings). `std.mapWithIndex` and
//! `std.mapWithKey`, whose results compute each element (field) when it is first used,
//! and `std.flattenArrays`, go's fold of `+` (a string element makes the result a
//! string).

use jrsonnet_evaluator::{
    error::{Error, ErrorKind, Result},
    function::{builtin, FuncVal, NativeFn},
    in_description_frame,
    val::{ArrValue, IndexableVal, MemoizedClosureThunk},
    IStr, ObjValue, ObjValueBuilder, Thunk, Val,
};
use jrsonnet_gcmodule::Trace;

use crate::engine::error::{in_std, type_error, unexpected_type, StdFrame, UNPLACED};
use crate::engine::lazy_array::{Compute, LazyArray};
use crate::gocompat::float::format_g;
use crate::manifest::json::go_to_string;

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
    /// `func(index)` inside the two frames go-jsonnet counts; the element's own is
    /// go's frame with no place (its builtin's element node has none).
    fn compute(&self, index: u32) -> Result<Val> {
        in_description_frame(
            || UNPLACED.into(),
            || {
                in_description_frame(
                    || format!("function <{}>", self.name),
                    || self.func.call(index),
                )
            },
        )
    }
}

/// go's context of the frames of its `std.jsonnet` functions.
const ANON: &str = "function <anonymous>";

/// `std.mapWithIndex(func, arr)` as go-jsonnet's `std.jsonnet` runs it,
/// `std.makeArray(std.length(arr), function(i) func(i, arr[i]))`: each element is
/// computed (once) when it is first used, `func` getting the element of `arr` (a
/// string's character) unevaluated, and a `func` that cannot take two arguments fails
/// only there. jrsonnet evaluated the element before calling `func`, and checked
/// `func`'s parameters at the call.
#[builtin]
pub(super) fn builtin_map_with_index(func: FuncVal, arr: IndexableVal) -> Result<ArrValue> {
    let arr = arr.to_array();
    let func = match NativeFn::try_from(func.clone()) {
        Ok(f) => IndexedFn::Ready(f),
        Err(e) => IndexedFn::Unfit(unfit(&func, e)),
    };
    Ok(ArrValue::new(LazyArray::new(
        arr.len(),
        Indexed { func, arr },
    )))
}

/// Why `func` cannot be called with two positional arguments, in go-jsonnet's words
/// where jrsonnet's `e` lacks them (the count of arguments given).
fn unfit(func: &FuncVal, e: Error) -> Error {
    match func.params().len() {
        n @ 0..2 => runtime(format!(
            "function expected {n} positional argument(s), but got 2"
        )),
        _ => e,
    }
}

/// `std.mapWithIndex`'s function, prepared for its two positional arguments, or why
/// it cannot take them (the error of every element).
#[derive(Trace, Debug, Clone)]
enum IndexedFn {
    Ready(NativeFn<(u32, Thunk<Val>, Val)>),
    Unfit(Error),
}

/// How the elements of a `std.mapWithIndex` array are computed.
#[derive(Trace, Debug, Clone)]
struct Indexed {
    func: IndexedFn,
    arr: ArrValue,
}

/// Where go's `std.mapWithIndex` calls `func` (inside the element function it gives
/// `std.makeArray`).
const MAP_WITH_INDEX_CALL: [StdFrame; 1] = [StdFrame::at(288, 50, 65, ANON)];

impl Compute for Indexed {
    /// `func(index, arr[index])` in the frames go counts: its call in `std.jsonnet`,
    /// and the array element's frame with no place.
    fn compute(&self, index: u32) -> Result<Val> {
        let element = self.arr.get_lazy(index).expect("index below the length");
        in_description_frame(
            || UNPLACED.into(),
            || {
                in_std(&MAP_WITH_INDEX_CALL, || match &self.func {
                    IndexedFn::Ready(f) => f.call(index, element),
                    IndexedFn::Unfit(e) => Err(e.clone()),
                })
            },
        )
    }
}

/// Where go's `std.mapWithKey` calls `func` (the field of its object comprehension).
const MAP_WITH_KEY_CALL: [StdFrame; 1] = [StdFrame::at(296, 14, 29, "object <anonymous>")];

/// `std.mapWithKey`'s function, prepared for its two positional arguments, or why it
/// cannot take them (the error of every field).
#[derive(Trace, Debug, Clone)]
enum KeyedFn {
    Ready(NativeFn<(IStr, Thunk<Val>, Val)>),
    Unfit(Error),
}

/// `std.mapWithKey(func, obj)` as go-jsonnet's `std.jsonnet` runs it,
/// `{ [k]: func(k, obj[k]) for k in std.objectFields(obj) }`: the visible fields of
/// `obj`, each computed (once) when it is first used, `func` getting the field's value
/// unevaluated (and failing there if it cannot take two arguments). jrsonnet called
/// `func` for every field at once.
#[builtin]
pub(super) fn builtin_map_with_key(func: FuncVal, obj: ObjValue) -> Result<ObjValue> {
    let func = match NativeFn::try_from(func.clone()) {
        Ok(f) => KeyedFn::Ready(f),
        Err(e) => KeyedFn::Unfit(unfit(&func, e)),
    };
    let fields = obj.fields();
    let mut out = ObjValueBuilder::with_capacity(fields.len());
    for key in fields {
        let value = obj.get_lazy(key.clone()).expect("a field of the object");
        out.field(key.clone())
            .thunk(Thunk::new(MemoizedClosureThunk::new(
                (func.clone(), key, value),
                |(func, key, value)| {
                    in_std(&MAP_WITH_KEY_CALL, || match func {
                        KeyedFn::Ready(f) => f.call(key, value),
                        KeyedFn::Unfit(e) => Err(e),
                    })
                },
            )));
    }
    Ok(out.build())
}

/// Where go's `std.flattenArrays` adds the next element, `a + b`, inside its `std.foldl`.
const FLATTEN_ADD: [StdFrame; 2] = [
    StdFrame::at(901, 30, 35, ANON),
    StdFrame::at(901, 5, 46, ANON),
];

/// Where go's `std.flattenArrays` evaluates the next element, the `b` of `a + b`.
const FLATTEN_ELEMENT: [StdFrame; 2] = [
    StdFrame::at(901, 34, 35, ANON),
    StdFrame::at(901, 5, 46, ANON),
];

/// `std.flattenArrays(arrs)` as go-jsonnet's `std.foldl(function(a, b) a + b, arrs,
/// [])`: arrays are joined, their elements unevaluated. `+` with a string is string
/// concatenation, so a string element turns the result so far into go's
/// `std.toString` text of it (`[ ]` for the empty array) and every later element is
/// appended as text (`std.flattenArrays(['s', 1])` is `"[ ]s1"`); any other element
/// after an array fails as `[] + 1` does. A string argument is its characters.
#[builtin]
pub(super) fn builtin_flatten_arrays(arrs: IndexableVal) -> Result<Val> {
    let mut joined: Vec<Thunk<Val>> = Vec::new();
    let mut text: Option<String> = None;
    for element in arrs.to_array().iter_lazy() {
        let element = in_std(&FLATTEN_ELEMENT, || element.evaluate())?;
        in_std(&FLATTEN_ADD, || {
            match (&mut text, element) {
                (Some(text), Val::Str(s)) => text.push_str(&s.to_string()),
                (Some(text), other) => text.push_str(&go_to_string(&other)?),
                (None, Val::Arr(items)) => joined.extend(items.iter_lazy()),
                (None, Val::Str(s)) => {
                    let so_far =
                        go_to_string(&Val::Arr(ArrValue::new(std::mem::take(&mut joined))))?;
                    text = Some(so_far + &s.to_string());
                }
                (None, other) => {
                    return Err(runtime(unexpected_type(
                        other.value_type().name(),
                        Some("array"),
                    )))
                }
            }
            Ok(())
        })?;
    }
    Ok(match text {
        Some(text) => Val::from(text),
        None => Val::Arr(ArrValue::new(joined)),
    })
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
        other => return Err(type_error(&other, "array")),
    };
    if arr.is_empty() {
        return Ok(false);
    }
    let key_f = match keyF {
        None => None,
        Some(Val::Func(f)) if f.is_identity() => None,
        Some(Val::Func(f)) => Some(NativeFn::<(Thunk<Val>, Val)>::try_from(f)?),
        Some(other) => return Err(type_error(&other, "function")),
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

/// A runtime error with `message`.
fn runtime(message: String) -> Error {
    ErrorKind::RuntimeError(message.into()).into()
}

/// go-jsonnet's check that a number argument is whole.
fn whole(n: f64) -> Result<f64> {
    if n.fract() != 0.0 || !n.is_finite() {
        return Err(runtime(format!(
            "Expected an integer, but got {}",
            format_g(n)
        )));
    }
    Ok(n)
}

/// `std.removeAt(arr, at)`. go-jsonnet 0.22 crashes on an index outside the array and
/// jrsonnet gives wrong arrays (`removeAt([1,2,3], -1)` was `[1,2,1,2,3]`): that is an
/// error here.
#[builtin]
pub(super) fn builtin_remove_at(arr: ArrValue, at: f64) -> Result<ArrValue> {
    let at = whole(at)?;
    if at < 0.0 || at >= f64::from(arr.len()) {
        return Err(runtime(format!(
            "std.removeAt: index {} is out of range for an array of length {}",
            format_g(at),
            arr.len()
        )));
    }
    let at = at as usize;
    let kept: Vec<Thunk<Val>> = arr
        .iter_lazy()
        .enumerate()
        .filter(|(i, _)| *i != at)
        .map(|(_, element)| element)
        .collect();
    Ok(ArrValue::new(kept))
}

/// `std.flatMap(func, arr)` as go-jsonnet: over an array, `func` gets each element
/// unevaluated and must return an array, whose elements stay unevaluated; over a
/// string, `func` gets each character and must return a string.
#[builtin]
pub(super) fn builtin_flat_map(func: NativeFn<(Thunk<Val>, Val)>, arr: Val) -> Result<Val> {
    match arr {
        Val::Arr(arr) => {
            let mut out: Vec<Thunk<Val>> = Vec::new();
            for element in arr.iter_lazy() {
                match func.call(element)? {
                    Val::Arr(items) => out.extend(items.iter_lazy()),
                    other => return Err(type_error(&other, "array")),
                }
            }
            Ok(Val::Arr(ArrValue::new(out)))
        }
        Val::Str(s) => {
            let mut out = String::new();
            for c in s.to_string().chars() {
                match func.call(Thunk::evaluated(Val::from(c.to_string())))? {
                    Val::Str(piece) => out.push_str(&piece.to_string()),
                    other => return Err(type_error(&other, "string")),
                }
            }
            Ok(Val::from(out))
        }
        other => Err(runtime(format!(
            "std.flatMap second param must be array / string, got {}",
            other.value_type()
        ))),
    }
}

/// Most elements one `std.slice` builds; a step so small that more would be needed
/// (go-jsonnet recurses until its stack overflows) is an error.
const MAX_SLICE_ELEMENTS: f64 = u32::MAX as f64;

/// `std.slice(indexable, index, end, step)` as go-jsonnet's Jsonnet definition runs
/// it: the bounds are numbers (`null` for the defaults), the cursor advances by `step`
/// in floating point and each element is taken at the cursor's integer part (so
/// `std.slice('abcdef', 0.5, 5.5, 1.5)` is `"acdf"`); array elements stay unevaluated.
/// An array's slice costs no memory per element: with whole bounds it is jrsonnet's
/// view of the array, else a [`LazyArray`] finding each position from [`Positions`].
#[builtin]
pub(super) fn builtin_slice(indexable: Val, index: Val, end: Val, step: Val) -> Result<Val> {
    let bound = |v: &Val| -> Result<Option<f64>> {
        match v {
            Val::Null => Ok(None),
            Val::Num(n) => Ok(Some(n.get())),
            other => Err(type_error(other, "number")),
        }
    };
    let (index, end, step) = (bound(&index)?, bound(&end)?, bound(&step)?);
    let length = match &indexable {
        Val::Arr(a) => f64::from(a.len()),
        Val::Str(s) => s.to_string().chars().count() as f64,
        other => {
            return Err(runtime(format!(
                "std.slice accepts a string or an array, but got: {}",
                other.value_type()
            )))
        }
    };
    let start = match index {
        None => 0.0,
        Some(i) if i < 0.0 => (length + i).max(0.0),
        Some(i) => i,
    };
    let end = match end {
        None => length,
        Some(e) if e < 0.0 => length + e,
        Some(e) => e,
    };
    let step = step.unwrap_or(1.0);
    let shown = |n: f64| -> Result<String> { go_to_string(&Val::try_num(n)?) };
    if step < 0.0 {
        return Err(runtime(format!(
            "got [{}:{}:{}] but negative steps are not supported",
            shown(start)?,
            shown(end)?,
            shown(step)?
        )));
    }
    if step == 0.0 {
        return Err(runtime(format!(
            "got {} but step must be greater than 0",
            shown(step)?
        )));
    }
    let limit = end.min(length);
    if limit > start && (limit - start) / step > MAX_SLICE_ELEMENTS {
        return Err(runtime(format!(
            "std.slice: step {} is too small: the slice would have more than {} elements",
            shown(step)?,
            u32::MAX
        )));
    }
    let too_small = |cursor: f64| -> Result<Error> {
        Ok(runtime(format!(
            "std.slice: step {} is too small to move past {}",
            shown(step)?,
            shown(cursor)?
        )))
    };
    match indexable {
        Val::Arr(a) => {
            // Whole bounds: jrsonnet's own slice, a view of the array.
            let whole = |n: f64| n.fract() == 0.0 && n <= f64::from(i32::MAX);
            if whole(start) && whole(limit.max(start)) && whole(step) {
                return Ok(Val::Arr(a.slice(
                    Some(start as i32),
                    Some(limit.max(start) as i32),
                    std::num::NonZeroU32::new(step as u32),
                )));
            }
            let positions = match Positions::count(start, limit, step) {
                Ok(positions) => positions,
                Err(cursor) => return Err(too_small(cursor)?),
            };
            Ok(Val::Arr(ArrValue::new(LazyArray::new(
                positions.len,
                SliceElements {
                    source: a,
                    positions,
                },
            ))))
        }
        Val::Str(s) => {
            let chars: Vec<char> = s.to_string().chars().collect();
            let mut out = String::new();
            let mut cursor = start;
            while cursor < limit {
                out.push(chars[cursor as usize]);
                let next = cursor + step;
                if next == cursor {
                    return Err(too_small(cursor)?);
                }
                cursor = next;
            }
            Ok(Val::from(out))
        }
        _ => unreachable!("checked above"),
    }
}

/// The positions a fractional `std.slice` takes: the cursor starts at `start` and
/// advances by `step` in floating point (rounding as go-jsonnet's loop does), each
/// element at the cursor's integer part. The cursor's value is kept only every
/// [`CHECKPOINT`] elements, so a slice of billions of elements costs megabytes.
#[derive(Debug, Clone)]
struct Positions {
    step: f64,
    len: u32,
    /// The cursor at elements `0, CHECKPOINT, 2 * CHECKPOINT, …`.
    checkpoints: std::rc::Rc<Vec<f64>>,
}

/// Elements between two kept cursor values of [`Positions`].
const CHECKPOINT: u32 = 4096;

impl Positions {
    /// Runs the cursor from `start` to `limit`; `Err(cursor)` where `step` no longer
    /// moves it (or, past the caller's estimate, it would take more than `u32::MAX`
    /// elements).
    fn count(start: f64, limit: f64, step: f64) -> std::result::Result<Self, f64> {
        let mut checkpoints = Vec::new();
        let mut len = 0u32;
        let mut cursor = start;
        while cursor < limit {
            if len.is_multiple_of(CHECKPOINT) {
                checkpoints.push(cursor);
            }
            len = len.checked_add(1).ok_or(cursor)?;
            let next = cursor + step;
            if next == cursor {
                return Err(cursor);
            }
            cursor = next;
        }
        Ok(Self {
            step,
            len,
            checkpoints: std::rc::Rc::new(checkpoints),
        })
    }

    /// The source index of element `k` (< `len`).
    fn get(&self, k: u32) -> u32 {
        let mut cursor = self.checkpoints[(k / CHECKPOINT) as usize];
        for _ in 0..k % CHECKPOINT {
            cursor += self.step;
        }
        cursor as u32
    }
}

/// How the elements of a fractional `std.slice` of an array are found.
#[derive(Trace, Debug, Clone)]
struct SliceElements {
    source: ArrValue,
    #[trace(skip)]
    positions: Positions,
}

impl Compute for SliceElements {
    fn compute(&self, index: u32) -> Result<Val> {
        let at = self.positions.get(index);
        Ok(self.source.get(at)?.expect("position below the length"))
    }
}
