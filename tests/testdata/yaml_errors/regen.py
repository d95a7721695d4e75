#!/usr/bin/env python3
"""Regenerate go-jsonnet 0.22's `std.parseYaml` results for the YAML texts below
(read by the unit tests of src/engine/overrides/yaml_parse.rs).

Each text is parsed by go-jsonnet (python module `_gojsonnet`, pip package
`gojsonnet==0.22.0`) as `std.parseYaml(importstr 'doc.yaml')`; each is one line of
`cases.jsonl`: {"yaml": TEXT, "error": MESSAGE} with the runtime error's message
after `failed to parse YAML: `, or {"yaml": TEXT, "json": VALUE} when go reads it.
Only needed to regenerate; the test reads the file.

    python3 tests/testdata/yaml_errors/regen.py
"""
import json
import os
import re
import tempfile

import _gojsonnet

HERE = os.path.dirname(os.path.abspath(__file__))

TEXTS = [
    # !!binary: base64 decoded into a string (invalid UTF-8 bytes become U+FFFD).
    "a: !!binary aGVsbG8=",
    "a: !!binary |\n  aGVs\n  bG8=\n",
    "!!binary aGk=",
    "a: !!binary /w==",
    "- !!binary aGk=\n- !!binary ''\n",
    "a: !!binary aGVsbG8",
    "a: !!binary 1",
    "a: !<tag:yaml.org,2002:binary> aGk=",
    "? !!binary aGk=\n: 1\n",
    # Explicit tags of the types yaml.v2 resolves: the text must be of that type
    # (an integer does for !!float); !!timestamp keeps the text; others are strings.
    "a: !!timestamp 2001-12-14",
    "a: !!timestamp 2001-12-14t21:59:43.10-05:00",
    "a: !!timestamp '2001-12-14 21:59:43.10'",
    "- !!timestamp 2001-1-2\n- !!timestamp 2001-12-14T21:59:43+24:00\n",
    "!!timestamp 2001-12-14: 1",
    "a: !!timestamp foo",
    "a: !!timestamp 2001-12-14 21:59:43.10 -5",
    "a: !!timestamp 2001-02-30",
    "a: !!timestamp 12",
    "a: !!timestamp",
    "a: !!timestamp 2001-12-14\n  b",
    "a: !<tag:yaml.org,2002:timestamp> x",
    "a: !!int foo",
    "a: !!int '12'",
    "a: !!int 1.5",
    "a: !!int 2001-12-14",
    "a: !!int yes",
    "a: !!int <<",
    "a: !!float 1",
    "a: !!float '1e3'",
    "a: !!float 18446744073709551615",
    "a: !!bool yes",
    "a: !!bool 1",
    "a: !!null x",
    "a: !!null ~",
    "? !!int x\n: 1\n",
    "a: !!str 12",
    "a: !!seq x",
    "a: !foo 12",
    # U+0085 (NEL) ends a line for libyaml (YAML 1.1), in structure, comments and
    # scalars, and is stored as "\n"; U+2028/U+2029 end lines too but stay themselves
    # in scalars (those are listed in known_differences.txt).
    "a: x\u0085b: y",
    "a:\u0085  b: 1",
    "k: v\u0085",
    "#c\u0085a: 1",
    "- a\u0085- b",
    "a: x\u0085 y",
    "a: \"x\u0085  y\"",
    "a: >\n  x\u0085\n  y\n",
    "a: 1\u0085---\u0085b: 2",
    "a: |\n  x\u0085y\n",
    "a: \"x\u2028y\"",
    "a: 1\u2028b: 2",
    "- a\u2029- b",
    "a: x\u2028 y",
    # Syntax errors: yaml.v2's wording and line numbers.
    "a: [1, 2",
    "a: [1, 2\nb: 3\n",
    "{a: 1",
    "a: b: c",
    "x: 1\na: b: c",
    "a:\n- b\n c: d",
    'a: "x',
    "a: 'x",
    "a: 1\n\tb: 2",
    "- a\nb: 1",
    "a: 1\n- b",
    "a: @x",
    "a: `x",
    "x: 1\n%x",
    "a: [1, 2]]",
    "a: {b: 1}}",
    "key: value\n  bad: indent",
    "- a\n - b",
    "a:\n  - b\n  c: d",
    "a: |\n  x\n y: 1",
    "a: &\n",
    "a: *\n",
    "a: !<x\n",
    "%YAML 1.1\n%YAML 1.1\n---\na: 1",
    "%TAG ! a\n%TAG ! b\n---\na: 1",
    "a: !x!y z",
    "\"a\nb",
    "[a, b",
    "[a, b\n",
    "a: \"\\q\"",
    "- [a\n- b",
    "? a\n? b\n: c\n: d",
    "a:\n  b: 1\n c: 2",
    "--- a\n--- b\n... c",
]


def main():
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "doc.yaml")
        for text in TEXTS:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            main_file = os.path.join(tmp, "main.jsonnet")
            with open(main_file, "w", encoding="utf-8") as f:
                f.write("std.parseYaml(importstr 'doc.yaml')\n")
            try:
                out = _gojsonnet.evaluate_file(main_file)
                lines.append({"yaml": text, "json": json.loads(out)})
            except RuntimeError as e:
                first = str(e).split("\n")[0]
                m = re.match(r"RUNTIME ERROR: failed to parse YAML: (.*)$", first)
                if not m:
                    raise SystemExit(f"{text!r}: unexpected error {e}")
                # A message may span lines (yaml.v2's unmarshal errors): keep up to the trace.
                full = str(e).split("\n\t")[0]
                message = full[len("RUNTIME ERROR: failed to parse YAML: "):]
                lines.append({"yaml": text, "error": message})
    with open(os.path.join(HERE, "cases.jsonl"), "w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(f"{len(lines)} cases")


if __name__ == "__main__":
    main()
