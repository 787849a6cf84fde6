"""ReviewDesk: client reviews for relationship managers."""

__version__ = "0.1.0"
