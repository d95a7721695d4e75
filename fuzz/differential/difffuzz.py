#!/usr/bin/env python3
"""Differential fuzzing of gwsonnet against go-jsonnet 0.22 (PyPI `gojsonnet`).

Generates small random Jsonnet programs -- standard library calls and operators on
edge-case numbers, strings, arrays and objects -- evaluates each with go-jsonnet
(in a worker process, restarted when Go aborts) and with gwsonnet (one process per program, `-e`), and reports every
program where one returns a value and the other an error, or the values differ.
Error texts are not compared (tests/error_text.rs does that).

    python3 fuzz/differential/difffuzz.py --gwsonnet target/release/gwsonnet \
        --count 100000 --seed 1 [--jobs 2] [--known FILE]

FILE lists programs whose difference is documented, one per line (text before a TAB).

Programs whose go-jsonnet result is an internal crash (`INTERNAL ERROR`) count as
"go crashes" and are only required to give gwsonnet a clean error.
"""
import argparse, collections, concurrent.futures as cf, json, random, select, subprocess, sys, threading

# Seconds a program may run in either implementation.
TIMEOUT = 20

NUMBERS = ['0', '-0', '1', '-1', '2', '3', '0.5', '1.5', '-1.5', '2.7', '1e300', '-1e300',
           '1e-320', '9007199254740993', '4294967296', '63', '64', '1e21', '255', '1114112',
           '55296', '65536', '-2147483649', '100']
STRINGS = ["''", "'a'", "'abc'", "'a,b,c'", "'ä'", "' a '", "'+5'", "'12'", "'0x1f'", "'1e3'",
           "'%d'", "'%5.2f'", "'%s %s'", "'%(a)s'", "'\\n'", "'AbC'", "'-0'", "'10'"]
ARRAYS = ['[]', '[1, 2, 3]', "['a', 'b']", '[1, [2]]', '[null]', '[3, 1, 2]', "[1, 'a']",
          '[1.5, 0.5]', '[[1], [2]]', "['b', 'a', 'b']"]
OBJECTS = ['{}', '{a: 1}', "{a: 1, b: 'x'}", '{a:: 1}', '{a: {b: 2}}', "{'': 0}"]
OTHER = ['null', 'true', 'false', 'function(x) x', 'function(x, y) x', 'function(x) [x]',
         'function(x) x + 1', "function(x) std.toString(x)", 'function(x) x == 1']
POOLS = {'n': NUMBERS, 's': STRINGS, 'a': ARRAYS, 'o': OBJECTS, 'x': OTHER}

