{ source: 'root-vendor' }
