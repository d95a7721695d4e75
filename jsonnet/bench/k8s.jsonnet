// Benchmark `k8s-1k` (benches/run.sh): n Deployments and n Services (default 1,000 each)
// built with k8s-libsonnet 1.30 as Tanka users write them: `deployment.new` with a
// container from `container.new` plus named ports, an env map, resource requests and
// limits, a ConfigMap volume mount, and a Service for each. gwsonnet serves the library
// natively; the peers read the published source under -J.
//
//   gwsonnet jsonnet/bench/k8s.jsonnet                 # 1,000 of each
//   gwsonnet --tla-code n=10 jsonnet/bench/k8s.jsonnet # a few
local k = import 'github.com/jsonnet-libs/k8s-libsonnet/1.30/main.libsonnet';
local deployment = k.apps.v1.deployment;
local container = k.core.v1.container;
local port = k.core.v1.containerPort;
local service = k.core.v1.service;
local servicePort = k.core.v1.servicePort;

local app(i) =
  local name = 'app-%d' % i;
  local c = container.new(name, 'registry.example.com/%s:1.%d.0' % [name, i % 7])
            + container.withPorts([port.newNamed(8080, 'http'), port.newNamed(9090, 'metrics')])
            + container.withEnvMap({ APP: name, SHARD: std.toString(i % 16), EMPTY: '' })
            + container.withResourcesRequests('100m', '128Mi')
            + container.withResourcesLimits('1', '512Mi');
  local d = deployment.new(name, replicas=1 + i % 3, containers=[c], podLabels={ app: name, tier: 'web' })
            + deployment.metadata.withNamespace('team-%d' % (i % 10))
            + deployment.configMapVolumeMount(k.core.v1.configMap.new(name + '-config', {}), '/etc/' + name);
  [
    d,
    service.new(name, { app: name }, [servicePort.newNamed('http', 80, 'http')])
    + service.metadata.withNamespace('team-%d' % (i % 10)),
  ];

function(n=1000) std.flattenArrays([app(i) for i in std.range(0, n - 1)])
