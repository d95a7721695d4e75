// The cases of kubernetes-sigs/gateway-api tests/cel/httproute_test.go,
// httproute_standard_test.go and httproute_experimental_test.go at tag v1.6.1 (commit
// 8bb74df00), whose cases are those of v1.5.1 (e7677b70a), written as data: each case
// is the object the test sends (as Go's JSON encoding of it: zero values of fields
// without `omitempty` kept) and the substrings it expects in the API server's error;
// no substring: it must be accepted. Names are `<test function>/<case>`.
local route(spec) = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'foo', namespace: 'default' },
  spec: spec,
};
local rules(r) = route({ rules: r });
local rule(r) = rules([r]);
local svc(name, port=null) = { name: name, [if port != null then 'port']: port };
local path(type, value) = { path: { type: type, value: value } };
local prefix(v) = path('PathPrefix', v);
// `&HTTPRequestMirrorFilter{}`: its backendRef is a struct, its name has no omitempty.
local emptyMirror = { backendRef: { name: '' } };
local mirror(backend) = { type: 'RequestMirror', requestMirror: { backendRef: backend } };
local rewritePrefix(v) = { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: v } } };
local redirectPrefix(v) = { type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: v } } };
local extension(kind, name) = { type: 'ExtensionRef', extensionRef: { group: '', kind: kind, name: name } };
local setHeader(name, value) = { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: name, value: value }] } };
local chars = "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']";
local pathMatch(p) = rule({ matches: [{ path: p }], backendRefs: [svc('test', 8080)] });
local backendRef(r) = rule({ backendRefs: [r] });
local filter(f) = rule({ filters: [f] });
local rewriteOne = 'When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified';
local redirectOne = 'When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified';

local testHTTPPathMatch = [
  { name: "invalid because path does not start with '/'", object: pathMatch({ type: 'PathPrefix', value: 'foo' }), want: ["value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']"] },
  { name: 'invalid httpRoute prefix (/.)', object: pathMatch({ type: 'PathPrefix', value: '/.' }), want: ["must not end with '/.' when type one of ['Exact', 'PathPrefix']"] },
  { name: 'invalid exact (/./)', object: pathMatch({ type: 'Exact', value: '/foo/./bar' }), want: ["must not contain '/./' when type one of ['Exact', 'PathPrefix']"] },
  { name: 'invalid type', object: pathMatch({ type: 'FooBar', value: '/path' }), want: ['supported values: "Exact", "PathPrefix", "RegularExpression"'] },
  { name: 'valid because type is RegularExpression but would not be valid for Exact', object: pathMatch({ type: 'RegularExpression', value: '/foo/./bar' }), want: [] },
  { name: 'valid httpRoute prefix', object: pathMatch({ type: 'PathPrefix', value: '/path' }), want: [] },
  { name: 'valid path with some special characters', object: pathMatch({ type: 'Exact', value: "/abc/123'/a-b-c/d@gmail/%0A" }), want: [] },
  { name: 'invalid prefix path (/[])', object: pathMatch({ type: 'PathPrefix', value: '/[]' }), want: [chars] },
  { name: 'invalid exact path (/^)', object: pathMatch({ type: 'Exact', value: '/^' }), want: [chars] },
];

local testBackendObjectReference = [
  { name: 'default groupkind with port', object: backendRef(svc('backend', 99)), want: [] },
  { name: 'default groupkind with no port', object: backendRef(svc('backend')), want: ['Must have port for Service reference'] },
  { name: 'explicit service with port', object: backendRef({ group: '', kind: 'Service', name: 'backend', port: 99 }), want: [] },
  { name: 'explicit service with no port', object: backendRef({ group: '', kind: 'Service', name: 'backend' }), want: ['Must have port for Service reference'] },
  { name: 'explicit ref with no port', object: backendRef({ group: 'foo.example.com', kind: 'Foo', name: 'backend' }), want: [] },
];

