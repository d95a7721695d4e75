// The cases of kubernetes-sigs/gateway-api tests/cel/grpcroute_test.go and
// grpcroute_experimental_test.go (both built for the experimental channel only) at
// tag v1.6.1 (commit 8bb74df00), whose cases are those of v1.5.1 (e7677b70a), written
// as data: each case is the object the test sends (as Go's JSON encoding of it) and
// the substrings it expects in the API server's error; no substring: it must be
// accepted. Names are `<test function>/<case>`.
local route(rules) = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'GRPCRoute',
  metadata: { name: 'foo', namespace: 'default' },
  spec: { rules: rules },
};
local rule(r) = route([r]);
local filter(f) = rule({ filters: [f] });
local svc(name, port) = { name: name, port: port };
local ts = 'test-service';
// `&HTTPRequestMirrorFilter{}`: its backendRef is a struct, its name has no omitempty.
local emptyMirror = { backendRef: { name: '' } };
local headers = { set: [{ name: 'name', value: 'foo' }], add: [{ name: 'add', value: 'foo' }], remove: ['remove'] };
local exact(service=null, method=null) = { type: 'Exact', [if service != null then 'service']: service, [if method != null then 'method']: method };
local bigMatch = { headers: [{ type: 'Exact', name: 'version', value: 'v1' }], method: exact('foo', 'bar') };
local named(test, cases) = [c { name: test + '/' + super.name } for c in cases];

local testGRPCRouteFilter = [
  { name: 'valid GRPCRouteFilterRequestHeaderModifier route filter', object: filter({ type: 'RequestHeaderModifier', requestHeaderModifier: headers }), want: [] },
  { name: 'invalid GRPCRouteFilterRequestHeaderModifier type filter with non-matching field', object: filter({ type: 'RequestHeaderModifier', requestMirror: emptyMirror }), want: ['filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type', 'filter.requestMirror must be nil if the filter.type is not RequestMirror'] },
  { name: 'invalid GRPCRouteFilterRequestHeaderModifier type filter with empty value field', object: filter({ type: 'RequestHeaderModifier' }), want: ['filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type'] },
  { name: 'valid GRPCRouteFilterResponseHeaderModifier route filter', object: filter({ type: 'ResponseHeaderModifier', responseHeaderModifier: headers }), want: [] },
  { name: 'invalid GRPCRouteFilterResponseHeaderModifier type filter with non-matching field', object: filter({ type: 'ResponseHeaderModifier', requestMirror: emptyMirror }), want: ['filter.responseHeaderModifier must be specified for ResponseHeaderModifier filter.type', 'filter.requestMirror must be nil if the filter.type is not RequestMirror'] },
  { name: 'invalid GRPCRouteFilterResponseHeaderModifier type filter with empty value field', object: filter({ type: 'ResponseHeaderModifier' }), want: ['filter.responseHeaderModifier must be specified for ResponseHeaderModifier filter.type'] },
  { name: 'valid GRPCRouteFilterRequestMirror route filter', object: filter({ type: 'RequestMirror', requestMirror: { backendRef: { group: 'group', kind: 'kind', name: 'name', namespace: 'ns', port: 22 } } }), want: [] },
  { name: 'invalid GRPCRouteFilterRequestMirror type filter with non-matching field', object: filter({ type: 'RequestMirror', requestHeaderModifier: {} }), want: ['filter.requestHeaderModifier must be nil if the filter.type is not RequestHeaderModifier', 'filter.requestMirror must be specified for RequestMirror filter.type'] },
  { name: 'invalid GRPCRouteFilterRequestMirror type filter with empty value field', object: filter({ type: 'RequestMirror' }), want: ['filter.requestMirror must be specified for RequestMirror filter.type'] },
  { name: 'valid GRPCRouteFilterExtensionRef filter', object: filter({ type: 'ExtensionRef', extensionRef: { group: 'group', kind: 'kind', name: 'name' } }), want: [] },
  { name: 'invalid GRPCRouteFilterExtensionRef type filter with non-matching field', object: filter({ type: 'ExtensionRef', requestMirror: emptyMirror }), want: ['filter.requestMirror must be nil if the filter.type is not RequestMirror', 'filter.extensionRef must be specified for ExtensionRef filter.type'] },
  { name: 'invalid GRPCRouteFilterExtensionRef type filter with empty value field', object: filter({ type: 'ExtensionRef' }), want: ['filter.extensionRef must be specified for ExtensionRef filter.type'] },
];

