{
  lib: import 'lib1/main.libsonnet',
}
