local d = import 'doc-util/main.libsonnet';
d.fn(help='"Name is the name."', args=[d.arg(name='name', type=d.T.string)])
