#!/usr/bin/env python3
"""Regenerate go-jsonnet 0.22's error text for std functions called with arguments of
the wrong type (tests/std_parity.rs `std_argument_errors_match_go_jsonnet`).

For each function below, a valid call is given; every argument in turn is replaced by
a value of each JSON type (and a function), and the call is evaluated with go-jsonnet
(python module `_gojsonnet`, pip package `gojsonnet==0.22.0`) as `gwsonnet -e CODE`
runs it (file name `<cmdline>`). Each call go rejects is one line of `cases.jsonl`:
{"code": ..., "stderr": ...}, the stderr being what go's `jsonnet` CLI prints (the
error text and a newline). Only needed to regenerate; the test reads the file.

    python3 tests/testdata/std_errors/regen.py
"""
import json
import os

import _gojsonnet

HERE = os.path.dirname(os.path.abspath(__file__))

VALUES = ["1", "'s'", "[1]", "{a: 1}", "null", "true", "function(x) x"]

F = "function(x) x"
F2 = "function(a, b) a"
VALID = {
    "length": ["[1]"],
    "abs": ["1"],
    "sign": ["1"],
    "max": ["1", "2"],
    "min": ["1", "2"],
    "map": [F, "[1]"],
    "mapWithIndex": [F2, "[1]"],
    "mapWithKey": [F2, "{a: 1}"],
    "filterMap": [F, F, "[true]"],
    "filter": [F, "[true]"],
    "flatMap": [F, "[[1]]"],
    "foldl": [F2, "[1]", "0"],
    "foldr": [F2, "[1]", "0"],
    "find": ["1", "[1]"],
    "findSubstr": ["'a'", "'abc'"],
    "member": ["[1]", "1"],
    "stripChars": ["' a '", "' '"],
    "lstripChars": ["' a '", "' '"],
    "rstripChars": ["' a '", "' '"],
    "substr": ["'abc'", "1", "1"],
    "split": ["'a,b'", "','"],
    "splitLimit": ["'a,b'", "','", "1"],
    "splitLimitR": ["'a,b'", "','", "1"],
    "sort": ["[2, 1]"],
    "uniq": ["[1, 1]"],
    "flattenArrays": ["[[1]]"],
    "all": ["[true]"],
    "any": ["[true]"],
    "parseHex": ["'ff'"],
    "parseOctal": ["'17'"],
    "deepJoin": ["['a', ['b']]"],
    "repeat": ["'a'", "2"],
    "stringChars": ["'ab'"],
    "startsWith": ["'abc'", "'a'"],
    "endsWith": ["'abc'", "'c'"],
    "count": ["[1, 1]", "1"],
    "objectHas": ["{a: 1}", "'a'"],
    "objectHasAll": ["{a: 1}", "'a'"],
    "objectFields": ["{a: 1}"],
    "objectFieldsAll": ["{a: 1}"],
    "objectValues": ["{a: 1}"],
    "objectValuesAll": ["{a: 1}"],
    "objectKeysValues": ["{a: 1}"],
    "objectKeysValuesAll": ["{a: 1}"],
    "get": ["{a: 1}", "'a'"],
    "setUnion": ["[1]", "[2]"],
    "setInter": ["[1]", "[1]"],
    "setDiff": ["[1]", "[2]"],
    "setMember": ["1", "[1]"],
    "set": ["[2, 1]"],
    "resolvePath": ["'a/b'", "'c'"],
    "contains": ["[1]", "1"],
    "deg2rad": ["1"],
    "rad2deg": ["1"],
    "log2": ["1"],
    "log10": ["1"],
    "char": ["65"],
    "codepoint": ["'A'"],
    "makeArray": ["2", F],
    "range": ["1", "3"],
    "mod": ["7", "2"],
    "clamp": ["5", "1", "9"],
    "join": ["','", "['a', 'b']"],
    "assertEqual": ["1", "1"],
}

# Values, not types: the checks go makes of numbers and strings.
EXTRA = [
    "std.substr('abc', 1.5, 1)", "std.substr('abc', 1, -1)", "std.substr('abc', 1, 1.5)",
    "std.char(-1)", "std.char(1114112)", "std.codepoint('ab')", "std.codepoint('')",
    "std.splitLimitR('a,b', ',', -2)", "std.join(',', ['a', 1])", "std.join([0], [[1], 2])",
    "std.assertEqual({x: 1, y: [1, {}]}, {x: 2})", "std.assertEqual('a\\n', 'b')",
    "std.length(1, 2)", "(function(x) x)(1, 2)", "std.substr('abc', 1)",
    "std.clamp('s', 1, 2)", "std.clamp(5, 1, 's')",
    # Elements computed when used: the error of the one used, in go's frames.
    "std.mapWithIndex(function(i, x) if i == 1 then error 'x' else x, [1, 2, 3])[1]",
    "std.mapWithIndex(function(i, x) x, [1, error 'e'])",
    "std.mapWithKey(function(k, v) if k == 'b' then error 'x' else v, {a: 1, b: 2})",
    "std.mapWithKey(function(k, v) v, {a: error 'e'}).a",
    "std.mapWithIndex(function(i, x, y) x, [1])",
    # The fold of `+`: after a string every element is text, before it arrays only.
    "std.flattenArrays(['s', function(x) x])",
    "std.flattenArrays([[1], 's', {a: error 'x'}])",
    "std.flattenArrays([[1], error 'z'])",
    "std.flattenArrays(['s', [error 'y']])",
    "std.flattenArrays([[1], 's', 2, {}, [], null])[99]",
]


def main():
    cases = []
    for name, valid in VALID.items():
        for i in range(len(valid)):
            for v in VALUES:
                args = list(valid)
                args[i] = v
                cases.append(f"std.{name}({', '.join(args)})")
    cases += EXTRA
    out = []
    for code in cases:
        try:
            _gojsonnet.evaluate_snippet("<cmdline>", code)
        except RuntimeError as e:
            out.append({"code": code, "stderr": str(e) + "\n"})
    with open(os.path.join(HERE, "cases.jsonl"), "w", encoding="utf-8") as f:
        for c in out:
            f.write(json.dumps(c) + "\n")
    print(f"{len(out)} cases written")


if __name__ == "__main__":
    main()
