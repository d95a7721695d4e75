//! Differential test of gwsonnet's own k8s-libsonnet `_custom` layer
//! (`lib/k8s/custom/*.libsonnet`): one program calls every helper of the layer (defaults,
//! explicit nulls, every argument, init containers, `containers=null`, ...) and reads
//! the field lists and the docs fields (help texts left out: ours are our own words) of
//! every object the layer patches. It must evaluate to the same JSON with the published
//! 1.30 layer as with ours, both on the published generated library, both run through
//! gwsonnet. The published library in `../shared` is linked into temporary `-J` trees
//! at its import path, never copied.

use crate::common;
use common::{gw, run, shared_fixture, tmp, write, Out};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The import path of the 1.30 library.
const ROOT_130: &str = "github.com/jsonnet-libs/k8s-libsonnet/1.30";

/// The files of the layer, as published.
const LAYER_FILES: &[&str] = &[
    "apps.libsonnet",
    "autoscaling.libsonnet",
    "batch.libsonnet",
    "core.libsonnet",
    "list.libsonnet",
    "mapContainers.libsonnet",
    "rbac.libsonnet",
    "volumeMounts.libsonnet",
];

/// Locals shared by the programs (after `local k = import '<main>';`).
const PRELUDE: &str = r#"local c = k.core.v1.container;
local v1 = k.core.v1;
local apps = k.apps.v1;
local batch = k.batch.v1;
local rbac = k.rbac.v1;

// Docs with every help text replaced by whether there is one (the text is gwsonnet's own).
local noHelp(x) =
  if std.isObject(x) then {
    [f]: if f == 'help' then std.isString(x[f]) else noHelp(x[f])
    for f in std.objectFieldsAll(x)
  }
  else if std.isArray(x) then std.map(noHelp, x)
  else if std.isFunction(x) then 'function'
  else x;

// The visible and all fields of an object, and its docs fields without help texts.
local shape(o) = {
  fields: std.objectFields(o),
  fieldsAll: std.objectFieldsAll(o),
  docs: { [f]: noHelp(o[f]) for f in std.objectFieldsAll(o) if std.startsWith(f, '#') },
};

local app = c.new('app', 'nginx:1.25') + c.withPorts([v1.containerPort.newNamed(8080, 'http')]);
local sidecar = c.new('sidecar', 'busybox');
local init = c.new('init', 'alpine');
local withInit(o, path) = o + path.withInitContainers([init]);

local workloads = {
  deployment: apps.deployment.new('web', containers=[app, sidecar]) + apps.deployment.spec.template.spec.withInitContainers([init]),
  statefulSet: apps.statefulSet.new('db', containers=[app, sidecar]) + apps.statefulSet.spec.template.spec.withInitContainers([init]),
  daemonSet: apps.daemonSet.new('agent', [app, sidecar]) + apps.daemonSet.spec.template.spec.withInitContainers([init]),
  replicaSet: apps.replicaSet.new('rs') + apps.replicaSet.spec.template.spec.withContainers([app, sidecar]) + apps.replicaSet.spec.template.spec.withInitContainers([init]),
  job: batch.job.new('job') + batch.job.spec.template.spec.withContainers([app, sidecar]) + batch.job.spec.template.spec.withInitContainers([init]),
  cronJob: batch.cronJob.new('cron', '*/5 * * * *', [app, sidecar]) + batch.cronJob.spec.jobTemplate.spec.template.spec.withInitContainers([init]),
};
local lib = {
  deployment: apps.deployment,
  statefulSet: apps.statefulSet,
  daemonSet: apps.daemonSet,
  replicaSet: apps.replicaSet,
  job: batch.job,
  cronJob: batch.cronJob,
};
local configMap = v1.configMap.new('settings', { 'a.yaml': 'x: 1' });

// Every volume mount helper of kind `w`, with defaults and with every argument.
local mounts(w) =
  local o = workloads[w];
  local l = lib[w];
  local mm = v1.volumeMount.withSubPath('sub');
  {
  configVolumeMount: o + l.configVolumeMount('cfg', '/etc/cfg'),
  configVolumeMountAll: o + l.configVolumeMount('cfg', '/etc/cfg', mm, v1.volume.configMap.withDefaultMode(420), ['app', 'init'], true),
  configVolumeMountNull: o + l.configVolumeMount('cfg', '/etc/cfg', containers=null, includeInitContainers=true),
  configVolumeMountNone: o + l.configVolumeMount('cfg', '/etc/cfg', containers=[]),
  configMapVolumeMount: o + l.configMapVolumeMount(configMap, '/etc/settings'),
  configMapVolumeMountAll: o + l.configMapVolumeMount(configMap, '/etc/settings', mm, { configMap+: { optional: true } }, ['sidecar'], true),
  hostVolumeMount: o + l.hostVolumeMount('docker', '/var/run/docker.sock', '/var/run/docker.sock'),
  hostVolumeMountAll: o + l.hostVolumeMount('docker', '/var/run', '/run', true, mm, v1.volume.hostPath.withType('Socket'), ['app', 'init'], true),
  pvcVolumeMount: o + l.pvcVolumeMount('data', '/data'),
  pvcVolumeMountAll: o + l.pvcVolumeMount('data', '/data', true, mm, v1.volume.persistentVolumeClaim.withReadOnly(true), containers=['app']),
  pvcVolumeMountNull: o + l.pvcVolumeMount('data', '/data', readOnly=false, containers=null),
  secretVolumeMount: o + l.secretVolumeMount('creds', '/creds'),
  secretVolumeMountAll: o + l.secretVolumeMount('creds', '/creds', 420, mm, v1.volume.secret.withOptional(true), ['sidecar'], true),
  emptyVolumeMount: o + l.emptyVolumeMount('tmp', '/tmp'),
  emptyVolumeMountAll: o + l.emptyVolumeMount('tmp', '/tmp', mm, v1.volume.emptyDir.withSizeLimit('100Mi'), ['init'], includeInitContainers=true),
  csiVolumeMount: o + l.csiVolumeMount('vault', '/vault', 'secrets-store.csi.k8s.io', { secretProviderClass: 'x' }),
  csiVolumeMountAll: o + l.csiVolumeMount('vault', '/vault', 'csi.example.com', {}, mm, v1.volume.csi.withReadOnly(false), ['app', 'sidecar'], true),
  chained: o + l.emptyVolumeMount('a', '/a') + l.pvcVolumeMount('b', '/b', containers=['sidecar']) + l.configVolumeMount('c', '/c'),
  chainedHashes: o + l.configMapVolumeMount(configMap, '/a') + l.configMapVolumeMount(v1.configMap.new('other'), '/b', includeInitContainers=true),
  mapContainers: o + l.mapContainers(function(x) x + c.withImagePullPolicy('Always')),
  mapContainersInit: o + l.mapContainers(function(x) x { seen: true }, includeInitContainers=true),
  mapContainersWithName: o + l.mapContainersWithName(['sidecar', 'nope'], function(x) x + c.withImage('busybox:2')),
  mapContainersWithNameOne: o + l.mapContainersWithName('app', function(x) x + c.withArgs(['-v']), true),
  mapContainersWithNameInit: o + l.mapContainersWithName(['init'], function(x) x + c.withArgs(['-v']), includeInitContainers=true),
  mapContainersWithNameNone: o + l.mapContainersWithName([], function(x) error 'not called'),
  mapContainersNoName: o + l.mapContainersWithName('app', function(x) x { hit: true }) + l.mapContainers(function(x) x + { name:: null }) + l.mapContainersWithName('app', function(x) error 'hidden name'),
} + (
  if w != 'cronJob' then {
    secretVolumeMountAnnotated: o + l.secretVolumeMountAnnotated('creds', '/creds'),
    secretVolumeMountAnnotatedAll: o + l.secretVolumeMountAnnotated('creds', '/creds', 384, mm, v1.volume.secret.withOptional(false), ['app', 'init'], true),
  } else {}
);
"#;