local testHTTPRouteFilter = [
  { name: 'valid HTTPRouteFilterRequestHeaderModifier route filter', object: filter({ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'name', value: 'foo' }], add: [{ name: 'add', value: 'foo' }], remove: ['remove'] } }), want: [] },
  { name: 'invalid HTTPRouteFilterRequestHeaderModifier type filter with non-matching field', object: filter({ type: 'RequestHeaderModifier', requestMirror: emptyMirror }), want: ['filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type', 'filter.requestMirror must be nil if the filter.type is not RequestMirror'] },
  { name: 'invalid HTTPRouteFilterRequestHeaderModifier type filter with empty value field', object: filter({ type: 'RequestHeaderModifier' }), want: ['filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type'] },
  { name: 'valid HTTPRouteFilterRequestMirror route filter', object: filter(mirror({ group: 'group', kind: 'kind', name: 'name', namespace: 'ns', port: 22 })), want: [] },
  { name: 'invalid HTTPRouteFilterRequestMirror type filter with non-matching field', object: filter({ type: 'RequestMirror', requestHeaderModifier: {} }), want: ['filter.requestHeaderModifier must be nil if the filter.type is not RequestHeaderModifier', 'filter.requestMirror must be specified for RequestMirror filter.type'] },
  { name: 'invalid HTTPRouteFilterRequestMirror type filter with empty value field', object: filter({ type: 'RequestMirror' }), want: ['filter.requestMirror must be specified for RequestMirror filter.type'] },
  { name: 'valid HTTPRouteFilterRequestRedirect route filter', object: filter({ type: 'RequestRedirect', requestRedirect: { scheme: 'http', hostname: 'hostname', path: { type: 'ReplaceFullPath', replaceFullPath: 'path' }, port: 8080, statusCode: 302 } }), want: [] },
  { name: 'invalid HTTPRouteFilterRequestRedirect type filter with non-matching field', object: filter({ type: 'RequestRedirect', requestMirror: emptyMirror }), want: ['filter.requestMirror must be nil if the filter.type is not RequestMirror', 'filter.requestRedirect must be specified for RequestRedirect filter.type'] },
  { name: 'invalid HTTPRouteFilterRequestRedirect type filter with empty value field', object: filter({ type: 'RequestRedirect' }), want: ['filter.requestRedirect must be specified for RequestRedirect filter.type'] },
  { name: 'valid HTTPRouteFilterExtensionRef filter', object: filter({ type: 'ExtensionRef', extensionRef: { group: 'group', kind: 'kind', name: 'name' } }), want: [] },
  { name: 'invalid HTTPRouteFilterExtensionRef type filter with non-matching field', object: filter({ type: 'ExtensionRef', requestMirror: emptyMirror }), want: ['filter.requestMirror must be nil if the filter.type is not RequestMirror', 'filter.extensionRef must be specified for ExtensionRef filter.type'] },
  { name: 'invalid HTTPRouteFilterExtensionRef type filter with empty value field', object: filter({ type: 'ExtensionRef' }), want: ['filter.extensionRef must be specified for ExtensionRef filter.type'] },
  { name: 'valid HTTPRouteFilterURLRewrite route filter', object: filter({ type: 'URLRewrite', urlRewrite: { hostname: 'hostname', path: { type: 'ReplaceFullPath', replaceFullPath: 'path' } } }), want: [] },
  { name: 'invalid HTTPCORSFilter type filter with non-matching field', object: filter({ type: 'CORS', requestMirror: emptyMirror }), want: ['filter.cors must be specified for CORS filter.type', 'filter.requestMirror must be nil if the filter.type is not RequestMirror'] },
  { name: 'invalid HTTPCORSFilter type filter with empty value field', object: filter({ type: 'CORS' }), want: ['filter.cors must be specified for CORS filter.type'] },
  { name: 'valid HTTPCORSFilter test', object: filter({ type: 'CORS', cors: { allowOrigins: ['*'] } }), want: [] },
  { name: 'invalid HTTPRouteFilterURLRewrite type filter with non-matching field', object: filter({ type: 'URLRewrite', requestMirror: emptyMirror }), want: ['filter.requestMirror must be nil if the filter.type is not RequestMirror', 'filter.urlRewrite must be specified for URLRewrite filter.type'] },
  { name: 'invalid HTTPRouteFilterURLRewrite type filter with empty value field', object: filter({ type: 'URLRewrite' }), want: ['filter.urlRewrite must be specified for URLRewrite filter.type'] },
];

