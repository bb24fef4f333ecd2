"""Fixtures of the batch tests."""

from batch_corpus import mixed_corpus  # noqa: F401 - a fixture
