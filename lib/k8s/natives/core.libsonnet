// Served after gwsonnet's `_custom/core.libsonnet` (not written by `libsonnet --out`):
// `container.withEnvMixin`, `container.withEnvMap` and the constructors most programs
// call per object (`container.new`, `containerPort.new*`, `service.new`, ...) as
// natives computing what the Jsonnet helpers compute (src/native/k8s_custom.rs,
// src/native/k8s_helpers.rs).
std.native('gwsonnet.k8sCore')()
