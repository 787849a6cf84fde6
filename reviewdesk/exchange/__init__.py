"""Excel and CSV import and export of the book."""
