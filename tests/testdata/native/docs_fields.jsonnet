// Every docs field ('#new', '#metadata', '#spec', '#withX', ... but not the package '#')
// at every level of the kind, keyed by its path.
local tcpRoute = (import 'github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet').gateway.v1alpha2.tcpRoute;
local walk(o, path) =
  std.foldl(
    function(acc, k)
      acc + (
        if k == '#' || k == 'mixin' then {}
        else if std.startsWith(k, '#') then { [path + k]: o[k] }
        else if std.isObject(o[k]) then walk(o[k], path + k + '.')
        else {}
      ),
    std.objectFieldsAll(o),
    {}
  );
walk(tcpRoute, '')
