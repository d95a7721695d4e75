// A web application: Deployment, Service and a TCPRoute of the built-in Gateway API library.
local k = import 'k.libsonnet';
local gateway = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway;
local container = k.core.v1.container;
local tcpRoute = gateway.v1alpha2.tcpRoute;

{
  new(name, image, replicas=1):: {
    deployment: k.apps.v1.deployment.new(name, replicas=replicas, containers=[
      container.new(name, image)
      + container.withPorts([k.core.v1.containerPort.newNamed(8080, 'http')])
      + container.withResourcesRequests('100m', '64Mi'),
    ]),
    service: k.core.v1.service.new(name, { name: name }, [
      k.core.v1.servicePort.newNamed('http', 80, 'http'),
    ]),
    route: tcpRoute.new(name)
           + tcpRoute.spec.withParentRefs(tcpRoute.spec.parentRefs.withName('edge'))
           + tcpRoute.spec.withRules([
             tcpRoute.spec.rules.withBackendRefs(
               tcpRoute.spec.rules.backendRefs.withName(name)
               + tcpRoute.spec.rules.backendRefs.withPort(80)
             ),
           ]),
  },
}
