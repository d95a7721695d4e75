// spec.rules.withBackendRefs(/Mixin) and spec.rules.backendRefs.withX.
local tcpRoute = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway.v1alpha2.tcpRoute;
local r = tcpRoute.spec.rules;
local b = r.backendRefs;
{
  withBackendRefs: r.withBackendRefs([{ name: 'a', port: 1 }, { name: 'b', port: 2 }]),
  withBackendRefs_single: r.withBackendRefs({ name: 'a', port: 1 }),
  withBackendRefsMixin: r.withBackendRefsMixin([{ name: 'a' }]),
  withBackendRefsMixin_single: r.withBackendRefsMixin({ name: 'a' }),
  backendRefs: {
    withGroup: b.withGroup(''),
    withKind: b.withKind('Service'),
    withName: b.withName('svc'),
    withNamespace: b.withNamespace('apps'),
    withPort: b.withPort(8080),
    withWeight: b.withWeight(10),
    withWeight_zero: b.withWeight(0),
    combined: b.withGroup('') + b.withKind('Service') + b.withName('svc') + b.withNamespace('apps') + b.withPort(8080) + b.withWeight(1),
  },
  mixin_accumulates: r.withBackendRefs(b.withName('a'))
    + r.withBackendRefsMixin(b.withName('b'))
    + r.withBackendRefsMixin([b.withName('c'), b.withName('d')]),
  in_route: tcpRoute.new('r') + tcpRoute.spec.withRules([
    r.withBackendRefs([b.withName('a') + b.withPort(80) + b.withWeight(1), b.withName('b') + b.withPort(81) + b.withWeight(3)]),
    r.withBackendRefs(b.withName('c')),
  ]),
}
