#!/usr/bin/env bash
# The export cache and shards at monorepo scale (issue 21), release build, hyperfine.
# Generates ENVS environments of OBJECTS objects each (default 500 × 100, through the
# built-in k8s-libsonnet: benches/export_cache/generate.py) in a temporary directory,
# checks that cached and sharded exports equal the plain one, then times:
#   plain            export -r (no cache)
#   cold             export -r -c CACHE, the cache empty (it is filled)
#   warm, 1 changed  export -r -c CACHE, the cache warm and one environment's
#                    config.libsonnet changed (a comment appended before each run)
#   1 shard          export -r -p 1 (one core)
#   2 shards         export -r -p 1 --shard 1/2 & --shard 2/2 (two processes, one core each)
#   export-merge     of the two shards' outputs
# Not run in CI (minutes, and timings). SKIP_BUILD=1 uses target/release/gwsonnet as is;
# GWSONNET=path times that binary instead; WORK_BASE=dir makes the temporary directory
# there (default /dev/shm when it exists, else $TMPDIR or /tmp), e.g. on a disk.
#
#   benches/export_cache.sh                      # 500 × 100, 5 runs each
#   ENVS=50 OBJECTS=20 RUNS=2 benches/export_cache.sh
#   WORK_BASE=/var/tmp GWSONNET=target/release/gwsonnet benches/export_cache.sh   # on disk
set -euo pipefail
cd "$(dirname "$0")/.."
ENVS=${ENVS:-500}
OBJECTS=${OBJECTS:-100}
RUNS=${RUNS:-5}
if [[ -n "${GWSONNET:-}" ]]; then
  bin=$(realpath "$GWSONNET")
else
  if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    echo "== cargo build --release" >&2
    cargo build --release --bin gwsonnet >&2
  fi
  bin="${CARGO_TARGET_DIR:-$PWD/target}/release/gwsonnet"
fi
# /dev/shm when there is one: on this machine's disk each created file costs about 1 ms of
# system time (50,000 files), which would time the disk, not the export.
base=${WORK_BASE:-/dev/shm}
[[ -d $base && -w $base ]] || base=${TMPDIR:-/tmp}
work=$(mktemp -d "$base/gwsonnet-export-cache.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 benches/export_cache/generate.py "$work/repo" --envs "$ENVS" --objects "$OBJECTS"
cd "$work/repo"
g="$bin export --format {{env.metadata.name}}/{{.kind}}-{{.metadata.name}}"

echo "== checking: cached, warm and sharded exports equal the plain one" >&2
$g ../plain environments -r
$g ../cold environments -r -c ../cache
$g ../warm environments -r -c ../cache
$g ../s1 environments -r --shard 1/2
$g ../s2 environments -r --shard 2/2
"$bin" export-merge ../merged ../s1 ../s2
for d in cold warm merged; do diff -r ../plain "../$d" >/dev/null || { echo "$d differs" >&2; exit 1; }; done
echo "   $(find ../plain -type f | wc -l) files, $(du -sh ../plain | cut -f1)" >&2
rm -rf ../cold ../warm ../merged

change='echo "// $(date +%s%N)" >> environments/e0000/config.libsonnet'
hyperfine --runs "$RUNS" --export-markdown ../cache-results.md \
  --prepare 'rm -rf ../out' -n 'plain' "$g ../out environments -r" \
  --prepare 'rm -rf ../out ../cold' -n 'cold cache' "$g ../out environments -r -c ../cold" \
  --prepare "rm -rf ../out; $change" -n 'warm cache, 1 env changed' "$g ../out environments -r -c ../cache"
hyperfine --runs "$RUNS" --export-markdown ../shard-results.md \
  --prepare 'rm -rf ../out' -n '1 shard (-p 1)' "$g ../out environments -r -p 1" \
  --prepare 'rm -rf ../s1 ../s2' -n '2 shards, 2 processes (-p 1 each)' \
  "$g ../s1 environments -r -p 1 --shard 1/2 & $g ../s2 environments -r -p 1 --shard 2/2 & wait" \
  --prepare 'rm -rf ../merged' -n 'export-merge of the 2 shards' "$bin export-merge ../merged ../s1 ../s2"
cat ../cache-results.md ../shard-results.md
