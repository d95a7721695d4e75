// Benchmark program: n TCPRoutes (default 10,000) built with the gateway-api-libsonnet
// library functions. benches/tcproute.sh runs it against gwsonnet's native built-in
// library, against the generated jsonnet source of the same library (vendored under
// -J), and against go-jsonnet with the published library.
//
//   gwsonnet jsonnet/bench/tcproutes.jsonnet                 # 10,000 routes
//   gwsonnet --tla-code n=10 jsonnet/bench/tcproutes.jsonnet # a few
local gateway = import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet';
local tcpRoute = gateway.gateway.v1alpha2.tcpRoute;
local metadata = tcpRoute.metadata;
local spec = tcpRoute.spec;
local parentRef = spec.parentRefs;
local rule = spec.rules;
local backend = rule.backendRefs;

local route(i) =
  local name = 'route-%d' % i;
  tcpRoute.new(name)
  + metadata.withNamespace('team-%d' % (i % 10))
  + metadata.withLabels({ app: name, tier: 'edge' })
  + metadata.withLabelsMixin({ shard: std.toString(i % 16) })
  + spec.withParentRefs(
    parentRef.withName('gateway-%d' % (i % 4))
    + parentRef.withNamespace('gateways')
    + parentRef.withSectionName('tcp')
  )
  + spec.withRules(
    rule.withBackendRefs([
      backend.withName(name + '-primary') + backend.withPort(8000 + i % 1000) + backend.withWeight(90),
      backend.withName(name + '-canary') + backend.withPort(8000 + i % 1000) + backend.withWeight(10),
    ])
  )
  + spec.withRulesMixin(
    rule.withBackendRefs(backend.withName('fallback') + backend.withPort(80))
    + rule.withBackendRefsMixin(backend.withName('fallback-b') + backend.withPort(81) + backend.withWeight(0))
  );

function(n=10000) [route(i) for i in std.range(0, n - 1)]
