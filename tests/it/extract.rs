// Integration tests for `fupan extract`.