local ts = 'test-service';
local matches(n) = [prefix('/') for _ in std.range(1, n)];
local testHTTPRouteRule = [
  { name: 'valid httpRoute with no filters', object: rule({ matches: [prefix('/')], backendRefs: [svc(ts, 8080) + { weight: 100 }] }), want: [] },
  { name: 'valid httpRoute with 1 filter', object: rule({ matches: [prefix('/')], filters: [mirror(svc(ts, 8081))] }), want: [] },
  { name: 'valid httpRoute with duplicate ExtensionRef filters', object: rule({ matches: [prefix('/')], filters: [setHeader('special-header', 'foo'), mirror(svc(ts, 8080)), extension('Service', 'test'), extension('Service', 'test'), extension('Service', 'test')] }), want: [] },
  { name: 'valid redirect path modifier', object: filter({ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: 'foo' } } }), want: [] },
  { name: 'valid rewrite path modifier', object: rule({ matches: [prefix('/bar')], filters: [rewritePrefix('foo')] }), want: [] },
  { name: 'multiple actions for different request headers', object: filter({ type: 'RequestHeaderModifier', requestHeaderModifier: { add: [{ name: 'x-vegetable', value: 'carrot' }, { name: 'x-grain', value: 'rye' }], set: [{ name: 'x-fruit', value: 'watermelon' }, { name: 'x-spice', value: 'coriander' }] } }), want: [] },
  { name: 'multiple actions for different response headers', object: filter({ type: 'ResponseHeaderModifier', responseHeaderModifier: { add: [{ name: 'x-example', value: 'blueberry' }], set: [{ name: 'x-different', value: 'turnip' }] } }), want: [] },
  { name: 'backendref with request redirect httpRoute filter', object: rule({ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }], backendRefs: [svc(ts, 80)] }), want: ['RequestRedirect filter must not be used together with backendRefs'] },
  { name: 'request redirect without backendref in httpRoute filter', object: filter({ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }), want: [] },
  { name: 'backendref without request redirect filter', object: rule({ filters: [setHeader('name', 'foo')], backendRefs: [svc(ts, 80)] }), want: [] },
  { name: 'backendref without any filter', object: rule({ backendRefs: [svc(ts, 80)] }), want: [] },
  { name: 'valid use of URLRewrite filter', object: rule({ matches: [prefix('/foo')], filters: [rewritePrefix('foo')] }), want: [] },
  { name: 'invalid URLRewrite filter because too many path matches', object: rule({ matches: [prefix('/foo'), prefix('/bar')], filters: [rewritePrefix('foo')] }), want: [rewriteOne] },
  { name: 'invalid URLRewrite filter because wrong path match type', object: rule({ matches: [path('RegularExpression', '/foo')], filters: [rewritePrefix('foo')] }), want: [rewriteOne] },
  { name: 'valid use of RequestRedirect filter', object: rule({ matches: [prefix('/foo')], filters: [redirectPrefix('foo')] }), want: [] },
  { name: 'invalid RequestRedirect filter because too many path matches', object: rule({ matches: [prefix('/foo'), prefix('/bar')], filters: [redirectPrefix('foo')] }), want: [redirectOne] },
  { name: 'invalid RequestRedirect filter because path match has type RegularExpression', object: rule({ matches: [path('RegularExpression', '/foo')], filters: [redirectPrefix('foo')] }), want: [redirectOne] },
  { name: 'valid use of URLRewrite filter (within backendRefs)', object: rule({ matches: [prefix('/foo')], backendRefs: [svc(ts, 80) + { filters: [rewritePrefix('foo')] }] }), want: [] },
  { name: 'invalid URLRewrite filter (within backendRefs) because too many path matches', object: rule({ matches: [prefix('/foo'), prefix('/bar')], backendRefs: [svc(ts, 80) + { filters: [rewritePrefix('foo')] }] }), want: ['Within backendRefs, ' + rewriteOne] },
  { name: 'invalid URLRewrite filter (within backendRefs) because path match has type RegularExpression', object: rule({ matches: [path('RegularExpression', '/foo')], backendRefs: [svc(ts, 80) + { filters: [rewritePrefix('foo')] }] }), want: ['Within backendRefs, ' + rewriteOne] },
  { name: 'valid use of RequestRedirect filter (within backendRefs)', object: rule({ matches: [prefix('/foo')], backendRefs: [svc(ts, 80) + { filters: [redirectPrefix('foo')] }] }), want: [] },
  { name: 'invalid RequestRedirect filter (within backendRefs) because too many path matches', object: rule({ matches: [prefix('/foo'), prefix('/bar')], backendRefs: [svc(ts, 80) + { filters: [redirectPrefix('foo')] }] }), want: ['Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified'] },
  { name: 'invalid RequestRedirect filter (within backendRefs) because path match has type RegularExpression', object: rule({ matches: [path('RegularExpression', '/foo')], backendRefs: [svc(ts, 80) + { filters: [redirectPrefix('foo')] }] }), want: ['Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified'] },
  { name: 'rewrite and redirect filters combined (invalid)', object: rule({ filters: [rewritePrefix('foo'), redirectPrefix('foo')] }), want: ['May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both'] },
  { name: 'invalid because repeated URLRewrite filter', object: rule({ matches: [prefix('/')], filters: [rewritePrefix('foo'), rewritePrefix('bar')] }), want: ['URLRewrite filter cannot be repeated'] },
  { name: 'invalid because repeated RequestHeaderModifier filter among mix of filters', object: rule({ matches: [prefix('/')], filters: [setHeader('special-header', 'foo'), mirror(svc(ts, 8080)), { type: 'RequestHeaderModifier', requestHeaderModifier: { add: [{ name: 'my-header', value: 'bar' }] } }] }), want: ['RequestHeaderModifier filter cannot be repeated'] },
  { name: 'invalid because multiple filters are repeated', object: rule({ matches: [prefix('/')], filters: [
    { type: 'ResponseHeaderModifier', responseHeaderModifier: { set: [{ name: 'special-header', value: 'foo' }] } },
    { type: 'ResponseHeaderModifier', responseHeaderModifier: { add: [{ name: 'my-header', value: 'bar' }] } },
    { type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: 'foo' } } },
    { type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: 'bar' } } },
    { type: 'CORS', cors: { allowOrigins: ['http://foo.example.com'] } },
    { type: 'CORS', cors: { allowOrigins: ['http://bar.example.com'] } },
  ] }), want: ['CORS filter cannot be repeated', 'ResponseHeaderModifier filter cannot be repeated', 'RequestRedirect filter cannot be repeated'] },
  { name: 'too many matches and rules', object: rules([{ matches: matches(20) } for _ in std.range(1, 7)]), want: ['total number of matches across all rules in a route must be less than 128'] },
  { name: 'many matches and few rules', object: rules([{ matches: matches(48) } for _ in std.range(1, 2)]), want: [] },
];

