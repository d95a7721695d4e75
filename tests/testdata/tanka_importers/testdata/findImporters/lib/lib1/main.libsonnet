{
  vendored: import 'vendored/main.libsonnet',
}
