// `k` with a `util` namespace of project helpers on top: import this instead of
// k.libsonnet to get both.
(import 'k.libsonnet') + { util: import 'util.libsonnet' }