local testHTTPBackendRef = [
  { name: 'invalid because repeated URLRewrite and CORS filters within backendRefs', object: rule({ matches: [prefix('/')], backendRefs: [svc(ts, 80) + { filters: [
    rewritePrefix('foo'),
    rewritePrefix('bar'),
    { type: 'CORS', cors: { allowOrigins: ['http://foo.example.com'] } },
    { type: 'CORS', cors: { allowOrigins: ['http://bar.example.com'] } },
  ] }] }), want: ['CORS filter cannot be repeated', 'URLRewrite filter cannot be repeated'] },
];

local modifier(m) = filter({ type: 'RequestRedirect', requestRedirect: { path: m } });
local testHTTPPathModifier = [
  { name: 'valid ReplaceFullPath', object: modifier({ type: 'ReplaceFullPath', replaceFullPath: 'foo' }), want: [] },
  { name: "replaceFullPath must be specified when type is set to 'ReplaceFullPath'", object: modifier({ type: 'ReplaceFullPath' }), want: ["replaceFullPath must be specified when type is set to 'ReplaceFullPath'"] },
  { name: "type must be 'ReplaceFullPath' when replaceFullPath is set", object: modifier({ type: 'ReplacePrefixMatch', replaceFullPath: 'foo' }), want: ["type must be 'ReplaceFullPath' when replaceFullPath is set"] },
  { name: 'valid ReplacePrefixMatch', object: modifier({ type: 'ReplacePrefixMatch', replacePrefixMatch: '/foo' }), want: [] },
  { name: "replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'", object: modifier({ type: 'ReplacePrefixMatch' }), want: ["replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'"] },
  { name: "type must be 'ReplacePrefixMatch' when replacePrefixMatch is set", object: modifier({ type: 'ReplaceFullPath', replacePrefixMatch: '/foo' }), want: ["type must be 'ReplacePrefixMatch' when replacePrefixMatch is set"] },
];

