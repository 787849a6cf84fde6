"""Storage: the client book (models, sessions, queries, validation)."""
