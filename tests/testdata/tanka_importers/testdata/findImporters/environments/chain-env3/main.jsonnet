local third = import 'chain-lib3/main.libsonnet';

{
  name: 'chain-env3',
  settings: third.fromEnv2 { finishedBy: 'chain-env3' },
}
