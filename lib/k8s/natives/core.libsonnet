// Served after gwsonnet's `_custom/core.libsonnet` (not written by `libsonnet --out`):
// `container.withEnvMixin` and `container.withEnvMap` as natives computing what the
// Jsonnet helpers compute (src/native/k8s_custom.rs).
std.native('gwsonnet.k8sEnv')()
