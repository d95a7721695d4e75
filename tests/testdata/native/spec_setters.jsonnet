// spec.withParentRefs / withRules and their Mixins, with arrays and single values.
local tcpRoute = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway.v1alpha2.tcpRoute;
local s = tcpRoute.spec;
{
  withParentRefs: s.withParentRefs([{ name: 'gw1' }, { name: 'gw2', sectionName: 'tcp' }]),
  withParentRefs_single: s.withParentRefs({ name: 'gw1' }),
  withParentRefs_empty: s.withParentRefs([]),
  withParentRefsMixin: s.withParentRefsMixin([{ name: 'gw1' }, { name: 'gw2' }]),
  withParentRefsMixin_single: s.withParentRefsMixin({ name: 'gw1' }),
  withRules: s.withRules([{ backendRefs: [{ name: 'svc', port: 80 }] }, {}]),
  withRules_single: s.withRules({ backendRefs: [{ name: 'svc', port: 80 }] }),
  withRulesMixin: s.withRulesMixin([{ backendRefs: [] }]),
  withRulesMixin_single: s.withRulesMixin({ backendRefs: [] }),
  built_with_helpers: s.withParentRefs(s.parentRefs.withName('gw'))
    + s.withRules(s.rules.withBackendRefs(s.rules.backendRefs.withName('svc'))),
}
