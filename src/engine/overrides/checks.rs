//! go-jsonnet's argument checks of `std` functions: when a function fails, its
//! arguments are checked again in go-jsonnet 0.22's order, and the first check that
//! fails gives go's error — its message and, for the functions go writes in Jsonnet,
//! the frames of its `std.jsonnet` ([`StdFrame`]) — in place of jrsonnet's (which
//! checks in another order, in other words: `std.length(1)` is go's `Unexpected type
//! number`). The checks run only after a failure, so a call that succeeds costs one
//! extra dynamic call. Each entry was taken from go-jsonnet's output for calls with
//! arguments of every type (`tests/testdata/std/go_arguments/regen.py` keeps the
//! goldens that pin them).
//!
//! Contact points: [`super::install`] wraps every function named here ([`checked`]);
//! [`crate::engine::error`] renders the frames.

use jrsonnet_evaluator::{
    error::Result,
    function::{builtin::Builtin, CallLocation, FuncVal, FunctionSignature},
    Thunk, Val,
};
use jrsonnet_gcmodule::Trace;

use crate::engine::error::{go_std_error, unexpected_type, StdFrame};

/// What go-jsonnet checks about one argument.
struct Check {
    /// The argument's position.
    param: usize,
    /// The types it takes, as go names them; the first is the one go's message expects.
    accepts: &'static [&'static str],
    /// go's words when the argument has another type.
    message: Message,
    /// go's frames inside its `std`, innermost first.
    frames: &'static [StdFrame],
}

/// go's message for an argument of the wrong type.
enum Message {
    /// `Unexpected type T, expected E` (go's `typeErrorSpecific`).
    Expected,
    /// `Unexpected type T` (go's `typeErrorGeneral`).
    General,
    /// A text of go's `std.jsonnet`; `{got}` is the argument's type.
    Text(&'static str),
}

/// The types `std.length` takes.
const SIZED: &[&str] = &["string", "array", "object", "function"];
const NUMBER: &[&str] = &["number"];
const STRING: &[&str] = &["string"];
const ARRAY: &[&str] = &["array"];
const OBJECT: &[&str] = &["object"];
const FUNCTION: &[&str] = &["function"];
const ARRAY_OR_STRING: &[&str] = &["array", "string"];

const fn check(
    param: usize,
    accepts: &'static [&'static str],
    message: Message,
    frames: &'static [StdFrame],
) -> Check {
    Check {
        param,
        accepts,
        message,
        frames,
    }
}

const ANON: &str = "function <anonymous>";
const THUNK: &str = "thunk from <function <anonymous>>";
const AUX: &str = "function <aux>";

/// A check of go's native builtins: `Unexpected type T, expected E`, no `<std>` frame.
const fn expected(param: usize, accepts: &'static [&'static str]) -> Check {
    check(param, accepts, Message::Expected, &[])
}

/// A check written in go's `std.jsonnet` as `error '<text>'` at one place.
const fn text(
    param: usize,
    accepts: &'static [&'static str],
    text: &'static str,
    frames: &'static [StdFrame],
) -> Check {
    check(param, accepts, Message::Text(text), frames)
}

/// `std.stripChars`, `lstripChars`, `rstripChars` (go's `std.member` checks the set).
const STRIP: &[Check] = &[
    expected(0, STRING),
    text(
        1,
        ARRAY_OR_STRING,
        "std.member first argument must be an array or a string",
        &[],
    ),
];

/// `std.splitLimit` and `splitLimitR`.
const SPLIT_LIMIT: &[Check] = &[
    expected(0, STRING),
    expected(1, STRING),
    expected(2, NUMBER),
];

