local first = import 'chain-lib1/main.libsonnet';

{
  name: 'chain-env2',
  settings: first.processed { extendedBy: 'chain-env2' },
}
