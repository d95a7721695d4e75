{
  assert self.lib.origin == 'environment vendor',
  lib: import 'vendor-override-in-env/main.libsonnet',
}
