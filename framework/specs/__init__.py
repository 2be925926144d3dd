"""Specs: load, validate and plan the YAML table specs. Pure Python: no Spark import here."""