/// go's checks of `std.<name>`, in the order go makes them, by name.
const TABLE: &[(&str, &[Check])] = &[
    ("length", &[check(0, SIZED, Message::General, &[])]),
    ("decodeUTF8", &[expected(0, ARRAY)]),
    (
        "abs",
        &[text(
            0,
            NUMBER,
            "std.abs expected number, got {got}",
            &[StdFrame::at(865, 7, 58, ANON)],
        )],
    ),
    (
        "sign",
        &[text(
            0,
            NUMBER,
            "std.sign expected number, got {got}",
            &[StdFrame::at(871, 7, 59, ANON)],
        )],
    ),
    (
        "max",
        &[
            text(
                0,
                NUMBER,
                "std.max first param expected number, got {got}",
                &[StdFrame::at(881, 7, 70, ANON)],
            ),
            text(
                1,
                NUMBER,
                "std.max second param expected number, got {got}",
                &[StdFrame::at(883, 7, 71, ANON)],
            ),
        ],
    ),
    (
        "min",
        &[
            text(
                0,
                NUMBER,
                "std.min first param expected number, got {got}",
                &[StdFrame::at(889, 7, 70, ANON)],
            ),
            text(
                1,
                NUMBER,
                "std.min second param expected number, got {got}",
                &[StdFrame::at(891, 7, 71, ANON)],
            ),
        ],
    ),
    (
        "map",
        &[
            text(
                0,
                FUNCTION,
                "std.map first param must be function, got {got}",
                &[StdFrame::at(276, 7, 76, ANON)],
            ),
            text(
                1,
                ARRAY_OR_STRING,
                "std.map second param must be array / string, got {got}",
                &[StdFrame::at(278, 7, 82, ANON)],
            ),
        ],
    ),
    (
        "mapWithIndex",
        &[
            text(
                0,
                FUNCTION,
                "std.mapWithIndex first param must be function, got {got}",
                &[StdFrame::at(284, 7, 85, ANON)],
            ),
            text(
                1,
                ARRAY_OR_STRING,
                "std.mapWithIndex second param must be array, got {got}",
                &[StdFrame::at(286, 7, 82, ANON)],
            ),
        ],
    ),
    (
        "mapWithKey",
        &[
            text(
                0,
                FUNCTION,
                "std.mapWithKey first param must be function, got {got}",
                &[StdFrame::at(292, 7, 83, ANON)],
            ),
            text(
                1,
                OBJECT,
                "std.mapWithKey second param must be object, got {got}",
                &[StdFrame::at(294, 7, 81, ANON)],
            ),
        ],
    ),
    (
        "filterMap",
        &[
            text(
                0,
                FUNCTION,
                "std.filterMap first param must be function, got {got}",
                &[StdFrame::at(845, 7, 89, ANON)],
            ),
            text(
                1,
                FUNCTION,
                "std.filterMap second param must be function, got {got}",
                &[StdFrame::at(847, 7, 87, ANON)],
            ),
            text(
                2,
                ARRAY,
                "std.filterMap third param must be array, got {got}",
                &[StdFrame::at(849, 7, 78, ANON)],
            ),
        ],
    ),
    ("filter", &[expected(1, ARRAY), expected(0, FUNCTION)]),
    (
        "flatMap",
        &[
            expected(0, FUNCTION),
            text(
                1,
                ARRAY_OR_STRING,
                "std.flatMap second param must be array / string, got {got}",
                &[],
            ),
        ],
    ),
    (
        "foldl",
        &[
            expected(0, FUNCTION),
            text(
                1,
                ARRAY_OR_STRING,
                "foldl second parameter should be string or array, got {got}",
                &[],
            ),
        ],
    ),
    (
        "foldr",
        &[
            expected(0, FUNCTION),
            text(
                1,
                ARRAY_OR_STRING,
                "foldr second parameter should be string or array, got {got}",
                &[],
            ),
        ],
    ),
    (
        "find",
        &[text(
            1,
            ARRAY,
            "find second parameter should be an array, got {got}",
            &[StdFrame::at(1668, 7, 77, ANON)],
        )],
    ),
    (
        "findSubstr",
        &[
            text(
                0,
                STRING,
                "findSubstr first parameter should be a string, got {got}",
                &[StdFrame::at(1655, 7, 82, ANON)],
            ),
            text(
                1,
                STRING,
                "findSubstr second parameter should be a string, got {got}",
                &[StdFrame::at(1657, 7, 83, ANON)],
            ),
        ],
    ),
    (
        "member",
        &[text(
            0,
            ARRAY_OR_STRING,
            "std.member first argument must be an array or a string",
            &[],
        )],
    ),
    ("stripChars", STRIP),
    ("lstripChars", STRIP),
    ("rstripChars", STRIP),
    (
        "substr",
        &[
            text(
                0,
                STRING,
                "substr first parameter should be a string, got {got}",
                &[],
            ),
            text(
                1,
                NUMBER,
                "substr second parameter should be a number, got {got}",
                &[],
            ),
            text(
                2,
                NUMBER,
                "substr third parameter should be a number, got {got}",
                &[],
            ),
        ],
    ),
    (
        "split",
        &[
            text(
                0,
                STRING,
                "std.split first parameter must be a String, got {got}",
                &[StdFrame::span((116, 5), (119, 31), "")],
            ),
            text(
                1,
                STRING,
                "std.split second parameter must be a String, got {got}",
                &[StdFrame::span((117, 5), (119, 31), "")],
            ),
        ],
    ),
    ("splitLimit", SPLIT_LIMIT),
    ("splitLimitR", SPLIT_LIMIT),
    ("sort", &[expected(0, ARRAY)]),
    (
        "uniq",
        &[text(
            0,
            ARRAY_OR_STRING,
            "foldl second parameter should be string or array, got {got}",
            &[StdFrame::at(1487, 5, 26, ANON)],
        )],
    ),
    (
        "flattenArrays",
        &[text(
            0,
            ARRAY_OR_STRING,
            "foldl second parameter should be string or array, got {got}",
            &[StdFrame::at(901, 5, 46, ANON)],
        )],
    ),
    (
        "all",
        &[text(
            0,
            ARRAY,
            "all() parameter should be an array, got {got}",
            &[StdFrame::span((1673, 5), (1685, 11), "")],
        )],
    ),
    (
        "any",
        &[text(
            0,
            ARRAY,
            "any() parameter should be an array, got {got}",
            &[StdFrame::span((1688, 5), (1700, 11), "")],
        )],
    ),
    (
        "parseHex",
        &[text(
            0,
            STRING,
            "Expected string, got {got}",
            &[StdFrame::span((111, 5), (113, 23), "")],
        )],
    ),
    (
        "parseOctal",
        &[text(
            0,
            STRING,
            "Expected string, got {got}",
            &[StdFrame::span((106, 5), (108, 22), "")],
        )],
    ),
    (
        "deepJoin",
        &[text(
            0,
            &["string", "array"],
            "Expected string or array, got {got}",
            &[StdFrame::at(347, 7, 63, ANON)],
        )],
    ),
    (
        "repeat",
        &[
            text(
                0,
                ARRAY_OR_STRING,
                "std.repeat first argument must be an array or a string",
                &[
                    StdFrame::at(203, 12, 74, "thunk <joiner> from <function <anonymous>>"),
                    StdFrame::at(204, 14, 20, THUNK),
                    StdFrame::at(204, 5, 61, ANON),
                ],
            ),
            check(
                1,
                NUMBER,
                Message::Expected,
                &[
                    StdFrame::at(204, 22, 60, THUNK),
                    StdFrame::at(204, 5, 61, ANON),
                ],
            ),
        ],
    ),
    (
        "stringChars",
        &[check(
            0,
            STRING,
            Message::General,
            &[
                StdFrame::at(77, 19, 34, THUNK),
                StdFrame::at(77, 5, 55, ANON),
            ],
        )],
    ),
    (
        "startsWith",
        &[
            check(0, SIZED, Message::General, &[StdFrame::at(49, 8, 21, ANON)]),
            check(
                1,
                SIZED,
                Message::General,
                &[StdFrame::at(49, 24, 37, ANON)],
            ),
        ],
    ),
    (
        "endsWith",
        &[
            check(0, SIZED, Message::General, &[StdFrame::at(55, 8, 21, ANON)]),
            check(
                1,
                SIZED,
                Message::General,
                &[StdFrame::at(55, 24, 37, ANON)],
            ),
        ],
    ),
    (
        "count",
        &[check(
            0,
            ARRAY,
            Message::Expected,
            &[
                StdFrame::at(255, 30, 65, THUNK),
                StdFrame::at(255, 19, 66, ANON),
            ],
        )],
    ),
    (
        "objectHas",
        &[
            check(
                0,
                OBJECT,
                Message::Expected,
                &[StdFrame::at(1576, 5, 33, ANON)],
            ),
            check(
                1,
                STRING,
                Message::Expected,
                &[StdFrame::at(1576, 5, 33, ANON)],
            ),
        ],
    ),
    (
        "objectFields",
        &[check(
            0,
            OBJECT,
            Message::Expected,
            &[StdFrame::at(1570, 5, 33, ANON)],
        )],
    ),
    (
        "get",
        &[
            check(
                0,
                OBJECT,
                Message::Expected,
                &[StdFrame::at(1567, 8, 41, ANON)],
            ),
            check(
                1,
                STRING,
                Message::Expected,
                &[StdFrame::at(1567, 8, 41, ANON)],
            ),
        ],
    ),
    (
        "objectHasAll",
        &[
            check(
                0,
                OBJECT,
                Message::Expected,
                &[StdFrame::at(1579, 5, 32, ANON)],
            ),
            check(
                1,
                STRING,
                Message::Expected,
                &[StdFrame::at(1579, 5, 32, ANON)],
            ),
        ],
    ),
    (
        "objectFieldsAll",
        &[check(
            0,
            OBJECT,
            Message::Expected,
            &[StdFrame::at(1573, 5, 32, ANON)],
        )],
    ),
    (
        "objectValues",
        &[check(
            0,
            OBJECT,
            Message::Expected,
            &[
                StdFrame::at(1570, 5, 33, ANON),
                StdFrame::at(1582, 20, 39, ANON),
                StdFrame::at(1582, 5, 40, ""),
            ],
        )],
    ),
    (
        "objectValuesAll",
        &[check(
            0,
            OBJECT,
            Message::Expected,
            &[
                StdFrame::at(1573, 5, 32, ANON),
                StdFrame::at(1585, 20, 42, ANON),
                StdFrame::at(1585, 5, 43, ""),
            ],
        )],
    ),
    (
        "objectKeysValues",
        &[check(
            0,
            OBJECT,
            Message::Expected,
            &[
                StdFrame::at(1570, 5, 33, ANON),
                StdFrame::at(1588, 39, 58, ANON),
                StdFrame::at(1588, 5, 59, ""),
            ],
        )],
    ),
    (
        "objectKeysValuesAll",
        &[check(
            0,
            OBJECT,
            Message::Expected,
            &[
                StdFrame::at(1573, 5, 32, ANON),
                StdFrame::at(1591, 39, 61, ANON),
                StdFrame::at(1591, 5, 62, ""),
            ],
        )],
    ),
    (
        "setUnion",
        &[
            check(
                0,
                SIZED,
                Message::General,
                &[
                    StdFrame::at(1499, 15, 28, AUX),
                    StdFrame::at(1512, 5, 24, ANON),
                ],
            ),
            check(
                1,
                SIZED,
                Message::General,
                &[
                    StdFrame::at(1501, 20, 33, AUX),
                    StdFrame::at(1512, 5, 24, ANON),
                ],
            ),
        ],
    ),
    (
        "setInter",
        &[
            check(
                0,
                SIZED,
                Message::General,
                &[
                    StdFrame::at(1516, 15, 28, AUX),
                    StdFrame::at(1525, 5, 24, ANON),
                ],
            ),
            check(
                1,
                SIZED,
                Message::General,
                &[
                    StdFrame::at(1516, 37, 50, AUX),
                    StdFrame::at(1525, 5, 24, ANON),
                ],
            ),
        ],
    ),
    (
        "setDiff",
        &[
            check(
                0,
                SIZED,
                Message::General,
                &[
                    StdFrame::at(1529, 15, 28, AUX),
                    StdFrame::at(1540, 5, 24, ANON),
                ],
            ),
            check(
                1,
                SIZED,
                Message::General,
                &[
                    StdFrame::at(1531, 20, 33, AUX),
                    StdFrame::at(1540, 5, 24, ANON),
                ],
            ),
        ],
    ),
    (
        "setMember",
        &[check(
            1,
            SIZED,
            Message::General,
            &[
                StdFrame::at(1516, 37, 50, AUX),
                StdFrame::at(1525, 5, 24, ANON),
                StdFrame::at(1494, 16, 44, THUNK),
                StdFrame::at(1494, 5, 45, ANON),
            ],
        )],
    ),
    (
        "set",
        &[check(
            0,
            ARRAY,
            Message::Expected,
            &[
                StdFrame::at(1490, 14, 33, THUNK),
                StdFrame::at(1487, 18, 21, THUNK),
                StdFrame::at(1487, 5, 26, ANON),
                StdFrame::at(1490, 5, 40, ANON),
            ],
        )],
    ),
    (
        "resolvePath",
        &[
            text(
                0,
                STRING,
                "std.split first parameter must be a String, got {got}",
                &[
                    StdFrame::span((116, 5), (119, 31), ""),
                    StdFrame::at(1631, 17, 34, "thunk <arr> from <function <anonymous>>"),
                    StdFrame::at(
                        1632,
                        44,
                        47,
                        "thunk from <thunk from <thunk from <function <anonymous>>>>",
                    ),
                    StdFrame::at(
                        1632,
                        33,
                        48,
                        "thunk from <thunk from <function <anonymous>>>",
                    ),
                    StdFrame::at(1632, 19, 73, THUNK),
                    StdFrame::at(1632, 5, 80, ANON),
                ],
            ),
            check(
                1,
                STRING,
                Message::Expected,
                &[StdFrame::at(1632, 5, 80, ANON)],
            ),
        ],
    ),
    ("contains", &[expected(0, ARRAY)]),
    (
        "deg2rad",
        &[check(
            0,
            NUMBER,
            Message::Expected,
            &[StdFrame::at(268, 16, 26, ANON)],
        )],
    ),
    (
        "rad2deg",
        &[check(
            0,
            NUMBER,
            Message::Expected,
            &[StdFrame::at(269, 16, 23, ANON)],
        )],
    ),
    (
        "log2",
        &[check(
            0,
            NUMBER,
            Message::Expected,
            &[StdFrame::at(271, 13, 23, ANON)],
        )],
    ),
    (
        "log10",
        &[check(
            0,
            NUMBER,
            Message::Expected,
            &[StdFrame::at(272, 14, 24, ANON)],
        )],
    ),
    ("char", &[expected(0, NUMBER)]),
    ("codepoint", &[expected(0, STRING)]),
    ("makeArray", &[expected(0, NUMBER), expected(1, FUNCTION)]),
    ("range", &[expected(0, NUMBER), expected(1, NUMBER)]),
];

