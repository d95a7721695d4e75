// The cases of kubernetes-sigs/gateway-api tests/cel/backendtlspolicy_test.go at tag
// v1.6.1 (commit 8bb74df00), whose cases are those of v1.5.1 (e7677b70a), written as
// data: each case is the object the test sends (as Go's JSON encoding of it:
// `validation.hostname` has no omitempty, so it is sent even when empty) and the
// substrings it expects in the API server's error; no substring: it must be accepted.
// Names are `<test function>/<case>`.
local policy(targetRefs, validation) = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'BackendTLSPolicy',
  metadata: { name: 'foo', namespace: 'default' },
  spec: { targetRefs: targetRefs, validation: { hostname: '' } + validation },
};
local svc(name, section=null, kind='Service', group='') = { group: group, kind: kind, name: name, [if section != null then 'sectionName']: section };
local system = { wellKnownCACertificates: 'System', hostname: 'foo.example.com' };
local targets(t) = policy(t, system);
local unique = 'sectionName must be unique when targetRefs includes 2 or more references to the same target';
local specified = 'sectionName must be specified when targetRefs includes 2 or more references to the same target';
local named(test, cases) = [c { name: test + '/' + super.name } for c in cases];

local testBackendTLSPolicyTargetRefs = [
  { name: 'invalid because duplicate target refs without section name', object: targets([svc('example'), svc('example')]), want: [unique] },
  { name: 'invalid because duplicate target refs with only one section name', object: targets([svc('example'), svc('example2'), svc('example', 'foo')]), want: [specified] },
  { name: 'invalid because duplicate target refs with duplicate section names', object: targets([svc('example', 'foo'), svc('example', 'bar'), svc('example', 'foo')]), want: [unique] },
  { name: 'valid single targetRef without sectionName', object: targets([svc('example')]), want: [] },
  { name: 'valid single targetRef with sectionName', object: targets([svc('example', 'foo')]), want: [] },
  { name: 'valid because duplicate target refs with different section names', object: targets([svc('example', 'foo'), svc('example', 'bar'), svc('example', 'jin')]), want: [] },
  { name: 'valid because duplicate target refs with different names', object: targets([svc('example', 'foo'), svc('example2', 'foo'), svc('example3', 'foo')]), want: [] },
  { name: 'valid because duplicate target refs with different kinds', object: targets([svc('example', 'foo'), svc('example', 'foo', 'NotService')]), want: [] },
  { name: 'valid because duplicate target refs with different groups', object: targets([svc('example', 'foo'), svc('example', 'foo', group='svc.other.io')]), want: [] },
];

local validation(v) = policy([{ group: 'group', kind: 'kind', name: 'name', sectionName: 'section' }], v);
local refs = { caCertificateRefs: [{ group: 'group', kind: 'kind', name: 'name' }] };
local host = { hostname: 'foo.example.com' };
local san(s) = validation(refs + host + { subjectAltNames: [s] });
local wellKnown = "spec.validation.wellKnownCACertificates in body should match '^(System|([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]))$";
local testBackendTLSPolicyValidation = [
  { name: 'valid BackendTLSPolicyValidation with WellKnownCACertificates', object: validation(system), want: [] },
  { name: 'valid BackendTLSPolicyValidation with implementation-specific WellKnownCACertificates', object: validation(host + { wellKnownCACertificates: 'my.company.com/my-custom-ca-certificates' }), want: [] },
  { name: 'valid BackendTLSPolicyValidation with CACertificateRefs', object: validation(refs + host), want: [] },
  { name: 'invalid BackendTLSPolicyValidation with missing fields', object: validation({}), want: ['spec.validation.hostname in body should be at least 1 chars long', 'must specify either CACertificateRefs or WellKnownCACertificates'] },
  { name: 'invalid BackendTLSPolicyValidation with both CACertificateRefs and WellKnownCACertificates', object: validation(refs + system), want: ['must not contain both CACertificateRefs and WellKnownCACertificates'] },
  { name: 'invalid BackendTLSPolicyValidation with invalid WellKnownCACertificates value', object: validation(host + { wellKnownCACertificates: 'MySystem' }), want: [wellKnown] },
  { name: 'invalid BackendTLSPolicyValidation with invalid implementation-specific WellKnownCACertificates value without which isprefix for ', object: validation(host + { wellKnownCACertificates: 'my-system' }), want: [wellKnown] },
  { name: 'invalid BackendTLSPolicyValidation  with invalid implementation-specific WellKnownCACertificates value with invalid prefix', object: validation(host + { wellKnownCACertificates: 'in..va..lid./my-custom-ca-certificates' }), want: [wellKnown] },
  { name: 'invalid BackendTLSPolicyValidation with empty Hostname field', object: validation(refs), want: ['spec.validation.hostname in body should be at least 1 chars long'] },
  { name: 'valid BackendTLSPolicyValidation with SubjectAltName type Hostname', object: san({ type: 'Hostname', hostname: 'foo.example.com' }), want: [] },
  { name: 'valid BackendTLSPolicyValidation with SubjectAltName type URI', object: san({ type: 'URI', uri: 'spiffe://mycluster.example' }), want: [] },
  { name: 'invalid BackendTLSPolicyValidation with SubjectAltName type Hostname and empty Hostname field', object: san({ type: 'Hostname' }), want: ['SubjectAltName element must contain Hostname, if Type is set to Hostname'] },
  { name: 'invalid BackendTLSPolicyValidation with SubjectAltName type URI and non-empty Hostname field', object: san({ type: 'URI', hostname: 'foo.example.com' }), want: ['SubjectAltName element must not contain Hostname, if Type is not set to Hostname'] },
  { name: 'invalid BackendTLSPolicyValidation with SubjectAltName type URI and empty URI field', object: san({ type: 'URI' }), want: ['SubjectAltName element must contain URI, if Type is set to URI'] },
  { name: 'invalid BackendTLSPolicyValidation with SubjectAltName type Hostname and non-empty URI field', object: san({ type: 'Hostname', uri: 'test' }), want: ['SubjectAltName element must not contain URI, if Type is not set to URI'] },
  { name: 'invalid BackendTLSPolicyValidation with SubjectAltName type Hostname and both Hostname and URI specified', object: san({ type: 'Hostname', hostname: 'foo.example.com', uri: 'test' }), want: ['SubjectAltName element must not contain URI, if Type is not set to URI'] },
  { name: 'invalid BackendTLSPolicyValidation incorrect URI SAN', object: san({ type: 'URI', uri: 'foo.example.com' }), want: ["spec.validation.subjectAltNames[0].uri in body should match '^(([^:/?#]+):)(//([^/?#]*))([^?#]*)(\\?([^#]*))?(#(.*))?'"] },
];

{
  files: {
    'tests/cel/backendtlspolicy_test.go': {
      channels: ['standard', 'experimental'],
      upstream: 26,
      cases: named('TestBackendTLSPolicyTargetRefs', testBackendTLSPolicyTargetRefs)
             + named('TestBackendTLSPolicyValidation', testBackendTLSPolicyValidation),
    },
  },
}
