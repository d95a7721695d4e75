#!/usr/bin/env python3
"""Writes ../golden.json: what a real `tk env list` prints for each command line of CASES.

    make_goldens.py TK

TK is a `tk` binary (build_tk.sh makes one). Every case runs in ../testdata; `{testdata}`
in an argument stands for that directory's absolute path (the test substitutes its own).
The golden keeps the arguments, the exit code and stdout; stderr is left out, since
gwsonnet words its errors its own way (docs/compatibility.md).
"""
import json
import os
import subprocess
import sys

TLAS = ["--tla-str", "foo=data", "--tla-str", "bar=1", "--tla-str", "baz=2"]
CASES = [
    # every environment shape of Tanka's testdata, as JSON
    ["--json", "cases/array"],
    ["--json", "cases/object"],
    ["--json", "cases/function-with-zero-params"],
    ["--json", "cases/inline-name-conflict"],
    ["--json", "cases/multiple-inline-envs"],
    ["--json", "cases/static-and-inline"],
    ["--json", "cases/with-optional-tlas"],
    ["--json", "cases/withenv"],
    ["--json", "cases/withspecjson"],
    ["--json", "cases/withtlas"] + TLAS,
    ["--json", "cases/withtlas", "-A", "foo=data", "--tla-code", "bar=1", "--tla-code", "baz=2"],
    ["--json", "test-export-envs"],
    ["--json", "test-export-envs-broken"],
    # label selectors
    ["--json", "test-export-envs", "-l", "type=inline"],
    ["--json", "test-export-envs", "-l", "type!=inline"],
    ["--json", "test-export-envs", "-l", "type=inline,type!=static"],
    ["--json", "test-export-envs", "-l", "!type"],
    ["test-export-envs", "-l", "type"],
    ["test-export-envs", "-l", "!type"],
    ["test-export-envs", "-l", "type in (inline,static)"],
    ["test-export-envs", "-l", "type notin (inline)"],
    # the table and --names, path spellings
    ["test-export-envs"],
    ["./test-export-envs/"],
    ["test-export-envs/static-env"],
    ["cases/withenv"],
    ["cases/withenv/main.jsonnet"],
    ["cases/withspecjson/"],
    ["cases/with-optional-tlas"],
    ["--names", "test-export-envs"],
    ["--names", "test-export-envs", "-l", "type=inline"],
    ["--json", "--names", "test-export-envs"],
    ["--names", "{testdata}/test-export-envs"],
    ["--json", "{testdata}/cases/withenv"],
    # failures: an environment that needs TLAs, TLAs a function does not take, no path
    ["cases/withtlas"],
    ["--names", "."],
    ["--json", "cases"] + TLAS,
    ["nonexistent"],
]


def main():
    tk = os.path.abspath(sys.argv[1])
    here = os.path.dirname(os.path.abspath(__file__))
    testdata = os.path.join(os.path.dirname(here), "testdata")
    golden = []
    for args in CASES:
        argv = [a.replace("{testdata}", testdata) for a in args]
        run = subprocess.run([tk, "env", "list"] + argv, cwd=testdata,
                             capture_output=True, text=True, check=False)
        golden.append({"args": args, "code": run.returncode, "stdout": run.stdout})
    with open(os.path.join(os.path.dirname(here), "golden.json"), "w", encoding="utf-8") as out:
        json.dump(golden, out, indent=2)
        out.write("\n")


if __name__ == "__main__":
    main()
