"""Bronze: land Synthea CSV deliveries into append-only Delta tables, exactly once."""
