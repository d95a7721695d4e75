// The cases of kubernetes-sigs/gateway-api tests/cel/gateway_test.go (TestValidateGateway)
// and tests/cel/gateway_experimental_test.go (TestGatewayInfrastructureLabels) at tag
// v1.6.1 (commit 8bb74df00), whose cases are those of v1.5.1 (e7677b70a), written as
// data: each case is the object the test sends (as Go's JSON encoding of it) and the
// substrings it expects in the API server's error; no substring: it must be accepted.
// A case with `statusUpdate` is the test's update of the status subresource: the API
// server validates the status with the status schema as the root, so the paths in its
// "in body" messages are relative to `status`.
local listener(name, protocol, port) = { name: name, protocol: protocol, port: port };
local gateway(spec={}, status=null) = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'foo', namespace: 'default' },
  spec: { gatewayClassName: 'foo', listeners: [listener('http', 'HTTP', 80)] } + spec,
  [if status != null then 'status']: status,
};
local listeners(l) = gateway({ listeners: l });
local refs = { certificateRefs: [{ name: 'foo' }] };
local terminate = { mode: 'Terminate' };
local options = { options: { 'networking.example.com/tls-version': '1.2' } };
local ip(v=null) = { type: 'IPAddress', [if v != null then 'value']: v };
local host(v=null) = { type: 'Hostname', [if v != null then 'value']: v };
local labels(l) = gateway({ infrastructure: { labels: l } });
local named(test, cases) = [c { name: test + '/' + super.name } for c in cases];
local labelKey = 'Label keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters';

