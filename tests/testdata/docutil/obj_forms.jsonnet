local d = import 'doc-util/main.libsonnet';
{ a: d.obj('help'), b: d.obj(), c: d.obj(help='h', fields={ x: 1 }), d: d.object.new('x') + d.object.withFields({ y: 2 }) }
