local d = import 'doc-util/main.libsonnet';
d.fn('h', [d.arg('a', d.T.any)]) + d.func.withHelp('new help') + d.func.withArgs([d.arg('b', d.T.array)])
