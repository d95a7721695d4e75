{
  fromEnv2: (import '../../environments/chain-env2/main.jsonnet') { by: 'chain-lib3' },
}
