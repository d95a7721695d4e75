// Small helpers for workloads built with k8s-libsonnet. Written for this test project.
local k = import 'k.libsonnet';

local container = k.core.v1.container;
local service = k.core.v1.service;
local servicePort = k.core.v1.servicePort;
local volume = k.core.v1.volume;
local volumeMount = k.core.v1.volumeMount;

// The pod template of a workload: Deployments and StatefulSets keep it in
// spec.template, CronJobs one level further down.
local podTemplate(workload) =
  if std.objectHas(workload.spec, 'jobTemplate')
  then workload.spec.jobTemplate.spec.template
  else workload.spec.template;

{
  // A Service selecting the pods of `workload` (a Deployment or StatefulSet), with one
  // port for every named container port, called `<container>-<port>`.
  serviceFor(workload, exclude=[])::
    local template = podTemplate(workload);
    local selector = {
      [key]: template.metadata.labels[key]
      for key in std.objectFields(template.metadata.labels)
      if !std.member(exclude, key)
    };
    local ports = std.flattenArrays([
      [
        servicePort.newNamed('%s-%s' % [c.name, p.name], p.containerPort, p.containerPort)
        + (if std.objectHas(p, 'protocol') then servicePort.withProtocol(p.protocol) else {})
        for p in (if std.objectHas(c, 'ports') then c.ports else [])
      ]
      for c in template.spec.containers
    ]);
    service.new(workload.metadata.name, selector, ports)
    + service.metadata.withLabels({ app: workload.metadata.name }),

  // Mounts the ConfigMap called `name` at `path` in every container of a workload,
  // without the content hash k8s-libsonnet's configMapVolumeMount adds.
  configMount(name, path, readOnly=true)::
    local mount(c) = c + container.withVolumeMountsMixin([volumeMount.new(name, path, readOnly)]);
    {
      spec+: {
        template+: {
          spec+: {
            containers: std.map(mount, super.containers),
            volumes+: [volume.fromConfigMap(name, name)],
          },
        },
      },
    },

  // Requests and limits in one call; null leaves a resource out.
  resources(cpu=null, memory=null, cpuLimit=null, memoryLimit=null)::
    local some(o) = { [f]: o[f] for f in std.objectFields(o) if o[f] != null };
    container.resources.withRequests(some({ cpu: cpu, memory: memory }))
    + (if cpuLimit == null && memoryLimit == null then {}
       else container.resources.withLimits(some({ cpu: cpuLimit, memory: memoryLimit }))),

  // A ServiceAccount with a ClusterRole of `rules` bound to it.
  clusterAccess(name, namespace, rules):: {
    local rbac = k.rbac.v1,
    serviceAccount:
      k.core.v1.serviceAccount.new(name)
      + k.core.v1.serviceAccount.metadata.withNamespace(namespace),
    clusterRole:
      rbac.clusterRole.new(name)
      + rbac.clusterRole.withRules(rules),
    clusterRoleBinding:
      rbac.clusterRoleBinding.new(name)
      + rbac.clusterRoleBinding.bindRole(self.clusterRole)
      + rbac.clusterRoleBinding.withSubjects([
        rbac.subject.fromServiceAccount(self.serviceAccount),
      ]),
  },
}
