#!/usr/bin/env bash
# Benchmark: N TCPRoutes (default 10,000) built with the gateway-api-libsonnet library
# (jsonnet/bench/tcproutes.jsonnet), evaluated by ONE release binary of gwsonnet twice:
#   native  the built-in library (Rust builtins; no -J)
#   source  the generated jsonnet source of the same library (`gwsonnet libsonnet`),
#           vendored at its import path in a temporary -J directory, so the disk copy
#           replaces the built-in kind (the resolver prefers files on disk)
# Both outputs must be byte-identical. Prints mean/min wall time, the ratio
# source/native and peak RSS. For reference, when a vendored copy of the published
# library is at $VENDOR, also gwsonnet on that upstream source and go-jsonnet (python
# binding _gojsonnet) on it.
#
# Standalone: not run by the test suite.
#   benches/tcproute.sh                       # build, then measure
#   N=2000 RUNS=3 SKIP_BUILD=1 benches/tcproute.sh
#
# Environment: N (routes, 10000), RUNS (timed runs per variant, 10), WARMUP (1),
# RSS_RUNS (runs measured with /usr/bin/time, 3), GO_RUNS (go-jsonnet runs, 3; 0 skips),
# VENDOR (/tmp/vendor), SKIP_BUILD (1: use the existing target/release/gwsonnet).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${N:-10000}
RUNS=${RUNS:-10}
WARMUP=${WARMUP:-1}
RSS_RUNS=${RSS_RUNS:-3}
GO_RUNS=${GO_RUNS:-3}
VENDOR=${VENDOR:-/tmp/vendor}
PKG=github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental
PROG=$ROOT/jsonnet/bench/tcproutes.jsonnet
BIN=$ROOT/target/release/gwsonnet

cd "$ROOT"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "== cargo build --release" >&2
  cargo build --release >&2
