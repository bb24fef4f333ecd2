"""What an agency's name says of it: its level (national … township) and kind (government or not).

    describe("沂水县教育局")  →  AgencyProfile(level="county", kind="department")

The vocabulary lives in agency.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from nlp.checks import normalise_agency

_VOCABULARY = Path(__file__).with_name("agency.yaml")


@dataclass(frozen=True)
class AgencyProfile:
    level: str | None
    kind: str | None


@cache
def _vocabulary() -> dict:
    conf = yaml.safe_load(_VOCABULARY.read_text(encoding="utf-8"))
    levels = {entry["suffix"]: entry["level"] for entry in conf["level_suffixes"]}
    # Longest suffix first, so that 自治县 is taken before 县 and 街道办事处 before 街道.
    suffix = re.compile("|".join(map(re.escape, sorted(levels, key=len, reverse=True))))
    return {
        "suffix": suffix,
        "levels": levels,
        "national": tuple(conf["national_prefixes"]),
        "not_a_place": tuple(conf["not_a_place"]),
        "government": tuple(conf["government_endings"]),
    }


def describe(name: str | None) -> AgencyProfile:
    """The level and kind of an agency, or None for what the name does not say."""
    name = normalise_agency(name)
    if not name:
        return AgencyProfile(None, None)
    vocabulary = _vocabulary()
    kind = "government" if name.endswith(vocabulary["government"]) else "department"
    if name.startswith(vocabulary["national"]):
        return AgencyProfile("national", kind)
    masked = name
    for word in vocabulary["not_a_place"]:
        masked = masked.replace(word, "□" * len(word))
    places = list(vocabulary["suffix"].finditer(masked))
    level = vocabulary["levels"][places[-1].group()] if places else None
    return AgencyProfile(level, kind)
