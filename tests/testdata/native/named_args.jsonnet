// Every kind of setter called with a named argument.
local tcpRoute = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway.v1alpha2.tcpRoute;
local m = tcpRoute.metadata;
local s = tcpRoute.spec;
{
  new: tcpRoute.new(name='x'),
  withName: m.withName(name='x'),
  withLabels: m.withLabels(labels={ a: '1' }),
  withLabelsMixin: m.withLabelsMixin(labels={ a: '1' }),
  withFinalizers: m.withFinalizers(finalizers='f'),
  withFinalizersMixin: m.withFinalizersMixin(finalizers=['f']),
  withDeletionGracePeriodSeconds: m.withDeletionGracePeriodSeconds(deletionGracePeriodSeconds=5),
  withOwnerReferencesMixin: m.withOwnerReferencesMixin(ownerReferences={ name: 'o' }),
  withParentRefs: s.withParentRefs(parentRefs=s.parentRefs.withPort(port=80)),
  withParentRefsMixin: s.withParentRefsMixin(parentRefs=[s.parentRefs.withSectionName(sectionName='s')]),
  withRules: s.withRules(rules=s.rules.withBackendRefs(backendRefs=s.rules.backendRefs.withWeight(weight=3))),
  withRulesMixin: s.withRulesMixin(rules={}),
  withBackendRefsMixin: s.rules.withBackendRefsMixin(backendRefs=s.rules.backendRefs.withPort(port=80)),
  parentRefs_withGroup: s.parentRefs.withGroup(group='g'),
  parentRefs_withKind: s.parentRefs.withKind(kind='k'),
  parentRefs_withNamespace: s.parentRefs.withNamespace(namespace='n'),
  backendRefs_withName: s.rules.backendRefs.withName(name='n'),
  backendRefs_withGroup: s.rules.backendRefs.withGroup(group='g'),
  backendRefs_withKind: s.rules.backendRefs.withKind(kind='k'),
  backendRefs_withNamespace: s.rules.backendRefs.withNamespace(namespace='n'),
  withUid: m.withUid(uid='u'),
  via_std_apply: std.foldl(function(acc, f) acc + f, [m.withName('a'), m.withNamespace(namespace='b')], {}),
}
