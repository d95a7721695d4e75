// Benchmark `k8s-hello` (benches/run.sh): one Deployment from k8s-libsonnet 1.30, i.e.
// start-up plus loading the library (compared with `-e 1`).
local k = import 'github.com/jsonnet-libs/k8s-libsonnet/1.30/main.libsonnet';
k.apps.v1.deployment.new('x', containers=[k.core.v1.container.new('x', 'nginx')])
