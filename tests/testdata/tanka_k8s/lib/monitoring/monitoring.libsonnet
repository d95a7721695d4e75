// A Prometheus + Grafana + Alertmanager stack on k8s-libsonnet and the kutil helpers.
local k = import 'kutil/main.libsonnet';

(import 'config.libsonnet') + {
  local c = $._config.monitoring,
  local images = $._images.monitoring,

  local deployment = k.apps.v1.deployment,
  local statefulSet = k.apps.v1.statefulSet,
  local cronJob = k.batch.v1.cronJob,
  local container = k.core.v1.container,
  local port = k.core.v1.containerPort,
  local configMap = k.core.v1.configMap,
  local service = k.core.v1.service,
  local pvc = k.core.v1.persistentVolumeClaim,
  local envVar = k.core.v1.envVar,
  local rbac = k.rbac.v1,
  local daemonSet = k.apps.v1.daemonSet,
  local hpa = k.autoscaling.v2.horizontalPodAutoscaler,
  local metric = k.autoscaling.v2.metricSpec,
  local secret = k.core.v1.secret,
  local volume = k.core.v1.volume,

  monitoring: {
    prometheus: {
      config: configMap.new('prometheus-config', {
        'prometheus.yml': std.manifestYamlDoc({
          global: { scrape_interval: c.scrapeInterval },
          alerting: {
            alertmanagers: [{ static_configs: [{ targets: ['%s:%d' % [c.alertmanager.name, c.alertmanager.port]] }] }],
          },
          scrape_configs: [
            { job_name: 'prometheus', static_configs: [{ targets: ['localhost:%d' % c.prometheus.port] }] },
            { job_name: 'kubernetes-pods', kubernetes_sd_configs: [{ role: 'pod' }] },
          ],
        }),
      }),

      deployment:
        deployment.new(
          name=c.prometheus.name,
          replicas=c.prometheus.replicas,
          containers=[
            container.new('prometheus', images.prometheus)
            + container.withArgs([
              '--config.file=/etc/prometheus/prometheus.yml',
              '--storage.tsdb.retention.time=' + c.prometheus.retention,
            ])
            + container.withPorts([port.newNamed(c.prometheus.port, 'http')])
            + container.withResourcesRequests('250m', '512Mi')
            + container.withResourcesLimits('1', '2Gi'),
            container.new('reloader', images.reloader)
            + container.withArgs(['--volume-dir=/etc/prometheus', '--webhook-url=http://localhost:%d/-/reload' % c.prometheus.port])
            + k.util.resources(cpu='10m', memory='16Mi'),
          ],
          podLabels={ app: c.prometheus.name },
        )
        + deployment.spec.template.spec.withServiceAccountName(c.prometheus.name)
        + deployment.configMapVolumeMount(self.config, '/etc/prometheus'),

      service: k.util.serviceFor(self.deployment, exclude=['app']),

      access: k.util.clusterAccess(c.prometheus.name, $._config.namespace, [
        rbac.policyRule.withApiGroups([''])
        + rbac.policyRule.withResources(['pods', 'services', 'endpoints', 'nodes'])
        + rbac.policyRule.withVerbs(['get', 'list', 'watch']),
      ]),
    },

    grafana: {
      datasources: configMap.new('grafana-datasources')
                   + configMap.withData({
                     'datasources.yaml': std.manifestYamlDoc({
                       apiVersion: 1,
                       datasources: [{
                         name: 'Prometheus',
                         type: 'prometheus',
                         access: 'proxy',
                         url: 'http://%s:%d' % [c.prometheus.name, c.prometheus.port],
                         isDefault: true,
                       }],
                     }),
                   }),

      deployment:
        deployment.new(c.grafana.name, c.grafana.replicas, [
          container.new('grafana', images.grafana)
          + container.withPorts([port.newNamed(c.grafana.port, 'ui')])
          + container.withEnvMap({
            GF_SECURITY_ADMIN_USER: c.grafana.adminUser,
            GF_AUTH_ANONYMOUS_ENABLED: 'true',
          })
          + container.withEnvMixin([envVar.fromSecretRef('GF_SECURITY_ADMIN_PASSWORD', 'grafana', 'password')])
          + k.util.resources('100m', '128Mi', memoryLimit='256Mi'),
        ])
        + k.util.configMount('grafana-datasources', '/etc/grafana/provisioning/datasources'),

      service:
        k.util.serviceFor(self.deployment)
        + service.spec.withType('NodePort'),

      secret: secret.new('grafana', { password: std.base64('not-a-secret') }),

      autoscaler:
        hpa.new('grafana')
        + hpa.spec.withMinReplicas(1)
        + hpa.spec.withMaxReplicas(4)
        + hpa.spec.withScaleTargetRef(self.deployment)
        + hpa.spec.withMetrics([
          metric.withType('Resource')
          + metric.resource.withName('cpu')
          + metric.resource.target.withType('Utilization')
          + metric.resource.target.withAverageUtilization(75),
        ]),

      serviceAccount: k.core.v1.serviceAccount.new('grafana'),
      role:
        rbac.role.new('grafana-config-reader')
        + rbac.role.withRules([
          rbac.policyRule.withApiGroups([''])
          + rbac.policyRule.withResources(['configmaps', 'secrets'])
          + rbac.policyRule.withVerbs(['get', 'watch', 'list']),
        ]),
      roleBinding:
        rbac.roleBinding.new('grafana-config-reader')
        + rbac.roleBinding.bindRole(self.role)
        + rbac.roleBinding.withSubjects([
          rbac.subject.fromServiceAccount(self.serviceAccount + { metadata+: { namespace: $._config.namespace } }),
        ]),

      backup:
        cronJob.new('grafana-backup', c.backupSchedule, [
          container.new('backup', images.backup)
          + container.withCommand(['/bin/sh', '-c', 'tar czf /backup/grafana-$(date +%F).tgz /var/lib/grafana'])
          + container.withEnv([envVar.new('TZ', 'UTC')]),
        ])
        + cronJob.spec.withConcurrencyPolicy('Forbid')
        + cronJob.spec.jobTemplate.spec.template.spec.withRestartPolicy('OnFailure')
        + cronJob.configVolumeMount('grafana-datasources', '/config'),
    },

    nodeExporter: {
      daemonSet:
        daemonSet.new('node-exporter', [
          container.new('node-exporter', images.nodeExporter)
          + container.withArgs(['--path.rootfs=/host/root'])
          + container.withPorts([port.newNamed(9100, 'metrics')])
          + container.withEnv([envVar.fromFieldPath('NODE_NAME', 'spec.nodeName')])
          + container.securityContext.withPrivileged(true),
        ], podLabels={ app: 'node-exporter' })
        + daemonSet.spec.template.spec.withHostNetwork(true)
        + daemonSet.hostVolumeMount('root', '/', '/host/root', readOnly=true)
        + daemonSet.emptyVolumeMount('textfiles', '/var/lib/node-exporter', volumeMixin=volume.emptyDir.withMedium('Memory')),
      // The legacy `mixin` accessors still work.
      service:
        k.util.serviceFor(self.daemonSet)
        + service.mixin.spec.withClusterIP('None'),
    },

    alertmanager: {
      statefulSet:
        statefulSet.new(
          c.alertmanager.name,
          1,
          [
            container.new('alertmanager', images.alertmanager)
            + container.withPorts([
              port.newNamed(c.alertmanager.port, 'http'),
              port.newNamedUDP(9094, 'mesh'),
            ])
            + container.withVolumeMounts([k.core.v1.volumeMount.new('data', '/alertmanager')]),
          ],
          [
            pvc.new('data')
            + pvc.spec.withAccessModes(['ReadWriteOnce'])
            + pvc.spec.resources.withRequests({ storage: c.alertmanager.storage }),
          ],
        )
        + statefulSet.spec.withServiceName(c.alertmanager.name)
        + statefulSet.secretVolumeMount('alertmanager-tls', '/etc/alertmanager/tls', defaultMode=288),

      service:
        k.util.serviceFor(self.statefulSet)
        + service.spec.withClusterIP('None'),
    },
  },
}
