#!/usr/bin/env python3
"""Writes golden.json: what `tk env list` prints for the environments of testdata/.

Tanka could not be built on this machine (it needs Go 1.26, the machine has Go 1.19), so
the expected output is derived here from Tanka's Go code (commit in PROVENANCE), not from
gwsonnet: `json.Marshal` of `[]*v1alpha1.Environment` (fields in struct order, the
`omitempty` ones left out when empty, `resourceDefaults`/`expectVersions` always there,
`data` left out because `tk env list` never evaluates it), `null` for no environment (a
nil slice), sorted by name; static environments are named after their directory relative
to the project root (spec.ParseDir), every environment's metadata.namespace is its entry
file relative to the root; the table is `text/tabwriter` with padding 4.
"""
import json


def env(name, namespace, spec_namespace, labels=None, api_server="https://localhost"):
    """One environment as Go's encoding/json writes v1alpha1.Environment."""
    metadata = {"name": name, "namespace": namespace}
    if labels:
        metadata["labels"] = dict(sorted(labels.items()))
    spec = {}
    if api_server:
        spec["apiServer"] = api_server
    spec["namespace"] = spec_namespace
    spec["resourceDefaults"] = {}
    spec["expectVersions"] = {}
    return {"apiVersion": "tanka.dev/v1alpha1", "kind": "Environment",
            "metadata": metadata, "spec": spec}


def marshal(envs):
    if not envs:
        return "null\n"
    envs = sorted(envs, key=lambda e: e["metadata"]["name"])
    text = json.dumps(envs, separators=(",", ":"), ensure_ascii=False)
    for c in "<>&":
        text = text.replace(c, "\\u%04x" % ord(c))
    return text + "\n"


def table(envs):
    rows = [["NAME", "NAMESPACE", "SERVER"]] + [
        [e["metadata"]["name"], e["spec"]["namespace"], e["spec"].get("apiServer", "")]
        for e in sorted(envs, key=lambda e: e["metadata"]["name"])]
    widths = [max(len(r[i]) for r in rows) + 4 for i in range(3)]
    return "".join("".join(c.ljust(w) for c, w in zip(r, widths)) + "\n" for r in rows)


def inline(case, name, ns):
    return env(name, f"cases/{case}/main.jsonnet", ns)


export_envs = [
    env("inline-namespace1", "test-export-envs/inline-envs/main.jsonnet", "inline-namespace1", {"type": "inline"}),
    env("inline-namespace2", "test-export-envs/inline-envs/main.jsonnet", "inline-namespace2", {"type": "inline"}),
    env("test-export-envs/static-env", "test-export-envs/static-env/main.jsonnet", "static", {"type": "static"}),
]

cases = [
    (["cases/array"], []),
    (["cases/object"], []),
    (["cases/function-with-zero-params"], [inline("function-with-zero-params", "inline", "inline")]),
    (["cases/inline-name-conflict"], [inline("inline-name-conflict", "base", "base"),
                                      inline("inline-name-conflict", "base-and-more", "base-and-more")]),
    (["cases/multiple-inline-envs"], [inline("multiple-inline-envs", n, n) for n in
                                      ["project1-env1", "project1-env2", "project2-env1"]]),
    (["cases/static-and-inline"], [env("cases/static-and-inline", "cases/static-and-inline/main.jsonnet", "static")]),
    (["cases/with-optional-tlas"], [inline("with-optional-tlas", "bar-baz", "inline")]),
    (["cases/withenv"], [inline("withenv", "withenv", "withenv")]),
    (["cases/withspecjson"], [env("cases/withspecjson", "cases/withspecjson/main.jsonnet", "withspec")]),
    (["cases/withtlas", "--tla-str", "foo=data", "--tla-str", "bar=1", "--tla-str", "baz=2"], []),
    (["test-export-envs"], export_envs),
    (["test-export-envs", "-l", "type=inline"], export_envs[:2]),
    (["test-export-envs", "-l", "type!=inline"], export_envs[2:]),
    (["test-export-envs-broken"], [env("test-export-envs-broken/static-env",
                                       "test-export-envs-broken/static-env/main.jsonnet", "static", {"type": "static"})]),
]

golden = []
for args, envs in cases:
    golden.append({"args": ["--json"] + args, "stdout": marshal(envs)})
golden.append({"args": ["test-export-envs"], "stdout": table(export_envs)})
golden.append({"args": ["--names", "test-export-envs", "-l", "type=inline"],
               "stdout": "".join(e["metadata"]["name"] + "\n" for e in export_envs[:2])})
with open("golden.json", "w") as f:
    json.dump(golden, f, indent=2)
    f.write("\n")
