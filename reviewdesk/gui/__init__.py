"""Everything Qt: windows, table models, workers, present mode."""
