{ source: 'root-vendor (shadowed by lib/k.libsonnet)' }
