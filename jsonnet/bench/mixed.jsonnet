// Benchmark `mixed-5k` (benches/run.sh): n objects (default 5,000) spread over Gateway,
// HTTPRoute (with nested filters), GRPCRoute, TLSRoute and ReferenceGrant of the Gateway
// API 1.5-experimental library, which gwsonnet serves from the CRD YAML:
//
//   gwsonnet --crds ../shared/gateway-api/crds/1.5-experimental jsonnet/bench/mixed.jsonnet
local gateway = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/1.5-experimental/main.libsonnet').gateway;
local v1 = gateway.v1;

local gw(i) =
  local listener = v1.gateway.spec.listeners;
  v1.gateway.new('gw-%d' % i)
  + v1.gateway.metadata.withNamespace('infra-%d' % (i % 7))
  + v1.gateway.spec.withGatewayClassName('shared')
  + v1.gateway.spec.withListeners([
    listener.withName('http') + listener.withProtocol('HTTP') + listener.withPort(80)
    + listener.allowedRoutes.namespaces.withFrom('All'),
    listener.withName('https') + listener.withProtocol('HTTPS') + listener.withPort(443)
    + listener.withHostname('*.example-%d.com' % i)
    + listener.tls.withMode('Terminate')
    + listener.tls.withCertificateRefs(listener.tls.certificateRefs.withName('cert-%d' % i)),
  ])
  + v1.gateway.spec.withAddressesMixin(v1.gateway.spec.addresses.withType('IPAddress') + v1.gateway.spec.addresses.withValue('10.0.%d.%d' % [i % 250, i % 200]));

local http(i) =
  local spec = v1.httpRoute.spec;
  local rule = spec.rules;
  local filter = rule.filters;
  v1.httpRoute.new('web-%d' % i)
  + v1.httpRoute.metadata.withNamespace('team-%d' % (i % 10))
  + v1.httpRoute.metadata.withLabels({ app: 'web-%d' % i })
  + spec.withHostnames(['web-%d.example.com' % i])
  + spec.withParentRefs(spec.parentRefs.withName('gw-%d' % (i % 20)) + spec.parentRefs.withSectionName('https'))
  + spec.withRules([
    rule.withMatches(rule.matches.path.withType('PathPrefix') + rule.matches.path.withValue('/api'))
    + rule.withFilters([
      filter.withType('RequestHeaderModifier')
      + filter.requestHeaderModifier.withSet([filter.requestHeaderModifier.set.withName('x-route') + filter.requestHeaderModifier.set.withValue('web-%d' % i)])
      + filter.requestHeaderModifier.withRemove(['x-debug']),
      filter.withType('URLRewrite')
      + filter.urlRewrite.path.withType('ReplacePrefixMatch')
      + filter.urlRewrite.path.withReplacePrefixMatch('/'),
    ])
    + rule.withBackendRefs([
      rule.backendRefs.withName('api-%d' % i) + rule.backendRefs.withPort(8080) + rule.backendRefs.withWeight(90)
      + rule.backendRefs.withFilters(rule.backendRefs.filters.withType('ResponseHeaderModifier')
                                     + rule.backendRefs.filters.responseHeaderModifier.withAdd(rule.backendRefs.filters.responseHeaderModifier.add.withName('x-backend') + rule.backendRefs.filters.responseHeaderModifier.add.withValue('api'))),
      rule.backendRefs.withName('api-canary-%d' % i) + rule.backendRefs.withPort(8080) + rule.backendRefs.withWeight(10),
    ]),
  ])
  + spec.withRulesMixin(
    rule.withFilters(filter.withType('RequestRedirect') + filter.requestRedirect.withScheme('https') + filter.requestRedirect.withStatusCode(301))
  );

local grpc(i) =
  local spec = v1.grpcRoute.spec;
  local rule = spec.rules;
  v1.grpcRoute.new('rpc-%d' % i)
  + v1.grpcRoute.metadata.withNamespace('team-%d' % (i % 10))
  + spec.withParentRefs(spec.parentRefs.withName('gw-%d' % (i % 20)))
  + spec.withRules(
    rule.withMatches(rule.matches.method.withService('svc.v1.Api') + rule.matches.method.withMethod('Get%d' % (i % 5)))
    + rule.withBackendRefs(rule.backendRefs.withName('rpc-%d' % i) + rule.backendRefs.withPort(9090))
  );

local tls(i) =
  local spec = v1.tlsRoute.spec;
  v1.tlsRoute.new('tls-%d' % i)
  + v1.tlsRoute.metadata.withNamespace('team-%d' % (i % 10))
  + spec.withHostnames('tls-%d.example.com' % i)
  + spec.withParentRefs(spec.parentRefs.withName('gw-%d' % (i % 20)) + spec.parentRefs.withSectionName('tls'))
  + spec.withRules(spec.rules.withBackendRefs(spec.rules.backendRefs.withName('tls-%d' % i) + spec.rules.backendRefs.withPort(443)));

local grant(i) =
  local spec = v1.referenceGrant.spec;
  v1.referenceGrant.new('grant-%d' % i)
  + v1.referenceGrant.metadata.withNamespace('backends-%d' % (i % 10))
  + spec.withFrom(spec.from.withGroup('gateway.networking.k8s.io') + spec.from.withKind('HTTPRoute') + spec.from.withNamespace('team-%d' % (i % 10)))
  + spec.withTo([spec.to.withGroup('') + spec.to.withKind('Service')])
  + spec.withToMixin(spec.to.withGroup('') + spec.to.withKind('Secret') + spec.to.withName('cert-%d' % i));

local make = [gw, http, grpc, tls, grant];

function(n=5000) [make[i % 5](i) for i in std.range(0, n - 1)]
