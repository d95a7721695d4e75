local d = import 'doc-util/main.libsonnet';
{
  bare: d.render({ '#': d.package.newSub('bare', '') }),
  help_only: d.render({ '#': { name: 'x', help: 'Only help.' } }),
  no_help: d.render({ '#': { name: 'y' }, '#f': d.fn('f', [d.arg('a', d.T.string, 'dflt')]), f(a='dflt'): a }),
}
