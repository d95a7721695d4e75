// Every metadata.withX / withXMixin, each on its own, with a representative value.
local tcpRoute = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway.v1alpha2.tcpRoute;
local m = tcpRoute.metadata;
{
  withAnnotations: m.withAnnotations({ 'a.example.com/x': 'y' }),
  withAnnotationsMixin: m.withAnnotationsMixin({ 'a.example.com/x': 'y' }),
  withClusterName: m.withClusterName('cluster-1'),
  withCreationTimestamp: m.withCreationTimestamp('2023-01-02T03:04:05Z'),
  withDeletionGracePeriodSeconds: m.withDeletionGracePeriodSeconds(30),
  withDeletionTimestamp: m.withDeletionTimestamp('2023-01-02T03:04:05Z'),
  withFinalizers: m.withFinalizers(['f1', 'f2']),
  withFinalizers_single: m.withFinalizers('f1'),
  withFinalizersMixin: m.withFinalizersMixin(['f1', 'f2']),
  withFinalizersMixin_single: m.withFinalizersMixin('f1'),
  withGenerateName: m.withGenerateName('gen-'),
  withGeneration: m.withGeneration(7),
  withLabels: m.withLabels({ app: 'demo', tier: 'edge' }),
  withLabelsMixin: m.withLabelsMixin({ app: 'demo' }),
  withName: m.withName('route'),
  withNamespace: m.withNamespace('ns'),
  withOwnerReferences: m.withOwnerReferences([
    { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u-1' },
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: 'u-2', controller: true },
  ]),
  withOwnerReferences_single: m.withOwnerReferences({ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u-1' }),
  withOwnerReferencesMixin: m.withOwnerReferencesMixin([{ name: 'a' }, { name: 'b' }]),
  withOwnerReferencesMixin_single: m.withOwnerReferencesMixin({ name: 'a' }),
  withResourceVersion: m.withResourceVersion('12345'),
  withSelfLink: m.withSelfLink('/apis/x/y'),
  withUid: m.withUid('0000-1111'),
  all_combined: tcpRoute.new('x')
    + m.withAnnotations({ a: '1' })
    + m.withClusterName('c')
    + m.withCreationTimestamp('t0')
    + m.withDeletionGracePeriodSeconds(0)
    + m.withDeletionTimestamp('t1')
    + m.withFinalizers('f')
    + m.withGenerateName('g-')
    + m.withGeneration(1)
    + m.withLabels({ l: 'v' })
    + m.withNamespace('ns')
    + m.withOwnerReferences({ name: 'o' })
    + m.withResourceVersion('1')
    + m.withSelfLink('/s')
    + m.withUid('u'),
}
