// Arguments are not evaluated until the field that holds them is.
local tcpRoute = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway.v1alpha2.tcpRoute;
local m = tcpRoute.metadata;
local s = tcpRoute.spec;
{
  withRules_fields: std.objectFields(s.withRules(error 'x')),
  withRules_spec_fields: std.objectFields(s.withRules(error 'x').spec),
  withRulesMixin_fields: std.objectFields(s.withRulesMixin(error 'x')),
  withParentRefs_fields: std.objectFields(s.withParentRefs(error 'x').spec),
  withName_fields: std.objectFields(m.withName(error 'x').metadata),
  withLabels_fields: std.objectFields(m.withLabels(error 'x')),
  withLabelsMixin_fields: std.objectFields(m.withLabelsMixin(error 'x').metadata),
  withFinalizers_fields: std.objectFields(m.withFinalizers(error 'x')),
  parentRefs_withPort_fields: std.objectFields(s.parentRefs.withPort(error 'x')),
  backendRefs_withWeight_fields: std.objectFields(s.rules.backendRefs.withWeight(error 'x')),
  withBackendRefs_fields: std.objectFields(s.rules.withBackendRefs(error 'x')),
  new_fields: std.objectFields(tcpRoute.new(error 'x')),
  new_kind: tcpRoute.new(error 'x').kind,
  new_metadata_fields: std.objectFields(tcpRoute.new(error 'x').metadata),
  sibling_field_ok: (tcpRoute.new('ok') + m.withLabels(error 'boom')).metadata.name,
  array_elements_lazy: std.length(s.withRules([error 'a', error 'b']).spec.rules),
  mixin_elements_lazy: std.length((s.withRules([error 'a']) + s.withRulesMixin(error 'b' + 'x')).spec),
  unused_setter: local unused = s.withRules(error 'never'); 'fine',
  length_of_setter: std.length(m.withAnnotations(error 'x')),
}
