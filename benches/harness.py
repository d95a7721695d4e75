#!/usr/bin/env python3
"""The benchmark harness of benches/run.sh (issue 12): gwsonnet against every peer.

Workloads (inputs in jsonnet/bench/, sizes are flags):
  hello       one tcpRoute.new('x'): start-up plus library load
  routes-10k  10,000 TCPRoutes, 2 parentRefs and 2 rules of 3 backendRefs each (C++ jsonnet: 1,000)
  mixed-5k    5,000 objects over Gateway, HTTPRoute, GRPCRoute, TLSRoute, ReferenceGrant of
              Gateway API 1.5-experimental (gwsonnet: --crds from ../shared)
  crd-load    one `new` of every kind of 1.5-experimental
  show-5k     `gwsonnet show` of a generated Tanka environment with 5,000 objects
  export-50   `gwsonnet export` of 50 generated environments, --parallel 2 and --parallel 1

Peers run the jsonnet SOURCE form of the same libraries, written by `gwsonnet libsonnet`
and laid out at the published import paths in one -J directory (with doc-util from lib/).
Every peer's output is compared with gwsonnet's (parsed JSON or YAML) before anything is
timed; a mismatch fails the run (exit status 1). Timing: hyperfine (--export-json, peers of
one workload side by side in one call; a plain timing loop when hyperfine is missing).
Peak RSS: `/usr/bin/time -f %M` of the check run (the largest process of a pipeline). The floor: examples/bench_floor.rs writes gwsonnet's JSON output from an
already built serde_json value.

--smoke: tiny sizes, 2 runs, only the peers already installed, nothing installed or built
(tests/bench_smoke.rs runs it with the debug binary).
"""

import argparse
import concurrent.futures
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "jsonnet", "bench")
GATEWAY_PKG = "github.com/jsonnet-libs/gateway-api-libsonnet"
K8S_PKG = "github.com/jsonnet-libs/k8s-libsonnet"
K8S_PUBLISHED = "kubernetes/k8s-libsonnet/1.30"
CRD_BUNDLE = "gateway-api/crds/1.5-experimental"
FAILURES = []


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def fail(msg):
    FAILURES.append(msg)
    log("FAIL: " + msg)


# ---------------------------------------------------------------------------------------
# Tools: find them, install the missing ones (not in smoke mode)


def which(name, extra=()):
    for d in list(extra) + os.environ.get("PATH", "").split(os.pathsep):
        p = os.path.join(d, name)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


CARGO_BIN = os.path.join(os.path.expanduser("~"), ".cargo", "bin")


def version_of(argv):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        return (r.stdout + r.stderr).strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "?"


def install(what, argv):
    log(f"== installing {what}: {shlex.join(argv)}")
    r = subprocess.run(argv)
    if r.returncode != 0:
        log(f"   installing {what} failed (exit {r.returncode})")
    return r.returncode == 0


