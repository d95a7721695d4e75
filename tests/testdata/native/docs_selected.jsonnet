// Specific docs fields the issue names, plus their keys.
local tcpRoute = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway.v1alpha2.tcpRoute;
{
  '#new': tcpRoute['#new'],
  '#withPort_parentRefs': tcpRoute.spec.parentRefs['#withPort'],
  '#withPort_backendRefs': tcpRoute.spec.rules.backendRefs['#withPort'],
  '#withWeight': tcpRoute.spec.rules.backendRefs['#withWeight'],
  '#withDeletionGracePeriodSeconds': tcpRoute.metadata['#withDeletionGracePeriodSeconds'],
  '#withLabels_type': tcpRoute.metadata['#withLabels']['function'].args[0].type,
  '#withFinalizers_type': tcpRoute.metadata['#withFinalizers']['function'].args[0].type,
  '#withLabelsMixin_help_ends': std.endsWith(tcpRoute.metadata['#withLabelsMixin']['function'].help, 'appends passed data to existing values'),
  '#mixin': tcpRoute['#mixin'],
  '#metadata': tcpRoute['#metadata'],
  '#spec': tcpRoute['#spec'],
  '#rules': tcpRoute.spec['#rules'],
  '#backendRefs': tcpRoute.spec.rules['#backendRefs'],
  arg_names: {
    [k]: [a.name for a in tcpRoute.metadata[k]['function'].args]
    for k in std.objectFieldsAll(tcpRoute.metadata)
    if std.startsWith(k, '#')
  },
  docs_survive_override: (tcpRoute + { metadata+: { withName(name): {} } }).metadata['#withName']['function'].args,
}
