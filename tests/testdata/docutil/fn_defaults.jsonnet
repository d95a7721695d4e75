local d = import 'doc-util/main.libsonnet';
{ a: d.fn(), b: d.fn('only help'), c: d.func.new(args=[d.arg('x', d.T.number, 1, [1, 2])]) }