/// go's checks of `std.<name>` ([`TABLE`]).
fn checks(name: &str) -> &'static [Check] {
    TABLE
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(&[], |(_, checks)| checks)
}

/// Checks that need the values, not only their types: go's message for the first that
/// fails and its frames.
fn value_checks(name: &str, args: &[Option<Val>]) -> Option<(String, &'static [StdFrame])> {
    let arg = |i: usize| args.get(i).and_then(Option::as_ref);
    let number = |i| match arg(i) {
        Some(Val::Num(n)) => Some(n.get()),
        _ => None,
    };
    match name {
        // `x < minVal`, then (when not below) `x > maxVal`, as go compares.
        "clamp" => {
            let (x, lo, hi) = (arg(0)?, arg(1)?, arg(2)?);
            if let Some(message) = comparison_error(x, lo) {
                return Some((message, &CLAMP_FRAMES[..1]));
            }
            match (x, lo) {
                (Val::Num(a), Val::Num(b)) if a.get() < b.get() => return None,
                (Val::Str(a), Val::Str(b)) if a.to_string() < b.to_string() => return None,
                (Val::Num(_), _) | (Val::Str(_), _) => {}
                _ => return None,
            }
            comparison_error(x, hi).map(|message| (message, &CLAMP_FRAMES[1..]))
        }
        // The separator's type, then each element's (`null`s are skipped).
        "join" => {
            let (sep, arr) = (arg(0)?, arg(1)?);
            let Val::Arr(items) = arr else {
                return Some((unexpected_type(arr.value_type().name(), Some("array")), &[]));
            };
            let want = match sep {
                Val::Str(_) => "string",
                Val::Arr(_) => "array",
                other => {
                    return Some((
                        format!(
                            "join first parameter should be string or array, got {}",
                            other.value_type().name()
                        ),
                        &[],
                    ))
                }
            };
            for item in items.iter() {
                let item = item.ok()?;
                let ty = item.value_type().name();
                if ty != want && ty != "null" {
                    return Some((unexpected_type(ty, Some(want)), &[]));
                }
            }
            None
        }
        "substr" => {
            let (from, len) = (number(1)?, number(2)?);
            if from.fract() != 0.0 {
                return Some((
                    format!("substr second parameter should be an integer, got {from:.6}"),
                    &[],
                ));
            }
            if len.fract() != 0.0 {
                return Some((
                    format!("substr third parameter should be an integer, got {len:.6}"),
                    &[],
                ));
            }
            (len < 0.0).then(|| {
                (
                    format!("substr third parameter should be greater than zero, got {len}"),
                    &[][..],
                )
            })
        }
        "char" => {
            let n = number(0)?;
            if n < 0.0 {
                return Some((format!("Codepoints must be >= 0, got {n}"), &[]));
            }
            (n >= f64::from(0x110000)).then(|| {
                (
                    format!(
                        "Invalid unicode codepoint, got {}",
                        crate::gocompat::float::format_g(n)
                    ),
                    &[][..],
                )
            })
        }
        // go's `sort.Stable` of up to 20 elements is an insertion sort comparing each
        // element with the one before it (`a[j] < a[j-1]`): the first comparison of
        // two types that do not compare is go's error.
        "sort" => {
            if let Some(Val::Func(key)) = arg(1) {
                if !key.is_identity() {
                    return None;
                }
            }
            let Val::Arr(items) = arg(0)? else {
                return None;
            };
            let mut items = items.iter().collect::<Result<Vec<_>>>().ok()?;
            if items.len() > 20 {
                return None;
            }
            for i in 1..items.len() {
                let mut j = i;
                while j > 0 {
                    if let Some(message) = comparison_error(&items[j], &items[j - 1]) {
                        return Some((message, &[]));
                    }
                    if Val::try_cmp(&items[j], &items[j - 1]).ok()? != std::cmp::Ordering::Less {
                        break;
                    }
                    items.swap(j, j - 1);
                    j -= 1;
                }
            }
            None
        }
        // Each byte: a number, whole, in 0..=255.
        "decodeUTF8" => {
            let Val::Arr(items) = arg(0)? else {
                return None;
            };
            for item in items.iter() {
                let n = match item.ok()? {
                    Val::Num(n) => n.get(),
                    other => {
                        return Some((
                            unexpected_type(other.value_type().name(), Some("number")),
                            &[],
                        ))
                    }
                };
                let text = crate::gocompat::float::format_g(n);
                if n.fract() != 0.0 {
                    return Some((format!("Expected an integer, but got {text}"), &[]));
                }
                if !(0.0..=255.0).contains(&n) {
                    return Some((
                        format!("Bytes must be integers in range [0, 255], got {text}"),
                        &[],
                    ));
                }
            }
            None
        }
        "codepoint" => match arg(0)? {
            Val::Str(s) => {
                let n = s.to_string().chars().count();
                (n != 1).then(|| {
                    (
                        format!("codepoint takes a string of length 1, got length {n}"),
                        &[][..],
                    )
                })
            }
            _ => None,
        },
        "splitLimitR" => {
            let n = number(2)?;
            (n < -1.0).then(|| {
                (
                    format!(
                        "std.splitLimitR third parameter should be -1 or non-negative, got {n}"
                    ),
                    &[][..],
                )
            })
        }
        _ => None,
    }
}

