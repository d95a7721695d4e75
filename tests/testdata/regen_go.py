#!/usr/bin/env python3
"""Regenerate the *.golden files of a test data directory with go-jsonnet 0.22.

Each `NAME.jsonnet` of DIR is evaluated by go-jsonnet (python module `_gojsonnet`,
pip package `gojsonnet==0.22.0`) with DIR as working directory; its output is
written to `NAME.golden`. Only needed to regenerate; the tests read the committed
goldens.

    python3 tests/testdata/regen_go.py tests/testdata/prepass
"""
import glob
import os
import sys

import _gojsonnet


def main(argv):
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    directory = os.path.abspath(argv[0])
    os.chdir(directory)
    failed = False
    for path in sorted(glob.glob("*.jsonnet")):
        try:
            out = _gojsonnet.evaluate_file(path)
        except RuntimeError as e:
            print(f"{path}: go-jsonnet error:\n{e}", file=sys.stderr)
            failed = True
            continue
        with open(path[: -len(".jsonnet")] + ".golden", "w", encoding="utf-8") as f:
            f.write(out)
        print(f"{path}: {len(out)} bytes")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
