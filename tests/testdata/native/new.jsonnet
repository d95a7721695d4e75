// new(name): apiVersion/kind plus metadata.withName, called every way.
local tcpRoute = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway.v1alpha2.tcpRoute;
{
  positional: tcpRoute.new('x'),
  named: tcpRoute.new(name='x'),
  through_mixin: tcpRoute.mixin.new('m'),
  through_mixin_twice: tcpRoute.mixin.mixin.new('mm'),
  bound_then_called: local n = tcpRoute.new; n('bound'),
  empty_name: tcpRoute.new(''),
  non_string_name: tcpRoute.new(42),
  fields_all: std.objectFieldsAll(tcpRoute.new('x')),
  metadata_fields_all: std.objectFieldsAll(tcpRoute.new('x').metadata),
  full_example:
    tcpRoute.new('x')
    + tcpRoute.metadata.withNamespace('ns')
    + tcpRoute.metadata.withLabels({ app: 'demo' })
    + tcpRoute.spec.withParentRefs(tcpRoute.spec.parentRefs.withName('gw') + tcpRoute.spec.parentRefs.withSectionName('tcp'))
    + tcpRoute.spec.withRules([
      tcpRoute.spec.rules.withBackendRefs(
        tcpRoute.spec.rules.backendRefs.withName('svc') + tcpRoute.spec.rules.backendRefs.withPort(8080)
      ),
    ]),
  new_then_rename: tcpRoute.new('x') + tcpRoute.metadata.withName('y'),
  new_plus_new: tcpRoute.new('a') + tcpRoute.new('b'),
}
