"""Pure review logic: no Qt, no reportlab, no session handling."""
