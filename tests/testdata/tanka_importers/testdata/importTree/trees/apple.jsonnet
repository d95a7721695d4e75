local tree = import 'generic.libsonnet';
tree.new('apple', 'green')
