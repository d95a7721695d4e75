{
  plain: import 'local-file1.libsonnet',
  roundabout: import '././../imports-locals-and-vendored/./local-file2.libsonnet',
  fromVendor: import 'vendored/main.libsonnet',
}
