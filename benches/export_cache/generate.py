#!/usr/bin/env python3
"""Generates the export-cache benchmark's Tanka repository (issue 21): N environments
(default 500), each rendering M objects (default 100) through the built-in k8s-libsonnet
(`lib/k.libsonnet` imports it, nothing is vendored) and a shared `lib/app.libsonnet`;
each environment also imports its own `config.libsonnet`, the file the benchmark
changes to invalidate exactly one environment.

    benches/export_cache/generate.py DIR [--envs 500] [--objects 100]
"""
import argparse
import json
import os

APP = """// One application: a Deployment, a Service and a ConfigMap on k8s-libsonnet.
local k = import 'k.libsonnet';
local deployment = k.apps.v1.deployment;
local container = k.core.v1.container;
local port = k.core.v1.containerPort;
local service = k.core.v1.service;
local configMap = k.core.v1.configMap;
{
  app(env, name, replicas, settings):: {
    local labels = { app: name, env: env },
    local image = 'registry.example.com/%s:%s' % [name, settings.version],
    config: configMap.new(name + '-config', {
      'settings.json': std.manifestJsonEx(settings + { name: name, env: env }, '  '),
      'level': settings.logLevel,
    }),
    deployment:
      deployment.new(name, replicas, [
        container.new(name, image)
        + container.withPorts([port.newNamed(8080, 'http'), port.newNamed(9090, 'metrics')])
        + container.withArgs(['--config=/etc/%s/settings.json' % name, '--log.level=' + settings.logLevel])
        + container.resources.withRequests({ cpu: '100m', memory: '128Mi' })
        + container.resources.withLimits({ cpu: '1', memory: '512Mi' }),
      ], podLabels=labels)
      + deployment.metadata.withLabels(labels)
      + deployment.spec.template.metadata.withAnnotations({ 'config-hash': std.md5(std.toString(settings)) }),
    service:
      service.new(name, labels, [{ name: 'http', port: 80, targetPort: 8080 }])
      + service.metadata.withLabels(labels),
  },
}
"""

MAIN = """local app = import 'app.libsonnet';
local config = import 'config.libsonnet';
{
  [name]: app.app(config.env, name, config.replicas, config.settings)
  for name in ['svc-%%03d' %% i for i in std.range(1, %(apps)d)]
}%(extra)s
"""

CONFIG = """{
  env: '%(env)s',
  replicas: %(replicas)d,
  settings: { version: 'v1.%(i)d.0', logLevel: 'info', features: ['a', 'b', 'c'], shards: %(replicas)d },
}
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir")
    ap.add_argument("--envs", type=int, default=500)
    ap.add_argument("--objects", type=int, default=100)
    args = ap.parse_args()
    apps, rest = divmod(args.objects, 3)
    root = args.dir

    def write(rel, text):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    write("jsonnetfile.json", "{}\n")
    write("lib/k.libsonnet", "import 'github.com/jsonnet-libs/k8s-libsonnet/1.30/main.libsonnet'\n")
    write("lib/app.libsonnet", APP)
    for i in range(args.envs):
        env = "e%04d" % i
        # The objects beyond the applications' multiples of three: plain ConfigMaps.
        extra = "".join(
            " + { extra%d: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra-%d' }, data: { i: '%d' } } }" % (j, j, j)
            for j in range(rest)
        )
        write("environments/%s/main.jsonnet" % env, MAIN % {"apps": apps, "extra": extra})
        write("environments/%s/config.libsonnet" % env, CONFIG % {"env": env, "replicas": 1 + i % 5, "i": i})
        spec = {
            "apiVersion": "tanka.dev/v1alpha1",
            "kind": "Environment",
            "metadata": {"name": "environments/" + env},
            "spec": {"namespace": env, "apiServer": "https://127.0.0.1:6443"},
        }
        write("environments/%s/spec.json" % env, json.dumps(spec, indent=2) + "\n")


if __name__ == "__main__":
    main()
