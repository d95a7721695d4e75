local d = import 'doc-util/main.libsonnet';
local lib = {
  '#': d.pkg(name='top', url='github.com/example/top', help='The top package.', filename='main.libsonnet'),
  '#version': d.val(d.T.string, 'The version of this library.'),
  version: '1.2.3',
  '#answer': d.val(d.T.number, 'The answer.', 42),
  answer: 42,
  '#newThing': d.fn('Makes a thing.', [d.arg('name', d.T.string), d.arg('size', d.T.number, 3), d.arg('opts', d.T.object, { a: [1, 'x'] }), d.arg('mode', d.T.string, enums=['fast', 'slow'])]),
  newThing(name, size=3, opts={}, mode='fast'): {},
  '#fromSchemaFn': d.fn('Schema args.', [d.argument.fromSchema('n', { type: 'string', default: null }), d.argument.fromSchema('m', { type: ['string', 'number', 'string'], enum: [1, 'a'] }), d.argument.fromSchema('k', {})]),
  fromSchemaFn(n=null, m=1, k=null): {},
  '#noArgs': d.fn('No arguments.'),
  noArgs(): {},
  '#hidden': d.fn('Ignored.') + { ignore: true },
  hidden(): {},
  '#orphan': d.fn('Documents nothing.'),
  plainHolder: {
    '#inner': d.fn('Inner fn of an undocumented object.', [d.arg('x', d.T.any)]),
    inner(x): x,
    deeper: {
      '#leaf': d.val(d.T.boolean, 'A leaf value.'),
      leaf: true,
    },
  },
  emptyHolder: { a: 1 },
  '#documentedEmpty': d.obj('Documented, without fields.'),
  documentedEmpty: {},
  '#withHelpless': d.obj(),
  withHelpless: { '#f': d.fn(), f(): null },
  sub: {
    '#': d.package.newSub('sub', 'A sub package.'),
    '#f': d.fn('f of sub', [d.arg('a', d.T.array)]),
    f(a): a,
    nested: {
      '#': d.package.newSub('nested', 'Nested below sub.'),
      '#g': d.fn('g', []),
      g(): null,
    },
  },
  group: {
    other: {
      '#': d.pkg('other', 'github.com/example/other', 'Another package, two levels down.'),
      '#h': d.obj('an object'),
      h: { '#i': d.fn('i'), i(): null },
    },
  },
  skipped: {
    '#': { ignore: true, name: 'skipped' },
    inside: {
      '#': d.package.newSub('inside', 'Found through an ignored package.'),
      '#j': d.fn('j'),
      j(): null,
    },
  },
};
d.render(lib)
