// The cases of kubernetes-sigs/gateway-api tests/cel/backendtrafficpolicy_test.go
// (built for the experimental channel only) at tag v1.6.1 (commit 8bb74df00), whose
// cases are those of v1.5.1 (e7677b70a), written as data: each case is the object the
// test sends (as Go's JSON encoding of it) and the substrings it expects in the API
// server's error; no substring: it must be accepted.
local policy(session, retry) = {
  apiVersion: 'gateway.networking.x-k8s.io/v1alpha1',
  kind: 'XBackendTrafficPolicy',
  metadata: { name: 'foo', namespace: 'default' },
  spec: {
    targetRefs: [{ group: 'group', kind: 'kind', name: 'name' }],
    retryConstraint: retry,
    sessionPersistence: session,
  },
};
local cookie = { sessionName: 'foo', absoluteTimeout: '1h', type: 'Cookie' };
local retry(percent=20, interval='10s', rate='1s') = {
  budget: { [if percent != null then 'percent']: percent, [if interval != null then 'interval']: interval },
  [if rate != null then 'minRetryRate']: { count: 10, interval: rate },
};
local named(test, cases) = [c { name: test + '/' + super.name } for c in cases];

local testBackendTrafficPolicyConfig = [
  { name: 'valid BackendTrafficPolicyConfig no retryConstraint budgetPercent', object: policy(cookie, retry(percent=null)), want: [] },
  { name: 'valid BackendTrafficPolicyConfig no retryConstraint budgetInterval', object: policy(cookie, retry(interval=null)), want: [] },
  { name: 'valid BackendTrafficPolicyConfig no retryConstraint minRetryRate', object: policy(cookie, retry(rate=null)), want: [] },
  { name: 'invalid BackendTrafficPolicyConfig budgetInterval too long', object: policy(cookie, retry(interval='2h', rate='10s')), want: ['interval cannot be greater than one hour or less than one second'] },
  { name: 'invalid BackendTrafficPolicyConfig budgetInterval too short', object: policy(cookie, retry(interval='1ms', rate='10s')), want: ['interval cannot be greater than one hour or less than one second'] },
  { name: 'invalid BackendTrafficPolicyConfig minRetryRate interval', object: policy(cookie, retry(rate='2h')), want: ['interval cannot be greater than one hour'] },
  { name: 'valid BackendTrafficPolicyConfig no cookie lifetimeType', object: policy(cookie, retry()), want: [] },
  { name: 'valid BackendTrafficPolicyConfig session cookie', object: policy({ sessionName: 'foo', type: 'Cookie', cookieConfig: { lifetimeType: 'Session' } }, retry()), want: [] },
  { name: 'invalid BackendTrafficPolicyConfig permanent cookie', object: policy({ sessionName: 'foo', type: 'Cookie', cookieConfig: { lifetimeType: 'Permanent' } }, retry()), want: ['AbsoluteTimeout must be specified when cookie lifetimeType is Permanent'] },
  { name: 'valid BackendTrafficPolicyConfig permanent cookie', object: policy(cookie { cookieConfig: { lifetimeType: 'Permanent' } }, retry()), want: [] },
  { name: 'valid BackendTrafficPolicyConfig header-based session persistence', object: policy({ sessionName: 'foo', type: 'Header' }, retry()), want: [] },
];

{
  files: {
    'tests/cel/backendtrafficpolicy_test.go': {
      channels: ['experimental'],
      upstream: 11,
      cases: named('TestBackendTrafficPolicyConfig', testBackendTrafficPolicyConfig),
    },
  },
}
