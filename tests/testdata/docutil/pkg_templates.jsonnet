local d = import 'doc-util/main.libsonnet';
{ a: d.package.new('a', 'u', 'h') + d.package.withInstallTemplate(null), b: d.package.new('b', 'u', 'h') + d.package.withUsageTemplate('import %(url)s'), c: d.package.newSub('c', 'sub help'), d: d.package.withInstallTemplate('x'), e: d.package.withUsageTemplate(null) }
