{
  // Hidden with `+::`, so environments can patch single values.
  _config+:: {
    monitoring: {
      prometheus: { name: 'prometheus', port: 9090, retention: '15d', replicas: 1 },
      grafana: { name: 'grafana', port: 3000, replicas: 1, adminUser: 'admin' },
      alertmanager: { name: 'alertmanager', port: 9093, storage: '2Gi' },
      scrapeInterval: '30s',
      backupSchedule: '17 3 * * *',
    },
  },

  _images+:: {
    monitoring: {
      prometheus: 'prom/prometheus:v2.53.0',
      grafana: 'grafana/grafana:11.1.0',
      alertmanager: 'prom/alertmanager:v0.27.0',
      backup: 'busybox:1.36',
      nodeExporter: 'prom/node-exporter:v1.8.1',
      reloader: 'jimmidyson/configmap-reload:v0.13.1',
    },
  },
}
