//! The table of `std` ([`TABLE`]): every field with a one-line description (the
//! language server's hover and completion read it through [`about`]) and go-jsonnet's
//! argument checks of the functions that have them.
//!
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
//! Contact points: [`super::install`] wraps every function checked here ([`checked`]);
//! [`crate::engine::error`] renders the frames; [`crate::engine::std_about`] gives
//! the descriptions.

use jrsonnet_evaluator::{
    error::Result,
    function::{builtin::Builtin, CallLocation, FuncVal, FunctionSignature},
    Thunk, Val,
};
use jrsonnet_gcmodule::Trace;

use crate::engine::error::{go_std_error, unexpected_type, StdFrame};
use crate::manifest::json::go_to_string;

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

/// Every field of `std`, by name: a one-line description that names the parameters
/// as the evaluator does (what the language server shows), and go's checks of the
/// arguments in the order go makes them.
const TABLE: &[(&str, &str, &[Check])] = &[
    ("length", "How many elements an array, characters a string, visible fields an object or parameters a function `x` has.", &[check(0, SIZED, Message::General, &[])]),
    ("decodeUTF8", "The string whose UTF-8 bytes are the numbers in `arr`.", &[expected(0, ARRAY)]),
    (
        "abs",
        "The absolute value of `n`.",
        &[text(
            0,
            NUMBER,
            "std.abs expected number, got {got}",
            &[StdFrame::at(865, 7, 58, ANON)],
        )],
    ),
    (
        "sign",
        "-1, 0 or 1: the sign of `n`.",
        &[text(
            0,
            NUMBER,
            "std.sign expected number, got {got}",
            &[StdFrame::at(871, 7, 59, ANON)],
        )],
    ),
    (
        "max",
        "The larger of the numbers `a` and `b`.",
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
        "The smaller of the numbers `a` and `b`.",
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
        "Each element of `arr` (or character of a string) passed through `func`, as a new array.",
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
        "Like map, with `func` given each element's index before the element of `arr`.",
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
        "An object with the visible fields of `obj`, each value replaced by `func`(name, value).",
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
        "`map_func` applied to the elements of `arr` that `filter_func` accepts.",
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
    ("filter", "The elements of `arr` for which `func` returns true, in order.", &[expected(1, ARRAY), expected(0, FUNCTION)]),
    (
        "flatMap",
        "`func` applied to each element of `arr`; the arrays (or strings) it returns joined into one.",
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
        "Reduces `arr` from the left: starting with `init`, the result so far becomes `func`(result, element).",
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
        "Reduces `arr` from the right: starting with `init`, the result so far becomes `func`(element, result).",
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
        "The indices of the elements of `arr` that equal `value`.",
        &[text(
            1,
            ARRAY,
            "find second parameter should be an array, got {got}",
            &[StdFrame::at(1668, 7, 77, ANON)],
        )],
    ),
    (
        "findSubstr",
        "The indices in `str` where an occurrence of `pat` begins.",
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
        "True when `x` is an element of the array `arr`, or a substring of the string `arr`.",
        &[text(
            0,
            ARRAY_OR_STRING,
            "std.member first argument must be an array or a string",
            &[],
        )],
    ),
    ("stripChars", "`str` without any of the characters in `chars` at either end.", STRIP),
    ("lstripChars", "`str` without any of the characters in `chars` at its start.", STRIP),
    ("rstripChars", "`str` without any of the characters in `chars` at its end.", STRIP),
    (
        "substr",
        "At most `len` characters of `str`, starting at index `from`.",
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
        "The pieces of `str` between occurrences of the separator `c`.",
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
    ("splitLimit", "Like split, cutting `str` at the first `maxsplits` occurrences of `c` only (-1: all).", SPLIT_LIMIT),
    ("splitLimitR", "Like split, cutting `str` at the last `maxsplits` occurrences of `c` only (-1: all).", SPLIT_LIMIT),
    ("sort", "The elements of `arr` in ascending order of `keyF` (by default the elements themselves); equal keys keep their order.", &[expected(0, ARRAY)]),
    (
        "uniq",
        "`arr` with each run of neighbouring elements that have the same `keyF` kept once.",
        &[text(
            0,
            ARRAY_OR_STRING,
            "foldl second parameter should be string or array, got {got}",
            &[StdFrame::at(1487, 5, 26, ANON)],
        )],
    ),
    (
        "flattenArrays",
        "The arrays in `arrs` concatenated (one level deep).",
        &[text(
            0,
            ARRAY_OR_STRING,
            "foldl second parameter should be string or array, got {got}",
            &[StdFrame::at(901, 5, 46, ANON)],
        )],
    ),
    (
        "all",
        "True when every element of the boolean array `arr` is true.",
        &[text(
            0,
            ARRAY,
            "all() parameter should be an array, got {got}",
            &[StdFrame::span((1673, 5), (1685, 11), "")],
        )],
    ),
    (
        "any",
        "True when some element of the boolean array `arr` is true.",
        &[text(
            0,
            ARRAY,
            "any() parameter should be an array, got {got}",
            &[StdFrame::span((1688, 5), (1700, 11), "")],
        )],
    ),
    (
        "parseHex",
        "The integer written in hexadecimal in `str`.",
        &[text(
            0,
            STRING,
            "Expected string, got {got}",
            &[StdFrame::span((111, 5), (113, 23), "")],
        )],
    ),
    (
        "parseOctal",
        "The integer written in octal in `str`.",
        &[text(
            0,
            STRING,
            "Expected string, got {got}",
            &[StdFrame::span((106, 5), (108, 22), "")],
        )],
    ),
    (
        "deepJoin",
        "All strings in the nested arrays of `arr` joined, depth first.",
        &[text(
            0,
            &["string", "array"],
            "Expected string or array, got {got}",
            &[StdFrame::at(347, 7, 63, ANON)],
        )],
    ),
    (
        "repeat",
        "The string or array `what` concatenated `count` times.",
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
        "The characters of `str`, each as a one-character string.",
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
        "True when `a` begins with `b`.",
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
        "True when `a` ends with `b`.",
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
        "How many elements of `arr` equal `x`.",
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
        "True when `o` has a visible field named `f`.",
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
        "The names of the visible fields of `o`, sorted.",
        &[check(
            0,
            OBJECT,
            Message::Expected,
            &[StdFrame::at(1570, 5, 33, ANON)],
        )],
    ),
    (
        "get",
        "The field `f` of `o`, else `default`; hidden fields count unless `inc_hidden` is false.",
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
        "True when `o` has a field named `f`, visible or hidden.",
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
        "The names of all fields of `o`, hidden ones included, sorted.",
        &[check(
            0,
            OBJECT,
            Message::Expected,
            &[StdFrame::at(1573, 5, 32, ANON)],
        )],
    ),
    (
        "objectValues",
        "The values of the visible fields of `o`, in the order of their names.",
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
        "The values of all fields of `o`, hidden ones included, in the order of their names.",
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
        "The visible fields of `o` as {key, value} objects, in the order of their names.",
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
        "All fields of `o`, hidden ones included, as {key, value} objects.",
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
        "The elements found in either sorted set `a` or `b` (compared by `keyF`), as a set.",
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
        "The elements found in both sorted sets `a` and `b` (compared by `keyF`).",
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
        "The elements of the sorted set `a` that are not in `b` (compared by `keyF`).",
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
        "True when `x` is in the sorted set `arr` (compared by `keyF`).",
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
        "The sorted array of the distinct elements of `arr`, compared by `keyF`.",
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
        "The path `r` taken relative to the folder of the file path `f`.",
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
    ("contains", "True when the array `arr` has an element equal to `elem`.", &[expected(0, ARRAY)]),
    (
        "deg2rad",
        "The angle `x` converted from degrees to radians.",
        &[check(
            0,
            NUMBER,
            Message::Expected,
            &[StdFrame::at(268, 16, 26, ANON)],
        )],
    ),
    (
        "rad2deg",
        "The angle `x` converted from radians to degrees.",
        &[check(
            0,
            NUMBER,
            Message::Expected,
            &[StdFrame::at(269, 16, 23, ANON)],
        )],
    ),
    (
        "log2",
        "The base-2 logarithm of `x`.",
        &[check(
            0,
            NUMBER,
            Message::Expected,
            &[StdFrame::at(271, 13, 23, ANON)],
        )],
    ),
    (
        "log10",
        "The base-10 logarithm of `x`.",
        &[check(
            0,
            NUMBER,
            Message::Expected,
            &[StdFrame::at(272, 14, 24, ANON)],
        )],
    ),
    ("char", "The one-character string of the Unicode code point `n`.", &[expected(0, NUMBER)]),
    ("codepoint", "The Unicode code point of the one-character string `str`.", &[expected(0, STRING)]),
    ("makeArray", "An array of `sz` elements whose element i is `func`(i).", &[expected(0, NUMBER), expected(1, FUNCTION)]),
    ("range", "The integers from `from` to `to`, both ends included.", &[expected(0, NUMBER), expected(1, NUMBER)]),
    // The functions go-jsonnet checks nothing of here.
    ("acos", "The angle in radians whose cosine is `x`.", &[]),
    ("asciiLower", "`str` with the ASCII letters A-Z made small.", &[]),
    ("asciiUpper", "`str` with the ASCII letters a-z made capital.", &[]),
    ("asin", "The angle in radians whose sine is `x`.", &[]),
    ("assertEqual", "True when `a` equals `b`; otherwise fails with both values in the message.", &[]),
    ("atan", "The angle in radians whose tangent is `x`.", &[]),
    ("atan2", "The angle in radians between the positive x axis and the point (`x`, `y`).", &[]),
    ("avg", "The mean of the numbers in `arr`; for an empty array `onEmpty` when given, else an error.", &[]),
    ("base64", "`input` (a string or an array of bytes) in base64.", &[]),
    ("base64Decode", "The string encoded in base64 by `str`.", &[]),
    ("base64DecodeBytes", "The bytes, as an array of numbers, encoded in base64 by `str`.", &[]),
    ("ceil", "The smallest integer not below `x`.", &[]),
    ("clamp", "`x` moved into the range from `minVal` to `maxVal`.", &[]),
    ("cos", "The cosine of the angle `x`, in radians.", &[]),
    ("encodeUTF8", "The UTF-8 bytes of `str`, as an array of numbers.", &[]),
    ("equals", "Deep equality of `a` and `b`, as the == operator compares.", &[]),
    ("equalsIgnoreCase", "True when `str1` and `str2` are equal once ASCII letters are made small.", &[]),
    ("escapeStringBash", "`str_` single-quoted for a POSIX shell.", &[]),
    ("escapeStringDollars", "`str_` with every dollar sign doubled.", &[]),
    ("escapeStringJson", "`str_` as a double-quoted JSON string literal.", &[]),
    ("escapeStringPython", "`str` as a Python string literal.", &[]),
    ("escapeStringXML", "`str_` with the characters XML reserves written as entities.", &[]),
    ("exp", "e to the power `x`.", &[]),
    ("exponent", "The power of two e of `x` = m × 2^e, with 0.5 ≤ |m| < 1 (0 for 0).", &[]),
    ("extVar", "The external variable `x`, set with -V/--ext-str or --ext-code.", &[]),
    ("flattenDeepArray", "Every value inside the nested arrays `value`, in order, as one flat array.", &[]),
    ("floor", "The largest integer not above `x`.", &[]),
    ("format", "`str` with its % directives filled from `vals` (an array, an object for %(name) directives, or a single value).", &[]),
    ("hypot", "The distance of the point (`a`, `b`) from the origin.", &[]),
    ("id", "Gives back `x` as it is.", &[]),
    ("isArray", "True when `v` is an array.", &[]),
    ("isBoolean", "True when `v` is true or false.", &[]),
    ("isDecimal", "True when the number `x` has a fractional part.", &[]),
    ("isEmpty", "True when the string `str` has no characters.", &[]),
    ("isEven", "True when the integer part of `x` is even.", &[]),
    ("isFunction", "True when `v` is a function.", &[]),
    ("isInteger", "True when the number `x` has no fractional part.", &[]),
    ("isNull", "True when `v` is null.", &[]),
    ("isNumber", "True when `v` is a number.", &[]),
    ("isObject", "True when `v` is an object.", &[]),
    ("isOdd", "True when the integer part of `x` is odd.", &[]),
    ("isString", "True when `v` is a string.", &[]),
    ("join", "The strings (or arrays) in `arr` joined with `sep` between them; null elements are skipped.", &[]),
    ("lines", "The strings of `arr` joined, each ending with a newline.", &[]),
    ("log", "The natural logarithm of `x`.", &[]),
    ("manifestIni", "`ini` ({main, sections}) as INI text.", &[]),
    ("manifestJson", "`value` as JSON text, indented by four spaces.", &[]),
    ("manifestJsonEx", "`value` as JSON text indented by `indent`, with `newline` between lines and `key_val_sep` after each key.", &[]),
    ("manifestJsonMinified", "`value` as JSON text with no white space.", &[]),
    ("manifestPython", "`v` as a Python literal.", &[]),
    ("manifestPythonVars", "The fields of the object `conf` as Python assignments, one a line.", &[]),
    ("manifestToml", "The object `value` as TOML, tables indented by two spaces.", &[]),
    ("manifestTomlEx", "The object `value` as TOML, tables indented by `indent`.", &[]),
    ("manifestXmlJsonml", "The JsonML array `value` as XML.", &[]),
    ("manifestYamlDoc", "`value` as a YAML document; `indent_array_in_object` indents arrays under keys, `quote_keys` quotes every key.", &[]),
    ("manifestYamlStream", "The array `value` as a stream of YAML documents; `c_document_end` ends it with '...'.", &[]),
    ("mantissa", "The fraction m of `x` = m × 2^e, with 0.5 ≤ |m| < 1 (0 for 0).", &[]),
    ("maxArray", "The element of `arr` with the largest `keyF`; `onEmpty` (when given) for an empty array.", &[]),
    ("md5", "The MD5 digest of `s`, as hexadecimal text.", &[]),
    ("mergePatch", "`target` with the JSON merge patch `patch` applied (RFC 7386).", &[]),
    ("minArray", "The element of `arr` with the smallest `keyF`; `onEmpty` (when given) for an empty array.", &[]),
    ("mod", "What the % operator does: a remainder for numbers `a` and `b`, string formatting when `a` is a string.", &[]),
    ("modulo", "The remainder of dividing `x` by `y`; it has the sign of `x`.", &[]),
    ("native", "The native function registered under the name `x` (Tanka's helpers and the libraries' hooks).", &[]),
    ("objectFieldsEx", "The names of the fields of `obj`, sorted; hidden ones too when `hidden` is true.", &[]),
    ("objectHasEx", "True when `obj` has a field named `fname`; hidden fields count when `hidden` is true.", &[]),
    ("objectRemoveKey", "A copy of `obj` without the field `key`.", &[]),
    ("parseInt", "The integer written in decimal in `str`, with an optional sign.", &[]),
    ("parseJson", "The value of the JSON text `str`.", &[]),
    ("parseYaml", "The value of the YAML text `str`; several documents give an array.", &[]),
    ("pi", "The number π.", &[]),
    ("pow", "`x` to the power `n`.", &[]),
    ("primitiveEquals", "Equality of two values that are not arrays or objects: `x` and `y`.", &[]),
    ("prune", "`a` with null fields and elements, empty arrays and empty objects removed, at every depth.", &[]),
    ("remove", "A copy of `arr` without its first element equal to `elem`.", &[]),
    ("removeAt", "A copy of `arr` without the element at index `at`.", &[]),
    ("reverse", "The elements of `arr` in reverse order.", &[]),
    ("round", "`x` rounded to the nearest integer, halves away from zero.", &[]),
    ("sha1", "The SHA-1 digest of `str`, as hexadecimal text.", &[]),
    ("sha256", "The SHA-256 digest of `str`, as hexadecimal text.", &[]),
    ("sha3", "The SHA3-512 digest of `str`, as hexadecimal text.", &[]),
    ("sha512", "The SHA-512 digest of `str`, as hexadecimal text.", &[]),
    ("sin", "The sine of the angle `x`, in radians.", &[]),
    ("slice", "Part of `indexable` (an array or string): from `index` to before `end`, taking every `step`-th element; like indexable[index:end:step].", &[]),
    ("sqrt", "The square root of `x`.", &[]),
    ("strReplace", "`str` with every occurrence of `from` replaced by `to`.", &[]),
    ("sum", "The sum of the numbers in `arr`.", &[]),
    ("tan", "The tangent of the angle `x`, in radians.", &[]),
    ("thisFile", "The path of the file being evaluated, as the evaluator was given it.", &[]),
    ("toString", "`a` as text: a string stays as it is, anything else becomes its JSON.", &[]),
    ("trace", "Writes `str` with the caller's file and line to stderr, then gives back `rest`.", &[]),
    ("trim", "`str` without white space at either end.", &[]),
    ("type", "The name of the type of `x`: \"null\", \"boolean\", \"number\", \"string\", \"array\", \"object\" or \"function\".", &[]),
    ("xnor", "True when the booleans `x` and `y` are both true or both false.", &[]),
    ("xor", "True when exactly one of the booleans `x` and `y` is true.", &[]),
];

/// go's checks of `std.<name>` ([`TABLE`]).
fn checks(name: &str) -> &'static [Check] {
    TABLE
        .iter()
        .find(|(n, ..)| *n == name)
        .map_or(&[], |(.., checks)| checks)
}

/// The one-line description of `std.<name>` ([`TABLE`]).
pub fn about(name: &str) -> Option<&'static str> {
    TABLE
        .iter()
        .find(|(n, ..)| *n == name)
        .map(|(_, about, _)| *about)
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
        // A callback called with two arguments that takes fewer: go names the count.
        "foldl" | "foldr" => {
            let (Val::Func(f), Val::Arr(items)) = (arg(0)?, arg(1)?) else {
                return None;
            };
            (!items.is_empty() && f.params_len() < 2).then(|| {
                (
                    format!(
                        "function expected {} positional argument(s), but got 2",
                        f.params_len()
                    ),
                    &[][..],
                )
            })
        }
        // go's recursion checks each element in order, descending into arrays; each
        // level adds the frames of its comprehension and its `std.join` call.
        "deepJoin" => {
            let Val::Arr(items) = arg(0)? else {
                return None;
            };
            let (ty, depth) = deep_join_failure(items, 1)?;
            let frames = DEEP_JOIN_FRAMES.get(..1 + 2 * depth)?;
            Some((format!("Expected string or array, got {ty}"), frames))
        }
        // go compares the two values, then manifests the one that differs first: a
        // function is no JSON.
        "assertEqual" => match (arg(0)?, arg(1)?) {
            (Val::Func(_), Val::Func(_)) => Some((
                "Cannot test equality of functions".into(),
                &ASSERT_EQUAL_FRAMES[..1],
            )),
            (Val::Func(_), _) => Some((
                "couldn't manifest function as JSON".into(),
                &ASSERT_EQUAL_FRAMES[1..2],
            )),
            (_, Val::Func(_)) => Some((
                "couldn't manifest function as JSON".into(),
                &ASSERT_EQUAL_FRAMES[2..],
            )),
            _ => None,
        },
        // Each element, up to the first that decides (`false` for `all`, `true` for
        // `any`), must be a boolean; go's message shows it as `%s` does.
        "all" | "any" => {
            let Val::Arr(items) = arg(0)? else {
                return None;
            };
            let decides = name == "any";
            for (i, item) in items.iter().enumerate() {
                let shown = match item.ok()? {
                    Val::Bool(b) if b == decides => return None,
                    Val::Bool(_) => continue,
                    Val::Str(s) => (s.to_string(), "string"),
                    other => (go_to_string(&other).ok()?, other.value_type().name()),
                };
                let frames: &'static [StdFrame] = match (decides, i) {
                    (false, 0) => &ALL_FIRST,
                    (false, _) => &ALL_LATER,
                    (true, 0) => &ANY_FIRST,
                    (true, _) => &ANY_LATER,
                };
                let (text, ty) = shown;
                let message = format!("element \"{text}\" of type {ty} is not a boolean");
                return Some((message, frames));
            }
            None
        }
        // go's `parse_nat` folds the characters into digits: the first that is no
        // digit of the base fails, naming the whole string.
        "parseHex" | "parseOctal" => {
            let Val::Str(text) = arg(0)? else {
                return None;
            };
            let text = text.to_string();
            let hex = name == "parseHex";
            // An empty string fails go's own assertion first.
            if text.is_empty() {
                return Some(if hex {
                    ("Not hexadecimal: \"\"".into(), &PARSE_HEX_EMPTY)
                } else {
                    ("Not an octal number: \"\"".into(), &PARSE_OCTAL_EMPTY)
                });
            }
            let (base, frames): (i64, &'static [StdFrame]) = if hex {
                (16, &PARSE_HEX_FRAMES)
            } else {
                (8, &PARSE_OCTAL_FRAMES)
            };
            let digit = |c: char| {
                let code = i64::from(u32::from(c));
                if code >= i64::from(b'a') {
                    code - i64::from(b'a') + 10
                } else if code >= i64::from(b'A') {
                    code - i64::from(b'A') + 10
                } else {
                    code - i64::from(b'0')
                }
            };
            text.chars()
                .any(|c| !(0..base).contains(&digit(c)))
                .then(|| (format!("{text} is not a base {base} integer"), frames))
        }
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

/// go's `std.all` asserting its first element and calling its `aux`.
const ALL_FIRST: [StdFrame; 2] = [
    StdFrame::span((1680, 9), (1684, 23), ""),
    StdFrame::at(1685, 5, 11, ANON),
];

/// go's `std.all` asserting a later element: one frame of its `aux` recursion more.
const ALL_LATER: [StdFrame; 3] = [
    StdFrame::span((1680, 9), (1684, 23), ""),
    StdFrame::at(1684, 11, 23, AUX),
    StdFrame::at(1685, 5, 11, ANON),
];

/// go's `std.any` asserting its first element: see [`ALL_FIRST`].
const ANY_FIRST: [StdFrame; 2] = [
    StdFrame::span((1695, 9), (1699, 23), ""),
    StdFrame::at(1700, 5, 11, ANON),
];

/// go's `std.any` asserting a later element: see [`ALL_LATER`].
const ANY_LATER: [StdFrame; 3] = [
    StdFrame::span((1695, 9), (1699, 23), ""),
    StdFrame::at(1699, 11, 23, AUX),
    StdFrame::at(1700, 5, 11, ANON),
];

/// go's `parse_nat` asserting a digit, its `std.foldl`, and `std.parseHex`'s call.
const PARSE_HEX_FRAMES: [StdFrame; 3] = [
    StdFrame::span((93, 7), (94, 31), ""),
    StdFrame::at(95, 5, 49, ANON),
    StdFrame::at(113, 5, 23, ANON),
];

/// The type of the first element of `items` (at `depth`, counting nested arrays)
/// that is neither a string nor an array, as go's `std.deepJoin` meets it, and its
/// depth.
fn deep_join_failure(
    items: &jrsonnet_evaluator::val::ArrValue,
    depth: usize,
) -> Option<(&'static str, usize)> {
    for item in items.iter() {
        match item.ok()? {
            Val::Str(_) => {}
            Val::Arr(inner) => {
                if let Some(found) = deep_join_failure(&inner, depth + 1) {
                    return Some(found);
                }
            }
            other => return Some((other.value_type().name(), depth)),
        }
    }
    None
}

/// go's `std.deepJoin` rejecting an element, then per level of nesting the thunk of
/// its comprehension and its `std.join` call (deeper levels keep jrsonnet's error).
const DEEP_JOIN_FRAMES: [StdFrame; 9] = [
    StdFrame::at(347, 7, 63, ANON),
    StdFrame::at(345, 21, 36, DEEP_JOIN_THUNK),
    StdFrame::at(345, 7, 51, ANON),
    StdFrame::at(345, 21, 36, DEEP_JOIN_THUNK),
    StdFrame::at(345, 7, 51, ANON),
    StdFrame::at(345, 21, 36, DEEP_JOIN_THUNK),
    StdFrame::at(345, 7, 51, ANON),
    StdFrame::at(345, 21, 36, DEEP_JOIN_THUNK),
    StdFrame::at(345, 7, 51, ANON),
];

/// The context of `std.deepJoin`'s comprehension element.
const DEEP_JOIN_THUNK: &str = "thunk from <thunk from <function <anonymous>>>";

/// go's `std.assertEqual`: comparing `a == b`, manifesting `a`, manifesting `b`.
const ASSERT_EQUAL_FRAMES: [StdFrame; 3] = [
    StdFrame::at(858, 8, 14, ANON),
    StdFrame::at(861, 13, 40, ANON),
    StdFrame::at(861, 13, 56, ANON),
];

/// `std.parseHex` asserting its string is not empty.
const PARSE_HEX_EMPTY: [StdFrame; 1] = [StdFrame::span((112, 5), (113, 23), "")];

/// `std.parseOctal` asserting its string is not empty.
const PARSE_OCTAL_EMPTY: [StdFrame; 1] = [StdFrame::span((107, 5), (108, 22), "")];

/// As [`PARSE_HEX_FRAMES`], called by `std.parseOctal`.
const PARSE_OCTAL_FRAMES: [StdFrame; 3] = [
    StdFrame::span((93, 7), (94, 31), ""),
    StdFrame::at(95, 5, 49, ANON),
    StdFrame::at(108, 5, 22, ANON),
];

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
        .filter(|(.., checks)| !checks.is_empty())
        .map(|(name, ..)| *name)
        .chain(VALUE_CHECKED.iter().copied())
}

