// Benchmark `hello` (benches/run.sh): one TCPRoute, i.e. start-up plus library load.
local gateway = import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet';
gateway.gateway.v1alpha2.tcpRoute.new('x')
