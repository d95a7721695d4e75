// The package docs field '#' (doc-util's d.pkg) of every file of the import chain.
local main = import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet';
{
  main: main['#'],
  gen: (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/gen.libsonnet')['#'],
  gateway: main.gateway['#'],
  gateway_file: (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/_gen/gateway/main.libsonnet')['#'],
  v1alpha2: main.gateway.v1alpha2['#'],
  v1alpha2_file: (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/_gen/gateway/v1alpha2/main.libsonnet')['#'],
  v1beta1: main.gateway.v1beta1['#'],
  v1beta1_file: (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/_gen/gateway/v1beta1/main.libsonnet')['#'],
  tcpRoute: main.gateway.v1alpha2.tcpRoute['#'],
  tcpRoute_file: (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/_gen/gateway/v1alpha2/tcpRoute.libsonnet')['#'],
}
