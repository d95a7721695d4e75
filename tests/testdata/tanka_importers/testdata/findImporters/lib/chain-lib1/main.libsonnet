{
  processed: (import '../../environments/chain-env1/config.jsonnet') { by: 'chain-lib1' },
}
