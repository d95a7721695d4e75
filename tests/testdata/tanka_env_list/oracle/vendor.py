#!/usr/bin/env python3
"""Assembles vendor/ and vendor/modules.txt for a Tanka checkout from git mirrors.

This machine has no Go module proxy, so `tk` is built with `-mod=vendor` from sources
taken out of git repositories (one bare mirror per repository, e.g. made with
`git clone --mirror`). Usage:

    vendor.py [--overlay MODULE=DIR]... TANKA_DIR MIRROR_ROOT

TANKA_DIR is an unpacked Tanka tree (go.mod at its root); MIRROR_ROOT holds the
repositories as MIRROR_ROOT/OWNER+NAME/repo (a bare git directory, or a clone whose .git
is used). Every `require` of go.mod is written to vendor/modules.txt marked `## explicit`
(what `go build -mod=vendor` checks); each module whose repository is listed in REPOS and
present under MIRROR_ROOT is extracted at the tag or commit its version names, nested
modules left out (SUBSTITUTES: another ref where the mirror lacks that version; SHIMS:
files added so dependants compile; --overlay: a directory copied over the module), and
its package directories are listed. A module with no repository is written without
packages (fine when the build imports none of them: only tests do). Where each module
came from is printed and written to vendor/SOURCES.txt.
"""
import os
import re
import shutil
import subprocess
import sys

# module path -> (GitHub repository, directory of the module inside it)
REPOS = {
    "dario.cat/mergo": ("darccio/mergo", ""),
    "github.com/Masterminds/goutils": ("Masterminds/goutils", ""),
    "github.com/Masterminds/semver": ("Masterminds/semver", ""),
    "github.com/Masterminds/semver/v3": ("Masterminds/semver", ""),
    "github.com/Masterminds/sprig/v3": ("Masterminds/sprig", ""),
    "github.com/cenkalti/backoff/v5": ("cenkalti/backoff", ""),
    "github.com/cespare/xxhash/v2": ("cespare/xxhash", ""),
    "github.com/fatih/color": ("fatih/color", ""),
    "github.com/fatih/structs": ("fatih/structs", ""),
    "github.com/go-clix/cli": ("go-clix/cli", ""),
    "github.com/go-logr/logr": ("go-logr/logr", ""),
    "github.com/go-logr/stdr": ("go-logr/stdr", ""),
    "github.com/gobwas/glob": ("gobwas/glob", ""),
    "github.com/google/go-jsonnet": ("google/go-jsonnet", ""),
    "github.com/google/uuid": ("google/uuid", ""),
    "github.com/grpc-ecosystem/grpc-gateway/v2": ("grpc-ecosystem/grpc-gateway", ""),
    "github.com/hashicorp/errwrap": ("hashicorp/errwrap", ""),
    "github.com/hashicorp/go-multierror": ("hashicorp/go-multierror", ""),
    "github.com/huandu/xstrings": ("huandu/xstrings", ""),
    "github.com/mattn/go-colorable": ("mattn/go-colorable", ""),
    "github.com/mattn/go-isatty": ("mattn/go-isatty", ""),
    "github.com/mitchellh/copystructure": ("mitchellh/copystructure", ""),
    "github.com/mitchellh/reflectwalk": ("mitchellh/reflectwalk", ""),
    "github.com/pkg/errors": ("pkg/errors", ""),
    "github.com/posener/complete": ("posener/complete", ""),
    "github.com/rs/zerolog": ("rs/zerolog", ""),
    "github.com/shopspring/decimal": ("shopspring/decimal", ""),
    "github.com/spf13/cast": ("spf13/cast", ""),
    "github.com/spf13/pflag": ("spf13/pflag", ""),
    "github.com/stretchr/objx": ("stretchr/objx", ""),
    "github.com/thoas/go-funk": ("thoas/go-funk", ""),
    "go.opentelemetry.io/auto/sdk": ("open-telemetry/opentelemetry-go-instrumentation", "sdk"),
    "go.opentelemetry.io/proto/otlp": ("open-telemetry/opentelemetry-proto-go", "otlp"),
    "go.yaml.in/yaml/v2": ("yaml/go-yaml", ""),
    "google.golang.org/genproto/googleapis/api": ("googleapis/go-genproto", "googleapis/api"),
    "google.golang.org/genproto/googleapis/rpc": ("googleapis/go-genproto", "googleapis/rpc"),
    "google.golang.org/grpc": ("grpc/grpc-go", ""),
    "google.golang.org/protobuf": ("protocolbuffers/protobuf-go", ""),
    "gopkg.in/yaml.v2": ("go-yaml/yaml", ""),
    "gopkg.in/yaml.v3": ("go-yaml/yaml", ""),
    "k8s.io/apimachinery": ("kubernetes/apimachinery", ""),
    "k8s.io/klog/v2": ("kubernetes/klog", ""),
    "k8s.io/utils": ("kubernetes/utils", ""),
    "sigs.k8s.io/yaml": ("kubernetes-sigs/yaml", ""),
}
OTEL = "go.opentelemetry.io/otel"

