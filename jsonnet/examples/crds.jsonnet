// Gateway API 1.5 and metallb 0.14 as native libraries, straight from their CRD YAML:
//   gwsonnet --crds ../shared/gateway-api/crds/1.5 \
//            --crd-library ../shared/crd-libraries/metallb/config.yml jsonnet/examples/crds.jsonnet
local gateway = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/1.5/main.libsonnet').gateway;
local metallb = (import 'github.com/jsonnet-libs/metallb-libsonnet/0.14/main.libsonnet').metallb;
local route = gateway.v1.httpRoute;
local pool = metallb.v1beta1.ipAddressPool;
[
  gateway.v1.gatewayClass.new('public')
  + gateway.v1.gatewayClass.spec.withControllerName('example.com/gateway'),
  route.new('web')
  + route.metadata.withNamespace('apps')
  + route.spec.withParentRefs(route.spec.parentRefs.withName('public'))
  + route.spec.withHostnames('www.example.com')
  + route.spec.withRules(route.spec.rules.withBackendRefs(
    route.spec.rules.backendRefs.withName('web') + route.spec.rules.backendRefs.withPort(8080)
  )),
  pool.new('lan')
  + pool.metadata.withNamespace('metallb-system')
  + pool.spec.withAddresses('192.168.10.0/24'),
]
