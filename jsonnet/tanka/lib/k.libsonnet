// Helpers of the test project; `source` shows which copy Tanka's import order picked
// (<root>/lib beats <root>/vendor/k.libsonnet).
{
  source: 'root-lib',
  configMap(name, data): {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: name },
    data: data,
  },
  service(name, port): {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: name, labels: { app: name } },
    spec: { ports: [{ port: port, targetPort: port }], selector: { app: name } },
  },
}