# Versions newer than the mirrors' snapshots: the nearest older release (or the
# snapshot's head) is used instead. None of them is on the path of `tk env list`:
# logging (zerolog), sprig's helpers (semver/v3, xstrings), the OpenTelemetry exporter
# (backoff; v4's ExponentialBackOff has every field that exporter sets, under the v5
# path), errgroup (x/sync) and x/net. go-jsonnet is overlaid with the exact v0.22.0
# sources from its PyPI sdist (gojsonnet==0.22.0); the sdist lacks linter/ (`tk lint`),
# which comes from the mirror's head.
SUBSTITUTES = {
    "github.com/google/go-jsonnet": "HEAD",
    "github.com/rs/zerolog": "v1.35.0",
    "github.com/Masterminds/semver/v3": "v3.4.0",
    "github.com/huandu/xstrings": "v1.4.0",
    "github.com/cenkalti/backoff/v5": "v4.3.0",
    "golang.org/x/sync": "v0.19.0",
    "golang.org/x/net": "v0.56.0",
}

# Files added to a substituted module so that its dependants compile. sprig v3.3.0 calls
# xstrings.ToPascalCase (new in xstrings v1.5.0, upper camel case, which is what v1.4.0's
# ToCamelCase does); only sprig's `camelcase` template function uses it.
SHIMS = {
    "github.com/huandu/xstrings": (
        "zz_pascal_shim.go",
        "package xstrings\n\n"
        "// ToPascalCase is xstrings v1.5.0's name for v1.4.0's ToCamelCase.\n"
        "func ToPascalCase(str string) string { return ToCamelCase(str) }\n",
    ),
}


def locate(path):
    """The repository and module directory of a module path, or None."""
    if path.startswith("golang.org/x/"):
        return "golang/" + path.split("/")[2], ""
    if path == OTEL or path.startswith(OTEL + "/"):
        return "open-telemetry/opentelemetry-go", path[len(OTEL) + 1:]
    return REPOS.get(path)


def requirements(gomod):
    """(path, version) of every require line of a go.mod, in file order."""
    reqs, block = [], False
    for line in open(gomod, encoding="utf-8"):
        line = line.split("//")[0].strip()
        if line == "require (":
            block = True
        elif block and line == ")":
            block = False
        elif block and line:
            reqs.append(tuple(line.split()[:2]))
        elif line.startswith("require "):
            reqs.append(tuple(line.split()[1:3]))
    return reqs


def git_dir(mirrors, repo):
    """The git directory of a repository's mirror, or None."""
    base = os.path.join(mirrors, repo.replace("/", "+"), "repo")
    if os.path.isdir(os.path.join(base, ".git")):
        return os.path.join(base, ".git")
    return base if os.path.isdir(base) else None


def ref_of(version, subdir):
    """The git ref a module version names: a pseudo-version's commit, else the tag."""
    version = version.removesuffix("+incompatible")
    pseudo = re.search(r"\d{14}-([0-9a-f]{12})$", version)
    if pseudo:
        return pseudo.group(1)
    return f"{subdir}/{version}" if subdir else version


