#!/usr/bin/env python3
"""Regenerate the go-jsonnet 0.22 error texts of the conformance error tests.

For every error test of ../shared/conformance (C++ jsonnet `test_suite/error.*.jsonnet`,
and each go-jsonnet `testdata/X.jsonnet` whose `X.golden` is error text), evaluates the
file with go-jsonnet (python module `_gojsonnet`, pip package `gojsonnet==0.22.0`) the
way `tests/error_text.rs` runs gwsonnet: same working directory, same file argument,
same ext vars. go's `jsonnet` CLI prints the formatter's text followed by a newline
(`fmt.Fprintln(os.Stderr, err.Error())` in cmd/jsonnet), so each golden is the
RuntimeError's text plus "\\n": `SUITE/FILE.stderr` under this folder. Where that
text is byte-identical to the upstream `testdata/X.golden` (go's static errors), no copy
is kept: the name goes into `go-jsonnet/same_as_upstream.txt` and the test reads the
upstream golden from ../shared.

Tests listed in tests/conformance_skip.txt (harness-only natives) are left out. Only
needed to regenerate; the test reads the committed goldens.

    python3 tests/testdata/error_text/regen.py ../shared/conformance
"""
import os
import sys
import tempfile

import _gojsonnet

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))

# The ext vars of tests/conformance.rs: C++ run_tests.sh, and go's main_test.go.
CPP_EXT = {"var1": "test"}
CPP_CODE = {"var2": "{x:1,y:2}"}
GO_WITH_META = {
    "extvar_code", "extvar_error", "extvar_hermetic", "extvar_mutually_recursive",
    "extvar_self_recursive", "extvar_static_error", "extvar_string",
}
GO_EXT = {"stringVar": "2 + 2"}
GO_CODE = {
    "codeVar": "3 + 3",
    "errorVar": "error 'xxx'",
    "staticErrorVar": ")",
    "UndeclaredX": "x",
    "selfRecursiveVar": '[42, std.extVar("selfRecursiveVar")[0] + 1]',
    "mutuallyRecursiveVar1": '[42, std.extVar("mutuallyRecursiveVar2")[0] + 1]',
    "mutuallyRecursiveVar2": '[42, std.extVar("mutuallyRecursiveVar1")[0] + 1]',
}


def skips():
    out = set()
    with open(os.path.join(REPO, "tests/conformance_skip.txt"), encoding="utf-8") as f:
        for line in f:
            entry = line.split("#", 1)[0].strip()
            if entry:
                out.add(entry)
    return out


def is_value_golden(data):
    """Mirrors `is_value_golden` of tests/conformance.rs."""
    first = data.split(b"\n", 1)[0]
    return data[:1] in (b"[", b"{", b'"', b"-") or data[:1].isdigit() or first in (
        b"true", b"false", b"null")


def go_stderr(cwd, target, ext, code):
    """What go's CLI prints on stderr, or None when the program evaluates."""
    os.chdir(cwd)
    try:
        _gojsonnet.evaluate_file(target, ext_vars=ext, ext_codes=code)
    except RuntimeError as e:
        return str(e) + "\n"
    return None


def write(suite, name, text):
    path = os.path.join(HERE, suite, name + ".stderr")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main(argv):
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    conf = os.path.abspath(argv[0])
    skip = skips()
    count = 0
    same = []
    cpp = os.path.join(conf, "jsonnet/test_suite")
    for name in sorted(os.listdir(cpp)):
        if not (name.startswith("error.") and name.endswith(".jsonnet")):
            continue
        if "jsonnet/" + name in skip:
            continue
        text = go_stderr(cpp, name, CPP_EXT, CPP_CODE)
        if text is None:
            print(f"jsonnet/{name}: go-jsonnet evaluates it, no golden", file=sys.stderr)
            continue
        write("jsonnet", name, text)
        count += 1
    go = os.path.join(conf, "go-jsonnet/testdata")
    entries = set(os.listdir(go))
    with tempfile.TemporaryDirectory() as farm:
        # The layout tests/conformance.rs builds: testdata/ mirrors the upstream folder
        # with symlinks, plus an extension-less alias per test (go names them so).
        td = os.path.join(farm, "testdata")
        os.mkdir(td)
        for e in entries:
            os.symlink(os.path.join(go, e), os.path.join(td, e))
        for name in sorted(entries):
            if not name.endswith(".jsonnet"):
                continue
            stem = name[: -len(".jsonnet")]
            golden = os.path.join(go, stem + ".golden")
            if "go-jsonnet/" + name in skip or not os.path.isfile(golden):
                continue
            with open(golden, "rb") as f:
                if is_value_golden(f.read()):
                    continue
            target = "testdata/" + name
            if stem not in entries:
                os.symlink(os.path.join(go, name), os.path.join(td, stem))
                target = "testdata/" + stem
            meta = stem in GO_WITH_META
            text = go_stderr(farm, target, GO_EXT if meta else {}, GO_CODE if meta else {})
            if text is None:
                print(f"go-jsonnet/{name}: go-jsonnet evaluates it, no golden", file=sys.stderr)
                continue
            with open(golden, "rb") as f:
                upstream = f.read()
            if upstream == text.encode("utf-8"):
                same.append(name)
            else:
                write("go-jsonnet", name, text)
            count += 1
        with open(os.path.join(HERE, "go-jsonnet", "same_as_upstream.txt"), "w") as f:
            f.write("# go-jsonnet error tests whose go-jsonnet 0.22 stderr is byte-identical to the\n")
            f.write("# upstream testdata/NAME.golden in ../shared (read from there by tests/error_text.rs).\n")
            f.writelines(n + "\n" for n in same)
    print(f"{count} goldens written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
