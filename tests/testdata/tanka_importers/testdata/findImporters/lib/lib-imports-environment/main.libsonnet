{
  // A library reading an environment's file: that file's importers include
  // every environment using this library.
  config: (import '../../environments/lib-imports-environment/config.jsonnet') { addedBy: 'lib' },
}
