// A top-level function: `eval -e` wraps it as Tanka does, passing the TLAs through.
function(replicas=1, tag='latest') {
  deployment: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'fn' },
    spec: { replicas: replicas, template: { spec: { containers: [{ name: 'fn', image: 'app:' + tag }] } } },
  },
}
