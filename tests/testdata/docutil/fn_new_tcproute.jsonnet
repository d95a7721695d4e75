local d = import 'doc-util/main.libsonnet';
d.fn('new returns an instance of TCPRoute', [d.arg('name', d.T.string)])
