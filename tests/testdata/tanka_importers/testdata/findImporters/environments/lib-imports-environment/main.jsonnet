{
  name: 'lib-imports-environment',
  replicas: 2,
}
