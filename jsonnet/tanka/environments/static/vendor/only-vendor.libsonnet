{ source: 'base-vendor' }
