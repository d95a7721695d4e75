{ case: 'a plain object' }
