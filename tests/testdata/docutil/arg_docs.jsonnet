local d = import 'doc-util/main.libsonnet';
{ [o + '.' + k]: d[o][k]['function'].args for o in ['object', 'func', 'argument', 'value'] for k in std.objectFieldsAll(d[o]) if std.startsWith(k, '#') } + { 'package.#new': d.package['#new']['function'].args, 'package.#newSub': d.package['#newSub']['function'].args }