# name: list of argument kinds (a string of pool letters per parameter; '*' any pool).
STD = {
    'abs': ['n'], 'sign': ['n'], 'max': ['n', 'n'], 'min': ['n', 'n'], 'pow': ['n', 'n'],
    'exp': ['n'], 'log': ['n'], 'exponent': ['n'], 'mantissa': ['n'], 'floor': ['n'],
    'ceil': ['n'], 'sqrt': ['n'], 'round': ['n'], 'modulo': ['n', 'n'], 'mod': ['*', '*'],
    'clamp': ['n', 'n', 'n'], 'isEven': ['n'], 'isOdd': ['n'], 'isInteger': ['n'],
    'isDecimal': ['n'], 'toString': ['*'], 'codepoint': ['s'], 'char': ['n'],
    'substr': ['s', 'n', 'n'], 'findSubstr': ['s', 's'], 'startsWith': ['s', 's'],
    'endsWith': ['s', 's'], 'stripChars': ['s', 's'], 'lstripChars': ['s', 's'],
    'rstripChars': ['s', 's'], 'split': ['s', 's'], 'splitLimit': ['s', 's', 'n'],
    'splitLimitR': ['s', 's', 'n'], 'strReplace': ['s', 's', 's'], 'isEmpty': ['s'],
    'trim': ['s'], 'equalsIgnoreCase': ['s', 's'], 'asciiUpper': ['s'], 'asciiLower': ['s'],
    'stringChars': ['s'], 'format': ['s', '*'], 'escapeStringJson': ['*'],
    'escapeStringBash': ['s'], 'escapeStringDollars': ['s'], 'parseInt': ['s'],
    'parseOctal': ['s'], 'parseHex': ['s'], 'parseJson': ['s'], 'encodeUTF8': ['s'],
    'decodeUTF8': ['a'], 'makeArray': ['n', 'x'], 'member': ['*', '*'], 'count': ['a', '*'],
    'find': ['*', 'a'], 'map': ['x', '*'], 'mapWithIndex': ['x', '*'], 'filterMap': ['x', 'x', 'a'],
    'flatMap': ['x', '*'], 'filter': ['x', 'a'], 'foldl': ['x', 'a', '*'], 'foldr': ['x', 'a', '*'],
    'range': ['n', 'n'], 'repeat': ['*', 'n'], 'slice': ['*', 'n', 'n', 'n'], 'join': ['*', 'a'],
    'lines': ['a'], 'flattenArrays': ['a'], 'flattenDeepArray': ['*'], 'reverse': ['*'],
    'sort': ['a'], 'uniq': ['a'], 'set': ['a'], 'setMember': ['*', 'a'], 'setUnion': ['a', 'a'],
    'setInter': ['a', 'a'], 'setDiff': ['a', 'a'], 'all': ['a'], 'any': ['a'], 'sum': ['a'],
    'avg': ['a'], 'minArray': ['a'], 'maxArray': ['a'], 'contains': ['a', '*'],
    'remove': ['a', '*'], 'removeAt': ['a', 'n'], 'get': ['o', 's'], 'objectFields': ['o'],
    'objectFieldsAll': ['o'], 'objectValues': ['o'], 'objectKeysValues': ['o'],
    'objectHas': ['o', 's'], 'objectHasAll': ['o', 's'], 'objectRemoveKey': ['o', 's'],
    'prune': ['*'], 'length': ['*'], 'type': ['*'],
    'manifestJson': ['*'], 'manifestJsonMinified': ['*'], 'manifestYamlDoc': ['*'],
    'manifestTomlEx': ['o', 's'], 'manifestPython': ['*'], 'base64': ['*'],
    'base64Decode': ['s'], 'md5': ['s'], 'sha1': ['s'], 'xor': ['*', '*'],
    'xnor': ['*', '*'], 'deepJoin': ['*'], 'trace': ['s', '*'], 'isString': ['*'],
    'isNumber': ['*'], 'isArray': ['*'], 'isObject': ['*'], 'isFunction': ['*'],
    'isBoolean': ['*'], 'primitiveEquals': ['*', '*'], 'equals': ['*', '*'],
}
# Functions also called with arguments of any type, besides their usual kinds.
ANY_TYPED = {'asciiUpper': ['*'], 'splitLimit': ['s', 's', '*'], 'substr': ['*', '*', '*']}
BINOPS = ['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^', '<', '<=', '==', '!=', 'in']
UNOPS = ['-', '+', '~', '!']


NEST = [0.0]  # the chance that an argument is itself a generated call (--nest)


def value(rng, kind):
    if kind == '*':
        kind = rng.choice('nnsaaox')
    if kind != 'x' and rng.random() < NEST[0]:
        NEST[0] /= 2  # nested calls get rarer with depth
        try:
            return program(rng)
        finally:
            NEST[0] *= 2
    return rng.choice(POOLS[kind])


def program(rng):
    r = rng.random()
    if r < 0.6:
        table = ANY_TYPED if rng.random() < 0.05 else STD
        name = rng.choice(sorted(table))
        args = [value(rng, k) for k in table[name]]
        return 'std.%s(%s)' % (name, ', '.join(args))
    if r < 0.8:
        return '(%s) %s (%s)' % (value(rng, '*'), rng.choice(BINOPS), value(rng, '*'))
    if r < 0.85:
        return '%s(%s)' % (rng.choice(UNOPS), value(rng, '*'))
    if r < 0.95:
        return '(%s)[%s]' % (value(rng, rng.choice('sa')), value(rng, rng.choice('nnns')))
    return '(%s)[%s:%s:%s]' % (value(rng, rng.choice('sa')), value(rng, 'n'),
                               value(rng, 'n'), value(rng, 'n'))


GO_WORKER = r"""
import json, sys, _gojsonnet
for line in sys.stdin:
    src = json.loads(line)
    try:
        out = ['ok', json.loads(_gojsonnet.evaluate_snippet('fuzz', src))]
    except RuntimeError as e:
        text = str(e)
        out = ['crash' if 'INTERNAL ERROR' in text else 'err', text.splitlines()[0][:200]]
    sys.stdout.write(json.dumps(out) + '\n')
    sys.stdout.flush()
"""


