#!/usr/bin/env python3
"""Writes the goldens of tests/front_door.rs: what go-jsonnet 0.22 (the `_gojsonnet`
Python module, `pip install gojsonnet==0.22.0`) prints for examples/jsonnet/main.jsonnet
with `-J examples/jsonnet/lib -V env=<env>`. Run from the repository root:

    python3 tests/testdata/front_door/regen.py
"""
import os

import _gojsonnet

HERE = os.path.dirname(os.path.abspath(__file__))

for env in ["dev", "prod"]:
    out = _gojsonnet.evaluate_file(
        "examples/jsonnet/main.jsonnet",
        jpathdir=["examples/jsonnet/lib"],
        ext_vars={"env": env},
    )
    with open(os.path.join(HERE, f"jsonnet-{env}.golden"), "w") as f:
        f.write(out)
