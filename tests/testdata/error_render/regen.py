#!/usr/bin/env python3
"""Regenerate expected.txt: the exit code and standard error of gwsonnet for each
bad command line of cases.jsonl (one JSON array of arguments a line), run in a
copy of fixtures/ (some cases write). tests/error_render.rs runs the same lines
and compares.

    python3 tests/testdata/error_render/regen.py path/to/gwsonnet
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile


def main(argv):
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    binary = os.path.abspath(argv[0])
    here = os.path.dirname(os.path.abspath(__file__))
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, "fixtures")
        shutil.copytree(os.path.join(here, "fixtures"), work)
        with open(os.path.join(here, "cases.jsonl")) as f:
            for line in f:
                args = json.loads(line)
                p = subprocess.run([binary] + args, cwd=work, stdin=subprocess.DEVNULL,
                                   capture_output=True, env={"PATH": os.environ["PATH"]})
                err = p.stderr.decode("utf-8", "replace")
                if err and not err.endswith("\n"):
                    err += "\n(no newline at end)\n"
                out.append("### %s\nexit %d\n%s" % (line.strip(), p.returncode, err))
    with open(os.path.join(here, "expected.txt"), "w") as f:
        f.write("".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
