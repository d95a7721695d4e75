[
  {
    apiVersion: 'tanka.dev/v1alpha1',
    kind: 'Environment',
    metadata: { name: ns, labels: { type: 'inline' } },
    spec: { apiServer: 'https://localhost', namespace: ns },
    data: { svc: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } } },
  }
  for ns in ['inline-namespace1', 'inline-namespace2']
]
