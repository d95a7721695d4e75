#!/usr/bin/env bash
# Benchmark: what validation adds to rendering N HTTPRoutes (default 10,000) of
# benches/validate/httproutes.jsonnet against the Gateway API CRDs of $CRDS (1.6 in
# ../shared): one release binary of gwsonnet,
#   render            gwsonnet --crds $CRDS httproutes.jsonnet
#   render+validate   the same with --validate
#   validate-json     gwsonnet validate --crds $CRDS on the rendered JSON
# for the routes as generated (values repeat across routes, as in real manifests)
# and with unique=true (every route's values differ: the validator's worst case).
# Prints hyperfine's wall and CPU times; with CALLGRIND=1 also the instructions
# (valgrind --tool=callgrind) of render and render+validate, the stable measure on
# a shared machine.
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
  if [[ "${CALLGRIND:-0}" == 1 ]]; then
    small=(--tla-code "n=$((N / 10))" --tla-code "unique=$unique")
    for v in "" --validate; do
      valgrind --tool=callgrind --callgrind-out-file="$TMP/cg" \
        "$BIN" --crds "$CRDS" $v "${small[@]}" "$PROG" 2>&1 >/dev/null |
        sed -n "s/.*refs: */instructions, $((N / 10)) routes, render ${v:+with $v}: /p"
    done
  fi
done
