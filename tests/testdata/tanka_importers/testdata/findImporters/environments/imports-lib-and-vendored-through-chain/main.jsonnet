{
  start: import 'chain1.libsonnet',
}
