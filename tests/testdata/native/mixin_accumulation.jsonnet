// withXMixin uses +: on the leaf: arrays append, objects merge, over several +.
local tcpRoute = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway.v1alpha2.tcpRoute;
local m = tcpRoute.metadata;
local s = tcpRoute.spec;
{
  labels: tcpRoute.new('x')
    + m.withLabels({ a: '1' })
    + m.withLabelsMixin({ b: '2' })
    + m.withLabelsMixin({ c: '3', a: 'override' }),
  labels_mixin_first: m.withLabelsMixin({ a: '1' }) + m.withLabelsMixin({ b: '2' }),
  labels_set_after_mixin: m.withLabelsMixin({ a: '1' }) + m.withLabels({ b: '2' }),
  annotations: m.withAnnotations({ a: '1' }) + m.withAnnotationsMixin({ b: '2' }) + m.withAnnotationsMixin({ c: '3' }),
  finalizers: m.withFinalizers('a') + m.withFinalizersMixin('b') + m.withFinalizersMixin(['c', 'd']) + m.withFinalizersMixin([]),
  finalizers_reset: m.withFinalizers(['a', 'b']) + m.withFinalizers('c'),
  ownerReferences: m.withOwnerReferences({ name: 'a' }) + m.withOwnerReferencesMixin({ name: 'b' }) + m.withOwnerReferencesMixin([{ name: 'c' }]),
  parentRefs: tcpRoute.new('x')
    + s.withParentRefs(s.parentRefs.withName('a'))
    + s.withParentRefsMixin(s.parentRefs.withName('b'))
    + s.withParentRefsMixin([s.parentRefs.withName('c'), s.parentRefs.withName('d')]),
  rules: s.withRulesMixin({ backendRefs: [{ name: 'a' }] })
    + s.withRulesMixin([{ backendRefs: [{ name: 'b' }] }])
    + s.withRulesMixin({}),
  rules_then_set: s.withRulesMixin({ x: 1 }) + s.withRules({ y: 2 }),
  mixin_onto_plain_object: { metadata: { labels: { keep: 'yes' }, name: 'n' }, spec: { parentRefs: [{ name: 'p0' }] } }
    + m.withLabelsMixin({ add: 'yes' })
    + s.withParentRefsMixin({ name: 'p1' }),
  mixin_of_mixins_combined: (m.withLabelsMixin({ a: '1' }) + m.withFinalizersMixin('f')) + (m.withLabelsMixin({ b: '2' }) + m.withFinalizersMixin('g')),
  right_assoc: m.withLabels({ a: '1' }) + (m.withLabelsMixin({ b: '2' }) + m.withLabelsMixin({ c: '3' })),
}
