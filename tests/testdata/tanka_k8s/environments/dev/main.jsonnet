(import 'monitoring/monitoring.libsonnet')
+ { _config+:: { namespace: (import 'tk').env.spec.namespace } }
