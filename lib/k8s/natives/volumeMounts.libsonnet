// Served after gwsonnet's `_custom/volumeMounts.libsonnet` (not written by
// `libsonnet --out`): the same volume mount helpers, where the pod template patch that
// `super.mapContainers(f, includeInitContainers) + addVolume(...)` adds is one layer made
// by the native `gwsonnet.k8sPodPatch` (src/native/k8s_custom.rs), which mounts on every
// container itself when `containers` is null and calls `mountIn` otherwise. The mounts,
// volumes and annotations are still made by the library's own functions, late-bound
// through `$`; the ConfigMap hash is `std.md5(std.toString(configMap))` computed by the
// native `gwsonnet.k8sConfigHash` without the intermediate Jsonnet string.
local podPatch = std.native('gwsonnet.k8sPodPatch');
local configHash = std.native('gwsonnet.k8sConfigHash');
{
  local lib = $,

  // As in `_custom/volumeMounts.libsonnet`.
  local mountIn(containers, mount) = function(container)
    if containers == null || std.member(containers, container.name)
    then container { volumeMounts+: [mount] }
    else container,

  // `cronJob`: the pod template is `spec.jobTemplate.spec.template`, else `spec.template`.
  local helpers(cronJob) = {
    local patch(mount, containers, includeInitContainers, volume, annotations=null) =
      podPatch(cronJob, mount, containers, mountIn(containers, mount), if includeInitContainers then true else false, volume, annotations),

    configVolumeMount(name, path, volumeMountMixin={}, volumeMixin={}, containers=null, includeInitContainers=false)::
      patch(
        lib.core.v1.volumeMount.new(name, path) + volumeMountMixin,
        containers,
        includeInitContainers,
        lib.core.v1.volume.fromConfigMap(name, name) + volumeMixin,
      ),

    configMapVolumeMount(configMap, path, volumeMountMixin={}, volumeMixin={}, containers=null, includeInitContainers=false)::
      local name = configMap.metadata.name;
      patch(
        lib.core.v1.volumeMount.new(name, path) + volumeMountMixin,
        containers,
        includeInitContainers,
        lib.core.v1.volume.fromConfigMap(name, name) + volumeMixin,
        { ['%s-hash' % name]: configHash(configMap) },
      ),

    hostVolumeMount(name, hostPath, path, readOnly=false, volumeMountMixin={}, volumeMixin={}, containers=null, includeInitContainers=false)::
      patch(
        lib.core.v1.volumeMount.new(name, path, readOnly=readOnly) + volumeMountMixin,
        containers,
        includeInitContainers,
        lib.core.v1.volume.fromHostPath(name, hostPath) + volumeMixin,
      ),

    pvcVolumeMount(name, path, readOnly=false, volumeMountMixin={}, volumeMixin={}, containers=null, includeInitContainers=false)::
      patch(
        lib.core.v1.volumeMount.new(name, path, readOnly=readOnly) + volumeMountMixin,
        containers,
        includeInitContainers,
        lib.core.v1.volume.fromPersistentVolumeClaim(name, name) + volumeMixin,
      ),

    secretVolumeMount(name, path, defaultMode=256, volumeMountMixin={}, volumeMixin={}, containers=null, includeInitContainers=false)::
      local volume = lib.core.v1.volume;
      patch(
        lib.core.v1.volumeMount.new(name, path) + volumeMountMixin,
        containers,
        includeInitContainers,
        volume.fromSecret(name, secretName=name) + volume.secret.withDefaultMode(defaultMode) + volumeMixin,
      ),

    emptyVolumeMount(name, path, volumeMountMixin={}, volumeMixin={}, containers=null, includeInitContainers=false)::
      patch(
        lib.core.v1.volumeMount.new(name, path) + volumeMountMixin,
        containers,
        includeInitContainers,
        lib.core.v1.volume.fromEmptyDir(name) + volumeMixin,
      ),

    csiVolumeMount(name, path, driver, volumeAttributes, volumeMountMixin={}, volumeMixin={}, containers=null, includeInitContainers=false)::
      patch(
        lib.core.v1.volumeMount.new(name, path) + volumeMountMixin,
        containers,
        includeInitContainers,
        lib.core.v1.volume.fromCsi(name, driver, volumeAttributes) + volumeMixin,
      ),
  },

  local podTemplateKind = helpers(false),

  batch+: {
    v1+: {
      job+: podTemplateKind,
      cronJob+: helpers(true),
    },
  },
  apps+: {
    v1+: {
      daemonSet+: podTemplateKind,
      deployment+: podTemplateKind,
      replicaSet+: podTemplateKind,
      statefulSet+: podTemplateKind,
    },
  },
}