/// Every helper of the layer, called on realistic arguments.
const CALLS: &str = r#"{
container: {
  new: c.new('app', 'nginx'),
  envMixin: c.withEnvMixin([v1.envVar.new('A', ''), v1.envVar.new('B', 'b'), { name: 'C', value: '', valueFrom: { x: 1 } }, { name: 'D' }, { name: 'E', value: [] }, { name: 'F', value: {} }]),
  envMixinTwice: c.withEnvMixin([v1.envVar.new('A', 'a')]) + c.withEnvMixin([v1.envVar.new('B', '')]),
  envMixinHidden: c.withEnvMixin([{ name: 'H', value: '', hidden:: 1 }]) + c.withEnvMixin([{ name: 'G', value: 'g', hidden:: 1 }]),
  envMixinHiddenFields: std.map(std.objectFieldsAll, (c.withEnvMixin([{ name: 'H', value:: '' }, { name: 'I', value: '', h:: 1 }, { name: 'J', value: 'j', h:: 1 }])).env),
  envMap: c.new('a', 'b') + c.withEnvMap({
    EMPTY: '',
    PLAIN: 'value',
    SECRET: { secretKeyRef: { name: 'db', key: 'password' } },
    FIELD: { fieldRef: { fieldPath: 'status.podIP' } },
    EMPTYOBJ: {},
  }),
  envMapEmpty: c.withEnvMap({}),
  envMapThenMixin: c.withEnvMap({ A: 'a' }) + c.withEnvMap({ B: 'b' }) + c.withEnv([]) + c.withEnvMap({ C: '' }),
  envMapOddValues: c.withEnvMap({ LIST: [], ONE: ['x'], HIDDEN: { x:: 1 } }),
  envMapAfterEnv: c.withEnv([v1.envVar.new('Z', 'z')]) + c.withEnvMap({ A: 'a' }),
  requests: c.withResourcesRequests('100m', '128Mi'),
  requestsCpu: c.withResourcesRequests('1', null),
  requestsMem: c.withResourcesRequests(null, '1Gi'),
  requestsNone: c.withResourcesRequests(null, null),
  limits: c.withResourcesLimits(2, '2Gi'),
  limitsCpu: c.withResourcesLimits('500m', null),
  limitsMem: c.withResourcesLimits(null, '256Mi'),
  limitsNone: c.withResourcesLimits(null, null),
  both: c.new('x', 'y') + c.withResourcesRequests('1', '1Gi') + c.withResourcesLimits('2', '2Gi'),
  requestsMerge: c.resources.withClaims([{ name: 'gpu' }]) + c.withResourcesRequests('1', null) + c.resources.withRequestsMixin({ 'nvidia.com/gpu': 1 }),
  newOver: c.withArgs(['-v']) + c.new('x', 'y'),
  named: c.new(name='n', image='i'),
},
containerPort: {
  new: v1.containerPort.new(80),
  newNamed: v1.containerPort.newNamed(8080, 'http'),
  newNamedArgs: v1.containerPort.newNamed(name='metrics', containerPort=9090),
  newUDP: v1.containerPort.newUDP(53),
  newNamedUDP: v1.containerPort.newNamedUDP(53, 'dns'),
  newNamedUDPArgs: v1.containerPort.newNamedUDP(name='dns', containerPort=5353),
  mixed: v1.containerPort.newUDP(53) + v1.containerPort.withName('d'),
  over: v1.containerPort.withHostPort(1) + v1.containerPort.newNamed(80, 'h') + v1.containerPort.new(81),
},
envVar: {
  new: v1.envVar.new('A', 'a'),
  newEmpty: v1.envVar.new('A', ''),
  fromSecretRef: v1.envVar.fromSecretRef('PASSWORD', 'db-secret', 'password'),
  fromSecretRefArgs: v1.envVar.fromSecretRef(secretRefKey='k', secretRefName='s', name='n'),
  fromFieldPath: v1.envVar.fromFieldPath('POD_IP', 'status.podIP'),
},
keyToPath: {
  new: v1.keyToPath.new('config.yaml', 'etc/config.yaml'),
},
configMap: {
  new: v1.configMap.new('cm'),
  newData: configMap,
  newEmpty: v1.configMap.new('cm', {}),
  newNull: v1.configMap.new('cm', null),
  newHiddenOnly: v1.configMap.new('cm', { h:: 1 }),
  withData: v1.configMap.withData({ a: 'b' }),
  withDataEmpty: v1.configMap.withData({}),
  withDataMixin: v1.configMap.new('cm', { a: '1' }) + v1.configMap.withDataMixin({ b: '2' }) + v1.configMap.withDataMixin({}),
  withDataReplace: v1.configMap.new('cm', { a: '1' }) + v1.configMap.withData({ c: '3' }),
},
secret: {
  new: v1.secret.new('s', { password: std.base64('hunter2') }),
  newType: v1.secret.new('tls', { 'tls.crt': 'Y3J0' }, 'kubernetes.io/tls'),
  newTypeNamed: v1.secret.new(name='n', data={}, type='kubernetes.io/dockerconfigjson'),
  newNull: v1.secret.new('n', null, null),
},
service: {
  new: v1.service.new('web', { name: 'web' }, [v1.servicePort.newNamed('http', 80, 'http')]),
  newOnePort: v1.service.new('web', { app: 'x' }, v1.servicePort.new(443, 8443)),
  newWithoutSelector: v1.service.newWithoutSelector('external'),
  newOverSpec: v1.service.spec.withType('NodePort') + v1.service.spec.withPorts([{ port: 1 }]) + v1.service.new('web', { a: 'b' }, []),
},
servicePort: {
  new: v1.servicePort.new(80, 8080),
  newNamedTarget: v1.servicePort.new(80, 'http'),
  newNamed: v1.servicePort.newNamed('grpc', 9095, 9095),
  newNamedArgs: v1.servicePort.newNamed(port=1, targetPort='t', name='n'),
},
persistentVolume: {
  new: v1.persistentVolume.new(),
  newNamed: v1.persistentVolume.new('pv-1'),
  newEmpty: v1.persistentVolume.new(''),
  newWithSpec: v1.persistentVolume.new('pv') + v1.persistentVolume.spec.withCapacity({ storage: '1Gi' }),
},
volume: {
  fromConfigMap: v1.volume.fromConfigMap('cfg', 'settings'),
  fromConfigMapItems: v1.volume.fromConfigMap('cfg', 'settings', [v1.keyToPath.new('a', 'b')]),
  fromConfigMapNoItems: v1.volume.fromConfigMap('cfg', 'settings', []),
  fromConfigMapOneItem: v1.volume.fromConfigMap('cfg', 'settings', v1.keyToPath.new('a', 'b')),
  fromConfigMapOver: v1.volume.configMap.withDefaultMode(420) + v1.volume.fromConfigMap('cfg', 'settings', [v1.keyToPath.new('a', 'b')]) + v1.volume.fromConfigMap('cfg2', 'other'),
  fromEmptyDir: v1.volume.fromEmptyDir('tmp'),
  fromEmptyDirMedium: v1.volume.fromEmptyDir('shm', { medium: 'Memory' }),
  fromPersistentVolumeClaim: v1.volume.fromPersistentVolumeClaim('data', 'data-claim'),
  fromPersistentVolumeClaimLegacy: v1.volume.fromPersistentVolumeClaim('data', emptyDir='legacy-claim'),
  fromPersistentVolumeClaimBoth: v1.volume.fromPersistentVolumeClaim('data', 'claim', 'legacy'),
  fromPersistentVolumeClaimNull: v1.volume.fromPersistentVolumeClaim('data', null),
  fromPersistentVolumeClaimLazy: std.objectFields(v1.volume.fromPersistentVolumeClaim('data')),
  fromHostPath: v1.volume.fromHostPath('docker', '/var/run/docker.sock'),
  fromSecret: v1.volume.fromSecret('creds', 'db-secret'),
  fromSecretArgs: v1.volume.fromSecret(secretName='s', name='n'),
  fromCsi: v1.volume.fromCsi('vault', 'secrets-store.csi.k8s.io'),
  fromCsiAttributes: v1.volume.fromCsi('vault', 'secrets-store.csi.k8s.io', { secretProviderClass: 'vault' }),
},
volumeMount: {
  new: v1.volumeMount.new('data', '/data'),
  newReadOnly: v1.volumeMount.new('data', '/data', true),
  newReadWrite: v1.volumeMount.new('data', '/data', readOnly=false),
  newOver: v1.volumeMount.withSubPath('s') + v1.volumeMount.new('data', '/data', true) + v1.volumeMount.new('d2', '/d2'),
},
list: {
  new: v1.list.new([configMap, v1.secret.new('s', {})]),
  newOne: v1.list.new(configMap),
  newEmpty: v1.list.new([]),
  withItems: v1.list.new([configMap]) + v1.list.withItems([v1.service.newWithoutSelector('x')]) + v1.list.withItems(configMap),
},
apps: {
  deployment: apps.deployment.new('web', containers=[app]),
  deploymentAll: apps.deployment.new('web', 3, [app, sidecar], { tier: 'frontend', name: 'override' }),
  deploymentNoReplicas: apps.deployment.new('web', replicas=null, containers=app),
  deploymentLazy: std.objectFields(apps.deployment.new('web')),
  deploymentArgs: apps.deployment.new(podLabels={ a: 'b' }, containers=[], name='n'),
  deploymentOver: apps.deployment.spec.withMinReadySeconds(5) + apps.deployment.spec.template.spec.withInitContainers([init]) + apps.deployment.spec.template.metadata.withAnnotations({ a: 'b' }) + apps.deployment.spec.selector.withMatchExpressions([{ key: 'k' }]) + apps.deployment.new('web', 2, [app]),
  statefulSet: apps.statefulSet.new('db', containers=[app]),
  statefulSetAll: apps.statefulSet.new('db', 2, [app], [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } }], { role: 'db' }),
  statefulSetNullReplicas: apps.statefulSet.new('db', null, [app], []),
  statefulSetLazy: std.objectFields(apps.statefulSet.new('db')),
  daemonSet: apps.daemonSet.new('agent'),
  daemonSetAll: apps.daemonSet.new('agent', [app], { team: 'infra' }),
  daemonSetArgs: apps.daemonSet.new(name='a', podLabels={ x: 'y' }),
},
batch: {
  cronJob: batch.cronJob.new('cron'),
  cronJobAll: batch.cronJob.new('cron', '0 * * * *', [app, sidecar]),
  cronJobArgs: batch.cronJob.new(containers=app, name='c'),
},
autoscaling: {
  v1ref: k.autoscaling.v1.crossVersionObjectReference.withApiVersion('apps/v1') + k.autoscaling.v1.crossVersionObjectReference.withKind('Deployment'),
  v2ref: k.autoscaling.v2.crossVersionObjectReference.withApiVersion(apiversion='apps/v1'),
  v1hpa: k.autoscaling.v1.horizontalPodAutoscaler.new('hpa') + k.autoscaling.v1.horizontalPodAutoscaler.spec.withScaleTargetRef(workloads.deployment) + k.autoscaling.v1.horizontalPodAutoscaler.spec.withMaxReplicas(5),
  v2hpa: k.autoscaling.v2.horizontalPodAutoscaler.new('hpa') + k.autoscaling.v2.horizontalPodAutoscaler.spec.withScaleTargetRef(object=workloads.statefulSet) + k.autoscaling.v2.horizontalPodAutoscaler.spec.scaleTargetRef.withName('other'),
},
rbac: {
  bindRole: rbac.roleBinding.new('rb') + rbac.roleBinding.bindRole(rbac.role.new('reader')),
  bindClusterRole: rbac.clusterRoleBinding.new('crb') + rbac.clusterRoleBinding.bindRole(rbac.clusterRole.new('admin')),
  bindRoleCore: rbac.roleBinding.bindRole({ apiVersion: 'v1', kind: 'Role', metadata: { name: 'x' } }),
  bindRoleLazy: std.objectFields(rbac.roleBinding.bindRole(error 'lazy')),
  fromServiceAccount: rbac.subject.fromServiceAccount(v1.serviceAccount.new('sa') + v1.serviceAccount.metadata.withNamespace('ns')),
  binding: rbac.roleBinding.new('rb') + rbac.roleBinding.withSubjects([rbac.subject.fromServiceAccount({ metadata: { name: 'a', namespace: 'b' } })]),
},
mapContainers: {
  pod: std.objectFields(v1.pod.new('p') + v1.pod.mapContainers(function(x) x)),
  podTemplate: std.objectFields(v1.podTemplate.new('p') + v1.podTemplate.mapContainersWithName('a', function(x) x)),
  replicationController: v1.replicationController.new('rc') + v1.replicationController.spec.template.spec.withContainers([app]) + v1.replicationController.mapContainers(function(x) x + c.withImage('i2')),
  replicationControllerWithName: v1.replicationController.new('rc') + v1.replicationController.spec.template.spec.withContainers([app, sidecar]) + v1.replicationController.mapContainersWithName(['app'], function(x) x + c.withImage('i2')),
},
workloads: { [w]: mounts(w) for w in std.objectFields(workloads) },
}"#;

