// Benchmark `crd-load` (benches/run.sh): one `new` of every kind of every version of the
// Gateway API 1.5-experimental library, i.e. what loading a CRD bundle costs.
//
//   gwsonnet --crds ../shared/gateway-api/crds/1.5-experimental jsonnet/bench/crdload.jsonnet
local gateway = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/1.5-experimental/main.libsonnet').gateway;
local visible(o) = [k for k in std.objectFields(o) if !std.startsWith(k, '#')];

[
  gateway[version][kind].new('x')
  for version in visible(gateway)
  for kind in visible(gateway[version])
]
