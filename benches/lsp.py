#!/usr/bin/env python3
"""Benchmark of `gwsonnet lsp` (issue 22): latency and memory over its real stdio.

Opens a file that imports the Gateway API (1.5, from its CRDs in ../shared) and
k8s-libsonnet 1.30 natively, then measures
  - the first answer after opening (didOpen, then a completion at once),
  - warm completion and hover latency (median and 90th percentile of RUNS requests
    each, at several places: library objects, a kind's object after a call, std),
  - the server's resident memory (VmRSS and peak VmHWM from /proc) after all that,
  - a 5,000-line file changed on every "keystroke": KEYS full-text didChange
    notifications sent back to back, then one request; the time per change against
    a typing rate (the server stores each text and parses and checks the last one
    once the keystrokes pause), and how long after the last keystroke its
    diagnostics arrive (the pause, the parse and the checks).
Standalone, not run by the test suite:
  benches/lsp.py [BINARY]        # default target/release/gwsonnet
Environment: RUNS (200), KEYS (100), CRDS (../shared/gateway-api/crds/1.5).
"""
import json, os, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/gwsonnet")
RUNS = int(os.environ.get("RUNS", "200"))
KEYS = int(os.environ.get("KEYS", "100"))
CRDS = os.environ.get("CRDS", os.path.join(ROOT, "../shared/gateway-api/crds/1.5"))

HEAD = (
    "local gw = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/1.5/main.libsonnet').gateway;\n"
    "local k = import 'github.com/jsonnet-libs/k8s-libsonnet/1.30/main.libsonnet';\n"
    "local route = gw.v1.httpRoute;\n"
    "local deploy = k.apps.v1.deployment;\n"
)


class Server:
    def __init__(self, cwd):
        self.p = subprocess.Popen([BIN, "lsp", "--crds", CRDS], cwd=cwd,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL,
                                  env=dict(os.environ, XDG_CACHE_HOME=os.path.join(cwd, ".cache")))
        self.next = 1
        self.notes = []  # notifications received while waiting for a response

    def send(self, m):
        b = json.dumps(m).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b)
        self.p.stdin.flush()

    def recv(self):
        n = 0
        while True:
            line = self.p.stdout.readline().strip()
            if not line:
                break
            if line.startswith(b"Content-Length:"):
                n = int(line.split()[1])
        return json.loads(self.p.stdout.read(n))

    def request(self, method, params):
        i = self.next
        self.next += 1
        self.send({"jsonrpc": "2.0", "id": i, "method": method, "params": params})
        while True:
            m = self.recv()
            if m.get("id") == i:
                return m.get("result")
            if "method" in m:
                self.notes.append((time.perf_counter(), m))

    def wait_notification(self, method, uri):
        """The time a matching notification arrived (stashed or next)."""
        for k, (t, m) in enumerate(self.notes):
            if m.get("method") == method and m["params"].get("uri") == uri:
                del self.notes[k]
                return t
        while True:
            m = self.recv()
            if m.get("method") == method and m["params"].get("uri") == uri:
                return time.perf_counter()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def memory(self):
        status = open(f"/proc/{self.p.pid}/status").read()
        get = lambda k: int([l for l in status.splitlines() if l.startswith(k)][0].split()[1]) / 1024
        return get("VmRSS:"), get("VmHWM:")


def pos(uri, line, col):
    return {"textDocument": {"uri": uri}, "position": {"line": line, "character": col}}


def timed(f):
    t = time.perf_counter()
    r = f()
    return (time.perf_counter() - t) * 1000, r


def main():
    with tempfile.TemporaryDirectory(prefix="lsp22-bench-") as d:
        path = os.path.join(d, "main.jsonnet")
        # Half-typed: every `.` below waits for a name.
        text = HEAD + "[\n  route.spec.,\n  route.new('x').spec.,\n  deploy.new('x').spec.template.spec.,\n  std.,\n  k.core.v1.,\n]\n"
        open(path, "w").write(text)
        uri = "file://" + path
        s = Server(d)
        t0 = time.perf_counter()
        s.request("initialize", {"processId": None, "capabilities": {}})
        s.notify("initialized", {})
        init_ms = (time.perf_counter() - t0) * 1000
        s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "jsonnet", "version": 1, "text": text}})
        first_ms, r = timed(lambda: s.request("textDocument/completion", pos(uri, 5, 13)))
        labels = [i["label"] for i in r]
        assert "withRules" in labels, labels
        print(f"initialize: {init_ms:.1f} ms; first completion after open: {first_ms:.1f} ms ({len(labels)} items)")
        places = {
            "completion route.spec.": ("textDocument/completion", 5, 13),
            "completion route.new('x').spec.": ("textDocument/completion", 6, 22),
            "completion deploy.new('x').spec.template.spec.": ("textDocument/completion", 7, 37),
            "completion std.": ("textDocument/completion", 8, 6),
            "completion k.core.v1. (every kind of the group)": ("textDocument/completion", 9, 12),
            "hover route (a local)": ("textDocument/hover", 5, 3),
            "hover deploy.new": ("textDocument/hover", 7, 10),
            "hover route where bound": ("textDocument/hover", 2, 8),
        }
        for name, (method, line, col) in places.items():
            first, r = timed(lambda: s.request(method, pos(uri, line, col)))
            assert r, (name, r)
            times = sorted(timed(lambda: s.request(method, pos(uri, line, col)))[0] for _ in range(RUNS))
            print(f"{name}: first {first:.1f} ms, warm median {statistics.median(times):.2f} ms, "
                  f"p90 {times[int(len(times) * 0.9)]:.2f} ms ({RUNS} runs)")
        rss, hwm = s.memory()
        print(f"memory after these: RSS {rss:.0f} MB, peak {hwm:.0f} MB")
        # 5,000 lines, one full-text change per keystroke.
        body = "".join(f"  f{i}: route.spec.withHostnames(['h{i}']) + deploy.spec.withReplicas({i}),\n" for i in range(5000))
        big = HEAD + "{\n" + body + "}\n"
        assert big.count("\n") >= 5000
        bigpath = os.path.join(d, "big.jsonnet")
        buri = "file://" + bigpath
        s.notify("textDocument/didOpen", {"textDocument": {"uri": buri, "languageId": "jsonnet", "version": 1, "text": big}})
        s.request("textDocument/hover", pos(buri, 2, 7))
        s.wait_notification("textDocument/publishDiagnostics", buri)
        s.notes.clear()
        t = time.perf_counter()
        for k in range(KEYS):
            edited = big.replace("  f0:", "  f0" + "x" * (k + 1) + ":", 1)
            s.notify("textDocument/didChange", {"textDocument": {"uri": buri, "version": k + 2}, "contentChanges": [{"text": edited}]})
        last = time.perf_counter()
        s.request("textDocument/hover", pos(buri, 2, 7))
        per = (time.perf_counter() - t) * 1000 / KEYS
        diag_ms = (s.wait_notification("textDocument/publishDiagnostics", buri) - last) * 1000
        print(f"5,000-line file ({len(big) // 1024} KiB): {per:.1f} ms per keystroke ({KEYS} full-text changes back to back, then a hover); "
              f"its diagnostics {diag_ms:.0f} ms after the last keystroke")
        rss, hwm = s.memory()
        print(f"memory at the end: RSS {rss:.0f} MB, peak {hwm:.0f} MB")
        s.request("shutdown", None)
        s.notify("exit", None)
        s.p.wait(timeout=30)


if __name__ == "__main__":
    main()
