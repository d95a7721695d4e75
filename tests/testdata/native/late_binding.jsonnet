// new() calls self.metadata.withName: self is late-bound, overrides change what new makes.
local tcpRoute = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway.v1alpha2.tcpRoute;
local custom = tcpRoute + { metadata+: { withName(name): { metadata+: { name: 'custom-' + name } } } };
{
  replaced_withName: custom.new('x'),
  replaced_withName_through_mixin: custom.mixin.new('y'),
  with_super: (tcpRoute + { metadata+: { withName(name): super.withName(name) + self.withLabels({ named: name }) } }).new('x'),
  object_apply_syntax: (tcpRoute { metadata+: { withName(name): { metadata+: { id: name } } } }).new('z'),
  metadata_fully_replaced: (tcpRoute + { metadata: { withName(name): { fromReplacement: name } } }).new('r'),
  new_overridden: (tcpRoute + { new(name): super.new(name) + self.metadata.withNamespace('ns') }).new('n'),
  bound_new_of_custom: local n = custom.new; n('bound'),
  deep_chain: ((tcpRoute + { metadata+: { withName(name): super.withName(name + '-1') } }) + { metadata+: { withName(name): super.withName(name + '-2') } }).new('x'),
  other_setters_unchanged: custom.metadata.withNamespace('ns'),
  original_unchanged: tcpRoute.new('x'),
  extra_field_seen_via_mixin: (tcpRoute + { extra: 'e' }).mixin.extra,
  mixin_is_self_fields: std.objectFields((tcpRoute + { extra: 'e' }).mixin),
  spec_override: (tcpRoute + { spec+: { withRules(rules): { spec+: { rules: ['overridden'] } } } }).spec.withRules([1]),
  local_override_visible_fields: std.objectFields(custom),
  local_override_metadata_fields: std.objectFields(custom.metadata),
}
