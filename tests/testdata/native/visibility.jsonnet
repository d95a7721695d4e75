// std.objectFields / std.objectFieldsAll / objectHas(All) at every level.
local main = import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet';
local tcpRoute = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway.v1alpha2.tcpRoute;
local levels = {
  main: main,
  gateway: main.gateway,
  v1alpha2: main.gateway.v1alpha2,
  tcpRoute: tcpRoute,
  metadata: tcpRoute.metadata,
  spec: tcpRoute.spec,
  'spec.parentRefs': tcpRoute.spec.parentRefs,
  'spec.rules': tcpRoute.spec.rules,
  'spec.rules.backendRefs': tcpRoute.spec.rules.backendRefs,
  mixin: tcpRoute.mixin,
  'mixin.metadata': tcpRoute.mixin.metadata,
};
{
  [k]: {
    fields: std.objectFields(levels[k]),
    fieldsAll: std.objectFieldsAll(levels[k]),
    hidden: std.setDiff(std.objectFieldsAll(levels[k]), std.objectFields(levels[k])),
    length: std.length(levels[k]),
  }
  for k in std.objectFields(levels)
} + {
  tcpRoute_fields_exact: std.objectFields(tcpRoute) == ['#mixin', 'metadata', 'mixin', 'new', 'spec'],
  has: {
    new: std.objectHas(tcpRoute, 'new'),
    '#new': std.objectHas(tcpRoute, '#new'),
    '#new_all': std.objectHasAll(tcpRoute, '#new'),
    '#': std.objectHas(tcpRoute, '#'),
    '#_all': std.objectHasAll(tcpRoute, '#'),
    '#mixin': std.objectHas(tcpRoute, '#mixin'),
    '#metadata_all': std.objectHasAll(tcpRoute, '#metadata'),
    '#metadata': std.objectHas(tcpRoute, '#metadata'),
    'metadata.#withName': std.objectHas(tcpRoute.metadata, '#withName'),
    'metadata.#withName_all': std.objectHasAll(tcpRoute.metadata, '#withName'),
    'spec.#parentRefs_all': std.objectHasAll(tcpRoute.spec, '#parentRefs'),
    'spec.#parentRefs': std.objectHas(tcpRoute.spec, '#parentRefs'),
    'spec.rules.#backendRefs_all': std.objectHasAll(tcpRoute.spec.rules, '#backendRefs'),
    'main.gateway': std.objectHas(main, 'gateway'),
    'main.gateway_all': std.objectHasAll(main, 'gateway'),
    'gateway.v1beta1': std.objectHas(main.gateway, 'v1beta1'),
    'v1alpha2.httpRoute': std.objectHas(main.gateway.v1alpha2, 'httpRoute'),
    'metadata.withNope': std.objectHasAll(tcpRoute.metadata, 'withNope'),
    'metadata.withNameMixin': std.objectHasAll(tcpRoute.metadata, 'withNameMixin'),
    'spec.parentRefs.withNameMixin': std.objectHasAll(tcpRoute.spec.parentRefs, 'withNameMixin'),
  },
  main_manifest: main,
  gateway_v1alpha2_keys_in_kind_order: std.objectFieldsAll(main.gateway.v1alpha2),
}
