local tree = import 'generic.libsonnet';
tree.new('peach', 'yellow', 's')
