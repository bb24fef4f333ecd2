"""Agencies by name: what identifies one, its level (national … township) and kind.

    normalise_agency("沂水县 教育局（办公室编制）")  →  "沂水县教育局"
    agency_keys(["洪泽区人民政府", "淮安市洪泽区人民政府"])  →  both keyed "淮安市洪泽区人民政府"
    describe("沂水县教育局")  →  AgencyProfile(level="county", kind="department")

The vocabulary lives in agency.yaml.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

_VOCABULARY = Path(__file__).with_name("agency.yaml")
# Remarks such as （办公室编制） or （全区汇总） name who compiled a report, not a different agency.
_REMARK = re.compile(r"\([^()]*\)")
_SPACE = re.compile(r"\s+")


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
        "parents": tuple(conf["parent_place_suffixes"]),
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


def normalise_agency(name: str | None) -> str:
    """An agency name reduced to what identifies it: NFKC, no spaces, no parenthetical remark."""
    if not name:
        return ""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", name))
    previous = None
    while previous != text:
        previous, text = text, _REMARK.sub("", text)
    return text


def agency_keys(names: Iterable[str | None]) -> dict[str, str]:
    """Each name → the key of its agency among these names.

    The key is the normalised name, except that a name printed without its parent place
    (洪泽区人民政府) takes the key of the one fuller name that adds it (淮安市洪泽区人民政府) — only
    when there is exactly one, since 鼓楼区 of several cities must stay apart.
    """
    normal = {name: normalise_agency(name) for name in set(names) if name}
    fuller: dict[str, set[str]] = defaultdict(set)
    for full in set(normal.values()):
        for short in _without_parent(full):
            fuller[short].add(full)
    return {
        name: next(iter(fuller[key])) if len(fuller.get(key, ())) == 1 else key
        for name, key in normal.items()
    }


def _without_parent(name: str) -> list[str]:
    """The name with each leading parent place cut off, when what is left is itself placed."""
    parents = _vocabulary()["parents"]
    return [
        name[end:]
        for end in range(2, len(name) - 2)
        if name[:end].endswith(parents) and describe(name[end:]).level is not None
    ]
