#!/usr/bin/env bash
# The import graph at monorepo scale (issue 21): generates a Tanka repository of 1,000
# environments and 10,000 files (benches/imports_repo.py) and times, with hyperfine on the
# release binary, the whole graph (`tool importers` walks every environment's imports) for
# one changed lib/ file and for one deleted vendor/ file, and `tool imports` of one
# environment. Not run in CI.
#
#   benches/run.sh imports                 # build, generate, time
#   SKIP_BUILD=1 benches/imports.sh        # with the release binary already built
#   ENVS=500 FILES=5000 benches/imports.sh # another size
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  cargo build --release --bin gwsonnet >&2
fi
gw=$target/release/gwsonnet
# /dev/shm when there is one: on this machine's disk creating a file costs about 1 ms.
base=/dev/shm
[[ -d $base && -w $base ]] || base=${TMPDIR:-/tmp}
repo=$(mktemp -d "$base/gwsonnet-imports.XXXXXX")
trap 'rm -rf "$repo"' EXIT
python3 benches/imports_repo.py "$repo" --envs "${ENVS:-1000}" --files "${FILES:-10000}"
lib=$repo/lib/team0/file10.libsonnet
echo "environments importing $lib: $("$gw" tool importers --root "$repo" "$lib" | wc -l)"
echo "files in the tree of environments/team0/env0: $("$gw" tool imports "$repo/environments/team0/env0" | tr ',' '\n' | wc -l)"
hyperfine -N --warmup 1 --runs "${RUNS:-10}" \
  -n "tool importers, one lib/ file" "$gw tool importers --root $repo $lib" \
  -n "tool importers, one deleted vendor/ file" "$gw tool importers --root $repo deleted:$repo/vendor/pkg3/file50.libsonnet" \
  -n "tool imports, one environment" "$gw tool imports $repo/environments/team0/env0"
