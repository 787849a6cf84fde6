"""Chart builders: matplotlib Figures shared by the PDF and the screen (never pyplot)."""
