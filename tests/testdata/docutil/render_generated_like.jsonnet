local d = import 'doc-util/main.libsonnet';
local lib = {
  '#': d.pkg(name='tcpRoute', url='', help='"TCPRoute routes TCP."'),
  '#new': d.fn('new returns an instance of TCPRoute', [d.arg('name', d.T.string)]),
  new(name): { kind: 'TCPRoute' } + self.metadata.withName(name),
  '#metadata': d.obj('"ObjectMeta is metadata."'),
  metadata: {
    '#withName': d.fn('"Name must be unique."', [d.arg('name', d.T.string)]),
    withName(name): { metadata+: { name: name } },
    '#withLabels': d.fn('"Map of labels."', [d.arg('labels', d.T.object)]),
    withLabels(labels): { metadata+: { labels: labels } },
    '#withLabelsMixin': d.fn('"Map of labels."\n\n**Note:** This function appends passed data to existing values', [d.arg('labels', d.T.object)]),
    withLabelsMixin(labels): { metadata+: { labels+: labels } },
  },
  '#spec': d.obj('"Spec defines the desired state."'),
  spec: {
    '#withRules': d.fn('"Rules."', [d.arg('rules', d.T.array)]),
    withRules(rules): { spec+: { rules: rules } },
    '#rules': d.obj('"Rules."'),
    rules: {
      '#withBackendRefs': d.fn('"Backends."', [d.arg('backendRefs', d.T.array)]),
      withBackendRefs(backendRefs): { backendRefs: backendRefs },
      '#backendRefs': d.obj('"Backends."'),
      backendRefs: {
        '#withPort': d.fn('"Port."', [d.arg('port', d.T.integer)]),
        withPort(port): { port: port },
        '#withWeight': d.fn('"Weight."', [d.arg('weight', d.T.integer)]),
        withWeight(weight): { weight: weight },
      },
    },
  },
};
d.render(lib)
