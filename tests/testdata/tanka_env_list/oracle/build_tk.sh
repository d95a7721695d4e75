#!/usr/bin/env bash
# Builds Grafana Tanka's `tk` from source without a Go module proxy (see README.md).
#
#   build_tk.sh MIRROR_ROOT WORK_DIR
#
# MIRROR_ROOT: git mirrors as MIRROR_ROOT/OWNER+NAME/repo (grafana+tanka and every
# repository vendor.py lists); WORK_DIR: a scratch directory (the Tanka tree, the Go
# caches and the binary WORK_DIR/tk go there). Needs `go` 1.26.5 on PATH (README.md), pip
# and network access to PyPI (for go-jsonnet's sources, the `gojsonnet` sdist).
set -euo pipefail
TAG=v0.38.0
mirrors=$(realpath "$1")
mkdir -p "$2"
work=$(realpath "$2")
here=$(dirname "$(realpath "$0")")

rm -rf "$work/tanka" "$work/gojsonnet-0.22.0"
mkdir "$work/tanka"
git -C "$mirrors/grafana+tanka/repo" archive "$TAG" | tar -x -C "$work/tanka"
(cd "$work" && pip download --quiet --no-deps --no-binary :all: gojsonnet==0.22.0 \
  && tar xzf gojsonnet-0.22.0.tar.gz)
python3 "$here/vendor.py" --overlay "github.com/google/go-jsonnet=$work/gojsonnet-0.22.0" \
  "$work/tanka" "$mirrors"

cd "$work/tanka"
GOWORK=off GOTOOLCHAIN=local GOFLAGS=-mod=vendor GOPROXY=off CGO_ENABLED=0 \
  GOCACHE="$work/gocache" GOPATH="$work/gopath" \
  go build -o "$work/tk" \
  -ldflags "-s -w -X github.com/grafana/tanka/pkg/tanka.CurrentVersion=$TAG" ./cmd/tk
"$work/tk" --version
