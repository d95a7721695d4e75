// The application's settings per environment, found through -J examples/jsonnet/lib.
local defaults = { name: 'web', replicas: 1, debug: false, ratio: 0.1 };
local overrides = {
  dev: { debug: true },
  prod: { replicas: 3, ratio: 1 / 3 },
};

{
  config(env)::
    assert std.objectHas(overrides, env) : 'unknown env %s (known: %s)' % [env, std.objectFields(overrides)];
    defaults + overrides[env],
}