local cors(c) = filter({ type: 'CORS', cors: c });
local origins(o) = cors({ allowOrigins: o });
local badOrigin(o, i=0) = { object: origins(if i == 0 then [o] else ['https://xpto.com', o]), want: ['Invalid value: "%s": spec.rules[0].filters[0].cors.allowOrigins[%d] in body should match' % [o, i]] };
local testHTTPRouteCORS = [
  { name: 'Valid cors should be accepted', object: origins(['https://xpto.com', 'http://*.abcd.com', 'http://*.abcd.com:12345', 'https://*:443', 'https://*']), want: [] },
  { name: 'Using wildcard only is accepted', object: origins(['*']), want: [] },
  { name: 'Wildcard and other hosts on the same origin list should be denied', object: origins(['*', 'https://xpto.com']), want: ["AllowOrigins cannot contain '*' alongside other origins"] },
  { name: 'An origin without the format scheme://host should be denied' } + badOrigin('xpto.com', 1),
  { name: 'An origin as http://*.com should be accepted', object: origins(['https://*.com']), want: [] },
  { name: 'An origin with an invalid port should be denied' } + badOrigin('https://xpto.com:notaport'),
  { name: 'An origin with a value before the scheme definition should be denied', object: origins(['xpto/https://xpto.com']), want: ['Invalid value: "xpto/https://xpto.com"'] },
  { name: 'invalid-origin-with-six-digit-port' } + badOrigin('http://www.example.com:111111'),
  { name: 'invalid-origin-with-empty-port' } + badOrigin('http://www.example.com:'),
  { name: 'invalid-origin-with-non-empty-path' } + badOrigin('http://www.example.com/cart'),
  { name: 'invalid-origin-with-non-http-https-scheme' } + badOrigin('spiffe://www.example.com'),
  { name: 'invalid-origin-with-wildcard-as-label-prefix' } + badOrigin('http://*bar.com'),
  { name: 'invalid-origin-with-wildcard-as-label-sufix' } + badOrigin('http://bar*.com'),
  { name: 'invalid-origin-with-wildcard-as-label' } + badOrigin('http://bar.*.com'),
  { name: 'invalid-origin-with-wildcard-as-hostname-prefix' } + badOrigin('http://*bar'),
  { name: 'invalid-origin-with-wildcard-as-hostname-sufix' } + badOrigin('http://bar*'),
  { name: 'invalid-origin-with-multiple-wildcards' } + badOrigin('http://*.bar.*.dev'),
  { name: 'Using an invalid HTTP method should be denied', object: cors({ allowMethods: ['BAZINGA'] }), want: ['Unsupported value: "BAZINGA"'] },
  { name: 'Using wildcard and a valid method should be denied', object: cors({ allowMethods: ['GET', '*', 'POST'] }), want: ["AllowMethods cannot contain '*' alongside other methods"] },
  { name: 'Using an array of valid methods should be accepted', object: cors({ allowMethods: ['GET', 'OPTIONS', 'POST'] }), want: [] },
];

local named(test, cases) = [c { name: test + '/' + super.name } for c in cases];

local gwRef(name='example', section=null, ns=null) = { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: name, [if section != null then 'sectionName']: section, [if ns != null then 'namespace']: ns };
local parents(p) = route({ parentRefs: p });
local sectionUnique = 'sectionName must be unique when parentRefs includes 2 or more references to the same parent';
local sectionSpecified = 'sectionName must be specified when parentRefs includes 2 or more references to the same parent';
local testHTTPRouteParentRefStandard = [
  { name: 'invalid because duplicate parent refs without section name', object: parents([gwRef(), gwRef()]), want: [sectionUnique] },
  { name: 'invalid because duplicate parent refs with only one section name', object: parents([gwRef(), gwRef(section='foo')]), want: [sectionSpecified] },
  { name: 'invalid because duplicate parent refs with duplicate section names', object: parents([gwRef(section='foo'), gwRef(section='foo')]), want: [sectionUnique] },
  { name: 'valid single parentRef without sectionName', object: parents([gwRef()]), want: [] },
  { name: 'valid single parentRef with sectionName', object: parents([gwRef(section='foo')]), want: [] },
  { name: 'valid because duplicate parent refs with different section names', object: parents([gwRef(section='foo'), gwRef(section='bar')]), want: [] },
  { name: 'valid because duplicate parent refs with different names', object: parents([gwRef(section='foo'), gwRef('example2', section='foo')]), want: [] },
  { name: "valid because first parentRef has namespace while second doesn't", object: parents([gwRef(ns='test'), gwRef()]), want: [] },
  { name: "valid because second parentRef has namespace while first doesn't", object: parents([gwRef(), gwRef(ns='test')]), want: [] },
];

