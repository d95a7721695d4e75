{
  url: 'postgres://lib-imports-environment/db',
}
