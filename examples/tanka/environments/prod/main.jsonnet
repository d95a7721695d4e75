local web = import 'web.libsonnet';

{
  web: web.new('web', 'nginx:1.27', replicas=3),
  api: web.new('api', 'example.com/api:2.1', replicas=2),
}
