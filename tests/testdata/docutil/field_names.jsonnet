local d = import 'doc-util/main.libsonnet';
{ [k]: { visible: std.objectFields(d[k]), all: std.objectFieldsAll(d[k]) } for k in ['package', 'object', 'func', 'argument', 'value', 'T'] } + { root_visible: std.objectFields(d), root_all: std.objectFieldsAll(d) }