def find_peers(args):
    """Returns {tool: (argv prefix, version)} of the peers present (installing missing ones)."""
    peers = {}
    # Install only in full runs, and only the peers asked for.
    may_install = lambda tool: not args.smoke and (not args.peers_only or tool in args.peers_only)  # noqa: E731
    # jrsonnet 0.5.0-pre98 CLI
    jr = which("jrsonnet", [CARGO_BIN])
    if not jr and may_install("jrsonnet"):
        install("jrsonnet", ["cargo", "install", "jrsonnet", "--version", "=0.5.0-pre98", "--locked"])
        jr = which("jrsonnet", [CARGO_BIN])
    if jr:
        peers["jrsonnet"] = ([jr], version_of([jr, "--version"]))
    # rsjsonnet 0.5.1
    rs = which("rsjsonnet", [CARGO_BIN])
    if not rs and may_install("rsjsonnet"):
        install("rsjsonnet", ["cargo", "install", "rsjsonnet", "--version", "0.5.1", "--locked"])
        rs = which("rsjsonnet", [CARGO_BIN])
    if rs:  # no --version: cargo's record of what it installed
        listed = subprocess.run(["cargo", "install", "--list"], capture_output=True, text=True).stdout
        ver = next((line.rstrip(":") for line in listed.splitlines() if line.startswith("rsjsonnet ")), "rsjsonnet")
        peers["rsjsonnet"] = ([rs], ver)
    # go-jsonnet 0.22 through its Python binding
    py = sys.executable

    def has_go():
        return subprocess.run([py, "-c", "import _gojsonnet"], capture_output=True).returncode == 0

    if not has_go() and may_install("go-jsonnet"):
        if not install("gojsonnet", [py, "-m", "pip", "install", "gojsonnet==0.22.0"]):
            install("gojsonnet", [py, "-m", "pip", "install", "--break-system-packages", "gojsonnet==0.22.0"])
    if has_go():
        ver = subprocess.run(
            [py, "-c", "import importlib.metadata as m; print(m.version('gojsonnet'))"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        peers["go-jsonnet"] = ([py, os.path.join(args.work, "gojsonnet.py")], f"go-jsonnet {ver} (python _gojsonnet)")
    # C++ jsonnet (Debian package)
    cpp = which("jsonnet")
    if not cpp and may_install("jsonnet-cpp") and which("apt-get") and os.geteuid() == 0:
        install("jsonnet", ["apt-get", "install", "-y", "jsonnet"])
        cpp = which("jsonnet")
    if cpp:
        peers["jsonnet-cpp"] = ([cpp], version_of([cpp, "--version"]))
    return peers


def find_hyperfine(args):
    hf = which("hyperfine", [CARGO_BIN])
    if not hf and not args.smoke and which("apt-get") and os.geteuid() == 0:
        install("hyperfine", ["apt-get", "install", "-y", "hyperfine"])
        hf = which("hyperfine", [CARGO_BIN])
    return hf


GO_WRAPPER = r'''"""Minimal go-jsonnet CLI over the _gojsonnet binding: -J DIR, --tla-code/--ext-code
K=V, FILE; --startup only imports the binding and evaluates `{}` (interpreter start-up)."""
import sys
import _gojsonnet

args = sys.argv[1:]
if args == ["--startup"]:
    _gojsonnet.evaluate_snippet("startup", "{}")
    sys.exit(0)
jpath, tla, ext, path = [], {}, {}, None
i = 0
while i < len(args):
    a = args[i]
    if a == "-J":
        jpath.append(args[i + 1]); i += 2
    elif a in ("--tla-code", "--ext-code"):
        k, v = args[i + 1].split("=", 1)
        (tla if a == "--tla-code" else ext)[k] = v; i += 2
    else:
        path = a; i += 1
try:
    out = _gojsonnet.evaluate_file(path, jpathdir=jpath, tla_codes=tla, ext_codes=ext)
except RuntimeError as e:
    sys.stderr.write(str(e)); sys.exit(1)
sys.stdout.write(out)
'''

# jrsonnet + YAML: jrsonnet writes the environment's JSON, this converts it as Tanka would
# (extraction of every object with apiVersion and kind, Tanka's kind order) into a YAML
# stream with PyYAML's libyaml dumper, or (export) one file per object.
TO_YAML = r'''"""jrsonnet JSON -> Tanka-like YAML: `toyaml.py < env.json` prints the stream;
`toyaml.py --export JOBS OUT JRSONNET JPATHS ENV...` runs jrsonnet per environment (JOBS
processes) and writes OUT/<namespace>/<apiVersion>.<kind>-<name>.yaml."""
import json, os, subprocess, sys
import concurrent.futures
import yaml

Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
ORDER = ["Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
         "PodDisruptionBudget", "ServiceAccount", "Secret", "ConfigMap", "StorageClass",
         "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole",
         "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList",
         "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod",
         "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler",
         "StatefulSet", "Job", "CronJob", "Ingress", "APIService"]
RANK = {k: i for i, k in enumerate(ORDER)}

def extract(v, out):
    if isinstance(v, dict):
        if "apiVersion" in v and "kind" in v:
            out.append(v)
        else:
            for k in sorted(v):
                extract(v[k], out)
    elif isinstance(v, list):
        for x in v:
            extract(x, out)
    return out

def manifests(data):
    docs = extract(data, [])
    def key(d):
        m = d.get("metadata", {})
        return (RANK.get(d["kind"], len(ORDER)), d["kind"], m.get("namespace", ""),
                m.get("name", ""), m.get("generateName", ""))
    docs.sort(key=key)
    return docs

def export_env(job):
    jr, jpaths, env, out = job
    argv = [jr]
    for j in jpaths + [env]:
        argv += ["-J", j]
    r = subprocess.run(argv + [os.path.join(env, "main.jsonnet")], capture_output=True, check=True)
    for d in manifests(json.loads(r.stdout)):
        m = d["metadata"]
        name = "%s.%s-%s.yaml" % (d["apiVersion"].replace("/", "-"), d["kind"], m["name"])
        folder = os.path.join(out, m["namespace"])
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, name), "w") as f:
            yaml.dump(d, f, Dumper=Dumper, default_flow_style=False)

if len(sys.argv) > 1 and sys.argv[1] == "--export":
    jobs, out, jr, jpaths = int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5].split(":")
    work = [(jr, jpaths, env, out) for env in sys.argv[6:]]
    if jobs == 1:
        for w in work:
            export_env(w)
    else:
        with concurrent.futures.ProcessPoolExecutor(jobs) as pool:
            list(pool.map(export_env, work))
else:
    yaml.dump_all(manifests(json.load(sys.stdin)), sys.stdout, Dumper=Dumper, default_flow_style=False)
'''


# ---------------------------------------------------------------------------------------
# Running: a check run (output + peak RSS), then timing


TIME = "/usr/bin/time"


def run_once(argv, stdout_path, cwd=None):
    """Runs argv with stdout to a file; returns (exit status, seconds, peak RSS KiB or None,
    stderr). The peak RSS comes from GNU time's %M (the largest process of the tree): not
    from this script's own wait4, since a child spawned from a big Python process starts
    its maximum RSS at the parent's."""
    with open(stdout_path, "wb") as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as rss:
        timed = [TIME, "-f", "%M", "-o", rss.name, *argv] if os.access(TIME, os.X_OK) else argv
        start = time.perf_counter()
        code = subprocess.run(timed, stdout=out, stderr=err, cwd=cwd).returncode
        secs = time.perf_counter() - start
        err.seek(0)
        text = err.read().decode(errors="replace")
        kib = rss.read().strip().splitlines()
        kib = int(kib[-1]) if kib and kib[-1].isdigit() else None
        return code, secs, kib, text


class Cmd:
    """One tool on one workload: a name for the table, its argv, what it is compared with."""

    def __init__(self, tool, argv, note="", size=None):
        self.tool, self.argv, self.note, self.size = tool, argv, note, size
        self.out = None  # path of the check run's output
        self.rss = None
        self.median = None
        self.ratio_to = None  # the gwsonnet Cmd of the same hyperfine call
        self.subtract = 0.0  # go-jsonnet: interpreter start-up
        self.tree = None  # export: the directory written
        self.is_floor = False
        self.instr = None  # --instructions


def count_instructions(args, c, prepare=None):
    """--instructions: the instructions one run executes (callgrind; noise-free, about 50x
    slower), for the native binaries only (gwsonnet, jrsonnet, rsjsonnet)."""
    if not (c.tool.startswith("gwsonnet") or c.tool in ("jrsonnet", "rsjsonnet")):
        return
    if prepare:
        subprocess.run(prepare, check=True)
    r = subprocess.run([args.valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *c.argv],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in r.stderr.splitlines():
        if "Collected :" in line:
            c.instr = int(line.rsplit(":", 1)[1])
    log(f"   {c.tool}: {c.instr or '?'} instructions")


def time_group(args, name, cmds, runs, warmup, prepare=None, count=True):
    """Times cmds side by side; sets .median (seconds). With --instructions, first counts
    each command's instructions (not for count=False: groups repeating a gwsonnet run)."""
    cmds = [c for c in cmds if c is not None]
    if not cmds:
        return
    gw = cmds[0]
    for c in cmds:
        c.ratio_to = gw
    if args.instructions and count:
        log(f"== counting instructions {name}")
        for c in cmds:
            count_instructions(args, c, prepare)
    if args.no_timing:
        return
    log(f"== timing {name}: {', '.join(c.tool for c in cmds)} ({runs} runs, {warmup} warm-up)")
    if args.hyperfine:
        js = os.path.join(args.work, f"hyperfine-{name}.json")
        argv = [args.hyperfine, "-N", "--style", "basic", "--warmup", str(warmup), "--runs", str(runs),
                "--export-json", js]
        if prepare:
            argv += ["--prepare", shlex.join(prepare)]
        for c in cmds:
            argv += ["-n", c.tool, shlex.join(c.argv)]
        r = subprocess.run(argv, stdout=sys.stderr)
        if r.returncode != 0:
            fail(f"{name}: hyperfine failed (exit {r.returncode})")
            return
        results = json.load(open(js))["results"]
        for c, res in zip(cmds, results):
            c.median = res["median"]
    else:
        for c in cmds:
            times = []
            for i in range(warmup + runs):
                if prepare:
                    subprocess.run(prepare, check=True)
                start = time.perf_counter()
                subprocess.run(c.argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                if i >= warmup:
                    times.append(time.perf_counter() - start)
            c.median = statistics.median(times)


def check_outputs(args, workload, cmds, kind, cwd=None):
    """Runs each command once (output + peak RSS) and compares with the first (gwsonnet).
    kind: json | yaml | tree (the argv's last element is the output dir). Returns the
    commands whose output matched."""
    cmds = [c for c in cmds if c is not None]
    good = []
    ref = None
    for c in cmds:
        out = os.path.join(args.work, "out", f"{workload}.{c.tool}.{c.size or 'n'}".replace(" ", "_"))
        c.out = out
        code, secs, rss, err = run_once(c.argv, out, cwd)
        c.rss = rss
        if code != 0:
            fail(f"{workload}: {c.tool} exited {code}: {err.strip()[:600]}")
            continue
        try:
            value = load(kind, c)
        except Exception as e:  # noqa: BLE001 - any parse failure is a failed check
            fail(f"{workload}: {c.tool}: output does not parse as {kind}: {e}")
            continue
        if ref is None:
            ref = value
            log(f"   {c.tool}: {secs:.2f} s, {mib(rss)}, {describe(value)}")
        elif value != ref:
            fail(f"{workload}: {c.tool}'s output differs from {cmds[0].tool}'s ({out} vs {cmds[0].out})")
            continue
        else:
            log(f"   {c.tool}: {secs:.2f} s, {mib(rss)}, equal")
        good.append(c)
    return good


def mib(kib):
    return "-" if kib is None else f"{kib / 1024:.0f} MiB"


def describe(value):
    if isinstance(value, list):
        return f"{len(value)} values"
    if isinstance(value, dict):
        return f"{len(value)} files"
    return type(value).__name__


def load(kind, c):
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    if kind == "json":
        with open(c.out, "rb") as f:
            return json.load(f)
    if kind == "yaml":
        with open(c.out, "rb") as f:
            return list(yaml.load_all(f, Loader=loader))
    tree = {}  # kind == "tree": relative path -> parsed YAML (manifest.json left out)
    top = c.tree
    for d, _, files in os.walk(top):
        for name in files:
            rel = os.path.relpath(os.path.join(d, name), top)
            if rel == "manifest.json":
                continue
            with open(os.path.join(d, name), "rb") as f:
                tree[rel] = list(yaml.load_all(f, Loader=loader))
    return tree


def floor(args, workload, gw):
    """The floor row: serde_json writing gwsonnet's output from a built value."""
    if not args.floor or gw is None or gw.out is None:
        return None
    c = Cmd("floor (serde_json, built value)", [args.floor, gw.out, "20"])
    r = subprocess.run(c.argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        log(f"   floor: {r.stderr.strip()}")
        return None
    c.median = float(r.stderr.strip().rsplit("=", 1)[1])
    c.ratio_to = gw
    c.note = "internal timer, median of 20 rounds"
    c.is_floor = True
    return c


# ---------------------------------------------------------------------------------------
# Set-up: the jsonnet source of the libraries, Tanka projects


def write_sources(args):
    """-J directory with the source form: built-in 0.8-experimental, and 1.5-experimental
    from the CRD bundle when ../shared is there; doc-util at both of its import paths."""
    src = os.path.join(args.work, "jpath-source")
    out = os.path.join(src, GATEWAY_PKG)
    subprocess.run([args.gwsonnet, "libsonnet", "--out", out], check=True, stdout=subprocess.DEVNULL)
    if args.crds:
        subprocess.run([args.gwsonnet, "libsonnet", "--crds", args.crds, "--out", out], check=True,
                       stdout=subprocess.DEVNULL)
    for rel in ("doc-util", "github.com/jsonnet-libs/docsonnet/doc-util"):
        os.makedirs(os.path.join(src, rel), exist_ok=True)
        shutil.copy(os.path.join(ROOT, "lib", "doc-util", "main.libsonnet"), os.path.join(src, rel))
    if args.k8s_source:
        # The published k8s-libsonnet 1.30, linked (never copied) at its import path.
        os.makedirs(os.path.join(src, K8S_PKG), exist_ok=True)
        os.symlink(args.k8s_source, os.path.join(src, K8S_PKG, "1.30"))
    return src


def probe_source(args):
    """Makes sure -J source replaces the native library and its absence does not."""
    versions = [("0.8-experimental", "v1alpha2", "tcpRoute", [])]
    if args.crds:
        versions.append(("1.5-experimental", "v1", "httpRoute", ["--crds", args.crds]))
    for ver, api, kind, crds in versions:
        code = (f"(import '{GATEWAY_PKG}/{ver}/main.libsonnet').gateway.{api}.{kind}"
                f".metadata.withFinalizers(error 'probe').metadata.finalizers")
        native = subprocess.run([args.gwsonnet, *crds, "-e", code], capture_output=True, text=True).stderr
        source = subprocess.run([args.gwsonnet, "-J", args.source, "-e", code], capture_output=True, text=True).stderr
        if f"{kind}.libsonnet" in native or "probe" not in native:
            fail(f"probe: gwsonnet {ver} native does not use the native library: {native[:300]}")
        if f"{api}/{kind}.libsonnet" not in source:
            fail(f"probe: gwsonnet -J source does not use the {ver} source: {source[:300]}")


def tanka_project(args, name, envs, per_env, source_env=False):
    """A Tanka project with `envs` static environments of `per_env` objects each, named
    e000..; with source_env, one more environment `source` whose vendor/ holds the source."""
    root = os.path.join(args.work, name)
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "lib"))
    with open(os.path.join(root, "jsonnetfile.json"), "w") as f:
        f.write('{"version": 1, "dependencies": []}\n')
    shutil.copy(os.path.join(BENCH, "tanka-env.libsonnet"), os.path.join(root, "lib"))
    names = [f"e{i:03d}" for i in range(envs)] + (["source"] if source_env else [])
    for env in names:
        d = os.path.join(root, "environments", env)
        os.makedirs(d)
        ns = "e000" if env == "source" else env  # the same objects as e000
        with open(os.path.join(d, "main.jsonnet"), "w") as f:
            f.write(f"(import 'tanka-env.libsonnet')('{ns}', {per_env})\n")
        with open(os.path.join(d, "spec.json"), "w") as f:
            json.dump({"apiVersion": "tanka.dev/v1alpha1", "kind": "Environment",
                       "metadata": {"name": env}, "spec": {"namespace": ns}}, f)
        if env == "source":
            os.symlink(args.source, os.path.join(d, "vendor"))
    return root


def script(args, name, text):
    path = os.path.join(args.work, name)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o755)
    return path


# ---------------------------------------------------------------------------------------
# Workloads


def eval_cmds(args, file, n, crds, sizes_cpp=None):
    """The jsonnet-mode commands of one program: gwsonnet native first, then the peers on
    the source form. Returns (main group, go-jsonnet group, C++ group)."""
    tla = ["--tla-code", f"n={n}"] if n is not None else []
    J = ["-J", args.source]
    gw = Cmd("gwsonnet", [args.gwsonnet, *crds, *tla, file])
    main = [gw]
    if args.baseline:
        main.append(Cmd(f"gwsonnet {args.baseline_name}", [args.baseline, *crds, *tla, file]))
    main.append(Cmd("gwsonnet on source", [args.gwsonnet, *J, *tla, file]))
    for tool in ("jrsonnet", "rsjsonnet"):
        if tool in args.peers:
            main.append(Cmd(tool, [*args.peers[tool][0], *J, *tla, file]))
    slow = []
    if "go-jsonnet" in args.peers:
        slow.append(Cmd("go-jsonnet", [*args.peers["go-jsonnet"][0], *J, *tla, file],
                        note="python start-up subtracted"))
    cpp = []
    # Smoke: C++ jsonnet takes seconds to load the 1.5-experimental source; leave it out there.
    if "jsonnet-cpp" in args.peers and not (args.smoke and crds):
        if sizes_cpp is None or n is None:
            cpp.append(Cmd("jsonnet (C++)", [*args.peers["jsonnet-cpp"][0], *J, *tla, file]))
        else:
            t = ["--tla-code", f"n={sizes_cpp}"]
            cpp.append(Cmd(f"gwsonnet (n={sizes_cpp:,})", [args.gwsonnet, *crds, *t, file], size=sizes_cpp))
            cpp.append(Cmd(f"jsonnet (C++) (n={sizes_cpp:,})", [*args.peers["jsonnet-cpp"][0], *J, *t, file],
                           size=sizes_cpp))
    return main, slow, cpp


def workload_eval(args, name, file, n, crds, cpp_n, quick):
    """hello, routes, mixed, crd-load: JSON outputs. quick: all tools in one hyperfine call
    with more runs (start-up dominated)."""
    main, slow, cpp = eval_cmds(args, file, n, crds, cpp_n)
    log(f"== {name}: checking outputs")
    good = check_outputs(args, name, main + slow + ([c for c in cpp if c.size is None]), "json")
    if cpp and cpp[0].size is not None:
        good += check_outputs(args, name, cpp, "json")
    good = set(id(c) for c in good)
    keep = lambda cs: [c for c in cs if id(c) in good]  # noqa: E731
    main, slow, cpp = keep(main), keep(slow), keep(cpp)
    if not main or main[0].tool != "gwsonnet":
        return []
    gw = main[0]
    rows = []
    if quick:
        group = main + slow + [c for c in cpp if c.size is None]
        time_group(args, name, group, args.quick_runs, args.quick_warmup)
        rows = group
        if name == "hello" and args.go_startup_cmd:
            rows.append(args.go_startup_cmd)
    else:
        time_group(args, name, main, args.runs, args.warmup)
        rows += main
        if slow:
            gw_again = Cmd("gwsonnet", gw.argv)
            gw_again.rss = gw.rss
            time_group(args, name + "-go", [gw_again] + slow, args.slow_runs, 0, count=False)
            rows += slow
        if cpp:
            time_group(args, name + "-cpp", cpp, args.slow_runs, 0, count=False)
            rows += cpp
    for c in rows:
        if c.tool == "go-jsonnet" and args.go_startup is not None and c.median is not None:
            c.subtract = args.go_startup
    fl = None if quick else floor(args, name, gw)  # the floor of a start-up run says nothing
    if fl:
        rows.append(fl)
    return rows


def workload_k8s_hello(args):
    """k8s-hello: one Deployment from k8s-libsonnet 1.30 (start-up plus library), timed
    beside `gwsonnet -e 1` (the target: within 2 ms of it)."""
    rows = workload_eval(args, "k8s-hello", os.path.join(BENCH, "k8s-hello.jsonnet"), None, [], None, True)
    if rows:
        e1 = Cmd("gwsonnet -e 1", [args.gwsonnet, "-e", "1"])
        gw = Cmd("gwsonnet", rows[0].argv)
        time_group(args, "k8s-hello-e1", [gw, e1], args.quick_runs, args.quick_warmup, count=False)
        e1.ratio_to = None
        rows.append(e1)
        rows[0].vs_e1 = gw.median
    return rows


def workload_show(args, n):
    root = tanka_project(args, "tanka-show", 1, n, source_env=True)
    env = os.path.join(root, "environments", "e000")
    cmds = [Cmd("gwsonnet show", [args.gwsonnet, "show", env])]
    if args.baseline:
        cmds.append(Cmd(f"gwsonnet {args.baseline_name} show", [args.baseline, "show", env]))
    cmds.append(Cmd("gwsonnet show on source", [args.gwsonnet, "show", os.path.join(root, "environments", "source")]))
    if "jrsonnet" in args.peers:
        jr = args.peers["jrsonnet"][0][0]
        toyaml = os.path.join(args.work, "toyaml.py")
        sh = script(args, "jrsonnet-yaml-show.sh",
                    "#!/bin/bash\nset -eo pipefail\n"
                    f"{shlex.quote(jr)} -J {shlex.quote(env)} -J {shlex.quote(root)}/lib -J {shlex.quote(args.source)} "
                    f"{shlex.quote(env)}/main.jsonnet | {shlex.quote(sys.executable)} {shlex.quote(toyaml)}\n")
        cmds.append(Cmd("jrsonnet + PyYAML", [sh], note="PyYAML CSafeDumper; RSS: larger process"))
    log("== show: checking outputs")
    good = check_outputs(args, "show", cmds, "yaml")
    if not good or good[0].tool != "gwsonnet show":
        return []
    time_group(args, "show", good, args.runs, args.warmup)
    return good


def workload_export(args, envs, per_env):
    root = tanka_project(args, "tanka-export", envs, per_env)
    env_dir = os.path.join(root, "environments")
    out = os.path.join(args.work, "export-out")
    fmt = "{{.metadata.namespace}}/{{.apiVersion}}.{{.kind}}-{{.metadata.name}}"
    prepare = script(args, "export-prepare.sh", f"#!/bin/sh\nrm -rf {shlex.quote(out)}\nmkdir -p {shlex.quote(out)}\n")
    cmds = []
    binaries = [("", args.gwsonnet)] + ([(f" {args.baseline_name}", args.baseline)] if args.baseline else [])
    for label, binary in binaries:
        for p in (2, 1):
            c = Cmd(f"gwsonnet{label} export -p {p}",
                    [binary, "export", os.path.join(out, f"gw{label.strip()}{p}"), env_dir, "-r", "--format", fmt,
                     "-p", str(p)])
            c.tree = c.argv[2]
            cmds.append(c)
    if "jrsonnet" in args.peers:
        jr = args.peers["jrsonnet"][0][0]
        envs_list = sorted(os.path.join(env_dir, e) for e in os.listdir(env_dir))
        for p in (2, 1):
            tree = os.path.join(out, f"jr{p}")
            c = Cmd(f"jrsonnet + PyYAML, {p} job{'s' if p > 1 else ''}",
                    [sys.executable, os.path.join(args.work, "toyaml.py"), "--export", str(p), tree, jr,
                     f"{root}/lib:{args.source}", *envs_list],
                    note="one python, jrsonnet per env")
            c.tree = tree
            cmds.append(c)
    log("== export: checking outputs")
    subprocess.run([prepare], check=True)
    good = check_outputs(args, "export", cmds, "tree")
    if len(good) >= 2 and good[0].tool.startswith("gwsonnet export -p 2") and good[1].tool.startswith("gwsonnet export -p 1"):
        a = os.path.join(good[0].tree, "manifest.json")
        b = os.path.join(good[1].tree, "manifest.json")
        if open(a, "rb").read() != open(b, "rb").read():
            fail("export: manifest.json differs between -p 2 and -p 1")
    if not good or not good[0].tool.startswith("gwsonnet export -p 2"):
        return []
    time_group(args, "export", good, args.runs, args.warmup, prepare=[prepare])
    return good


# ---------------------------------------------------------------------------------------
# Report


def fmt_time(s):
    if s is None:
        return "-"
    if s < 0.01:
        return f"{s * 1000:.2f} ms"
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def fmt_count(n):
    return f"{n / 1e9:.2f} G" if n >= 1e9 else f"{n / 1e6:.1f} M"


def effective(c):
    """The median, less go-jsonnet's start-up; None when what is left is within its noise."""
    if c.median is None:
        return None
    net = c.median - c.subtract
    return None if c.subtract and net < 0.1 * c.median else net


def table(results, markdown):
    counted = any(c.instr for _, cmds in results for c in cmds)
    head = ["workload", "tool", "median", "× gwsonnet", "peak RSS"] + (["instructions (× gwsonnet)"] if counted else []) + ["note"]
    rows = []
    for workload, cmds in results:
        for c in cmds:
            t = effective(c)
            ref = effective(c.ratio_to) if c.ratio_to else None
            ratio = f"{t / ref:.2f}" if t is not None and ref else "-"
            note = c.note
            if c.subtract:
                note = f"start-up {c.subtract * 1000:.0f} ms subtracted (raw {fmt_time(c.median)})"
                if t is None:
                    note = f"raw {fmt_time(c.median)}: all of it start-up ({c.subtract * 1000:.0f} ms)"
            rss = mib(c.rss)
            if c.is_floor and t and ref:
                note = f"gwsonnet takes {ref / t:.1f}x this; {note}"
            instr = []
            if counted:
                base = c.ratio_to.instr if c.ratio_to else None
                instr = ["-" if not c.instr else fmt_count(c.instr) + (f" ({c.instr / base:.2f})" if base else "")]
            rows.append([workload, c.tool, fmt_time(t), ratio, rss, *instr, note])
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    line = lambda r: "  ".join(x.ljust(w) for x, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(head), line(["-" * w for w in widths])] + [line(r) for r in rows])


def targets(results):
    """The issue's targets, judged on this run's numbers."""
    by = {w: {c.tool: c for c in cs} for w, cs in results}
    out = []

    def verdict(ok):
        return "holds" if ok else "DOES NOT HOLD"

    r = by.get("routes")
    if r and "gwsonnet" in r:
        gw = r["gwsonnet"]
        if "jrsonnet" in r:
            jr = r["jrsonnet"]
            x = effective(jr) / effective(gw)
            out.append(f"routes: jrsonnet on source / gwsonnet = {x:.2f} (target >= 3): {verdict(x >= 3)}")
            m = gw.rss / jr.rss if gw.rss and jr.rss else float("nan")
            out.append(f"routes: gwsonnet peak RSS {m:.2f} of jrsonnet's (target <= 0.5): {verdict(m <= 0.5)}")
        fl = next((c for c in r.values() if c.tool.startswith("floor")), None)
        if fl:
            x = effective(gw) / fl.median
            out.append(f"routes: gwsonnet {x:.1f}x the output floor (target <= 4): {verdict(x <= 4)}")
    r = by.get("k8s")
    if r and "gwsonnet" in r:
        gw = r["gwsonnet"]
        for peer, want in (("jrsonnet", 3), ("go-jsonnet", 30)):
            if peer in r and effective(r[peer]):
                x = effective(r[peer]) / effective(gw)
                out.append(f"k8s: {peer} on source / gwsonnet = {x:.2f} (target >= {want}): {verdict(x >= want)}")
        if "jrsonnet" in r and gw.rss and r["jrsonnet"].rss:
            m = gw.rss / r["jrsonnet"].rss
            out.append(f"k8s: gwsonnet peak RSS {m:.2f} of jrsonnet's (target <= 0.5): {verdict(m <= 0.5)}")
    h = by.get("k8s-hello")
    if h and "gwsonnet" in h and "gwsonnet -e 1" in h and getattr(h["gwsonnet"], "vs_e1", None):
        a, b = h["gwsonnet"].vs_e1, h["gwsonnet -e 1"].median
        out.append(f"k8s-hello: one deployment.new {fmt_time(a)}, -e 1 {fmt_time(b)}, +{(a - b) * 1000:.1f} ms "
                   f"(target <= +2 ms): {verdict(a - b <= 0.002)}")
    h = by.get("hello")
    if h and "gwsonnet" in h and "jrsonnet" in h:
        a, b = effective(h["gwsonnet"]), effective(h["jrsonnet"])
        out.append(f"hello: gwsonnet {fmt_time(a)}, jrsonnet on source {fmt_time(b)} (target: no slower): {verdict(a <= b)}")
    c = by.get("crd-load")
    if c and "gwsonnet" in c:
        a = effective(c["gwsonnet"])
        out.append(f"crd-load: gwsonnet {fmt_time(a)} (target < 30 ms): {verdict(a < 0.030)}")
    for w, gwt in (("show", "gwsonnet show"), ("export", "gwsonnet export -p 2")):
        s = by.get(w)
        if s and gwt in s:
            # the fastest way through jrsonnet + PyYAML (1 or 2 jobs)
            peers = [x for x in s.values() if x.tool.startswith("jrsonnet + PyYAML") and x.median]
            peer = min(peers, key=lambda x: x.median, default=None)
            if peer:
                x = effective(peer) / effective(s[gwt])
                out.append(f"{w}: {peer.tool} / {gwt} = {x:.2f} (target > 1): {verdict(x > 1)}")
    e = by.get("export")
    if e and "gwsonnet export -p 1" in e and "gwsonnet export -p 2" in e:
        x = effective(e["gwsonnet export -p 1"]) / effective(e["gwsonnet export -p 2"])
        out.append(f"export: -p 1 / -p 2 = {x:.2f} (target close to 2, here >= 1.8): {verdict(x >= 1.8)}")
    return out


# ---------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="tiny sizes, installed peers only, a few seconds")
    ap.add_argument("--only", default="", help="comma-separated workloads (hello,routes,mixed,crd-load,k8s,k8s-hello,show,export)")
    ap.add_argument("--peers", default="", help="only these peers (jrsonnet,rsjsonnet,go-jsonnet,jsonnet-cpp)")
    ap.add_argument("--gwsonnet", help="the binary to measure (run.sh builds target/release/gwsonnet)")
    ap.add_argument("--baseline", help="another gwsonnet binary timed beside it (e.g. before a change)")
    ap.add_argument("--baseline-name", default="baseline", help="its label in the table")
    ap.add_argument("--floor", help="the bench_floor binary (run.sh builds examples/bench_floor.rs)")
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"), help="the shared test data (CRDs)")
    ap.add_argument("--runs", type=int, default=10, help="timed runs of the big workloads")
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--quick-runs", type=int, default=30, help="timed runs of hello and crd-load")
    ap.add_argument("--quick-warmup", type=int, default=3)
    ap.add_argument("--slow-runs", type=int, default=2, help="timed runs of go-jsonnet and C++ jsonnet")
    ap.add_argument("--routes", type=int, default=10000)
    ap.add_argument("--cpp-routes", type=int, default=1000, help="routes for C++ jsonnet (very slow)")
    ap.add_argument("--mixed", type=int, default=5000)
    ap.add_argument("--cpp-mixed", type=int, default=500, help="mixed objects for C++ jsonnet")
    ap.add_argument("--k8s", type=int, default=1000, help="Deployments (and as many Services) of the k8s workload")
    ap.add_argument("--cpp-k8s", type=int, default=100, help="k8s apps for C++ jsonnet")
    ap.add_argument("--show", type=int, default=5000, help="objects of the show environment")
    ap.add_argument("--envs", type=int, default=50, help="environments exported")
    ap.add_argument("--env-objects", type=int, default=100, help="objects per exported environment")
    ap.add_argument("--no-hyperfine", action="store_true", help="time with a plain loop")
    ap.add_argument("--instructions", action="store_true",
                    help="also count instructions with callgrind (gwsonnet, jrsonnet, rsjsonnet; ~50x slower)")
    ap.add_argument("--no-timing", action="store_true", help="check outputs (and count instructions) only")
    ap.add_argument("--markdown", action="store_true", help="print the table as markdown")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--keep", help="work in this directory and keep it")
    args = ap.parse_args()
    if args.smoke:
        args.routes, args.cpp_routes, args.mixed, args.cpp_mixed = 20, 10, 10, 5
        args.k8s, args.cpp_k8s = 10, 5
        args.show, args.envs, args.env_objects = 20, 3, 4
        args.runs = args.quick_runs = args.slow_runs = 1
        args.warmup = args.quick_warmup = 0
    if not args.gwsonnet:
        sys.exit("--gwsonnet BINARY is needed (benches/run.sh builds and passes it)")
    args.gwsonnet = os.path.abspath(args.gwsonnet)
    if args.floor:
        args.floor = os.path.abspath(args.floor)
    if args.baseline:
        args.baseline = os.path.abspath(args.baseline)
    only = set(filter(None, args.only.split(",")))
    args.peers_only = set(filter(None, args.peers.split(",")))
    want = lambda w: not only or w in only  # noqa: E731

    # On tmpfs when there is one: on this machine's disk creating a file costs about 1 ms,
    # which would make export-50 measure the filesystem.
    tmp_root = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    args.work = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="gwsonnet-bench-", dir=tmp_root)
    if args.keep:
        shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(os.path.join(args.work, "out"), exist_ok=True)
    try:
        script(args, "gojsonnet.py", GO_WRAPPER)
        script(args, "toyaml.py", TO_YAML)
        args.peers = find_peers(args)
        if args.peers_only:
            args.peers = {k: v for k, v in args.peers.items() if k in args.peers_only}
        args.hyperfine = None if args.no_hyperfine or args.no_timing else find_hyperfine(args)
        args.valgrind = which("valgrind")
        if args.instructions and not args.valgrind:
            sys.exit("--instructions needs valgrind")
        args.go_startup, args.go_startup_cmd = None, None
        if "go-jsonnet" in args.peers:
            # What the wrapper costs before go-jsonnet evaluates anything: subtracted from
            # every go-jsonnet time, shown as its own row under hello.
            start = Cmd("go-jsonnet start-up", [*args.peers["go-jsonnet"][0], "--startup"],
                        note="python3 + import _gojsonnet + evaluate {}")
            time_group(args, "go-startup", [start], args.quick_runs, args.quick_warmup)
            start.ratio_to = None
            args.go_startup, args.go_startup_cmd = start.median, start
        crds = os.path.join(args.shared, CRD_BUNDLE)
        args.crds = crds if os.path.isdir(crds) else None
        if not args.crds:
            log(f"skipped: mixed and crd-load need the CRD bundle {crds}")
        k8s = os.path.join(args.shared, K8S_PUBLISHED)
        args.k8s_source = os.path.abspath(k8s) if os.path.isdir(k8s) else None
        if not args.k8s_source:
            log(f"skipped: k8s and k8s-hello need the published k8s-libsonnet {k8s}")
        args.source = write_sources(args)
        probe_source(args)

        log(f"gwsonnet: {args.gwsonnet}")
        for tool, (argv, ver) in args.peers.items():
            log(f"{tool}: {ver} ({argv[-1]})")
        log(f"hyperfine: {version_of([args.hyperfine, '--version']) if args.hyperfine else 'missing: plain timing loop'}")

        results = []
        crd_flags = ["--crds", args.crds] if args.crds else []
        if want("hello"):
            results.append(("hello", workload_eval(args, "hello", os.path.join(BENCH, "hello.jsonnet"), None, [], None, True)))
        if want("routes"):
            results.append((f"routes-{args.routes // 1000}k" if args.routes >= 1000 else f"routes-{args.routes}",
                            workload_eval(args, "routes", os.path.join(BENCH, "tcproutes.jsonnet"), args.routes, [],
                                          args.cpp_routes, False)))
        if want("mixed") and args.crds:
            results.append((f"mixed-{args.mixed // 1000}k" if args.mixed >= 1000 else f"mixed-{args.mixed}",
                            workload_eval(args, "mixed", os.path.join(BENCH, "mixed.jsonnet"), args.mixed, crd_flags,
                                          args.cpp_mixed, False)))
        if want("crd-load") and args.crds:
            results.append(("crd-load", workload_eval(args, "crd-load", os.path.join(BENCH, "crdload.jsonnet"), None,
                                                      crd_flags, None, True)))
        if want("k8s") and args.k8s_source:
            results.append((f"k8s-{args.k8s // 1000}k" if args.k8s >= 1000 else f"k8s-{args.k8s}",
                            workload_eval(args, "k8s", os.path.join(BENCH, "k8s.jsonnet"), args.k8s, [],
                                          args.cpp_k8s, False)))
        if want("k8s-hello") and args.k8s_source:
            results.append(("k8s-hello", workload_k8s_hello(args)))
        if want("show"):
            results.append((f"show-{args.show // 1000}k" if args.show >= 1000 else f"show-{args.show}",
                            workload_show(args, args.show)))
        if want("export"):
            results.append((f"export-{args.envs}", workload_export(args, args.envs, args.env_objects)))

        # internal names for targets()
        keyed = [(w if w in ("crd-load", "k8s-hello") else w.split("-")[0], cs) for w, cs in results]
        print()
        print(f"gwsonnet {version_of([args.gwsonnet, '--version'])}; peers: "
              + "; ".join(v for _, v in args.peers.values()))
        print(table(results, args.markdown))
        print()
        if args.smoke:
            print("(smoke run: sizes too small to judge the targets)")
        else:
            try:
                for t in targets(keyed):
                    print(t)
            except (TypeError, ZeroDivisionError):
                print("targets: not judged, some times were not measured")
        if args.json:
            with open(args.json, "w") as f:
                json.dump([{"workload": w, "tool": c.tool, "median_s": effective(c), "raw_median_s": c.median,
                            "peak_rss_kib": c.rss, "instructions": c.instr, "note": c.note} for w, cs in results for c in cs], f, indent=1)
        if FAILURES:
            print(f"\nFAILED: {len(FAILURES)} check(s):")
            for f_ in FAILURES:
                print("  " + f_)
            sys.exit(1)
    finally:
        if not args.keep:
            shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
