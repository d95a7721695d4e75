#!/usr/bin/env bash
# Benchmark: validation of objects of the Kubernetes API's own kinds (the built-in
# OpenAPI data of the newest version), one release binary of gwsonnet:
#   validate-stream   gwsonnet validate on one multi-document YAML stream of N_DOCS
#                     built-in-kind documents (Deployments, Services, ConfigMaps in
#                     turn; about 30 MB at 100,000), generated here
#   render            gwsonnet on benches/validate/deployments.jsonnet (N_DEPLOY
#                     Deployments built with the built-in k8s-libsonnet)
#   render+validate   the same with --validate
# Prints the median wall time of RUNS runs of each, and what --validate adds from
# interleaved runs (render and render+validate one after the other, alternating which
# goes first: the median of the differences, steadier on a noisy shared machine).
# Targets (issue 18): validate-stream under 3 s at 100,000 documents, --validate
# adding under 0.5 s at 10,000 Deployments (2 cores).
#
# Standalone: not run by the test suite.
#   benches/validate_k8s.sh                       # build, then measure
#   N_DOCS=10000 RUNS=3 SKIP_BUILD=1 benches/validate_k8s.sh
#
# Environment: N_DOCS (100000), N_DEPLOY (10000), RUNS (5), SKIP_BUILD (1: use the
# release binary already built, in $CARGO_TARGET_DIR or target/).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N_DOCS=${N_DOCS:-100000}
N_DEPLOY=${N_DEPLOY:-10000}
RUNS=${RUNS:-5}
PROG=$ROOT/benches/validate/deployments.jsonnet
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/gwsonnet

cd "$ROOT"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  cargo build --release >&2
fi
[[ -x "$BIN" ]] || { echo "no binary at $BIN (build first)" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# The stream: document i is a Deployment, a Service or a ConfigMap, every one valid.
awk -v n="$N_DOCS" 'BEGIN {
  for (i = 0; i < n; i++) {
    if (i % 3 == 0) {
      printf "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-%d\n  namespace: apps\n  labels:\n    app.kubernetes.io/name: web-%d\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web-%d\n  strategy:\n    rollingUpdate:\n      maxSurge: 25%%\n      maxUnavailable: 0\n  template:\n    metadata:\n      labels:\n        app: web-%d\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n        ports:\n        - containerPort: 8080\n          name: http\n        resources:\n          requests: {cpu: 100m, memory: 128Mi}\n          limits: {memory: 256Mi}\n", i, i, i, i
    } else if (i % 3 == 1) {
      printf "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web-%d\n  namespace: apps\nspec:\n  selector:\n    app: web-%d\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n", i, i
    } else {
      printf "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-%d\n  namespace: apps\ndata:\n  index.html: \"<h1>web %d</h1>\"\n  LOG_LEVEL: info\n", i, i
    }
  }
}' >"$TMP/stream.yaml"

# Every document is valid: a finding here is a bug of the benchmark or the validator.
"$BIN" validate "$TMP/stream.yaml"
"$BIN" --validate --tla-code "n=$N_DEPLOY" "$PROG" >/dev/null

# The median wall time in ms of RUNS runs of a command.
median_ms() {
  local times=() start
  for ((r = 0; r < RUNS; r++)); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    times+=($((($(date +%s%N) - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p"
}

echo "== $N_DOCS documents, $(wc -c <"$TMP/stream.yaml") bytes of YAML"
echo "validate-stream: $(median_ms "$BIN" validate "$TMP/stream.yaml") ms (median of $RUNS)"

echo "== $N_DEPLOY Deployments of k8s-libsonnet"
render=("$BIN" --tla-code "n=$N_DEPLOY" "$PROG")
checked=("$BIN" --validate --tla-code "n=$N_DEPLOY" "$PROG")
echo "render: $(median_ms "${render[@]}") ms, render+validate: $(median_ms "${checked[@]}") ms (medians of $RUNS)"
diffs=()
for ((r = 0; r < RUNS; r++)); do
  if ((r % 2 == 0)); then order=(render checked); else order=(checked render); fi
  for which in "${order[@]}"; do
    start=$(date +%s%N)
    if [[ $which == render ]]; then "${render[@]}" >/dev/null; else "${checked[@]}" >/dev/null 2>&1; fi
    declare "t_$which=$(($(date +%s%N) - start))"
  done
  diffs+=("$(((t_checked - t_render) / 1000000))")
done
printf '%s\n' "${diffs[@]}" | sort -n | awk -v n="$RUNS" '
  { d[NR] = $1 }
  END { printf "interleaved, %d pairs: --validate adds %d ms (median; min %d, max %d)\n",
               n, d[int((n + 1) / 2)], d[1], d[n] }'
