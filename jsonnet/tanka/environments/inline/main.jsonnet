// Two inline environments; `--name` picks one (exact name, else a unique substring).
local k = import 'k.libsonnet';
local env(name, ns, replicas) = {
  apiVersion: 'tanka.dev/v1alpha1',
  kind: 'Environment',
  metadata: { name: name, labels: { stage: ns } },
  spec: { namespace: ns, injectLabels: true, apiServer: 'https://%s.example.com' % ns },
  data: {
    app: k.configMap('app', { stage: ns, replicas: std.toString(replicas) }),
    svc: k.service('app', 8080),
    cluster: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
  },
};
{
  envs: [
    env('inline-dev', 'dev', 1),
    env('inline-prod', 'prod', 1000000),
  ],
}
