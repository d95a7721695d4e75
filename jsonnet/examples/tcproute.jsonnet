// A TCPRoute built with the built-in gateway-api-libsonnet library: no vendoring,
// no files on disk besides this one.
local gateway = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway;
local tcpRoute = gateway.v1alpha2.tcpRoute;

tcpRoute.new('x')
+ tcpRoute.metadata.withNamespace('ns')
+ tcpRoute.spec.withParentRefs(tcpRoute.spec.parentRefs.withName('gw'))
+ tcpRoute.spec.withRules([tcpRoute.spec.rules.withBackendRefs(
  tcpRoute.spec.rules.backendRefs.withName('svc') + tcpRoute.spec.rules.backendRefs.withPort(8080)
)])
