"""Numeric claims of the narrative: `extract_claims(sentence) -> list[Claim]`.

Numerals are parsed in `numbers`; units, qualifiers, counted things, negations and exclusions
are data in `patterns.yaml`, compiled by `rules`.
"""

from nlp.claims.extract import Claim, extract_claims
from nlp.claims.numbers import parse_number

__all__ = ["Claim", "extract_claims", "parse_number"]
