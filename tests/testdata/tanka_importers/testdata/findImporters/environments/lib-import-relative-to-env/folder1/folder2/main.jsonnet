local viaLib = import 'imports-relative-to-env/main.libsonnet';

{
  value: viaLib.value,
}