/// Field lists and docs of every object the layer patches (and of their parents).
const SHAPES: &str = r#"{
  root: shape(k),
  core: shape(k.core),
  'core.v1': shape(v1),
  apps: shape(k.apps),
  'apps.v1': shape(apps),
  batch: shape(k.batch),
  'batch.v1': shape(batch),
  rbac: shape(k.rbac),
  'rbac.v1': shape(rbac),
  autoscaling: shape(k.autoscaling),
  'autoscaling.v1': shape(k.autoscaling.v1),
  'autoscaling.v2': shape(k.autoscaling.v2),
} + {
  ['core.v1.' + o]: shape(v1[o])
  for o in ['configMap', 'container', 'containerPort', 'envVar', 'keyToPath', 'persistentVolume', 'secret', 'service', 'servicePort', 'volume', 'volumeMount', 'list', 'pod', 'podTemplate', 'replicationController']
} + {
  ['apps.v1.' + o]: shape(apps[o])
  for o in ['deployment', 'statefulSet', 'daemonSet', 'replicaSet']
} + {
  ['batch.v1.' + o]: shape(batch[o])
  for o in ['job', 'cronJob']
} + {
  ['rbac.v1.' + o]: shape(rbac[o])
  for o in ['roleBinding', 'clusterRoleBinding', 'subject']
} + {
  ['autoscaling.%s.%s' % [v, o]]: shape(k.autoscaling[v][o])
  for v in ['v1', 'v2']
  for o in ['crossVersionObjectReference', 'horizontalPodAutoscaler']
} + {
  ['autoscaling.%s.horizontalPodAutoscaler.spec' % v]: shape(k.autoscaling[v].horizontalPodAutoscaler.spec)
  for v in ['v1', 'v2']
}"#;

