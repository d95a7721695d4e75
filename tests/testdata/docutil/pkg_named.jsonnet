local d = import 'doc-util/main.libsonnet';
d.pkg(name='k', url='github.com/a/b', help='Help.\n', filename='main.libsonnet', version='v1.0')
