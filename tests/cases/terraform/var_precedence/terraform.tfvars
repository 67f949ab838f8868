encrypted = true
