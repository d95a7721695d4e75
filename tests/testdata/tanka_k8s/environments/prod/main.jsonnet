// The stack with production sizes: more replicas, longer retention, every container
// pinned with imagePullPolicy, and an extra label on Prometheus' pods.
local k = import 'k.libsonnet';
local deployment = k.apps.v1.deployment;
local container = k.core.v1.container;

(import 'monitoring/monitoring.libsonnet')
+ {
  _config+:: {
    namespace: 'monitoring',
    monitoring+: {
      prometheus+: { replicas: 2, retention: '90d' },
      grafana+: { replicas: 2 },
      alertmanager+: { storage: '20Gi' },
    },
  },

  local pinned = deployment.mapContainers(function(c) c + container.withImagePullPolicy('IfNotPresent')),

  monitoring+: {
    prometheus+: {
      deployment+: pinned
                   + deployment.spec.template.metadata.withLabelsMixin({ tier: 'metrics' }),
    },
    grafana+: {
      deployment+: pinned
                   + deployment.mapContainersWithName(['grafana'], function(c) c + container.withResourcesLimits('500m', '512Mi')),
    },
  },
}
