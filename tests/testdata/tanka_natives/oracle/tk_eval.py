#!/usr/bin/env python3
"""Remakes ../expected.json from ../inputs.json with a real Tanka `tk`.

    cd tests/testdata/tanka_natives && python3 oracle/tk_eval.py /path/to/tk > expected.json

For every input of each native, `tk eval` runs `std.native(NAME)(ARGS...)` (the call
tests/tanka_natives.rs makes, a `...Errors` group calling the native without the
suffix) in a throwaway Tanka project; its JSON output is the result, and the text
after `RUNTIME ERROR: ` up to the stack trace is the error. Written the way
oracle/natives/main.go writes with Go 1.19 (keys sorted, one-space indent, non-ASCII
kept, other control characters and U+2028/U+2029 as `\\u` escapes), every number
exactly as `tk` printed it.
The `tk` used and how it was built: ../PROVENANCE.
"""

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path


def call(name, args):
    native = name.removesuffix("Errors")
    args = args if isinstance(args, list) else [args]
    return "std.native('%s')(%s)\n" % (native, ", ".join(json.dumps(a, ensure_ascii=False) for a in args))


class Number(str):
    """A number as `tk` printed it (`-0` stays `-0`)."""


def parse(text):
    return json.loads(text, parse_int=Number, parse_float=Number)


ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def string(s):
    def escape(m):
        c = m.group(0)
        return ESCAPES.get(c) or "\\u%04x" % ord(c)

    return '"' + re.sub('["\\\\\x00-\x1f\u2028\u2029]', escape, s) + '"'


def encode(v, depth=0):
    """Go's `json.Encoder` output with `SetIndent("", " ")` and no HTML escaping."""
    pad, inner = "\n" + " " * depth, "\n" + " " * (depth + 1)
    if isinstance(v, Number):
        return str(v)
    if isinstance(v, str):
        return string(v)
    if v is None or isinstance(v, bool):
        return json.dumps(v)
    if isinstance(v, list):
        if not v:
            return "[]"
        return "[" + ",".join(inner + encode(x, depth + 1) for x in v) + pad + "]"
    if not v:
        return "{}"
    items = (inner + string(k) + ": " + encode(x, depth + 1) for k, x in v.items())
    return "{" + ",".join(items) + pad + "}"


def run(tk, project, source):
    main = project / "main.jsonnet"
    main.write_text(source)
    out = subprocess.run([tk, "eval", str(main)], capture_output=True, text=True, cwd=project)
    if out.returncode == 0:
        return {"ok": parse(out.stdout), "isOk": True}
    marker = "RUNTIME ERROR: "
    if marker not in out.stderr:
        sys.exit("tk eval failed without a runtime error:\n" + out.stderr)
    text = out.stderr.split(marker, 1)[1]
    trace = "\n\t" + str(main) + ":"
    return {"error": text.split(trace, 1)[0], "isOk": False}


def main():
    tk = sys.argv[1]
    inputs = json.loads(Path("inputs.json").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "jsonnetfile.json").write_text("{}\n")
        out = {
            name: [run(tk, project, call(name, args)) for args in calls]
            for name, calls in sorted(inputs.items())
        }
    sys.stdout.write(encode(out) + "\n")


if __name__ == "__main__":
    main()
