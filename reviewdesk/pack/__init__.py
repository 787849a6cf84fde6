"""The review pack: a PDF built with reportlab from one `Review` object."""
