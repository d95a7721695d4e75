local d = import 'doc-util/main.libsonnet';
{ a: d.arg('n', d.T.any), b: d.argument.new('x', d.T.string, default='d'), c: d.arg(name='e', type=d.T.number, enums=[1, 2, 3]), d: d.argument.fromSchema('s', { type: 'string', default: 'x' }) }