/// Programs that must fail, with the same message, with either layer (`k` is the library).
const ERRORS: &[&str] = &[
    "k.apps.v1.deployment.new('web')",
    "k.apps.v1.statefulSet.new('db')",
    "k.core.v1.volume.fromPersistentVolumeClaim('data')",
    "k.core.v1.volumeMount.new('a', '/a', null)",
    "k.core.v1.container.withEnvMixin([{ name: 'A', value: null }])",
    "k.core.v1.container.withEnvMixin({ name: 'A' })",
    "k.core.v1.container.withEnvMap({ A: 1 })",
    "k.core.v1.container.withEnvMap({ A: null })",
    "k.core.v1.container.withEnvMap({ A: true })",
    "k.core.v1.volumeMount.new('a', '/a', 'yes')",
    "k.core.v1.container.withResourcesRequests(error 'cpu is forced', null)",
    "k.batch.v1.cronJob.new('c', '', [{ name: 'a' }]) + k.batch.v1.cronJob.secretVolumeMountAnnotated('s', '/s')",
    // (not `k.core.v1.pod.new('p') + k.core.v1.pod.mapContainers(f)`: a pod has no
    // `spec.template`, and a missing field read through `super` in a field of the same
    // name panics in the interpreter, `{ a: 1 } + { b: super.b }`, whichever layer)
    "k.apps.v1.deployment.new('d', containers=[{ name: 'a' }]) + k.apps.v1.deployment.mapContainers(function(x) x, includeInitContainers=true)",
    "k.apps.v1.deployment.new('d', containers=[{ name: 'a' }]) + k.apps.v1.deployment.mapContainersWithName([1], function(x) x)",
    "k.apps.v1.deployment.new('d', containers=[{ name: 'a' }]) + k.apps.v1.deployment.mapContainers(function(x) x, includeInitContainers='yes')",
    "k.rbac.v1.roleBinding.bindRole({ kind: 'Role', metadata: { name: 'x' } })",
    "k.core.v1.list.new(error 'items are forced')",
    "k.core.v1.configMap.new('cm', error 'data is forced')",
];

