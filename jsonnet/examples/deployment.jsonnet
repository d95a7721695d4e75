// A web application with k8s-libsonnet 1.30, built into gwsonnet (nothing vendored):
//
//   gwsonnet jsonnet/examples/deployment.jsonnet
//   gwsonnet validate jsonnet/examples/deployment.jsonnet   # checked against Kubernetes 1.36
local k = import 'github.com/jsonnet-libs/k8s-libsonnet/1.30/main.libsonnet';
local container = k.core.v1.container;
local port = k.core.v1.containerPort;

local web = container.new('web', 'nginx:1.27')
            + container.withPorts([port.newNamed(80, 'http')])
            + container.withEnvMap({ MODE: 'production' })
            + container.withResourcesRequests('100m', '64Mi');

local config = k.core.v1.configMap.new('web-config', { 'index.html': '<h1>hello</h1>' });

local deployment = k.apps.v1.deployment.new('web', replicas=2, containers=[web])
                   + k.apps.v1.deployment.configMapVolumeMount(config, '/usr/share/nginx/html');

[
  config,
  deployment,
  k.core.v1.service.new('web', { name: 'web' }, [k.core.v1.servicePort.newNamed('http', 80, 'http')]),
]
