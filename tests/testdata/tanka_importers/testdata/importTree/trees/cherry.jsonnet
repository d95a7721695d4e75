local tree = import 'generic.libsonnet';
tree.new('cherry', 'dark red', 'l')
