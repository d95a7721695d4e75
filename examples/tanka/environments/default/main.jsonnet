local web = import 'web.libsonnet';

{
  web: web.new('web', 'nginx:1.27'),
}
