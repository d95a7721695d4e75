{
  name: 'chain-env1',
}