/// The layer of this repository.
fn our_layer() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("lib/k8s/custom")
}

/// A program over the library at `main` (an import path) evaluating to `{ <key>: <expr> }`.
fn program(main: &str, entries: &[(&str, &str)]) -> String {
    let mut p = format!("local k = import '{main}/main.libsonnet';\n{PRELUDE}\n{{\n");
    for (key, expr) in entries {
        p.push_str(&format!("  {key}: {expr},\n"));
    }
    p.push_str("}\n");
    p
}

/// Makes `dir/<ROOT_130>` a library directory: `main.libsonnet`, `gen.libsonnet` and
/// `_gen` linked from `published`, `_custom` linked to `custom`.
fn library_tree(dir: &Path, published: &Path, custom: &Path) {
    let root = dir.join(ROOT_130);
    std::fs::create_dir_all(&root).unwrap();
    for f in ["main.libsonnet", "gen.libsonnet", "_gen"] {
        std::os::unix::fs::symlink(published.join(f), root.join(f)).unwrap();
    }
    std::os::unix::fs::symlink(custom, root.join("_custom")).unwrap();
}

/// Runs `program` with the `-J` directory `jpath`.
fn eval(jpath: &Path, program: &str) -> Out {
    let dir = tmp();
    write(dir.path(), "p.jsonnet", program);
    let o = run(gw(dir.path()).arg("-J").arg(jpath).arg("p.jsonnet"));
    common::no_panic(&o);
    o
}

/// Runs `program` with `jpath`: it succeeds; its JSON.
#[track_caller]
fn eval_ok(what: &str, jpath: &Path, program: &str) -> Value {
    let o = eval(jpath, program);
    assert_eq!(o.code, Some(0), "{what}:\n{}", o.context());
    serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// The JSON paths where `got` and `want` differ, with both values.
fn differences(got: &Value, want: &Value, path: &str, out: &mut Vec<String>) {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            let keys: BTreeSet<&String> = g.keys().chain(w.keys()).collect();
            for key in keys {
                let p = format!("{path}.{key}");
                match (g.get(key), w.get(key)) {
                    (Some(a), Some(b)) => differences(a, b, &p, out),
                    (a, b) => out.push(format!("{p}: ours {a:?}, published {b:?}")),
                }
            }
        }
        (Value::Array(g), Value::Array(w)) if g.len() == w.len() => {
            for (i, (a, b)) in g.iter().zip(w).enumerate() {
                differences(a, b, &format!("{path}[{i}]"), out);
            }
        }
        _ if got == want => {}
        _ => out.push(format!("{path}: ours {got}, published {want}")),
    }
}

