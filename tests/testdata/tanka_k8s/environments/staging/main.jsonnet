// An inline environment: the stack is its `data`.
local stack = (import 'monitoring/monitoring.libsonnet') + {
  _config+:: {
    namespace: 'monitoring-staging',
    monitoring+: { scrapeInterval: '15s' },
  },
};

{
  environment: {
    apiVersion: 'tanka.dev/v1alpha1',
    kind: 'Environment',
    metadata: { name: 'staging', labels: { stage: 'staging' } },
    spec: {
      apiServer: 'https://staging.k8s.example.com:6443',
      namespace: 'monitoring-staging',
      injectLabels: true,
    },
    data: stack,
  },
}
