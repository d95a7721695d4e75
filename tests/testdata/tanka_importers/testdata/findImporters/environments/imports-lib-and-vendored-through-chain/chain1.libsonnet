{
  next: import 'chain2.libsonnet',
}
