// '#mixin' is the visible string 'ignore'; mixin is self (late-bound).
local tcpRoute = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway.v1alpha2.tcpRoute;
{
  '#mixin': tcpRoute['#mixin'],
  mixin_fields: std.objectFields(tcpRoute.mixin),
  mixin_fieldsAll: std.objectFieldsAll(tcpRoute.mixin),
  mixin_new: tcpRoute.mixin.new('a'),
  mixin_setter: tcpRoute.mixin.spec.rules.backendRefs.withPort(1),
  deep: tcpRoute.mixin.mixin.mixin.metadata.withName('deep'),
  mixin_of_extended: std.objectFields((tcpRoute + { added: 1 }).mixin),
  mixin_of_extended_value: (tcpRoute + { added: 1 }).mixin.mixin.added,
  mixin_docs: tcpRoute.mixin['#new'],
}
