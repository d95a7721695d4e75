// The cases of kubernetes-sigs/gateway-api tests/cel/gatewayclass_test.go and
// listenerset_test.go (built for the experimental channel only) at tag v1.6.1 (commit
// 8bb74df00), whose cases are those of v1.5.1 (e7677b70a), written as data: each case
// is the object the test sends (as Go's JSON encoding of it) and the substrings it
// expects in the API server's error; no substring: it must be accepted. A case with
// `old` is an update of `old` to `object`.
local gatewayClass(controller) = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'GatewayClass',
  metadata: { name: 'foo' },
  spec: { controllerName: controller },
};
local listenerSet(listeners) = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'ListenerSet',
  metadata: { name: 'foo', namespace: 'default' },
  spec: { parentRef: { kind: 'Gateway', name: 'example' }, listeners: listeners },
};
local tls = { name: 'tls', protocol: 'TLS', port: 8443 };

{
  files: {
    'tests/cel/gatewayclass_test.go': {
      channels: ['standard', 'experimental'],
      upstream: 1,
      cases: [
        { name: 'TestValidateGatewayClassUpdate/cannot upgrade controllerName', old: gatewayClass('example.net/gateway-controller-1'), object: gatewayClass('example.net/gateway-controller-2'), want: ['Value is immutable'] },
      ],
    },
    'tests/cel/listenerset_test.go': {
      channels: ['experimental'],
      upstream: 3,
      cases: [
        { name: 'TestValidateListenerSet/tls config present with tls protocol', object: listenerSet([tls { tls: { mode: 'Passthrough' } }]), want: [] },
        { name: 'TestValidateListenerSet/tls config not set with tls protocol', object: listenerSet([tls]), want: ['tls mode must be set for protocol TLS'] },
        { name: 'TestValidateListenerSet/tls config present but empty with tls protocol', object: listenerSet([tls { tls: {} }]), want: ['certificateRefs or options must be specified when mode is Terminate'] },
      ],
    },
  },
}