def extract(gitdir, ref, subdir, dest):
    """Writes the module tree at ref below dest, nested modules left out.

    Returns the files whose contents the mirror lacks (a mirror may leave out its largest
    blobs); they are skipped, so the build fails only if a needed package is hit."""
    prefix = subdir + "/" if subdir else ""
    listing = subprocess.run(
        ["git", "-C", gitdir, "ls-tree", "-r", "-z", f"{ref}^{{commit}}", "--", prefix or "."],
        check=True, capture_output=True).stdout.decode()
    entries = []
    for item in filter(None, listing.split("\0")):
        meta, name = item.split("\t", 1)
        mode, kind, sha = meta.split()
        if kind == "blob" and mode != "120000":
            entries.append((name, sha))
    nested = {os.path.dirname(n) for n, _ in entries
              if os.path.basename(n) == "go.mod" and n != prefix + "go.mod"}
    entries = [(n[len(prefix):], sha) for n, sha in entries
               if not any(n.startswith(d + "/") for d in nested)]
    absent = []
    cat = subprocess.Popen(["git", "-C", gitdir, "cat-file", "--batch"],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    for rel, sha in entries:
        cat.stdin.write(sha.encode() + b"\n")
        cat.stdin.flush()
        header = cat.stdout.readline().split()
        if header[1] == b"missing":
            absent.append(rel)
            continue
        data = cat.stdout.read(int(header[2]))
        cat.stdout.read(1)
        target = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as out:
            out.write(data)
    cat.stdin.close()
    cat.wait()
    return absent


def go_version(moddir):
    """The `go` directive of a module's go.mod, or None."""
    gomod = os.path.join(moddir, "go.mod")
    if os.path.exists(gomod):
        for line in open(gomod, encoding="utf-8"):
            if line.startswith("go "):
                return line.split()[1]
    return None


def packages(path, moddir):
    """Import paths of the directories of a module holding non-test Go files."""
    found = []
    for root, dirs, files in os.walk(moddir):
        dirs[:] = sorted(d for d in dirs if d != "testdata" and d[0] not in "._")
        if any(f.endswith(".go") and not f.endswith("_test.go") for f in files):
            rel = os.path.relpath(root, moddir)
            found.append(path if rel == "." else f"{path}/{rel}")
    return found


def main():
    args = sys.argv[1:]
    overlays = {}
    while len(args) > 2 and args[0] == "--overlay":
        module, _, directory = args[1].partition("=")
        overlays[module] = directory
        args = args[2:]
    if len(args) != 2:
        sys.exit("usage: vendor.py [--overlay MODULE=DIR]... TANKA_DIR MIRROR_ROOT")
    tanka, mirrors = args
    vendor = os.path.join(tanka, "vendor")
    lines, report = [], []
    for path, version in requirements(os.path.join(tanka, "go.mod")):
        lines.append(f"# {path} {version}")
        where = locate(path)
        gitdir = where and git_dir(mirrors, where[0])
        if not gitdir:
            report.append(f"{path} {version}: no repository, no packages")
            lines.append("## explicit")
            continue
        ref = SUBSTITUTES.get(path, ref_of(version, where[1]))
        dest = os.path.join(vendor, path)
        try:
            absent = extract(gitdir, ref, where[1], dest)
        except subprocess.CalledProcessError:
            report.append(f"{path} {version}: {ref} not in {where[0]}, no packages")
            lines.append("## explicit")
            continue
        source = f"{where[0]} {ref}"
        if path in overlays:
            shutil.copytree(overlays[path], dest, dirs_exist_ok=True)
            source += f" overlaid with {overlays[path]}"
        if path in SHIMS:
            name, text = SHIMS[path]
            with open(os.path.join(dest, name), "w", encoding="utf-8") as out:
                out.write(text)
            source += f" plus {name}"
        if absent:
            source += f" ({len(absent)} files absent from the mirror, e.g. {absent[0]})"
        report.append(f"{path} {version}: {source}")
        gover = go_version(dest)
        lines.append("## explicit" + (f"; go {gover}" if gover else ""))
        lines.extend(packages(path, dest))
    with open(os.path.join(vendor, "modules.txt"), "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    with open(os.path.join(vendor, "SOURCES.txt"), "w", encoding="utf-8") as out:
        out.write("\n".join(report) + "\n")
    print("\n".join(report))


if __name__ == "__main__":
    main()