/// `ours` equals `published`, or the failure lists (up to 40 of) the differences.
#[track_caller]
fn assert_same_json(what: &str, ours: &Value, published: &Value) {
    let mut diffs = Vec::new();
    differences(ours, published, "", &mut diffs);
    assert!(
        diffs.is_empty(),
        "{what}: {} differences between our layer and the published one:\n{}",
        diffs.len(),
        diffs
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The published 1.30 library, or `None` (skipped) without `../shared`.
fn published_130() -> Option<PathBuf> {
    shared_fixture("kubernetes/k8s-libsonnet/1.30")
}

#[test]
fn layer_has_the_published_file_names() {
    let Some(published) = published_130() else {
        return;
    };
    assert_eq!(common::listing(&published.join("_custom")), LAYER_FILES);
    assert_eq!(common::listing(&our_layer()), LAYER_FILES);
}

#[test]
fn every_helper_and_docs_field_equals_the_published_layer_on_1_30() {
    let Some(published) = published_130() else {
        return;
    };
    let (a, b) = (tmp(), tmp());
    library_tree(a.path(), &published, &published.join("_custom"));
    library_tree(b.path(), &published, &our_layer());
    let p = program(ROOT_130, &[("calls", CALLS), ("shapes", SHAPES)]);
    let want = eval_ok("published layer", a.path(), &p);
    let got = eval_ok("our layer", b.path(), &p);
    assert_same_json("1.30", &got, &want);

    // The program reached what it means to check.
    let calls = &got["calls"];
    let workloads = calls["workloads"].as_object().unwrap();
    assert_eq!(workloads.len(), 6);
    assert!(workloads
        .values()
        .all(|w| w.as_object().unwrap().len() >= 25));
    assert!(got["shapes"].as_object().unwrap().len() >= 40);
    assert_eq!(
        calls["container"]["envMap"]["env"][0],
        serde_json::json!({ "name": "EMPTY" })
    );
    assert_eq!(calls["apps"]["deploymentAll"]["spec"]["replicas"], 3);
    let keys = got["shapes"]["core.v1.container"]["fieldsAll"].to_string();
    assert!(keys.contains("withEnvMap") && keys.contains("withResourcesLimits"));
}

#[test]
fn errors_equal_the_published_layer_on_1_30() {
    let Some(published) = published_130() else {
        return;
    };
    let (a, b) = (tmp(), tmp());
    library_tree(a.path(), &published, &published.join("_custom"));
    library_tree(b.path(), &published, &our_layer());
    for expr in ERRORS {
        let p = format!("local k = import '{ROOT_130}/main.libsonnet';\n{expr}\n");
        let first_line = |o: &Out| o.stderr.lines().next().unwrap_or("").to_string();
        let (want, got) = (eval(a.path(), &p), eval(b.path(), &p));
        assert_eq!(want.code, Some(1), "published, {expr}:\n{}", want.context());
        assert_eq!(got.code, Some(1), "ours, {expr}:\n{}", got.context());
        assert_eq!(first_line(&got), first_line(&want), "{expr}");
    }
}

/// A generated library lacking groups, versions and kinds the layer patches (as a
/// Kubernetes version without them would): the layer still loads, and the objects it
/// creates have the same fields and docs as with the published layer.
#[test]
fn layer_on_a_library_without_some_groups_equals_the_published_layer() {
    let Some(published) = published_130() else {
        return;
    };
    let pruned_gen = r#"local gen = import 'published-k8s/gen.libsonnet';
local without(o, names) = { [f]: o[f] for f in std.objectFieldsAll(o) if !std.member(names, f) };
without(gen, ['batch', 'autoscaling', 'rbac', 'core']) + {
  autoscaling: without(gen.autoscaling, ['v2']),
  rbac: { v1: without(gen.rbac.v1, ['roleBinding', 'subject']) },
  core: { v1: without(gen.core.v1, ['keyToPath', 'persistentVolume', 'pod']) },
}
"#;
    let trees = [published.join("_custom"), our_layer()].map(|custom| {
        let dir = tmp();
        let root = dir.path().join(ROOT_130);
        std::fs::create_dir_all(&root).unwrap();
        std::os::unix::fs::symlink(&published, dir.path().join("published-k8s")).unwrap();
        std::os::unix::fs::symlink(
            published.join("main.libsonnet"),
            root.join("main.libsonnet"),
        )
        .unwrap();
        std::os::unix::fs::symlink(custom, root.join("_custom")).unwrap();
        write(&root, "gen.libsonnet", pruned_gen);
        dir
    });
    let calls = "{ pv: k.core.v1.persistentVolume.new(), ref: k.autoscaling.v2.crossVersionObjectReference.withApiVersion('v'), list: k.core.v1.list.new([]), pruned: !std.objectHasAll(k.core.v1.keyToPath, 'withKey') && !std.objectHasAll(k.batch.v1.job, 'spec') }";
    let p = program(ROOT_130, &[("calls", calls), ("shapes", SHAPES)]);
    let want = eval_ok("published layer, pruned library", trees[0].path(), &p);
    let got = eval_ok("our layer, pruned library", trees[1].path(), &p);
    assert_same_json("pruned 1.30", &got, &want);
    assert_eq!(got["calls"]["pv"]["kind"], "PersistentVolume");
    assert_eq!(
        got["calls"]["pruned"], true,
        "the pruned gen.libsonnet was not used"
    );
}

/// Every Kubernetes version gwsonnet serves the generated library of natively (no files
/// on disk): our layer applied on it evaluates every helper. Versions not served (yet)
/// are reported as skipped.
#[test]
fn every_helper_evaluates_on_every_served_version() {
    for minor in 28..=36 {
        let root = format!("github.com/jsonnet-libs/k8s-libsonnet/1.{minor}");
        let empty = tmp();
        let probe = eval(
            empty.path(),
            &format!("std.length(std.objectFieldsAll(import '{root}/gen.libsonnet'))"),
        );
        if probe.code != Some(0) {
            println!("skipped: 1.{minor}: {root}/gen.libsonnet is not served natively");
            continue;
        }
        let dir = tmp();
        let imports: Vec<String> = LAYER_FILES
            .iter()
            .map(|f| format!("(import '_custom/{f}')"))
            .collect();
        let main = format!(
            "(import '{root}/gen.libsonnet') + {}\n",
            imports.join(" + ")
        );
        write(&dir.path().join(&root), "main.libsonnet", &main);
        std::os::unix::fs::symlink(our_layer(), dir.path().join(&root).join("_custom")).unwrap();
        let p = program(&root, &[("calls", CALLS), ("shapes", SHAPES)]);
        let got = eval_ok(&format!("1.{minor}"), dir.path(), &p);
        assert_eq!(
            got["calls"]["apps"]["deployment"]["kind"], "Deployment",
            "1.{minor}"
        );
    }
}

/// Programs on the natives behind some helpers of the built-in layer (`src/native/
/// k8s_custom.rs`): laziness, errors and a library that patches what they call.
const NATIVE_EDGES: &[(&str, &str)] = &[
    ("mixinLazy", "std.length(c.withEnvMixin(['x', error 'y']).env)"),
    ("mixinFieldsLazy", "std.objectFields(c.withEnvMixin(error 'env is read late'))"),
    ("mapFieldsLazy", "std.objectFields(c.withEnvMap(error 'env is read late'))"),
    ("mixinKeepsLazyFields", "std.objectFields(c.withEnvMixin([{ name: 'A', value: '', other: error 'lazy' }]).env[0])"),
    ("mixinFunctionValue", "std.objectFields(c.withEnvMixin([{ name: 'A', value: function() 1 }, { name: 'B', value: function(x) x }]).env[1])"),
    ("mapOrder", "c.withEnvMap({ b: 'b', a: 'a', c: { x: 1 }, h:: 'hidden' })"),
    ("mapOverSelf", "(k + { core+: { v1+: { container+: { withEnvMixin(env):: { patched: env } } } } }).core.v1.container.withEnvMap({ A: 'a', B: '' })"),
    ("mapOnPatchedObject", "(c + { withEnvMixin(e):: { seen: std.length(e) } }).withEnvMap({ A: 'a' })"),
    ("mixinOverSuper", "(c + { withEnvMixin(env):: super.withEnvMixin(env) + { extra: true } }).withEnvMap({ A: '' })"),
    ("mountOverPatchedLibrary", "local k2 = k + { core+: { v1+: { volumeMount+: { new(name, mountPath, readOnly=false):: { patched: name } }, volume+: { fromConfigMap(name, configMapName, configMapItems=[]):: { vol: name } } } } }; k2.apps.v1.deployment.new('d', containers=[c.new('a', 'b')]) + k2.apps.v1.deployment.configMapVolumeMount(k2.core.v1.configMap.new('cm'), '/x')"),
    ("patchFieldsLazy", "std.objectFields(apps.deployment.configMapVolumeMount(error 'configMap', '/x', containers=error 'containers', includeInitContainers=error 'init'))"),
    ("patchPodFieldsLazy", "std.objectFields((apps.deployment.new('d', containers=error 'containers') + apps.deployment.emptyVolumeMount('t', '/t', volumeMixin=error 'volume')).spec.template.spec)"),
    ("patchStringContainers", "apps.deployment.new('d', containers=[c.new('app', 'x'), c.new('p', 'y')]) + apps.deployment.emptyVolumeMount('t', '/t', containers='app')"),
    ("resourcesOverSelf", "(c + { resources+: { withRequests(r):: { seen: r } } }).withResourcesRequests('1', null)"),
    ("volumeMountOverSelf", "(v1.volumeMount + { withReadOnly(r):: { ro: r } }).new('a', '/a', true)"),
    ("persistentVolumeOverSelf", "(v1.persistentVolume + { metadata+: { withName(name):: { named: name } } }).new('pv')"),
    ("deploymentOverPatchedName", "(apps.deployment + { metadata+: { withName(name):: { patched: name } } }).new('d', containers=[])"),
    ("constructorsLazy", "[std.objectFields(f) for f in [c.new(error 'n', error 'i'), v1.containerPort.newNamedUDP(error 'p', error 'n'), v1.servicePort.newNamed(error 'n', error 'p', error 't'), v1.service.new(error 'n', error 's', error 'p'), v1.envVar.new(error 'n', error 'v'), v1.keyToPath.new(error 'k', error 'p'), v1.secret.new(error 'n', error 'd', error 't'), v1.volume.fromConfigMap(error 'n', error 'c'), apps.daemonSet.new(error 'n', error 'c', error 'l')]]"),
    ("deploymentLabelsLazy", "std.objectFields(apps.deployment.new(error 'name', containers=error 'c', podLabels=error 'l').spec.template)"),
    ("deploymentStringLabels", "apps.deployment.new('d', containers=[], podLabels='x').spec.selector"),
    ("statefulSetStringClaims", "apps.statefulSet.new('db', containers=[], volumeClaims='ab').spec"),
    ("newOverNew", "v1.service.new('a', {}, []) + v1.service.new('b', { x: 'y' }, [{ port: 1 }]) + apps.deployment.new('d', containers=[]) + apps.statefulSet.new('s', 2, [])"),
    ("hashShapes", "[apps.deployment.configMapVolumeMount(cm, '/x').spec.template.metadata.annotations for cm in [{ metadata: { name: 'a' }, data: { n: 1.5, big: 1e21, s: 'é\\\"<', l: [true, null, {}, []], h:: 'hidden' } }, v1.configMap.new('b', { k: 'v' }) + v1.configMap.metadata.withLabels({ x: 'y' })]]"),
    ("mountAllContainers", "apps.deployment.new('d', containers=[c.new('a', 'x') + c.withVolumeMounts([{ name: 'old', mountPath: '/old' }]), c.new('b', 'y')], podLabels={ tier: 'web' }) + { spec+: { template+: { spec+: { initContainers: [c.new('i', 'z')] } } } } + apps.deployment.configMapVolumeMount(v1.configMap.new('cm', { a: '1' }), '/cm', includeInitContainers=true)"),
    ("mountOverPatchedSelf", "apps.deployment.new('d', containers=[c.new('a', 'x')]) + { spec+: { template+: { spec+: { containers: [{ name: 'raw', volumeMounts: [{ name: 'o' }] }] } } } } + apps.deployment.configMapVolumeMount(v1.configMap.new('cm'), '/cm', volumeMountMixin={ readOnly: true }, containers=null)"),
    ("mountCronJobNamed", "batch.cronJob.new('c', '* * * * *', [c.new('a', 'x'), c.new('b', 'y')]) + batch.cronJob.configMapVolumeMount(v1.configMap.new('cm'), '/cm', containers=['b']) + batch.cronJob.configMapVolumeMount(v1.configMap.new('cm2'), '/cm2')"),
    ("mountLazyContainer", "std.length((apps.deployment.new('d', containers=[error 'unread', c.new('b', 'y')]) + apps.deployment.configMapVolumeMount(v1.configMap.new('cm'), '/cm')).spec.template.spec.containers[1].volumeMounts)"),
    ("mountNamedArgsElsewhere", "local k2 = k + { core+: { v1+: { volumeMount+: { new(name, mountPath, extra='e', readOnly=false):: { m: [name, mountPath, extra, readOnly] } }, volume+: { fromSecret(name, extra='e', secretName=''):: { s: [name, extra, secretName] } } } } }; local d = k2.apps.v1.deployment; [(d.new('d', containers=[c.new('a', 'x')]) + f).spec.template.spec for f in [d.hostVolumeMount('h', '/host', '/h', true), d.pvcVolumeMount('p', '/p', readOnly=true), d.secretVolumeMount('s', '/s', 288)]]"),
    ("mountNumberName", "(apps.deployment.new('d', containers=[c.new('a', 'x')]) + apps.deployment.configMapVolumeMount({ metadata: { name: 5 }, data: {} }, '/x')).spec.template"),
    ("patchOverPatch", "apps.deployment.new('d', containers=[c.new('a', 'b')]) + apps.deployment.emptyVolumeMount('t', '/t') + { spec+: { template+: { spec+: { containers+: [c.new('late', 'x')] } } } } + apps.deployment.pvcVolumeMount('p', '/p', containers=['late'])"),
];

/// Programs that fail on the natives, each with the first line of the Jsonnet's error.
const NATIVE_ERRORS: &[&str] = &[
    "k.core.v1.container.withEnvMixin(['x'])",
    "k.core.v1.container.withEnvMixin([{ name: 'A', value: 1 }])",
    "k.core.v1.container.withEnvMap('x')",
    "k.core.v1.container.withEnvMap({ A: error 'boom' })",
    "k.core.v1.container.withEnvMap(env=null)",
    "k.core.v1.container.withEnvMap()",
    "k.apps.v1.deployment.configMapVolumeMount(k.core.v1.configMap.new('c'), '/x')",
    "{ spec: 1 } + k.apps.v1.deployment.emptyVolumeMount('t', '/t')",
    "{ spec: { template: { spec: { containers: 1 } } } } + k.apps.v1.deployment.emptyVolumeMount('t', '/t')",
    "{ spec: { template: { spec: { containers: [{}] } } } } + k.apps.v1.deployment.emptyVolumeMount('t', '/t', containers=['a'])",
    "k.apps.v1.deployment.new('d', containers=[{ name: 'a' }]) + k.apps.v1.deployment.emptyVolumeMount('t', '/t', includeInitContainers='yes')",
    "k.apps.v1.deployment.new('d', containers=[{ name: 'a' }]) + k.apps.v1.deployment.emptyVolumeMount('t', '/t', includeInitContainers=true)",
    "k.apps.v1.deployment.new('d', containers=[{ name: 'a' }]) + k.apps.v1.deployment.configMapVolumeMount({}, '/t')",
    "k.batch.v1.cronJob.new('c', '', [{ name: 'a' }]) + k.batch.v1.cronJob.emptyVolumeMount('t', '/t', containers=1)",
    "k.apps.v1.deployment.new('d', containers=['notAnObject']) + k.apps.v1.deployment.configMapVolumeMount(k.core.v1.configMap.new('c'), '/t')",
    "k.apps.v1.deployment.new('d', containers=[{ name: 'a' }]) + k.apps.v1.deployment.configMapVolumeMount({ metadata: { name: 'c' }, data: error 'data is hashed' }, '/t')",
    "k.apps.v1.deployment.new('d', containers=[{ name: 'a' }]) + k.apps.v1.deployment.configMapVolumeMount(k.core.v1.configMap.new('c'), '/t', containers=error 'containers are read per container')",
    "k.apps.v1.deployment.new('d', containers=[{ name: 'a' }]) + k.apps.v1.deployment.configMapVolumeMount({ metadata: { name: 'c' }, f: function(x) x }, '/t')",
    "k.apps.v1.deployment.new('d', replicas=error 'replicas is forced')",
    "k.apps.v1.deployment.new('d', containers=[], podLabels=1).spec.selector",
    "k.apps.v1.statefulSet.new('db', containers=[], volumeClaims=1)",
    "k.apps.v1.daemonSet.new('ds', podLabels=error 'labels are read').spec.selector",
    "k.core.v1.persistentVolume.new(error 'name is forced')",
    "k.core.v1.container.new('a')",
    "k.core.v1.secret.new('s')",
    "k.core.v1.volume.fromConfigMap('a', 'b', error 'items are forced')",
    "k.core.v1.containerPort.newNamed(80, 'http', 'x')",
    "k.core.v1.service.new(name='a', selector={}, port=[])",
];

/// The layer the binary serves (its Jsonnet plus the natives behind some helpers)
/// against the same Jsonnet read from disk, on the built-in 1.30 library: every call,
/// every shape, every error of the comparisons with the published layer, and the
/// natives' edges. Needs nothing from `../shared`.
#[test]
fn the_natives_of_the_built_in_layer_equal_its_jsonnet() {
    let (builtin, on_disk) = (tmp(), tmp());
    let root = on_disk.path().join(ROOT_130);
    std::fs::create_dir_all(&root).unwrap();
    std::os::unix::fs::symlink(our_layer(), root.join("_custom")).unwrap();
    let mut entries = vec![("calls", CALLS), ("shapes", SHAPES)];
    entries.extend(NATIVE_EDGES.iter().copied());
    let p = program(ROOT_130, &entries);
    let want = eval_ok("the Jsonnet layer", on_disk.path(), &p);
    let got = eval_ok("the built-in layer", builtin.path(), &p);
    assert_same_json("built-in 1.30", &got, &want);
    assert_eq!(got["mixinLazy"], 2);
    assert_eq!(
        got["mapOverSelf"]["patched"][1],
        serde_json::json!({ "name": "B" })
    );
    let first_line = |o: &Out| o.stderr.lines().next().unwrap_or("").to_string();
    let mut differ = Vec::new();
    for expr in ERRORS.iter().chain(NATIVE_ERRORS) {
        let p = format!("local k = import '{ROOT_130}/main.libsonnet';\n{expr}\n");
        let got = eval(builtin.path(), &p);
        let want = eval(on_disk.path(), &p);
        assert_eq!(
            want.code,
            Some(1),
            "Jsonnet layer, {expr}:\n{}",
            want.context()
        );
        assert_eq!(
            got.code,
            Some(1),
            "built-in layer, {expr}:\n{}",
            got.context()
        );
        if first_line(&got) != first_line(&want) {
            differ.push(format!(
                "{expr}\n  built-in: {}\n  Jsonnet:  {}",
                first_line(&got),
                first_line(&want)
            ));
        }
    }
    assert!(differ.is_empty(), "errors differ:\n{}", differ.join("\n"));
}
