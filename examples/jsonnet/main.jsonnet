// A plain Jsonnet program: gwsonnet runs it exactly as go-jsonnet's `jsonnet` does.
// Each field is a file's text: -S -m writes them as files.
//
//   gwsonnet -J examples/jsonnet/lib -V env=prod examples/jsonnet/main.jsonnet
//   gwsonnet -J examples/jsonnet/lib -V env=dev -S -c -m out/ examples/jsonnet/main.jsonnet
local app = import 'app.libsonnet';
local env = std.extVar('env');

{
  'config.json': std.manifestJsonEx(app.config(env), '  ') + '\n',
  'config.yaml': std.manifestYamlDoc(app.config(env), quote_keys=false),
  'summary.txt': '%(name)s runs %(replicas)d replicas in %(env)s\n' % (app.config(env) { env: env }),
}
