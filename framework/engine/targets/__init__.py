"""Silver and gold targets: one generic engine for every YAML target spec."""
