{
  throughLink: import 'vendor-symlinked/main.libsonnet',
}
