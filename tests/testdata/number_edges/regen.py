#!/usr/bin/env python3
"""Writes go.jsonl: go-jsonnet 0.22's verdict on each expression of cases.txt.

    pip install gojsonnet==0.22.0   # module _gojsonnet
    python3 tests/testdata/number_edges/regen.py

Each line: {"expr": E, "go": "value", "value": V} | {"expr": E, "go": "error"|"crash",
"message": first line}. A worker process evaluates the expressions, since Go's fatal
stack overflow (`std.slice` with a tiny step) kills the process: such an expression is
recorded as a crash.
"""
import json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER = r"""
import json, os, sys, _gojsonnet
os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
for line in sys.stdin:
    expr = json.loads(line)
    try:
        out = {'go': 'value', 'value': json.loads(_gojsonnet.evaluate_snippet('case', expr))}
    except RuntimeError as e:
        text = str(e)
        out = {'go': 'crash' if 'INTERNAL ERROR' in text else 'error',
               'message': text.splitlines()[0]}
    sys.stdout.write(json.dumps(out) + '\n')
    sys.stdout.flush()
"""


def main():
    cases = [l.strip() for l in open(os.path.join(HERE, 'cases.txt'))
             if l.strip() and not l.startswith('#')]
    worker = None
    out = []
    for expr in cases:
        if worker is None or worker.poll() is not None:
            worker = subprocess.Popen([sys.executable, '-c', WORKER], text=True,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        worker.stdin.write(json.dumps(expr) + '\n')
        worker.stdin.flush()
        line = worker.stdout.readline()
        verdict = json.loads(line) if line else {'go': 'crash', 'message': 'fatal error: stack overflow'}
        if not line:
            worker = None
        out.append(dict(expr=expr, **verdict))
    with open(os.path.join(HERE, 'go.jsonl'), 'w') as f:
        for o in out:
            f.write(json.dumps(o, ensure_ascii=False, sort_keys=True) + '\n')
    print('%d cases' % len(out))


if __name__ == '__main__':
    main()
