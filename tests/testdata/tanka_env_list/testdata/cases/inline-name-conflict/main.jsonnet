{
  first: {
  apiVersion: 'tanka.dev/v1alpha1',
  kind: 'Environment',
  metadata: { name: 'base' },
  spec: { apiServer: 'https://localhost', namespace: 'base' },
  data: { cm: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } } },
},
  second: {
  apiVersion: 'tanka.dev/v1alpha1',
  kind: 'Environment',
  metadata: { name: 'base-and-more' },
  spec: { apiServer: 'https://localhost', namespace: 'base-and-more' },
  data: { cm: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } } },
},
}
