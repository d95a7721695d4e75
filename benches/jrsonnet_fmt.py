#!/usr/bin/env python3
"""Survey of jrsonnet-fmt, the one Jsonnet formatter on crates.io built on the parser
gwsonnet's language server uses (jrsonnet-rowan-parser =0.5.0-pre98), to decide whether
`gwsonnet lsp` can offer textDocument/formatting with it (issue 22; the verdict and the
figures are in docs/guide.md#formatting-not-offered).

For every .jsonnet/.libsonnet file under the folders given (copied to a temporary
folder first, since formatted text is evaluated in the file's own place) it counts:
  - refused: the formatter rejects the file (a syntax error it reports);
  - crashed: the formatter panics (exit status 101);
  - output does not parse: formatting its own output fails;
  - not idempotent: formatting the output again changes it;
  - comments changed: the multiset of comments (whitespace-normalised) differs;
  - evaluation differs: of the files that evaluate (before or after), the output or
    the exit status of `gwsonnet FILE` changed when the formatted text replaced it.
Standalone, not run by the test suite:
  cargo install --locked jrsonnet-fmt@0.5.0-pre98 --root /tmp/jrsonnet-fmt
  benches/jrsonnet_fmt.py /tmp/jrsonnet-fmt/bin/jrsonnet-fmt ../shared/conformance jsonnet examples
Environment: GWSONNET (the evaluator; default target/debug/gwsonnet).
"""
import collections, os, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GWSONNET = os.environ.get("GWSONNET", os.path.join(ROOT, "target/debug/gwsonnet"))


def comments(src):
    """The comments of a Jsonnet text, whitespace-normalised, skipping strings."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("|||", i):
            end = src.find("|||", i + 3)
            i = n if end < 0 else end + 3
        elif c in "'\"" or (c == "@" and src[i + 1:i + 2] in ("'", '"')):
            verbatim = c == "@"
            quote = src[i + 1] if verbatim else c
            i += 2 if verbatim else 1
            while i < n:
                if not verbatim and src[i] == "\\":
                    i += 2
                elif src[i] == quote and verbatim and src[i + 1:i + 2] == quote:
                    i += 2
                elif src[i] == quote:
                    i += 1
                    break
                else:
                    i += 1
        elif src.startswith("//", i) or c == "#" or src.startswith("/*", i):
            block = src.startswith("/*", i)
            end = src.find("*/", i + 2) if block else src.find("\n", i)
            end = n if end < 0 else end + (2 if block else 0)
            out.append(" ".join(src[i:end].split()))
            i = end
        else:
            i += 1
    return collections.Counter(out)


def run(cmd, cwd=None):
    """Exit status, stdout and stderr, the bytes decoded as they are (no newline
    translation: a CRLF file must stay CRLF)."""
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=60, cwd=cwd)
        text = lambda b: b.decode("utf-8", errors="replace")
        return r.returncode, text(r.stdout), text(r.stderr)
    except subprocess.TimeoutExpired:
        return None, "", "timeout"


def main():
    fmt, folders = sys.argv[1], sys.argv[2:]
    stats, examples = collections.Counter(), collections.defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="jrsonnet-fmt-survey-") as tmp:
        files = []
        for k, folder in enumerate(folders):
            copy = os.path.join(tmp, str(k))
            shutil.copytree(folder, copy, symlinks=True)
            for d, _, names in os.walk(copy):
                files += [os.path.join(d, f) for f in sorted(names)
                          if f.endswith((".jsonnet", ".libsonnet"))]

        def note(what, f):
            stats[what] += 1
            examples[what].append(os.path.relpath(f, tmp))

        for f in files:
            stats["files"] += 1
            src = open(f, encoding="utf-8", newline="").read()
            code, out, err = run([fmt, f])
            if code == 101:
                note("crashed", f)
                continue
            if code != 0:
                note("refused", f)
                continue
            stats["formatted"] += 1
            if out == src:
                stats["unchanged"] += 1
            if comments(src) != comments(out):
                note("comments changed", f)
            again = f + ".again.jsonnet"
            with open(again, "w", encoding="utf-8", newline="") as w:
                w.write(out)
            code2, out2, _ = run([fmt, again])
            os.remove(again)
            if code2 != 0:
                note("output does not parse", f)
            elif out2 != out:
                note("not idempotent", f)
            before = run([GWSONNET, f], cwd=os.path.dirname(f))
            with open(f, "w", encoding="utf-8", newline="") as w:
                w.write(out)
            after = run([GWSONNET, f], cwd=os.path.dirname(f))
            if before[0] == 0 or after[0] == 0:
                stats["evaluated"] += 1
                if before[:2] != after[:2]:
                    note("evaluation differs", f)
    for k, v in stats.items():
        print(f"{k}: {v}")
    for k, v in examples.items():
        print(f"{k}: " + " ".join(v))


if __name__ == "__main__":
    main()
