// Every function: std.type, std.isFunction and arity (std.length of a function).
local tcpRoute = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway.v1alpha2.tcpRoute;
local fnsOf(o) = [k for k in std.objectFieldsAll(o) if std.isFunction(o[k])];
local levels = {
  tcpRoute: tcpRoute,
  metadata: tcpRoute.metadata,
  spec: tcpRoute.spec,
  'spec.parentRefs': tcpRoute.spec.parentRefs,
  'spec.rules': tcpRoute.spec.rules,
  'spec.rules.backendRefs': tcpRoute.spec.rules.backendRefs,
};
{
  [k]: { [f]: { type: std.type(levels[k][f]), arity: std.length(levels[k][f]) } for f in fnsOf(levels[k]) }
  for k in std.objectFields(levels)
} + {
  types: {
    tcpRoute: std.type(tcpRoute),
    metadata: std.type(tcpRoute.metadata),
    '#mixin': std.type(tcpRoute['#mixin']),
    '#new': std.type(tcpRoute['#new']),
  },
}
