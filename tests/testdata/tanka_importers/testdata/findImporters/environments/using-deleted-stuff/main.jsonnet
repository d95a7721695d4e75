{
  gone: import 'my-import-dir/main.libsonnet',
}
