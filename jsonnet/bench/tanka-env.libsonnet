// Benchmarks `show-5k` and `export-50` (benches/run.sh): the objects of one generated Tanka
// environment, n of them in namespace ns, keyed by name: TCPRoutes built with the
// gateway-api-libsonnet library and plain Services, ConfigMaps and Deployments (so Tanka's
// kind order has work to do). Each environment's main.jsonnet is
//   (import 'tanka-env.libsonnet')(ns, n)
local tcpRoute = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway.v1alpha2.tcpRoute;

local route(ns, name, i) =
  tcpRoute.new(name)
  + tcpRoute.metadata.withNamespace(ns)
  + tcpRoute.metadata.withLabels({ app: name })
  + tcpRoute.spec.withParentRefs(tcpRoute.spec.parentRefs.withName('gateway-%d' % (i % 4)) + tcpRoute.spec.parentRefs.withSectionName('tcp'))
  + tcpRoute.spec.withRules(tcpRoute.spec.rules.withBackendRefs([
    tcpRoute.spec.rules.backendRefs.withName(name) + tcpRoute.spec.rules.backendRefs.withPort(8000 + i % 1000),
  ]));

local service(ns, name, i) = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: name, namespace: ns, labels: { app: name } },
  spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8000 + i % 1000 }] },
};

local configMap(ns, name, i) = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: name, namespace: ns },
  data: { 'config.yaml': 'replicas: %d\nname: %s\n' % [i % 5, name], index: std.toString(i) },
};

local deployment(ns, name, i) = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: name, namespace: ns, labels: { app: name } },
  spec: {
    replicas: 1 + i % 3,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1.%d' % (i % 50), ports: [{ containerPort: 8000 + i % 1000 }] }] },
    },
  },
};

local make = [route, service, configMap, deployment];

function(ns, n) {
  ['obj-%05d' % i]: make[i % 4](ns, 'app-%05d' % i, i)
  for i in std.range(0, n - 1)
}
