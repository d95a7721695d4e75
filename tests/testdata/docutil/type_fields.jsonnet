local d = import 'doc-util/main.libsonnet';
{ visible: std.objectFields(d.T), all: std.objectFieldsAll(d.T) }
