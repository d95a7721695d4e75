{
  own: import 'file.libsonnet',
}
