local d = import 'doc-util/main.libsonnet';
{ a: d.val(d.T.string, 'help'), b: d.val(type='number', default=3), c: d.value.new('bool', help='h', default=true) }