local testGRPCRouteRule = [
  { name: 'valid GRPCRoute with no filters', object: rule({ matches: [{ method: exact('helloworld.Greeter') }], backendRefs: [svc(ts, 8080) + { weight: 100 }] }), want: [] },
  { name: 'valid GRPCRoute with only Method specified', object: rule({ matches: [{ method: exact(method='SayHello') }], backendRefs: [svc(ts, 8080) + { weight: 100 }] }), want: [] },
  { name: 'invalid because multiple filters are repeated', object: rule({ matches: [{ method: exact('helloworld.Greeter') }], filters: [
    { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'special-header', value: 'foo' }] } },
    { type: 'RequestHeaderModifier', requestHeaderModifier: { add: [{ name: 'my-header', value: 'bar' }] } },
    { type: 'ResponseHeaderModifier', responseHeaderModifier: { set: [{ name: 'special-header', value: 'foo' }] } },
    { type: 'ResponseHeaderModifier', responseHeaderModifier: { add: [{ name: 'my-header', value: 'bar' }] } },
  ] }), want: ['RequestHeaderModifier filter cannot be repeated', 'ResponseHeaderModifier filter cannot be repeated'] },
  { name: 'too many matches and rules', object: route([{ matches: [bigMatch for _ in std.range(1, 20)] } for _ in std.range(1, 7)]), want: ['total number of matches across all rules in a route must be less than 128'] },
  { name: 'many matches and few rules', object: route([{ matches: [bigMatch for _ in std.range(1, 48)] } for _ in std.range(1, 2)]), want: [] },
];

local method(m) = rule({ matches: [{ method: m }] });
local serviceChars = 'service must only contain valid characters (matching ^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$)';
local methodChars = 'method must only contain valid characters (matching ^[A-Za-z_][A-Za-z_0-9]*$)';
local testGRPCMethodMatch = [
  { name: 'valid GRPCRoute with 1 service in GRPCMethodMatch field', object: method({ service: 'foo.Test.Example' }), want: [] },
  { name: 'valid GRPCRoute with 1 method in GRPCMethodMatch field', object: method({ method: 'Login' }), want: [] },
  { name: 'invalid GRPCRoute missing service or method in GRPCMethodMatch field', object: method({}), want: ["One or both of 'service' or 'method"] },
  { name: 'GRPCRoute uses regex in service and method with undefined match type', object: method({ service: '.*', method: '.*' }), want: [serviceChars, methodChars] },
  { name: 'GRPCRoute uses regex in service and method with match type Exact', object: method(exact('.*', '.*')), want: [serviceChars, methodChars] },
  { name: 'GRPCRoute uses regex in method with undefined match type', object: method({ method: '.*' }), want: [methodChars] },
  { name: 'GRPCRoute uses regex in service with match type Exact', object: method(exact('.*')), want: [serviceChars] },
  { name: 'GRPCRoute uses regex in service and method with match type RegularExpression', object: method({ type: 'RegularExpression', service: '.*', method: '.*' }), want: [] },
  { name: 'GRPCRoute uses valid service and method with undefined match type', object: method({ service: 'foo.Test.Example', method: 'Login' }), want: [] },
  { name: 'GRPCRoute uses valid service and method with match type Exact', object: method(exact('foo.Test.Example', 'Login')), want: [] },
  { name: 'GRPCRoute uses a valid service with a leading dot when match type is Exact', object: method(exact('.foo.Test.Example')), want: [] },
];

local mirrorWith(extra) = filter({ type: 'RequestMirror', requestMirror: { backendRef: svc(ts, 8081) } + extra });
local testGRPCRequestMirrorFilterExperimental = [
  { name: 'GRPCRoute - Invalid because both percent and fraction are specified', object: mirrorWith({ percent: 42, fraction: { numerator: 83, denominator: 1000 } }), want: ['Only one of percent or fraction may be specified in HTTPRequestMirrorFilter'] },
  { name: 'GRPCRoute - Invalid fraction - numerator greater than denominator', object: mirrorWith({ fraction: { numerator: 1001, denominator: 1000 } }), want: ['numerator must be less than or equal to denominator'] },
  { name: 'GRPCRoute - Invalid fraction - denominator is 0', object: mirrorWith({ fraction: { numerator: 0, denominator: 0 } }), want: ['spec.rules[0].filters[0].requestMirror.fraction.denominator in body should be greater than or equal to 1'] },
  { name: 'GRPCRoute - Invalid fraction - numerator is negative', object: mirrorWith({ fraction: { numerator: -1, denominator: 1000 } }), want: ['spec.rules[0].filters[0].requestMirror.fraction.numerator in body should be greater than or equal to 0'] },
  { name: 'GRPCRoute - Valid with percent', object: mirrorWith({ percent: 42 }), want: [] },
  { name: 'GRPCRoute - Valid with fraction', object: mirrorWith({ fraction: { numerator: 83, denominator: 1000 } }), want: [] },
];

{
  files: {
    'tests/cel/grpcroute_test.go': {
      channels: ['experimental'],
      upstream: 28,
      cases: named('TestGRPCRouteFilter', testGRPCRouteFilter)
             + named('TestGRPCRouteRule', testGRPCRouteRule)
             + named('TestGRPCMethodMatch', testGRPCMethodMatch),
    },
    'tests/cel/grpcroute_experimental_test.go': {
      channels: ['experimental'],
      upstream: 6,
      cases: named('TestGRPCRequestMirrorFilterExperimental', testGRPCRequestMirrorFilterExperimental),
    },
  },
}