class GoJsonnet:
    """go-jsonnet in a worker process, restarted when a program kills it (Go's fatal
    stack overflow aborts the whole process) or runs past TIMEOUT seconds."""

    def __init__(self):
        self.proc = None

    def eval(self, src):
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen([sys.executable, '-c', GO_WORKER], text=True,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL)
        self.proc.stdin.write(json.dumps(src) + '\n')
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], TIMEOUT)
        if not ready:
            self.proc.kill()
            self.proc.wait()
            self.proc = None
            return 'timeout', ''
        line = self.proc.stdout.readline()
        if not line:
            self.proc = None
            return 'crash', 'go-jsonnet process died'
        kind, val = json.loads(line)
        return kind, val


def gw_eval(binary, src):
    try:
        # A leading space: a program such as `-1 << 63` is not a flag.
        p = subprocess.run([binary, '-e', ' ' + src], capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return 'timeout', ''
    if p.returncode == 0:
        return 'ok', json.loads(p.stdout)
    if p.returncode != 1 or 'panicked' in p.stderr:
        return 'abort', '%d %s' % (p.returncode, p.stderr[-200:])
    return 'err', (p.stderr.splitlines() or [''])[0][:200]


def same(a, b):
    """JSON equality where numbers compare as float64 (go and gwsonnet print floats alike)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--gwsonnet', required=True)
    ap.add_argument('--count', type=int, default=1000, help='distinct programs to run')
    ap.add_argument('--nest', type=float, default=0.0,
                    help='chance that an argument is a nested call (0: seeds 1-2 as first run)')
    ap.add_argument('--out', help='write every program and its verdict there (JSON lines)')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--known', help='file of programs whose difference is documented')
    args = ap.parse_args()
    rng = random.Random(args.seed)
    NEST[0] = args.nest
    programs, draws = dict(), 0
    while len(programs) < args.count and draws < 20 * args.count:
        programs.setdefault(program(rng), None)
        draws += 1
    programs = list(programs)
    known = set()
    if args.known:
        known = {l.split('\t')[0] for l in open(args.known) if l.strip() and not l.startswith('#')}
    # Each thread has its own go-jsonnet worker and runs gwsonnet processes.
    local = threading.local()

    def both(p):
        if not hasattr(local, 'go'):
            local.go = GoJsonnet()
        return local.go.eval(p), gw_eval(args.gwsonnet, p)

    with cf.ThreadPoolExecutor(args.jobs) as pool:
        go, gw = zip(*pool.map(both, programs)) if programs else ((), ())
    counts = collections.Counter()
    diffs = []
    out = open(args.out, 'w') if args.out else None
    for p, g, w in zip(programs, go, gw):
        if w[0] == 'timeout' and g[0] == 'timeout':
            verdict = 'both time out'
        elif w[0] in ('abort', 'timeout'):
            verdict = 'gwsonnet ' + w[0]
        elif g[0] == 'timeout':
            verdict = 'go times out, gwsonnet ' + w[0]
        elif g[0] == 'crash':
            verdict = 'go crashes' if w[0] == 'err' else 'go crashes, gwsonnet returns a value'
        elif g[0] != w[0]:
            verdict = 'go %s, gwsonnet %s' % (g[0], w[0])
        elif g[0] == 'ok' and not same(g[1], w[1]):
            verdict = 'values differ'
        else:
            verdict = 'same'
        counts[verdict] += 1
        if out:
            out.write(json.dumps({'program': p, 'verdict': verdict, 'go': g, 'gwsonnet': w}) + '\n')
        if verdict not in ('same', 'go crashes', 'both time out') and p not in known:
            diffs.append((verdict, p, g, w))
    print('programs: %d distinct (%d drawn, seed %d, nest %g)' % (len(programs), draws, args.seed, args.nest))
    for verdict, n in counts.most_common():
        print('  %-40s %d' % (verdict, n))
    for verdict, p, g, w in sorted(diffs):
        print('%s\t%s\n    go:       %s\n    gwsonnet: %s' % (verdict, p, str(g)[:160], str(w)[:160]))
    sys.exit(1 if diffs else 0)


if __name__ == '__main__':
    main()