fi
[[ -x "$BIN" ]] || { echo "no binary at $BIN (build first)" >&2; exit 1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# The generated source, laid out at the published import path.
SRC_JPATH=$TMP/jpath
"$BIN" libsonnet --out "$SRC_JPATH/$PKG/_gen/gateway/v1alpha2" >/dev/null

# Make sure each variant uses the library it claims to: an error forced inside
# withFinalizers names the library file in its trace only when it is jsonnet source.
PROBE="(import '$PKG/main.libsonnet').gateway.v1alpha2.tcpRoute.metadata.withFinalizers(error 'probe').metadata.finalizers"
probe() { "$BIN" "$@" -e "$PROBE" 2>&1 >/dev/null || true; }
if probe | grep -q 'tcpRoute.libsonnet'; then
  echo "native variant does not use the built-in library" >&2; exit 1
fi
# (Traces print paths relative to the working directory when they can.)
if ! probe -J "$SRC_JPATH" | grep -q "$PKG/_gen/gateway/v1alpha2/tcpRoute.libsonnet"; then
  echo "source variant does not use the generated source" >&2; exit 1
fi

HAVE_VENDOR=0
if [[ -f "$VENDOR/$PKG/_gen/gateway/v1alpha2/tcpRoute.libsonnet" ]]; then
  HAVE_VENDOR=1
fi

# name|command (all write the JSON to stdout)
VARIANTS=(
  "native|$BIN --tla-code n=$N $PROG"
  "source|$BIN -J $SRC_JPATH --tla-code n=$N $PROG"
)
if [[ $HAVE_VENDOR == 1 ]]; then
  VARIANTS+=("upstream-source|$BIN -J $VENDOR --tla-code n=$N $PROG")
fi

echo "== outputs (N=$N)" >&2
for v in "${VARIANTS[@]}"; do
  name=${v%%|*}
  ${v#*|} >"$TMP/$name.json"
done
if ! cmp -s "$TMP/native.json" "$TMP/source.json"; then
  echo "FAIL: native and source outputs differ" >&2
  diff <(head -c 100000 "$TMP/native.json") <(head -c 100000 "$TMP/source.json") | head -20 >&2
  exit 1
fi
echo "native and source outputs are byte-identical ($(wc -c <"$TMP/native.json") bytes, sha256 $(sha256sum "$TMP/native.json" | cut -c1-16))"
if [[ $HAVE_VENDOR == 1 ]]; then
  if cmp -s "$TMP/native.json" "$TMP/upstream-source.json"; then
    echo "gwsonnet on the upstream source: identical output"
  else
    echo "gwsonnet on the upstream source: OUTPUT DIFFERS" >&2
  fi
fi

# Wall time.
echo "== wall time ($RUNS runs each, $WARMUP warm-up)" >&2
declare -A MEAN MIN SD
if command -v hyperfine >/dev/null; then
  args=()
  for v in "${VARIANTS[@]}"; do args+=(-n "${v%%|*}" "${v#*|}"); done
  hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" --export-json "$TMP/hf.json" "${args[@]}" >&2
  while read -r name mean min sd; do
    MEAN[$name]=$mean MIN[$name]=$min SD[$name]=$sd
  done < <(python3 - "$TMP/hf.json" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(r["command"], f'{r["mean"]:.3f}', f'{r["min"]:.3f}', f'{r["stddev"] or 0:.3f}')
EOF
  )
else
  echo "(hyperfine not found: timing with /usr/bin/time)" >&2
  for v in "${VARIANTS[@]}"; do
    name=${v%%|*}
    for _ in $(seq "$WARMUP"); do ${v#*|} >/dev/null; done
    : >"$TMP/$name.times"
    for _ in $(seq "$RUNS"); do
      /usr/bin/time -f '%e' -a -o "$TMP/$name.times" ${v#*|} >/dev/null
    done
    read -r mean min sd < <(python3 -c '
import statistics, sys
t = [float(x) for x in open(sys.argv[1]).read().split()]
print(f"{statistics.mean(t):.3f} {min(t):.3f} {statistics.pstdev(t):.3f}")' "$TMP/$name.times")
    MEAN[$name]=$mean MIN[$name]=$min SD[$name]=$sd
  done
fi

# Peak RSS (and elapsed) from /usr/bin/time: the largest RSS of RSS_RUNS runs.
echo "== peak RSS ($RSS_RUNS runs each)" >&2
declare -A RSS
for v in "${VARIANTS[@]}"; do
  name=${v%%|*}
  : >"$TMP/$name.rss"
  for _ in $(seq "$RSS_RUNS"); do
    /usr/bin/time -f '%M' -a -o "$TMP/$name.rss" ${v#*|} >/dev/null
  done
  RSS[$name]=$(sort -n "$TMP/$name.rss" | tail -1)
done

# go-jsonnet (python binding) on the upstream library, for reference.
GO_LINE=""
if [[ $HAVE_VENDOR == 1 && $GO_RUNS -gt 0 ]] && python3 -c 'import _gojsonnet' 2>/dev/null; then
  echo "== go-jsonnet ($GO_RUNS runs)" >&2
  cat >"$TMP/go.py" <<'EOF'
import sys, time, _gojsonnet
prog, vendor, n, out = sys.argv[1:5]
t0 = time.perf_counter()
s = _gojsonnet.evaluate_file(prog, jpathdir=[vendor], tla_codes={"n": n})
t1 = time.perf_counter()
open(out, "w").write(s)
print(f"{t1 - t0:.3f}", file=sys.stderr)
EOF
  : >"$TMP/go.times"
  : >"$TMP/go.rss"
  for _ in $(seq "$GO_RUNS"); do
    /usr/bin/time -f '%M' -a -o "$TMP/go.rss" \
      python3 "$TMP/go.py" "$PROG" "$VENDOR" "$N" "$TMP/go.json" 2>>"$TMP/go.times"
  done
  read -r gomean gomin < <(python3 -c '
import statistics, sys
t = [float(x) for x in open(sys.argv[1]).read().split() if x.replace(".", "").isdigit()]
print(f"{statistics.mean(t):.3f} {min(t):.3f}")' "$TMP/go.times")
  gorss=$(sort -n "$TMP/go.rss" | tail -1)
  if cmp -s "$TMP/native.json" "$TMP/go.json"; then same="identical output"; else same="OUTPUT DIFFERS"; fi
  GO_LINE=$(printf '%-16s %8s %8s %8s %10s  (%s; evaluate_file time, RSS includes python)' \
    go-jsonnet "$gomean" "$gomin" "-" "$gorss" "$same")
fi

echo
echo "TCPRoutes: $N   runs: $RUNS   binary: $BIN"
printf '%-16s %8s %8s %8s %10s\n' variant mean_s min_s sd_s peak_KiB
for v in "${VARIANTS[@]}"; do
  name=${v%%|*}
  printf '%-16s %8s %8s %8s %10s\n' "$name" "${MEAN[$name]}" "${MIN[$name]}" "${SD[$name]}" "${RSS[$name]}"
done
[[ -n "$GO_LINE" ]] && echo "$GO_LINE"
python3 - "${MEAN[native]}" "${MEAN[source]}" "${MIN[native]}" "${MIN[source]}" "${RSS[native]}" "${RSS[source]}" <<'EOF'
import sys
mn, ms, nn, ns, rn, rs = map(float, sys.argv[1:])
print(f"ratio source/native: mean {ms / mn:.2f}x, min {ns / nn:.2f}x; peak RSS source/native {rs / rn:.2f}x")
EOF