/// Where go's `std.clamp` compares `x` with `minVal`, then with `maxVal`.
const CLAMP_FRAMES: [StdFrame; 2] = [
    StdFrame::at(896, 8, 18, ANON),
    StdFrame::at(897, 13, 23, ANON),
];

/// go's error comparing `a < b` of two primitive values: numbers, strings and arrays
/// compare with their own type only; other types not at all.
fn comparison_error(a: &Val, b: &Val) -> Option<String> {
    let (ta, tb) = (a.value_type().name(), b.value_type().name());
    match ta {
        "number" | "string" | "array" => (ta != tb).then(|| unexpected_type(tb, Some(ta))),
        _ => Some(unexpected_type(ta, None)),
    }
}

/// The functions go checks here.
pub fn names() -> impl Iterator<Item = &'static str> {
    TABLE
        .iter()
        .map(|(name, _)| *name)
        .chain(VALUE_CHECKED.iter().copied())
}

/// The functions [`value_checks`] knows.
const VALUE_CHECKED: &[&str] = &[
    "sort",
    "decodeUTF8",
    "clamp",
    "join",
    "substr",
    "char",
    "codepoint",
    "splitLimitR",
];

/// go's error for a call of `std.<name>` with `args` that failed, if go's checks
/// reject the arguments. An argument that does not evaluate leaves jrsonnet's error.
fn go_error(name: &str, args: &[Option<Thunk<Val>>]) -> Option<jrsonnet_evaluator::Error> {
    let values = args
        .iter()
        .map(|a| a.as_ref().map(Thunk::evaluate).transpose())
        .collect::<Result<Vec<_>>>()
        .ok()?;
    for c in checks(name) {
        let Some(Some(v)) = values.get(c.param) else {
            continue;
        };
        let got = v.value_type().name();
        if c.accepts.contains(&got) {
            continue;
        }
        let message = match c.message {
            Message::Expected => unexpected_type(got, Some(c.accepts[0])),
            Message::General => unexpected_type(got, None),
            Message::Text(t) => t.replace("{got}", got),
        };
        return Some(go_std_error(message, c.frames));
    }
    let (message, frames) = value_checks(name, &values)?;
    Some(go_std_error(message, frames))
}