local gwPort(port=null, section=null, ns=null) = gwRef(section=section, ns=ns) + { [if port != null then 'port']: port };
local portUnique = 'sectionName or port must be unique when parentRefs includes 2 or more references to the same parent';
local portSpecified = 'sectionName or port must be specified when parentRefs includes 2 or more references to the same parent';
local testHTTPRouteParentRefExperimental = [
  { name: 'invalid because duplicate parent refs without port or section name', object: parents([gwPort(), gwPort()]), want: [portUnique] },
  { name: 'invalid because duplicate parent refs with only one port', object: parents([gwPort(), gwPort(80)]), want: [portSpecified] },
  { name: 'invalid because duplicate parent refs with only one sectionName and port', object: parents([gwPort(), gwPort(80, 'foo')]), want: [portSpecified] },
  { name: 'invalid because duplicate parent refs with duplicate ports', object: parents([gwPort(80), gwPort(80)]), want: [portUnique] },
  { name: 'valid single parentRef without sectionName or port', object: parents([gwPort()]), want: [] },
  { name: 'valid single parentRef with sectionName and port', object: parents([gwPort(443, 'foo')]), want: [] },
  { name: 'valid because duplicate parent refs with different ports', object: parents([gwPort(80), gwPort(443)]), want: [] },
  { name: 'invalid ParentRefs with multiple mixed references to the same parent', object: parents([gwPort(section='foo'), gwPort(443)]), want: [portSpecified] },
  { name: 'valid ParentRefs with multiple same port references to different section of a parent', object: parents([{ name: 'example', port: 443, sectionName: 'foo' }, { name: 'example', port: 443, sectionName: 'bar' }]), want: [] },
  { name: 'invalid because duplicate parent refs with first having sectionName and second having both sectionName and port', object: parents([gwPort(section='foo'), gwPort(443, 'foo')]), want: [portSpecified] },
  { name: "valid because first parentRef has namespace while second doesn't", object: parents([gwPort(ns='test'), gwPort()]), want: [] },
  { name: "valid because second parentRef has namespace while first doesn't", object: parents([gwPort(), gwPort(ns='test')]), want: [] },
];

local timeouts(t) = rule({ timeouts: t });
local badTimeout(v) = ['Invalid value: "%s": spec.rules[0].timeouts.request in body should match \'^([0-9]{1,5}(h|m|s|ms)){1,4}$\'' % v];
local testHTTPRouteTimeouts = [
  { name: 'invalid timeout unit us is not supported', object: timeouts({ request: '100us' }), want: badTimeout('100us') },
  { name: 'invalid timeout unit ns is not supported', object: timeouts({ request: '500ns' }), want: badTimeout('500ns') },
  { name: 'valid timeout request and backendRequest', object: timeouts({ request: '4s', backendRequest: '2s' }), want: [] },
  { name: 'valid timeout request', object: timeouts({ request: '0s' }), want: [] },
  { name: 'invalid timeout request day unit not supported', object: timeouts({ request: '1d' }), want: badTimeout('1d') },
  { name: 'invalid timeout request decimal not supported ', object: timeouts({ request: '0.5s' }), want: badTimeout('0.5s') },
  { name: 'valid timeout request infinite greater than backendRequest 1ms', object: timeouts({ request: '0s', backendRequest: '1ms' }), want: [] },
  { name: 'valid timeout request 1s greater than backendRequest 200ms', object: timeouts({ request: '1s', backendRequest: '200ms' }), want: [] },
  { name: 'valid timeout request 10s equal backendRequest 10s', object: timeouts({ request: '10s', backendRequest: '10s' }), want: [] },
  { name: 'invalid timeout request 200ms less than backendRequest 1s', object: timeouts({ request: '200ms', backendRequest: '1s' }), want: ['backendRequest timeout cannot be longer than request timeout'] },
];

