#!/usr/bin/env bash
# Real-world check (not run in CI): Jsonnet code bases nobody here wrote, evaluated by
# gwsonnet and by go-jsonnet 0.22, compared byte for byte (stdout and exit code), then
# timed against the jrsonnet 0.5.0-pre98 CLI with hyperfine.
#
# Needs: the code bases as git mirrors (the search tool's `fetch` lays them out under
# $GWSONNET_MIRROR, default /work/.mirror: kubernetes-monitoring/kubernetes-mixin,
# grafana/grafonnet, grafana/grafonnet-lib, grafana/jsonnet-libs, jsonnet-libs/xtd,
# jsonnet-libs/docsonnet, jsonnet-libs/testonnet), python3 with `gojsonnet==0.22.0`,
# `jrsonnet` on PATH (`cargo install jrsonnet --version =0.5.0-pre98 --locked`),
# hyperfine. Nothing fetched is committed: everything is laid out in $WORK.
#
#   benches/realworld.sh            # compare everything, then time the named programs
#   RUNS=20 benches/realworld.sh    # more timing runs
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MIRROR=${GWSONNET_MIRROR:-/work/.mirror}
WORK=${GWSONNET_REALWORLD_DIR:-/tmp/gwsonnet-realworld}
RUNS=${RUNS:-10}
GW=$ROOT/target/release/gwsonnet
JR=${JRSONNET:-jrsonnet}

cargo build --release --quiet
command -v "$JR" >/dev/null || { echo "jrsonnet not found (JRSONNET=...)"; exit 1; }
python3 -c 'import _gojsonnet' || { echo "pip install gojsonnet==0.22.0"; exit 1; }

# --- lay out the code bases ------------------------------------------------------------
extract() { # owner+name dest
  local git="$MIRROR/$1/repo"
  [ -d "$git" ] || { echo "missing mirror $git (fetch github:${1/+//})"; exit 1; }
  mkdir -p "$2"
  git --git-dir="$git" archive HEAD | tar -x -C "$2"
}
rm -rf "$WORK"
V=$WORK/vendor
extract grafana+grafonnet "$V/github.com/grafana/grafonnet"
extract grafana+grafonnet-lib "$V/github.com/grafana/grafonnet-lib"
extract grafana+jsonnet-libs "$V/github.com/grafana/jsonnet-libs"
extract jsonnet-libs+xtd "$V/github.com/jsonnet-libs/xtd"
extract jsonnet-libs+docsonnet "$V/github.com/jsonnet-libs/docsonnet"
extract jsonnet-libs+testonnet "$V/github.com/jsonnet-libs/testonnet"
extract kubernetes-monitoring+kubernetes-mixin "$WORK/kubernetes-mixin"
# Short import names these code bases use (as jsonnet-bundler's legacy links lay out).
ln -s github.com/grafana/grafonnet-lib/grafonnet "$V/grafonnet"
ln -s github.com/grafana/grafonnet-lib/grafonnet-7.0 "$V/grafonnet-7.0"
ln -s github.com/jsonnet-libs/docsonnet/doc-util "$V/doc-util"
ln -s github.com/jsonnet-libs/xtd "$V/xtd"
ln -s github.com/grafana/jsonnet-libs/grafana-builder "$V/grafana-builder"
ln -s github.com/grafana/jsonnet-libs/mixin-utils "$V/mixin-utils"

# --- the programs: name <TAB> working dir <TAB> file, all with -J $V (and $EXTRA_J) ------
# Expressions are written to a file in their directory, so every tool runs the same way.
LIST=$WORK/programs.tsv
: >"$LIST"
add() { # name dir file
  printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$LIST"
}
add_code() { # name dir code
  printf '%s\n' "$3" >"$2/__realworld_$1.jsonnet"
  add "$1" "$2" "__realworld_$1.jsonnet"
}
K=$WORK/kubernetes-mixin
add_code k8s-mixin-dashboards "$K" "(import 'mixin.libsonnet').grafanaDashboards"
add_code k8s-mixin-alerts "$K" "(import 'mixin.libsonnet').prometheusAlerts"
add_code k8s-mixin-rules "$K" "(import 'mixin.libsonnet').prometheusRules"
G=$V/github.com/grafana/grafonnet
for ex in simple runtimeDashboard redMethod; do
  add "grafonnet-example-$ex" "$G/examples/$ex" main.libsonnet
