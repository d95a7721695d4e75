#!/usr/bin/env python3
"""Builds the seed corpora of the cargo-fuzz targets (fuzz/README.md) into fuzz/seeds/
(git-ignored: the seeds are made from ../shared, which is never committed).

    python3 fuzz/make_seeds.py [--shared ../shared] [--max-bytes 65536]

Sources: the jsonnet and go-jsonnet conformance vectors (eval, format), the Gateway API
CRDs and examples and the Tanka goldens of tests/testdata (readers, writers, crd_load,
cel, template). Files over --max-bytes are left out (libFuzzer's per-input cost grows
with size). Needs PyYAML for the cel seeds (YAML examples turned into JSON).
"""
import argparse, hashlib, json, pathlib, re, sys

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent


def files(root, *patterns):
    root = pathlib.Path(root)
    if not root.is_dir():
        return []
    return sorted(p for pat in patterns for p in root.rglob(pat) if p.is_file())


class Corpus:
    def __init__(self, out, max_bytes):
        self.out, self.max_bytes, self.counts = out, max_bytes, {}

    def add(self, target, data):
        if isinstance(data, str):
            data = data.encode()
        if len(data) > self.max_bytes:
            return
        d = self.out / target
        d.mkdir(parents=True, exist_ok=True)
        (d / hashlib.sha1(data).hexdigest()).write_bytes(data)
        self.counts[target] = self.counts.get(target, 0) + 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--shared', default=str(REPO.parent / 'shared'))
    ap.add_argument('--max-bytes', type=int, default=65536)
    args = ap.parse_args()
    shared = pathlib.Path(args.shared)
    if not shared.is_dir():
        sys.exit(f'{shared} is not there: the seeds are made from the shared test data')
    c = Corpus(HERE / 'seeds', args.max_bytes)

    # eval: every conformance vector and jsonnet test file that imports nothing
    # (the eval target skips programs that import).
    jsonnet = files(shared / 'conformance', '*.jsonnet') + files(REPO / 'tests/testdata', '*.jsonnet') \
        + files(REPO / 'examples', '*.jsonnet')
    for p in jsonnet:
        text = p.read_bytes()
        if b'import' not in text:
            c.add('eval', text)

    # format: the format strings written as '...' % in the vectors, each with a few
    # argument picks after a 0 byte (fuzz_targets/format.rs).
    fmt = re.compile(rb"'((?:[^'\\\n]|\\.)*%(?:[^'\\\n]|\\.)*)'\s*%")
    for p in jsonnet:
        for m in fmt.finditer(p.read_bytes()):
            for picks in (b'\x02', b'\x07\x13', b'\x00\x01\x02\x03'):
                c.add('format', m.group(1) + b'\x00' + picks)

    # readers, writers, crd_load: YAML and JSON documents (CRDs, examples, goldens).
    gw = shared / 'gateway-api'
    docs = files(gw / 'examples-1.5.1', '*.yaml') + files(gw / 'crds' / '1.6-experimental', '*.yaml') \
        + files(gw / 'crds' / '0.8', '*.yaml') + files(shared / 'crd-libraries', '*.yaml') \
        + files(REPO / 'tests/testdata', '*.yaml', '*.yml', '*.json')
    for p in docs:
        data = p.read_bytes()
        c.add('readers', data)
        c.add('writers', data)
    for p in files(gw / 'crds', '*.yaml') + files(shared / 'crd-libraries', '*.yaml') \
            + files(REPO / 'tests/testdata', '*crd*.yaml'):
        c.add('crd_load', p.read_bytes())

    # cel: the Gateway API examples as JSON objects (the target validates an object
    # naming a loaded kind against that kind).
    try:
        import yaml
    except ImportError:
        print('skipped: cel seeds need PyYAML', file=sys.stderr)
        yaml = None
    if yaml:
        for p in files(gw / 'examples-1.5.1', '*.yaml'):
            try:
                objects = [d for d in yaml.safe_load_all(p.read_text()) if isinstance(d, dict)]
            except yaml.YAMLError:
                continue
            for i, obj in enumerate(objects):
                c.add('cel', bytes([i % 256]) + json.dumps(obj, default=str).encode())

    # template: the name formats of the Tanka goldens, each with each golden object.
    for name in ('name_formats.json', 'export_formats.json'):
        p = REPO / 'tests/testdata/tanka_natives' / name
        if not p.is_file():
            continue
        golden = json.loads(p.read_text())
        for r in golden.get('results', []):
            for doc in golden.get('docs', [])[:3]:
                c.add('template', r['template'].replace('\n', ' ') + '\n' + json.dumps(doc))

    for target, n in sorted(c.counts.items()):
        print(f'{target}: {n} seeds')


if __name__ == '__main__':
    main()
