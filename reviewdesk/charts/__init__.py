"""Chart builders: matplotlib `Figure` objects (never pyplot), shared by the pack and the screen."""