/// `std.<name>` behind go's checks: called as it is, its failure replaced by go's
/// error when go's checks reject the arguments.
#[derive(Trace)]
pub struct Checked {
    #[trace(skip)]
    name: &'static str,
    inner: FuncVal,
}

/// `inner` (a builtin) as `std.<name>` with go's checks.
pub fn checked(name: &'static str, inner: FuncVal) -> Checked {
    Checked { name, inner }
}

impl Builtin for Checked {
    fn name(&self) -> &str {
        self.name
    }
    fn params(&self) -> FunctionSignature {
        self.inner.params()
    }
    fn call(&self, loc: CallLocation<'_>, args: &[Option<Thunk<Val>>]) -> Result<Val> {
        let FuncVal::Builtin(inner) = &self.inner else {
            unreachable!("only builtins are checked")
        };
        inner
            .call(loc, args)
            .map_err(|e| go_error(self.name, args).unwrap_or(e))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_type_as_go_does() {
        let num = || Some(Thunk::evaluated(Val::try_num(1.0).unwrap()));
        let e = go_error("length", &[num()]).unwrap();
        assert_eq!(
            e.error().to_string(),
            "runtime error: Unexpected type number"
        );
        let e = go_error("map", &[num(), num()]).unwrap();
        assert!(e
            .error()
            .to_string()
            .ends_with("std.map first param must be function, got number"));
        assert_eq!(e.trace().0.len(), 1, "one <std> frame");
        assert!(go_error("abs", &[num()]).is_none(), "a number is fine");
        // go's insertion sort compares `a[1] < a[0]` first.
        let mixed = Val::arr(vec![Val::try_num(1.0).unwrap(), Val::from("a")]);
        let e = go_error("sort", &[Some(Thunk::evaluated(mixed))]).unwrap();
        assert_eq!(
            e.error().to_string(),
            "runtime error: Unexpected type number, expected string"
        );
    }
}
