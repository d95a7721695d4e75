{
  db: 'postgres://chain-env1/db',
  featureEnabled: true,
}
