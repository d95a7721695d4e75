local trees = import 'trees.jsonnet';

// Three trees, in a list.
[trees.apple, trees.cherry, trees.peach]
