// Every file of the published import chain resolves, with the library's shape.
local main = import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet';
local gen = import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/gen.libsonnet';
local gw = import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/_gen/gateway/main.libsonnet';
local v1a2 = import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/_gen/gateway/v1alpha2/main.libsonnet';
local kind = import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/_gen/gateway/v1alpha2/tcpRoute.libsonnet';
{
  main_manifests_empty: main,
  gen_manifests_empty: gen,
  main_fieldsAll: std.objectFieldsAll(main),
  gen_fieldsAll: std.objectFieldsAll(gen),
  gen_fields: std.objectFields(gen),
  gateway_fieldsAll: std.objectFieldsAll(gw),
  gateway_fields: std.objectFields(gw),
  v1alpha2_fieldsAll: std.objectFieldsAll(v1a2),
  v1alpha2_fields: std.objectFields(v1a2),
  v1beta1_fieldsAll: std.objectFieldsAll(import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/_gen/gateway/v1beta1/main.libsonnet'),
  kind_fields: std.objectFields(kind),
  kind_fieldsAll: std.objectFieldsAll(kind),
  via_main: main.gateway.v1alpha2.tcpRoute.new('main'),
  via_gen: gen.gateway.v1alpha2.tcpRoute.new('gen'),
  via_gateway: gw.v1alpha2.tcpRoute.new('gateway'),
  via_v1alpha2: v1a2.tcpRoute.new('v1alpha2'),
  via_kind: kind.new('kind'),
  kind_setters: kind.metadata.withNamespace('ns') + kind.spec.withRules(kind.spec.rules.withBackendRefs(kind.spec.rules.backendRefs.withName('b'))),
  main_plus_override: (main + { extra: 1 }).extra,
  gateway_plus_override: std.objectFields(gw + { v1: 1 }),
  kind_plus_override: (kind + { metadata+: { withName(name): { n: name } } }).new('o'),
}
