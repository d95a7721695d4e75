local env(name) = {
  apiVersion: 'tanka.dev/v1alpha1',
  kind: 'Environment',
  metadata: { name: name },
  spec: { apiServer: 'https://localhost', namespace: name },
  data: { cm: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } } },
};
{
  p1e1: env('project1-env1'),
  p1e2: env('project1-env2'),
  p2e1: env('project2-env1'),
}
