// Benchmark input of validation: n HTTPRoutes (default 10,000) of gateway.networking.k8s.io/v1,
// written as plain objects (no library import), each with parentRefs, hostnames, and
// rules with matches (path, headers, query parameters, method), filters (header
// modifiers, URL rewrite, mirror) and weighted backendRefs, so most of the CEL rules of
// the HTTPRoute CRD run. Every route is valid against the 1.5 and 1.6 CRDs.
// With unique=true every route's values differ everywhere (no node repeats across
// routes), the worst case for the validator, which judges a repeated value once.
// benches/validate.sh measures what `--validate` adds to rendering them.
//
//   gwsonnet benches/validate/httproutes.jsonnet                  # 10,000 routes
//   gwsonnet --tla-code n=10 benches/validate/httproutes.jsonnet  # a few
//   gwsonnet --crds ../shared/gateway-api/crds/1.6 --validate benches/validate/httproutes.jsonnet
local route(i, unique) =
  local name = 'route-%d' % i;
  // A value, made unique to the route with unique=true.
  local u(v) = if unique then '%s-%d' % [v, i] else v;
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
              path: { type: 'PathPrefix', value: u('/api/v%d' % (1 + i % 3)) },
              headers: [{ name: 'x-tenant', value: 'tenant-%d' % (i % 50) }],
              queryParams: [{ type: 'Exact', name: 'debug', value: u('false') }],
              method: 'GET',
            },
          ],
          filters: [
            {
              type: 'RequestHeaderModifier',
              requestHeaderModifier: {
                set: [{ name: 'x-route', value: name }],
                add: [{ name: 'x-shard', value: u(std.toString(i % 16)) }],
                remove: ['x-internal'],
              },
            },
            {
              type: 'URLRewrite',
              urlRewrite: {
                hostname: u('backend') + '.internal',
                path: { type: 'ReplacePrefixMatch', replacePrefixMatch: u('/') },
              },
            },
          ],
          backendRefs: [
            { name: svc, port: 8080, weight: 90 },
            { name: svc + '-canary', port: 8080, weight: 10 },
          ],
          timeouts: { request: '%ds' % (10 + i), backendRequest: '5s' },
        },
        {
          matches: [
            { path: { type: 'RegularExpression', value: u('/static') + '/.*' } },
            { path: { type: 'Exact', value: u('/healthz') }, method: 'HEAD' },
          ],
          filters: [
            {
              type: 'ResponseHeaderModifier',
              responseHeaderModifier: { set: [{ name: 'cache-control', value: u('max-age=3600') }] },
            },
            {
              type: 'RequestMirror',
              requestMirror: { backendRef: { name: u(svc + '-shadow'), port: 8080 } },
            },
          ],
          backendRefs: [{ name: u('static'), port: 80 }],
        },
      ],
    },
  };

function(n=10000, unique=false) [route(i, unique) for i in std.range(0, n - 1)]