done
RENDER="(import 'doc-util/main.libsonnet').render(import 'main.libsonnet')"
add_code grafonnet-docs "$G/gen/grafonnet-latest" "$RENDER"
add_code xtd-docs "$V/github.com/jsonnet-libs/xtd" "$RENDER"
for t in "$V"/github.com/jsonnet-libs/xtd/test/*_test.jsonnet; do
  add "xtd-$(basename "$t" .jsonnet)" "$(dirname "$t")" "$(basename "$t")"
done
MIXIN="local m = import 'mixin.libsonnet'; {alerts: std.get(m, 'prometheusAlerts', {}), rules: std.get(m, 'prometheusRules', {}), dashboards: std.get(m, 'grafanaDashboards', {})}"
for m in "$V"/github.com/grafana/jsonnet-libs/*-mixin; do
  [ -f "$m/mixin.libsonnet" ] && add_code "jsonnet-libs-$(basename "$m")" "$m" "$MIXIN"
done
for t in "$V"/github.com/grafana/grafonnet-lib/tests/*/test.jsonnet; do
  add "grafonnet-lib-$(basename "$(dirname "$t")")" "$(dirname "$t")" test.jsonnet
done
JPATH=(-J "$V" -J "$V/github.com/grafana/jsonnet-libs")

# go-jsonnet through its Python binding, with the CLI's `-J` and file arguments.
GOJSONNET=$WORK/gojsonnet.py
cat >"$GOJSONNET" <<'EOF'
import sys, _gojsonnet
args, jpath, path = sys.argv[1:], [], None
i = 0
while i < len(args):
    if args[i] == "-J": jpath.append(args[i + 1]); i += 2
    else: path = args[i]; i += 1
try:
    out = _gojsonnet.evaluate_file(path, jpathdir=jpath)
except RuntimeError as e:
    sys.stderr.write(str(e)); sys.exit(1)
sys.stdout.write(out)
EOF

# --- compare ------------------------------------------------------------------------------
total=0 same=0 gofail=0
DIFFS=$WORK/differences.txt
: >"$DIFFS"
while IFS=$'\t' read -r name dir file; do
  (cd "$dir" && python3 "$GOJSONNET" "${JPATH[@]}" "$file" >"$WORK/$name.go.out" 2>"$WORK/$name.go.err") && gorc=0 || gorc=$?
  if [ $gorc -ne 0 ]; then
    gofail=$((gofail + 1)); continue   # needs dependencies not laid out here
  fi
  total=$((total + 1))
  (cd "$dir" && "$GW" "${JPATH[@]}" "$file" >"$WORK/$name.gw.out" 2>"$WORK/$name.gw.err") && gwrc=0 || gwrc=$?
  if [ $gwrc -eq 0 ] && cmp -s "$WORK/$name.go.out" "$WORK/$name.gw.out"; then
    same=$((same + 1))
  else
    echo "$name: exit $gwrc; $(head -3 "$WORK/$name.gw.err" | tr '\n' ' ' | head -c 300)" >>"$DIFFS"
  fi
done <"$LIST"
echo "== gwsonnet vs go-jsonnet 0.22: $same identical of $total ($gofail more programs fail in go-jsonnet too: missing dependencies, not counted)"
if [ -s "$DIFFS" ]; then echo "differences (outputs in $WORK):"; cat "$DIFFS"; fi

# --- time against jrsonnet ------------------------------------------------------------------
TIMED=(k8s-mixin-dashboards k8s-mixin-alerts k8s-mixin-rules grafonnet-example-runtimeDashboard grafonnet-docs xtd-docs jsonnet-libs-kafka-mixin jsonnet-libs-windows-mixin)
echo "== wall time, $RUNS runs each (ratio = jrsonnet / gwsonnet; > 1 means gwsonnet is faster)"
ratios=()
for name in "${TIMED[@]}"; do
  IFS=$'\t' read -r _ dir file < <(awk -F'\t' -v n="$name" '$1 == n' "$LIST")
  json=$WORK/$name.hyperfine.json
  (cd "$dir" && hyperfine -N -w 2 -r "$RUNS" --export-json "$json" \
    "$GW ${JPATH[*]} $file" "$JR ${JPATH[*]} $file" >/dev/null 2>&1) || { echo "$name: timing failed"; continue; }
  read -r gw jr < <(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print(r[0]['mean'], r[1]['mean'])" "$json")
  ratio=$(python3 -c "print(f'{$jr/$gw:.2f}')")
  ratios+=("$ratio")
  printf '%-36s gwsonnet %6.3f s  jrsonnet %6.3f s  ratio %s\n' "$name" "$gw" "$jr" "$ratio"
done
python3 -c "import math,sys; r=[float(x) for x in sys.argv[1:]]; print(f'geometric mean ratio: {math.exp(sum(map(math.log, r))/len(r)):.2f} over {len(r)} programs')" "${ratios[@]}"
