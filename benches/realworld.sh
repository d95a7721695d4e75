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

# --- the programs: name <TAB> working dir <TAB> arguments ---------------------------------
LIST=$WORK/programs.tsv
: >"$LIST"
add() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$LIST"; }
K=$WORK/kubernetes-mixin
add k8s-mixin-dashboards "$K" "-J $V -e (import'mixin.libsonnet').grafanaDashboards"
add k8s-mixin-alerts "$K" "-J $V -e (import'mixin.libsonnet').prometheusAlerts"
add k8s-mixin-rules "$K" "-J $V -e (import'mixin.libsonnet').prometheusRules"
G=$V/github.com/grafana/grafonnet
for ex in simple runtimeDashboard redMethod; do
  add "grafonnet-example-$ex" "$G/examples/$ex" "-J $V main.libsonnet"
done
add grafonnet-docs "$G/gen/grafonnet-latest" "-J $V -e (import'doc-util/main.libsonnet').render(import'main.libsonnet')"
for t in "$V"/github.com/jsonnet-libs/xtd/test/*_test.jsonnet; do
  add "xtd-$(basename "$t" .jsonnet)" "$(dirname "$t")" "-J $V $(basename "$t")"
done
add xtd-docs "$V/github.com/jsonnet-libs/xtd" "-J $V -e (import'doc-util/main.libsonnet').render(import'main.libsonnet')"
MIXIN_EXPR="local m = import 'mixin.libsonnet'; {alerts: std.get(m, 'prometheusAlerts', {}), rules: std.get(m, 'prometheusRules', {}), dashboards: std.get(m, 'grafanaDashboards', {})}"
for m in "$V"/github.com/grafana/jsonnet-libs/*-mixin; do
  [ -f "$m/mixin.libsonnet" ] || continue
  add "jsonnet-libs-$(basename "$m")" "$m" "-J $V -J $V/github.com/grafana/jsonnet-libs -e MIXIN"
done
for t in "$V"/github.com/grafana/grafonnet-lib/tests/*/test.jsonnet; do
  add "grafonnet-lib-$(basename "$(dirname "$t")")" "$(dirname "$t")" "-J $V test.jsonnet"
done

# go-jsonnet through its Python binding, with the CLI's `-J`, `-e` and file arguments.
GOJSONNET=$WORK/gojsonnet.py
cat >"$GOJSONNET" <<'EOF'
import sys, _gojsonnet
args, jpath, code, path = sys.argv[1:], [], None, None
i = 0
while i < len(args):
    if args[i] == "-J": jpath.append(args[i + 1]); i += 2
    elif args[i] == "-e": code = args[i + 1]; i += 2
    else: path = args[i]; i += 1
try:
    out = (_gojsonnet.evaluate_snippet("<cmdline>", code, jpathdir=jpath) if code is not None
           else _gojsonnet.evaluate_file(path, jpathdir=jpath))
except RuntimeError as e:
    sys.stderr.write(str(e)); sys.exit(1)
sys.stdout.write(out)
EOF

# --- compare ------------------------------------------------------------------------------
args_of() { # the argument string with the mixin expression and `(import'x')` spacing
  local a=${1//MIXIN/__MIXIN__}
  a=${a//(import\'/(import \'}
  printf '%s' "$a"
}
total=0 same=0 gofail=0
DIFFS=$WORK/differences.txt
: >"$DIFFS"
while IFS=$'\t' read -r name dir argstr; do
  argstr=$(args_of "$argstr")
  read -r -a argv <<<"$argstr"
  # Re-join everything after -e into one argument.
  fixed=() ; i=0
  while [ $i -lt ${#argv[@]} ]; do
    if [ "${argv[$i]}" = "-e" ]; then
      rest="${argv[*]:$((i + 1))}"; rest=${rest//__MIXIN__/$MIXIN_EXPR}
      fixed+=(-e "$rest"); break
    fi
    fixed+=("${argv[$i]}"); i=$((i + 1))
  done
  printf '%s\0' "${fixed[@]}" >"$WORK/$name.args"
  (cd "$dir" && python3 "$GOJSONNET" "${fixed[@]}" >"$WORK/$name.go.out" 2>"$WORK/$name.go.err") && gorc=0 || gorc=$?
  if [ $gorc -ne 0 ]; then
    gofail=$((gofail + 1)); continue   # needs dependencies not laid out here
  fi
  total=$((total + 1))
  (cd "$dir" && "$GW" "${fixed[@]}" >"$WORK/$name.gw.out" 2>"$WORK/$name.gw.err") && gwrc=0 || gwrc=$?
  if [ $gwrc -eq 0 ] && cmp -s "$WORK/$name.go.out" "$WORK/$name.gw.out"; then
    same=$((same + 1))
  else
    echo "$name: exit $gwrc; $(head -c 300 "$WORK/$name.gw.err" | head -3 | tr '\n' ' ')" >>"$DIFFS"
    diff <(head -c 2000000 "$WORK/$name.go.out") <(head -c 2000000 "$WORK/$name.gw.out") | head -10 >>"$DIFFS" || true
  fi
done <"$LIST"
echo "== gwsonnet vs go-jsonnet 0.22: $same identical of $total ($gofail more programs fail in go-jsonnet too: missing dependencies, not counted)"
[ -s "$DIFFS" ] && { echo "differences ($DIFFS):"; grep -v '^[<>-]' "$DIFFS" | grep -v '^[0-9]' | head -40; }

# --- time against jrsonnet ------------------------------------------------------------------
TIMED=(k8s-mixin-dashboards k8s-mixin-alerts grafonnet-example-runtimeDashboard grafonnet-docs xtd-docs xtd-string_test)
echo "== wall time, $RUNS runs each (ratio = jrsonnet / gwsonnet; > 1 means gwsonnet is faster)"
ratios=()
for name in "${TIMED[@]}"; do
  dir=$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$LIST")
  mapfile -d '' fixed <"$WORK/$name.args"
  q=$(printf '%q ' "${fixed[@]}")
  json=$WORK/$name.hyperfine.json
  (cd "$dir" && hyperfine -N -w 2 -r "$RUNS" --export-json "$json" \
    "$GW $q" "$JR $q" >/dev/null 2>&1) || { echo "$name: timing failed"; continue; }
  read -r gw jr < <(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print(r[0]['mean'], r[1]['mean'])" "$json")
  ratio=$(python3 -c "print(f'{$jr/$gw:.2f}')")
  ratios+=("$ratio")
  printf '%-36s gwsonnet %6.3f s  jrsonnet %6.3f s  ratio %s\n' "$name" "$gw" "$jr" "$ratio"
done
python3 -c "import math,sys; r=[float(x) for x in sys.argv[1:]]; print(f'geometric mean ratio: {math.exp(sum(map(math.log, r))/len(r)):.2f} over {len(r)} programs')" "${ratios[@]}"
