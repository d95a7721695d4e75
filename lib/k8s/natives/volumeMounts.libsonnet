// Served after gwsonnet's `_custom/volumeMounts.libsonnet` (not written by
// `libsonnet --out`): its volume mount helpers as natives (`gwsonnet.k8sVolumeMounts`,
// src/native/k8s_custom.rs) computing what the Jsonnet computes. The mounts, volumes
// and annotations are still made by the library's own functions, late-bound through
// `$`; the pod template patch is one layer, which mounts on every container itself when
// `containers` is null and calls `mountIn` for each container otherwise.
local mounts = std.native('gwsonnet.k8sVolumeMounts');

// As in `_custom/volumeMounts.libsonnet`.
local mountIn(containers, mount) = function(container)
  if containers == null || std.member(containers, container.name)
  then container { volumeMounts+: [mount] }
  else container;

{
  // The helpers of a kind whose pod template is `spec.template`.
  local podTemplateKind = mounts($, false, mountIn),

  batch+: {
    v1+: {
      job+: podTemplateKind,
      cronJob+: mounts($, true, mountIn),
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
