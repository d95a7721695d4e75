#!/usr/bin/env python3
"""Writes a Tanka monorepo for the import-graph benchmark (benches/imports.sh): by default
1,000 environments and 10,000 files in all.

Layout (counts for the defaults):
- vendor/: 20 packages of 100 files (2,000): each file imports the next one of its
  package and reads a text file, every package's main.libsonnet imports its first file;
- lib/: 50 team folders of 20 files (1,000): each imports two vendor packages and the
  team's next file;
- environments/<team>/<env>/: 1,000 environments of 7 files (7,000): main.jsonnet imports
  its six local files, which import three lib files of their team, one `../common`-style
  relative path and a data file by importstr.
Every file is about 1 kB of plausible Jsonnet (fields, comments, strings mentioning
`import` that are no import), so reading and lexing are measured too.

Usage: imports_repo.py DIR [--envs N] [--files N]
"""
import argparse
import os

FILLER = """  // Settings of %(name)s; the string below mentions import 'x' but is no import.
  note:: 'keep this in sync with the import of the base library',
  labels+: { app: '%(name)s', tier: 'backend', owner: 'team-%(team)s' },
  resources:: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  ports:: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }],
  replicas:: if std.length(self.labels) > 2 then 3 else 1,
"""


def body(name, team, imports):
    lines = ["{"]
    for i, (kind, path) in enumerate(imports):
        lines.append("  part%d: %s '%s'," % (i, kind, path))
    lines.append(FILLER % {"name": name, "team": team})
    lines.append("}")
    return "\n".join(lines) + "\n"


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--envs", type=int, default=1000)
    ap.add_argument("--files", type=int, default=10000)
    args = ap.parse_args()
    root = args.dir
    env_files = 7
    # Split the files: 70 % environments, 20 % vendor, 10 % lib (at least one each).
    envs = args.envs
    vendor_files = max(2, (args.files - envs * env_files) * 2 // 3)
    lib_files = max(1, args.files - envs * env_files - vendor_files)
    packages = max(1, vendor_files // 100)
    per_package = max(1, vendor_files // packages)
    teams = max(1, min(50, lib_files // 20 or 1))
    per_team = max(1, lib_files // teams)
    write(root, "jsonnetfile.json", "{}\n")
    count = 1
    for p in range(packages):
        write(root, "vendor/pkg%d/main.libsonnet" % p,
              body("pkg%d" % p, "vendor", [("import", "file0.libsonnet")]))
        write(root, "vendor/pkg%d/data.txt" % p, "package %d\n" % p)
        count += 2
        for f in range(per_package - 2):
            imports = [("importstr", "data.txt")]
            if f + 1 < per_package - 2:
                imports.append(("import", "file%d.libsonnet" % (f + 1)))
            write(root, "vendor/pkg%d/file%d.libsonnet" % (p, f), body("pkg%d-%d" % (p, f), "vendor", imports))
            count += 1
    for t in range(teams):
        for f in range(per_team):
            imports = [("import", "pkg%d/main.libsonnet" % ((t + f) % packages)),
                       ("import", "pkg%d/main.libsonnet" % ((t * 7 + f) % packages))]
            if f + 1 < per_team:
                imports.append(("import", "team%d/file%d.libsonnet" % (t, f + 1)))
            write(root, "lib/team%d/file%d.libsonnet" % (t, f), body("team%d-%d" % (t, f), t, imports))
            count += 1
    for e in range(envs):
        t = e % teams
        env = "environments/team%d/env%d" % (t, e)
        locals_ = ["config", "app", "db", "cache", "monitoring"]
        for i, name in enumerate(locals_):
            imports = [("import", "team%d/file%d.libsonnet" % (t, (e + i) % per_team)),
                       ("import", "../../../lib/team%d/file%d.libsonnet" % (t, (e + i + 1) % per_team)),
                       ("importstr", "values.yaml")]
            write(root, "%s/%s.libsonnet" % (env, name), body("%s-%s" % (name, e), t, imports))
        write(root, env + "/values.yaml", "replicas: %d\nimage: app:%d\n" % (e % 5 + 1, e))
        write(root, env + "/main.jsonnet",
              body("env%d" % e, t, [("import", n + ".libsonnet") for n in locals_]))
        count += env_files
    print("%s: %d environments, %d files" % (root, envs, count))


if __name__ == "__main__":
    main()
