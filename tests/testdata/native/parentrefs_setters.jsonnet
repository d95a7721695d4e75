// spec.parentRefs.withX: inside array elements the path restarts at the element.
local tcpRoute = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway.v1alpha2.tcpRoute;
local p = tcpRoute.spec.parentRefs;
{
  withGroup: p.withGroup('gateway.networking.k8s.io'),
  withGroup_empty: p.withGroup(''),
  withKind: p.withKind('Gateway'),
  withName: p.withName('gw'),
  withNamespace: p.withNamespace('infra'),
  withPort: p.withPort(8443),
  withSectionName: p.withSectionName('tcp'),
  combined: p.withGroup('g') + p.withKind('Gateway') + p.withName('gw') + p.withNamespace('ns') + p.withPort(80) + p.withSectionName('s'),
  in_route: tcpRoute.new('r') + tcpRoute.spec.withParentRefs([p.withName('a'), p.withName('b') + p.withPort(1)]),
}
