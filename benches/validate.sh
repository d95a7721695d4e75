#!/usr/bin/env bash
# Benchmark: what validation adds to rendering N HTTPRoutes (default 10,000) of
# benches/validate/httproutes.jsonnet against the Gateway API CRDs of $CRDS (1.6 in
# ../shared): one release binary of gwsonnet,
#   render            gwsonnet --crds $CRDS httproutes.jsonnet
#   render+validate   the same with --validate
#   validate-json     gwsonnet validate --crds $CRDS on the rendered JSON
# for the routes as generated (values repeat across routes, as in real manifests)
# and with unique=true (every route's values differ: the validator's worst case).
# Prints hyperfine's wall and CPU times, then what validation adds from interleaved
# runs (render and render+validate one after the other, RUNS times, alternating which
# goes first: the median of the differences, steadier on a noisy shared machine than
# two separate series); with CALLGRIND=1 also the instructions (valgrind
# --tool=callgrind) of render and render+validate, in all and on the main thread
# outside the validator's work (the rendering's critical path), the stable measure.
#
# Standalone: not run by the test suite.
#   benches/validate.sh                          # build, then measure
#   N=2000 RUNS=3 SKIP_BUILD=1 benches/validate.sh
#
# Environment: N (routes, 10000), RUNS (timed runs, 10), CRDS
# (../shared/gateway-api/crds/1.6), SKIP_BUILD (1: use target/release/gwsonnet),
# CALLGRIND (1: count instructions too, with N/10 routes).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${N:-10000}
RUNS=${RUNS:-10}
CRDS=${CRDS:-$ROOT/../shared/gateway-api/crds/1.6}
PROG=$ROOT/benches/validate/httproutes.jsonnet
BIN=$ROOT/target/release/gwsonnet

cd "$ROOT"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  cargo build --release >&2
fi
[[ -x "$BIN" ]] || { echo "no binary at $BIN (build first)" >&2; exit 1; }
[[ -d "$CRDS" ]] || { echo "no CRDs at $CRDS" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

for unique in false true; do
  args=(--tla-code "n=$N" --tla-code "unique=$unique")
  "$BIN" "${args[@]}" "$PROG" >"$TMP/routes.json"
  # Every route is valid: a finding here is a bug of the benchmark or the validator.
  "$BIN" validate --crds "$CRDS" "$TMP/routes.json"
  echo "== $N HTTPRoutes, unique=$unique ($(wc -c <"$TMP/routes.json") bytes of JSON)"
  hyperfine --style basic --warmup 1 --runs "$RUNS" \
    -n render "$BIN --crds $CRDS ${args[*]} $PROG" \
    -n render+validate "$BIN --crds $CRDS --validate ${args[*]} $PROG" \
    -n validate-json "$BIN validate --crds $CRDS $TMP/routes.json"
  render=("$BIN" --crds "$CRDS" "${args[@]}" "$PROG")
  checked=("$BIN" --crds "$CRDS" --validate "${args[@]}" "$PROG")
  diffs=()
  for ((r = 0; r < RUNS; r++)); do
    if ((r % 2 == 0)); then order=(render checked); else order=(checked render); fi
    for which in "${order[@]}"; do
      start=$(date +%s%N)
      if [[ $which == render ]]; then "${render[@]}" >/dev/null; else "${checked[@]}" >/dev/null 2>&1; fi
      declare "t_$which=$(($(date +%s%N) - start))"
    done
    diffs+=("$(((t_checked - t_render) / 1000000)) $((t_render / 1000000)) $((t_checked / 1000000))")
  done
  printf '%s\n' "${diffs[@]}" | sort -n | awk -v n="$RUNS" '
    { d[NR] = $1; lines[NR] = $0 }
    END { split(lines[int((n + 1) / 2)], m, " ");
          printf "interleaved, %d pairs: validation adds %d ms (median; min %d, max %d) [that pair: render %d ms, with --validate %d ms]\n",
                 n, m[1], d[1], d[n], m[2], m[3] }'
  if [[ "${CALLGRIND:-0}" == 1 ]]; then
    small=(--tla-code "n=$((N / 10))" --tla-code "unique=$unique")
    for v in "" --validate; do
      rm -f "$TMP"/cg*
      valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$TMP/cg" \
        "$BIN" --crds "$CRDS" $v "${small[@]}" "$PROG" 2>&1 >/dev/null |
        sed -n "s/.*refs: */instructions, $((N / 10)) routes, render ${v:+with $v}: /p"
      main=$TMP/cg-01 # the main thread's counts
      total=$(sed -n 's/^summary: //p' "$main")
      work=$(callgrind_annotate --inclusive=yes "$main" 2>/dev/null |
        awk '/validate::batch::work/ && !w { gsub(",", "", $1); w = $1 } END { print w + 0 }')
      echo "  main thread outside the validator's work: $((total - ${work:-0}))"
    done
  fi
done
