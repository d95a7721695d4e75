// Setters do not check types: any value is stored as given (arrays wrap non-arrays).
local tcpRoute = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway.v1alpha2.tcpRoute;
local m = tcpRoute.metadata;
local s = tcpRoute.spec;
{
  port_as_string: s.parentRefs.withPort('80'),
  port_float: s.rules.backendRefs.withPort(80.5),
  name_null: m.withName(null),
  name_object: m.withName({ nested: true }),
  labels_array: m.withLabels([1, 2]),
  labels_null: m.withLabels(null),
  finalizers_null: m.withFinalizers(null),
  finalizers_nested_array: m.withFinalizers([['a']]),
  finalizers_object: m.withFinalizers({ a: 1 }),
  finalizers_string: m.withFinalizersMixin('abc'),
  rules_number: s.withRules(1),
  generation_negative: m.withGeneration(-1),
  generation_big: m.withGeneration(1e20),
  weight_bool: s.rules.backendRefs.withWeight(true),
  unicode: m.withAnnotations({ 'ключ': 'значение ✓' }),
  function_value_hidden: std.objectFields(m.withName(function(x) x).metadata),
}
