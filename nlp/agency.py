"""Agencies by name: what identifies one, its level (national … township) and kind.

    normalise_agency("沂水县 教育局（办公室编制）")  →  "沂水县教育局"
    agency_keys(["洪泽区人民政府", "淮安市洪泽区人民政府"])  →  both keyed "淮安市洪泽区人民政府"
    describe("沂水县教育局")  →  AgencyProfile(level="county", kind="department")
    describe("上海市科学技术委员会")  →  AgencyProfile(level="province", kind="department")

The vocabulary lives in agency.yaml. What a name cannot say — an OCR slip in a name, an
abbreviation, the level of a pilot zone — a user says in an alias file (YAML, see
`ALIAS_FILE_EXAMPLE`), named by the environment variable `XXGK_AGENCY_ALIASES` or passed to
`use_aliases(path)`.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

_VOCABULARY = Path(__file__).with_name("agency.yaml")
ALIAS_ENV = "XXGK_AGENCY_ALIASES"
LEVELS = ("national", "province", "city", "county", "township")
KINDS = ("government", "department", "zone_committee")
ALIAS_FILE_EXAMPLE = """\
aliases:                 # a name as printed → the name that identifies the agency
  沐阳县人民政府: 沭阳县人民政府
  上海市科委: 上海市科学技术委员会
agencies:                # what a name does not say: level and kind
  平潭综合实验区: {level: city, kind: zone_committee}
"""
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
    levels.update(dict.fromkeys(conf["zone_suffixes"], "zone"))
    # Longest suffix first, so that 自治县 is taken before 县 and 街道办事处 before 街道.
    suffix = re.compile("|".join(map(re.escape, sorted(levels, key=len, reverse=True))))
    return {
        "suffix": suffix,
        "levels": levels,
        "municipalities": tuple(conf["municipalities"]),
        "county_city_after": frozenset(conf["county_city_after"]),
        "national": tuple(conf["national_prefixes"]),
        "not_a_place": tuple(conf["not_a_place"]),
        "zone_endings": tuple(conf["zone_endings"]),
        "government": tuple(conf["government_endings"]),
        "parents": tuple(conf["parent_place_suffixes"]),
        "dropped": tuple(conf["identity_endings_dropped"]),
    }


@dataclass(frozen=True)
class Aliases:
    """A user's alias file: names as printed → identifying names, and profiles by name."""

    names: dict[str, str]
    profiles: dict[str, AgencyProfile]


NO_ALIASES = Aliases({}, {})


def use_aliases(path: str | os.PathLike[str] | None) -> None:
    """Read agency aliases from `path` from now on (None: none); batch workers started later
    inherit it through `XXGK_AGENCY_ALIASES`."""
    if path is None:
        os.environ.pop(ALIAS_ENV, None)
    else:
        os.environ[ALIAS_ENV] = str(Path(path).resolve())
    _aliases_from.cache_clear()


def aliases() -> Aliases:
    """The alias file named by `XXGK_AGENCY_ALIASES`, read once."""
    return _aliases_from(os.environ.get(ALIAS_ENV) or None)


@cache
def _aliases_from(path: str | None) -> Aliases:
    if path is None:
        return NO_ALIASES
    conf = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    names = {_normal(k): _normal(v) for k, v in (conf.get("aliases") or {}).items()}
    profiles = {}
    for name, profile in (conf.get("agencies") or {}).items():
        level, kind = profile.get("level"), profile.get("kind")
        if level not in (*LEVELS, None) or kind not in (*KINDS, None):
            raise ValueError(
                f"{path}: {name}: level must be one of {LEVELS} and kind one of {KINDS}"
            )
        profiles[_normal(name)] = AgencyProfile(level, kind)
    return Aliases(names, profiles)


def describe(name: str | None) -> AgencyProfile:
    """The level and kind of an agency, or None for what the name does not say."""
    name = normalise_agency(name)
    if not name:
        return AgencyProfile(None, None)
    known = aliases().profiles.get(name)
    if known:
        return known
    vocabulary = _vocabulary()
    if name.startswith(vocabulary["national"]):
        return AgencyProfile("national", _kind(name, None))
    places = _places(name)
    return AgencyProfile(_level(places), _kind(name, places[-1] if places else None))


def _places(name: str) -> list[tuple[str, str]]:
    """(suffix, level) of every place named, in order; a 直辖市 opening the name is a province."""
    vocabulary = _vocabulary()
    masked = name
    for word in vocabulary["not_a_place"]:
        masked = masked.replace(word, "□" * len(word))
    municipality = next((m for m in vocabulary["municipalities"] if name.startswith(m)), "")
    found = vocabulary["suffix"].finditer(masked, len(municipality))
    places = [(m.group(), vocabulary["levels"][m.group()]) for m in found]
    return [("直辖市", "province"), *places] if municipality else places


def _level(places: list[tuple[str, str]]) -> str | None:
    levels = [level for _, level in places if level != "zone"]
    if not levels:
        return None
    last_suffix = next(suffix for suffix, level in reversed(places) if level != "zone")
    if last_suffix == "市" and levels[:-1] and levels[-2] in _vocabulary()["county_city_after"]:
        return "county"
    return levels[-1]


def _kind(name: str, last_place: tuple[str, str] | None) -> str:
    vocabulary = _vocabulary()
    if name.endswith(vocabulary["government"]):
        return "government"
    zone = last_place is not None and last_place[1] == "zone"
    if name.endswith(vocabulary["zone_endings"]) or (zone and name.endswith(last_place[0])):
        return "zone_committee"
    return "department"


def normalise_agency(name: str | None) -> str:
    """An agency name reduced to what identifies it: NFKC, no spaces, no parenthetical remark,
    a user's alias applied."""
    text = _normal(name)
    return aliases().names.get(text, text)


def _normal(name: str | None) -> str:
    if not name:
        return ""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", name))
    previous = None
    while previous != text:
        previous, text = text, _REMARK.sub("", text)
    for ending in _vocabulary()["dropped"]:
        if text.endswith(ending) and len(text) > len(ending):
            return text[: -len(ending)]
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