/// The functions [`value_checks`] knows.
const VALUE_CHECKED: &[&str] = &[
    "sort",
    "foldl",
    "foldr",
    "deepJoin",
    "assertEqual",
    "all",
    "any",
    "parseHex",
    "parseOctal",
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

    /// Every field of the evaluator's `std` is described, every description is of a
    /// field it has, and the names a description quotes (`` `name` ``) are
    /// parameters of that function as the evaluator names them.
    #[test]
    fn every_std_field_is_described_in_its_parameter_names() {
        use crate::engine::{Engine, EngineSettings, Input};
        use jrsonnet_evaluator::IStr;
        let engine = Engine::new(&EngineSettings::default());
        let Val::Obj(std) = engine.evaluate(&Input::Code("std".to_owned())).unwrap() else {
            panic!("std is an object");
        };
        let fields: Vec<String> = engine
            .inspect(|| Ok(std.fields_ex(true)))
            .unwrap()
            .into_iter()
            .map(|f| f.to_string())
            .filter(|f| !f.starts_with("__"))
            .collect();
        assert!(fields.len() > 150, "{fields:?}");
        let undescribed: Vec<&String> = fields.iter().filter(|f| about(f).is_none()).collect();
        assert!(undescribed.is_empty(), "no description: {undescribed:?}");
        let mut wrong = Vec::new();
        for (name, text, _) in TABLE {
            assert!(
                fields.iter().any(|f| f == name),
                "std.{name} is described but std has no such field"
            );
            assert!(
                !text.contains('\n') && text.ends_with('.'),
                "std.{name}: one line, a sentence: {text:?}"
            );
            let value = engine
                .inspect(|| std.get(IStr::from(*name)))
                .unwrap()
                .unwrap();
            let params: Vec<String> = match &value {
                Val::Func(f) => f
                    .params()
                    .iter()
                    .filter_map(|p| p.name().as_str().map(|s| s.to_string()))
                    .collect(),
                _ => Vec::new(),
            };
            let quoted = text.split('`').skip(1).step_by(2);
            for q in quoted.filter(|q| q.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')) {
                if !params.iter().any(|p| p == q) {
                    wrong.push(format!("std.{name}: `{q}` is not one of {params:?}"));
                }
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

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
