// Tanka's usual k.libsonnet. gwsonnet serves k8s-libsonnet 1.30 from its binary:
// nothing under vendor/, no `jb install`.
import 'github.com/jsonnet-libs/k8s-libsonnet/1.30/main.libsonnet'