local testHTTPRouteRuleExperimental = [
  { name: 'invalid because multiple names are repeated', object: rules([{ name: 'name1' }, { name: 'name1' }]), want: ['Rule name must be unique within the route'] },
  { name: 'invalid because multiple names are repeated with others', object: rules([{ name: 'name1' }, { name: 'not-name1' }, { name: 'name1' }]), want: ['Rule name must be unique within the route'] },
  { name: 'valid because names are unique', object: rules([{}, {}, { name: 'name1' }, { name: 'name2' }]), want: [] },
];

local mirrorWith(extra) = filter({ type: 'RequestMirror', requestMirror: { backendRef: svc(ts, 8081) } + extra });
local testHTTPRequestMirrorFilterExperimental = [
  { name: 'HTTPRoute - Invalid because both percent and fraction are specified', object: mirrorWith({ percent: 42, fraction: { numerator: 83, denominator: 1000 } }), want: ['Only one of percent or fraction may be specified in HTTPRequestMirrorFilter'] },
  { name: 'HTTPRoute - Invalid fraction - numerator greater than denominator', object: mirrorWith({ fraction: { numerator: 1001, denominator: 1000 } }), want: ['numerator must be less than or equal to denominator'] },
  { name: 'HTTPRoute - Invalid fraction - denominator is 0', object: mirrorWith({ fraction: { numerator: 0, denominator: 0 } }), want: ['spec.rules[0].filters[0].requestMirror.fraction.denominator in body should be greater than or equal to 1'] },
  { name: 'HTTPRoute - Invalid fraction - numerator is negative', object: mirrorWith({ fraction: { numerator: -1, denominator: 1000 } }), want: ['spec.rules[0].filters[0].requestMirror.fraction.numerator in body should be greater than or equal to 0'] },
  { name: 'HTTPRoute - Valid with percent', object: mirrorWith({ percent: 42 }), want: [] },
  { name: 'HTTPRoute - Valid with fraction', object: mirrorWith({ fraction: { numerator: 83, denominator: 1000 } }), want: [] },
];

// `HTTPExternalAuthFilter.backendRef` is a struct: Go encodes it even when empty.
local externalAuth(protocol) = filter({ type: 'ExternalAuth', externalAuth: { protocol: protocol, backendRef: { name: '' } } });
local testHTTPExternalAuthFilterExperimental = [
  { name: 'HTTPRoute - Invalid because protocol is GRPC without GRPC config', object: externalAuth('GRPC'), want: ["grpc must be specified when protocol is set to 'GRPC'"] },
  { name: 'HTTPRoute - Invalid because protocol is HTTP without HTTP config', object: externalAuth('HTTP'), want: ["http must be specified when protocol is set to 'HTTP'"] },
];

{
  files: {
    'tests/cel/httproute_test.go': {
      channels: ['standard', 'experimental'],
      upstream: 88,
      cases: named('TestHTTPPathMatch', testHTTPPathMatch)
             + named('TestBackendObjectReference', testBackendObjectReference)
             + named('TestHTTPRouteFilter', testHTTPRouteFilter)
             + named('TestHTTPRouteRule', testHTTPRouteRule)
             + named('TestHTTPBackendRef', testHTTPBackendRef)
             + named('TestHTTPPathModifier', testHTTPPathModifier)
             + named('TestHTTPRouteCORS', testHTTPRouteCORS),
    },
    'tests/cel/httproute_standard_test.go': {
      channels: ['standard'],
      upstream: 9,
      cases: named('TestHTTPRouteParentRefStandard', testHTTPRouteParentRefStandard),
    },
    'tests/cel/httproute_experimental_test.go': {
      channels: ['experimental'],
      upstream: 33,
      cases: named('TestHTTPRouteParentRefExperimental', testHTTPRouteParentRefExperimental)
             + named('TestHTTPRouteTimeouts', testHTTPRouteTimeouts)
             + named('TestHTTPRouteRuleExperimental', testHTTPRouteRuleExperimental)
             + named('TestHTTPRequestMirrorFilterExperimental', testHTTPRequestMirrorFilterExperimental)
             + named('TestHTTPExternalAuthFilterExperimental', testHTTPExternalAuthFilterExperimental),
    },
  },
}
