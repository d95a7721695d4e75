#!/usr/bin/env bash
# Benchmarks of gwsonnet against every peer (issue 12): builds the release binary and the
# output floor (examples/bench_floor.rs), installs the missing peers, checks that every
# peer's output equals gwsonnet's, times them side by side with hyperfine and prints one
# table (median, ratio to gwsonnet, peak RSS) and the issue's targets. Not run in CI
# except `--smoke` (tests/bench_smoke.rs). Workloads and flags: benches/harness.py --help.
#
#   benches/run.sh                         # everything, full sizes (about 10 minutes)
#   benches/run.sh --only hello,routes     # some workloads
#   benches/run.sh --smoke                 # tiny sizes, installed peers only, seconds
#   SKIP_BUILD=1 benches/run.sh ...        # measure the binaries already built
#   benches/run.sh realworld               # public code bases instead: benches/realworld.sh
#   benches/run.sh validate                # what --validate costs: benches/validate.sh
#   benches/run.sh imports                 # the import graph of 1,000 environments: benches/imports.sh
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  realworld | validate | imports)
    script=benches/$1.sh
    shift
    exec "$script" "$@"
    ;;
esac
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "== cargo build --release (gwsonnet, examples/bench_floor)" >&2
  cargo build --release --bin gwsonnet --example bench_floor >&2
fi
exec python3 benches/harness.py --gwsonnet target/release/gwsonnet \
  --floor target/release/examples/bench_floor "$@"
