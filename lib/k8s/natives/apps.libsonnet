// Served after gwsonnet's `_custom/apps.libsonnet` (not written by `libsonnet --out`):
// `deployment.new` as a native computing what the Jsonnet helper computes
// (src/native/k8s_helpers.rs).
std.native('gwsonnet.k8sApps')()
