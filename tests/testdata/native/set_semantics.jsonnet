// withX sets the leaf with ':' inside '+:' parents: siblings survive, the leaf is replaced,
// and ':' / '+:' inherit the visibility of what they override.
local tcpRoute = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway.v1alpha2.tcpRoute;
local m = tcpRoute.metadata;
local s = tcpRoute.spec;
local base = { apiVersion: 'v', metadata: { name: 'a', labels: { old: '1' }, annotations: { k: 'v' } }, spec: { rules: [1], parentRefs: [2] } };
{
  replaces_leaf_keeps_siblings: base + m.withLabels({ new: '2' }),
  replace_map_with_empty: base + m.withAnnotations({}),
  spec_replace: base + s.withRules([3]) + s.withParentRefs(4),
  hidden_parent_stays_hidden: { metadata:: { x: 1 } } + m.withName('hidden'),
  hidden_parent_still_readable: ({ metadata:: { x: 1 } } + m.withName('hidden')).metadata,
  hidden_leaf_stays_hidden: { metadata+: { name:: 'a' } } + m.withName('b'),
  hidden_leaf_readable: ({ metadata+: { name:: 'a' } } + m.withName('b')).metadata.name,
  forced_visible_leaf: { metadata+: { name::: 'a' } } + m.withName('b'),
  hidden_labels_mixin: ({ metadata+: { labels:: { a: '1' } } } + m.withLabelsMixin({ b: '2' })),
  hidden_labels_mixin_value: ({ metadata+: { labels:: { a: '1' } } } + m.withLabelsMixin({ b: '2' })).metadata.labels,
  setter_then_override_plain: m.withName('a') + { metadata+: { name+: '-suffix' } },
  setter_self_reference: m.withName('a') { x:: 'hidden-x', copy: self.x + '/' + self.metadata.name },
  super_visible_in_setter_result: (m.withName('a') + m.withNamespace('b')) { metadata+: { both: super.name + '/' + super.namespace } },
  fields_of_setter: std.objectFieldsAll(m.withName('a')),
  fields_of_setter_metadata: std.objectFieldsAll(m.withName('a').metadata),
  nested_setter_fields: std.objectFieldsAll(s.parentRefs.withName('a')),
  value_not_copied_by_reference: local v = { a: 1 }; (m.withLabels(v) + m.withLabelsMixin({ b: 2 })).metadata.labels + { v: v },
}
