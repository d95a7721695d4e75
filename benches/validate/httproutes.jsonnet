// Benchmark input of validation: n HTTPRoutes (default 10,000) of gateway.networking.k8s.io/v1,
// written as plain objects (no library import), each with parentRefs, hostnames, and
// rules with matches (path, headers, query parameters, method), filters (header
// modifiers, URL rewrite, mirror) and weighted backendRefs, so most of the CEL rules of
// the HTTPRoute CRD run. Every route is valid against the 1.5 and 1.6 CRDs.
// benches/validate.sh measures what `--validate` adds to rendering them.
//
//   gwsonnet benches/validate/httproutes.jsonnet                  # 10,000 routes
//   gwsonnet --tla-code n=10 benches/validate/httproutes.jsonnet  # a few
//   gwsonnet --crds ../shared/gateway-api/crds/1.6 --validate benches/validate/httproutes.jsonnet
local route(i) =
  local name = 'route-%d' % i;
  local svc = 'svc-%d' % (i % 100);
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: {
      name: name,
      namespace: 'team-%d' % (i % 10),
      labels: { app: name, tier: 'edge', shard: std.toString(i % 16) },
    },
    spec: {
      parentRefs: [
        { name: 'gateway-%d' % (i % 4), namespace: 'gateways', sectionName: 'https' },
        { name: 'gateway-%d' % (i % 4), namespace: 'gateways', sectionName: 'http' },
      ],
      hostnames: ['app-%d.example.com' % i, '*.team-%d.example.org' % (i % 10)],
      rules: [
        {
          name: 'api',
          matches: [
            {
              path: { type: 'PathPrefix', value: '/api/v%d' % (1 + i % 3) },
              headers: [{ name: 'x-tenant', value: 'tenant-%d' % (i % 50) }],
              queryParams: [{ type: 'Exact', name: 'debug', value: 'false' }],
              method: 'GET',
            },
          ],
          filters: [
            {
              type: 'RequestHeaderModifier',
              requestHeaderModifier: {
                set: [{ name: 'x-route', value: name }],
                add: [{ name: 'x-shard', value: std.toString(i % 16) }],
                remove: ['x-internal'],
              },
            },
            {
              type: 'URLRewrite',
              urlRewrite: {
                hostname: 'backend.internal',
                path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' },
              },
            },
          ],
          backendRefs: [
            { name: svc, port: 8080, weight: 90 },
            { name: svc + '-canary', port: 8080, weight: 10 },
          ],
          timeouts: { request: '10s', backendRequest: '5s' },
        },
        {
          matches: [
            { path: { type: 'RegularExpression', value: '/static/.*' } },
            { path: { type: 'Exact', value: '/healthz' }, method: 'HEAD' },
          ],
          filters: [
            {
              type: 'ResponseHeaderModifier',
              responseHeaderModifier: { set: [{ name: 'cache-control', value: 'max-age=3600' }] },
            },
            {
              type: 'RequestMirror',
              requestMirror: { backendRef: { name: svc + '-shadow', port: 8080 } },
            },
          ],
          backendRefs: [{ name: 'static', port: 80 }],
        },
      ],
    },
  };

function(n=10000) [route(i) for i in std.range(0, n - 1)]
