// N Deployments built with the built-in k8s-libsonnet (benches/validate_k8s.sh).
local k = import 'github.com/jsonnet-libs/k8s-libsonnet/1.36/main.libsonnet';
local container = k.core.v1.container;
local port = k.core.v1.containerPort;
function(n=10000) [
  k.apps.v1.deployment.new('web-%d' % i, replicas=2, containers=[
    container.new('web', 'nginx:1.25')
    + container.withPorts([port.newNamed(8080, 'http')])
    + container.resources.withRequests({ cpu: '100m', memory: '128Mi' })
    + container.resources.withLimits({ memory: '256Mi' }),
  ], podLabels={ app: 'web-%d' % i })
  + k.apps.v1.deployment.metadata.withNamespace('apps')
  + k.apps.v1.deployment.spec.strategy.rollingUpdate.withMaxSurge('25%')
  for i in std.range(1, n)
]
