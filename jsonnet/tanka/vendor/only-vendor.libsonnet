{ source: 'root-vendor (shadowed by the environment vendor)' }
