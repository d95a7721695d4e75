#!/usr/bin/env python3
"""Checks ../snakecase.json, ../name_formats.json and ../export_formats.json against a
real Tanka `tk` (or any binary with `tk export`'s command line, such as gwsonnet).

    python3 oracle/tk_export_check.py /path/to/tk tests/testdata/tanka_natives

Each case is one `tk export OUT environments/static --format TEMPLATE` of a static
environment whose main.jsonnet holds the one document: snakecase.json's keys as a
ConfigMap's name under `{{ .metadata.name | snakecase }}`, the other two files' templates
over their documents (export_formats.json's environment has the label `team: platform`
and the namespace `apps`; a document without apiVersion gets one, as `tk` requires).
The file `tk` writes, without `.yaml`, is compared with the golden; a golden `null` (Go's
template fails) must make `tk` fail. Two steps of `tk export` before and after the
template are named, not counted as agreement: `slash` (a `/` a template value renders
becomes `-`) and `injected` (the environment's namespace is set on a namespaced object
without one). Prints the counts and every case that is not an exact agreement.
"""
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
TK = sys.argv[1]
D = Path(sys.argv[2])

def export(doc, fmt, env_name="environments/static", labels=None, namespace=None):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "jsonnetfile.json").write_text("{}\n")
        env = root / env_name
        env.mkdir(parents=True)
        spec = {"apiVersion": "tanka.dev/v1alpha1", "kind": "Environment",
                "metadata": {"name": env_name, "labels": labels or {}},
                "spec": {"namespace": namespace} if namespace else {}}
        (env / "spec.json").write_text(json.dumps(spec))
        (env / "main.jsonnet").write_text(json.dumps({"doc": doc}))
        out = root / "out"
        o = subprocess.run([TK, "export", str(out), env_name, "--format", fmt], capture_output=True, text=True, cwd=root)
        if o.returncode:
            return ("ERR", o.stderr.strip().splitlines()[-1][:150])
        files = [str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name != "manifest.json"]
        if len(files) != 1:
            return ("ERR", "files %r" % files)
        return ("OK", files[0].removesuffix(".yaml"))

def report(name, rows):
    exact = sum(1 for r in rows if r[0] is True)
    print("%s: %d/%d agree exactly" % (name, exact, len(rows)))
    for ok, label, want, got in rows:
        if ok is not True:
            print("  %s: %s want %r tk %r" % (ok or "DIFFER", label, want, got))

rows = []
for name, want in json.loads((D / "snakecase.json").read_text()):
    doc = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}
    got = export(doc, "{{ .metadata.name | snakecase }}")
    rows.append((got == ("OK", want), name, want, got))
report("snakecase.json", rows)

for fname, env_kw in [("name_formats.json", {}), ("export_formats.json", {"labels": {"team": "platform"}, "namespace": "apps"})]:
    data = json.loads((D / fname).read_text())
    rows = []
    for r in data["results"]:
        doc = dict(data["docs"][r["doc"]])
        # tk refuses an object without apiVersion; no template here reads it.
        if "apiVersion" not in doc:
            assert "apiVersion" not in r["template"]
            doc["apiVersion"] = "apiextensions.k8s.io/v1"
        got = export(doc, r["template"], **env_kw)
        want = r.get("ok")
        ok = got == ("OK", want) if want is not None else got[0] == "ERR"
        literal = re.sub(r"{{.*?}}", "", r["template"])
        if not ok and want is not None and "/" not in literal and got == ("OK", want.replace("/", "-")):
            ok = "slash"  # tk replaces '/' inside template values with '-'
        if not ok and "namespace" in r["template"] and doc["metadata"].get("namespace") is None:
            ok = "injected"  # tk sets the environment's namespace on the object first
        rows.append((ok, "%s doc %d" % (r["template"], r["doc"]), want, got))
    report(fname, rows)
