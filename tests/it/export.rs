// Integration tests for `fupan export`.
