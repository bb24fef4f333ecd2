"""Hostile and broken inputs for the reader (issue 18): families of generated files and a
runner that classifies each input's outcome (ok / clean error / crash / hang / memory)."""
