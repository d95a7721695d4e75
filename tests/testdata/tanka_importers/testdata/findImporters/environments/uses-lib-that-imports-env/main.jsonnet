local shared = import 'lib-imports-environment/main.libsonnet';

{
  config: shared.config,
}
