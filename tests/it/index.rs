// Integration tests for `fupan index`, `search` and `stats`.
