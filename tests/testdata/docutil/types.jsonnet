local d = import 'doc-util/main.libsonnet';
{ [k]: d.T[k] for k in std.objectFieldsAll(d.T) if !std.startsWith(k, '#') }
