#!/usr/bin/env python3
"""Regenerate the *.golden files of this directory with the oracle.

Oracle: go-jsonnet 0.22 (python module `_gojsonnet`) evaluating each program against the
real published gateway-api-libsonnet + docsonnet doc-util, vendored at VENDOR (default
/tmp/vendor, override with $GWSONNET_ORACLE_VENDOR). Only needed to regenerate; the tests
read the committed goldens.

    python3 tests/testdata/native/regen.py [name.jsonnet ...]
"""
import glob
import os
import sys

import _gojsonnet

HERE = os.path.dirname(os.path.abspath(__file__))
VENDOR = os.environ.get("GWSONNET_ORACLE_VENDOR", "/tmp/vendor")


def main(argv):
    names = argv or sorted(os.path.basename(p) for p in glob.glob(os.path.join(HERE, "*.jsonnet")))
    failed = False
    for name in names:
        path = os.path.join(HERE, name)
        try:
            out = _gojsonnet.evaluate_file(path, jpathdir=[VENDOR])
        except RuntimeError as e:
            print(f"{name}: go-jsonnet error:\n{e}", file=sys.stderr)
            failed = True
            continue
        with open(path[: -len(".jsonnet")] + ".golden", "w", encoding="utf-8") as f:
            f.write(out)
        print(f"{name}: {len(out)} bytes")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