{
  files: {
    'tests/cel/gateway_test.go': { channels: ['standard', 'experimental'], upstream: 32, cases: named('TestValidateGateway', [
      { name: 'tls config present with http protocol', object: listeners([listener('http', 'HTTP', 8080) + { tls: {} }]), want: ["tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']"] },
      { name: 'https protocol with Passthrough tls mode', object: listeners([listener('https', 'HTTPS', 8080) + { tls: { mode: 'Passthrough' } }]), want: ['tls mode must be Terminate for protocol HTTPS'] },
      { name: 'tls mode not set with https protocol and tls config present', object: listeners([listener('https', 'HTTPS', 8080) + { tls: refs }]), want: [] },
      { name: 'tls config present with tcp protocol', object: listeners([listener('tcp', 'TCP', 8080) + { tls: {} }]), want: ["tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']"] },
      { name: 'tls config not set with https protocol', object: listeners([listener('https', 'HTTPS', 8443)]), want: [] },
      { name: 'tls config not set with tls protocol', object: listeners([listener('tls', 'TLS', 8443)]), want: ['tls mode must be set for protocol TLS'] },
      { name: 'tls config not set with http protocol', object: listeners([listener('http', 'HTTP', 8080)]), want: [] },
      { name: 'tls config not set with tcp protocol', object: listeners([listener('tcp', 'TCP', 8080)]), want: [] },
      { name: 'tls config not set with udp protocol', object: listeners([listener('udp', 'UDP', 8080)]), want: [] },
      { name: 'hostname present with tcp protocol', object: listeners([listener('tcp', 'TCP', 8080) + { hostname: 'foo' }]), want: ["hostname must not be specified for protocols ['TCP', 'UDP']"] },
      { name: 'hostname present with udp protocol', object: listeners([listener('udp', 'UDP', 8080) + { hostname: 'foo' }]), want: ["hostname must not be specified for protocols ['TCP', 'UDP']"] },
      { name: 'certificateRefs not set with HTTPS protocol and TLS terminate mode', object: listeners([listener('https', 'HTTPS', 8443) + { tls: terminate }]), want: ['certificateRefs or options must be specified when mode is Terminate'] },
      { name: 'certificateRefs not set with TLS protocol and TLS terminate mode', object: listeners([listener('tls', 'TLS', 8443) + { tls: terminate }]), want: ['certificateRefs or options must be specified when mode is Terminate'] },
      { name: 'certificateRefs set with HTTPS protocol and TLS terminate mode', object: listeners([listener('https', 'HTTPS', 8443) + { tls: terminate + refs }]), want: [] },
      { name: 'certificateRefs set with TLS protocol and TLS terminate mode', object: listeners([listener('tls', 'TLS', 8443) + { tls: terminate + refs }]), want: [] },
      { name: 'options set with HTTPS protocol and TLS terminate mode', object: listeners([listener('https', 'HTTPS', 8443) + { tls: terminate + options }]), want: [] },
      { name: 'options set with tls protocol and TLS terminate mode', object: listeners([listener('tls', 'TLS', 8443) + { tls: terminate + options }]), want: [] },
      { name: 'names are not unique within the Gateway', object: listeners([listener('http', 'HTTP', 80), listener('http', 'HTTP', 8000), listener('http', 'HTTP', 8080)]), want: ['Listener name must be unique within the Gateway'] },
      { name: 'names are unique within the Gateway', object: listeners([listener('http-1', 'HTTP', 80), listener('http-2', 'HTTP', 8000), listener('http-3', 'HTTP', 8080)]), want: [] },
      { name: 'combination of port, protocol, and hostname are not unique for each listener', object: listeners([listener('foo', 'HTTP', 80) + { hostname: 'foo.com' }, listener('bar', 'HTTP', 80) + { hostname: 'foo.com' }]), want: ['Combination of port, protocol and hostname must be unique for each listener'] },
      { name: 'combination of port and protocol are not unique for each listener when hostnames not set', object: listeners([listener('foo', 'HTTP', 80), listener('bar', 'HTTP', 80)]), want: ['Combination of port, protocol and hostname must be unique for each listener'] },
      { name: 'port is unique when protocol and hostname are the same', object: listeners([listener('foo', 'HTTP', 80) + { hostname: 'foo.com' }, listener('bar', 'HTTP', 8000) + { hostname: 'foo.com' }]), want: [] },
      { name: 'hostname is unique when protocol and port are the same', object: listeners([listener('foo', 'HTTP', 80) + { hostname: 'foo.com' }, listener('bar', 'HTTP', 80) + { hostname: 'bar.com' }]), want: [] },
      { name: 'one omitted hostname is unique when protocol and port are the same', object: listeners([listener('foo', 'HTTP', 80) + { hostname: 'foo.com' }, listener('bar', 'HTTP', 80)]), want: [] },
      { name: 'protocol is unique when port and hostname are the same', object: listeners([listener('foo', 'HTTP', 8000) + { hostname: 'foo.com' }, listener('bar', 'HTTPS', 8000) + { hostname: 'foo.com', tls: refs }]), want: [] },
      { name: 'ip address and hostname in addresses are valid', object: gateway({ addresses: [ip('1.2.3.4'), ip('1111:2222:3333:4444::'), host('foo.bar')] }), want: [] },
      { name: 'ip address and hostname in addresses are invalid', object: gateway({ addresses: [ip('1.2.3.4:8080'), host('*foo/bar'), host('12:34:56::')] }), want: ['Invalid value: "1.2.3.4:8080": spec.addresses[0].value in body must be of type ipv4'] },
      { name: 'ip address and hostname in status addresses are valid', statusUpdate: true, object: gateway(status={ addresses: [ip('1.2.3.4'), ip('1111:2222:3333:4444::'), host('foo.bar')] }), want: [] },
      { name: 'ip address and hostname in status addresses are invalid', statusUpdate: true, object: gateway(status={ addresses: [ip('1.2.3.4:8080'), host('*foo/bar'), host('12:34:56::')] }), want: ['Invalid value: "1.2.3.4:8080": addresses[0].value in body must be of type ipv4'] },
      { name: 'duplicate ip address or hostname', object: gateway({ addresses: [ip('1.2.3.4'), ip('1.2.3.4'), host('foo.bar'), host('foo.bar')] }), want: ['IPAddress values must be unique', 'Hostname values must be unique'] },
      { name: 'optional ip address or hostname values', object: gateway({ addresses: [ip(), host()] }), want: [] },
      { name: 'multiple optional ip address or hostname values alongside defined values', object: gateway({ addresses: [host(), ip(), ip('1.2.3.4'), host('foo.bar'), ip(), host(), ip('2.3.4.5'), host('bar.bar')] }), want: [] },
    ]) },
    'tests/cel/gateway_experimental_test.go': { channels: ['experimental'], upstream: 7, cases: named('TestGatewayInfrastructureLabels', [
      { name: 'valid label keys and values', object: labels({ app: 'gateway', tier: 'frontend', example: 'MyValue', 'example.com': 'my.name', 'example.com/path': '123-my-value', 'example.com/path.html': '' }), want: [] },
      { name: 'invalid label key with invalid DNS prefix', object: labels({ 'Example.com/key': 'value' }), want: [labelKey] },
      { name: 'invalid label key with invalid name', object: labels({ 'key~@@@': 'value' }), want: [labelKey] },
      { name: 'invalid label key with DNS prefix too long', object: labels({ [std.repeat('a', 254) + '/key']: 'value' }), want: ["If specified, the label key's prefix must be a DNS subdomain not longer than 253 characters in total."] },
      { name: 'invalid label key with name too long', object: labels({ [std.repeat('a', 64)]: 'value' }), want: [labelKey + '.'] },
      { name: 'invalid label value with too many characters', object: labels({ key: std.repeat('a', 64) }), want: ['Too long: may not be more than 63'] },
      { name: 'invalid label value with invalid characters', object: labels({ key: 'v a l u e' }), want: ["spec.infrastructure.labels.key in body should match '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$'"] },
    ]) },
  },
}
