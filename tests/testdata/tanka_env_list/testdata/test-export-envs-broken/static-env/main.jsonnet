{
  // Not a valid manifest (a name must be a string); env list does not evaluate it.
  svc: { apiVersion: 'v1', kind: 'Service', metadata: { name: true } },
}
