// Benchmark `routes-10k` (benches/run.sh): n TCPRoutes (default 10,000), each with two
// parentRefs and two rules of three backendRefs, built with the gateway-api-libsonnet
// library functions (withX, withXMixin, single-value setters). The built-in library
// serves it natively; the peers read the generated jsonnet source under -J.
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
  local port = 8000 + i % 1000;
  tcpRoute.new(name)
  + metadata.withNamespace('team-%d' % (i % 10))
  + metadata.withLabels({ app: name, tier: 'edge' })
  + metadata.withLabelsMixin({ shard: std.toString(i % 16) })
  + spec.withParentRefs(
    parentRef.withName('gateway-%d' % (i % 4))
    + parentRef.withNamespace('gateways')
    + parentRef.withSectionName('tcp')
  )
  + spec.withParentRefsMixin([
    parentRef.withName('gateway-backup')
    + parentRef.withNamespace('gateways')
    + parentRef.withPort(9000 + i % 100),
  ])
  + spec.withRules([
    rule.withBackendRefs([
      backend.withName(name + '-primary') + backend.withPort(port) + backend.withWeight(80),
      backend.withName(name + '-canary') + backend.withPort(port) + backend.withWeight(10),
    ])
    + rule.withBackendRefsMixin(
      backend.withName(name + '-shadow') + backend.withNamespace('shadow') + backend.withPort(port) + backend.withWeight(10)
    ),
  ])
  + spec.withRulesMixin(
    rule.withBackendRefs(backend.withName('fallback') + backend.withPort(80))
    + rule.withBackendRefsMixin([
      backend.withName('fallback-b') + backend.withPort(81) + backend.withWeight(0),
      backend.withKind('Service') + backend.withName('fallback-c') + backend.withPort(82),
    ])
  );

function(n=10000) [route(i) for i in std.range(0, n - 1)]
