{
  svc: { apiVersion: 'v1', kind: 'Service', metadata: { name: std.extVar('serviceName') } },
}
