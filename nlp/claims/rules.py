"""`patterns.yaml` compiled: the number pattern, qualifier and unit tables, cues, negations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

import yaml

from nlp.claims.numbers import ARABIC_PATTERN, CHINESE_PATTERN, FULL_WIDTH
from nlp.text.leading import leading_class, locator

CLAUSE_STOPS = "，,；;：:。！？!?、\n\t"
CLAUSE_STOP = re.compile(f"[{re.escape(CLAUSE_STOPS)}]")
# Matched up to a position, ends right after the last clause stop before it: `.*` runs to the
# position in C and backs off to the stop, with no list of stops built per sentence.
CLAUSE_BEFORE = re.compile(f"(?s:.*)[{re.escape(CLAUSE_STOPS)}]")
_NEGATION_STOPS = "，,；;。！？!?\n\t"


class NegationPattern(NamedTuple):
    counts: str
    pattern: re.Pattern[str]  # cue … object
    leading: re.Pattern[str] | None  # nlp.text.leading.leading_class of `pattern`
    objects: re.Pattern[str]  # any object word: without one, `pattern` cannot match


@dataclass(frozen=True)
class NegationRule:
    name: str
    unit: str | None
    patterns: tuple[NegationPattern, ...]


@dataclass(frozen=True)
class ClaimRules:
    number: re.Pattern[str]
    unit_kinds: dict[str, str]
    qualifiers_before: dict[str, str]
    qualifier_before: re.Pattern[str]  # matches a qualifier word ending where a number starts
    qualifiers_between: dict[str, str]
    between_alone: frozenset[str]
    qualifiers_after: dict[str, str]
    qualifier_after: re.Pattern[str]
    qualifier_after_ratio: re.Pattern[str]
    qualifier_after_noun: re.Pattern[str]  # 50家单位以上: a qualifier after the counted noun
    vague: re.Pattern[str]  # 近百场: a vague numeral and its unit
    vague_values: dict[str, tuple[str, str]]  # 近百 → (value, qualifier)
    change_before: re.Pattern[str]  # 比上年减少 ending where a number starts
    falls: frozenset[str]  # the change words of a fall
    change_words: re.Pattern[str]  # any change word: without one, a sentence states no change
    counted: re.Pattern[str]
    counted_names: dict[str, str]
    negations: tuple[NegationRule, ...]
    negation_hint: re.Pattern[str]
    exclusions: re.Pattern[str]
    ordinal: re.Pattern[str]  # 第 (or 第（) ending where a number starts
    word_before_chinese: str
    not_after_unit: re.Pattern[str]
    glued_before: re.Pattern[str]
    glued_after: re.Pattern[str]
    list_marker_after: str
    # The characters a match can begin with (nlp.text.leading), so that text where none of
    # them stands is not scanned with the whole pattern.
    number_leading: re.Pattern[str] | None = None
    exclusions_leading: re.Pattern[str] | None = None
    # Where the first match begins, found by `re` in C (nlp.text.leading.locator).
    number_locator: re.Pattern[str] | None = None
    negation_locator: re.Pattern[str] | None = None
    # Matches in a sentence as it is written (not folded) wherever a number, a negation cue or a
    # full-width character stands: where it finds nothing, there is no claim.
    claim_locator: re.Pattern[str] | None = None
    exclusions_locator: re.Pattern[str] | None = None


@cache
def claim_rules() -> ClaimRules:
    """The rules of `patterns.yaml`, compiled once."""
    raw = resources.files("nlp.claims").joinpath("patterns.yaml").read_text(encoding="utf-8")
    return compile_rules(yaml.safe_load(raw))


def compile_rules(spec: dict[str, Any]) -> ClaimRules:
    unit_kinds = {unit: kind for kind, units in spec["units"].items() for unit in units}
    qualifiers = spec["qualifiers"]
    between = _word_table(qualifiers["between"])
    before = _word_table(qualifiers["before"])
    after = _word_table(qualifiers["after"])
    after_ratio = {**_word_table(qualifiers["after_ratio"]), **after}
    counted_names = {cue: name for name, cues in spec["counted"].items() for cue in cues}
    not_before = rf"\s*(?:{_alternation(spec['not_before'])})"
    number = _number_pattern(list(unit_kinds), list(between), spec["multipliers"], not_before)
    vague = re.compile(
        rf"(?P<word>{_alternation(spec['vague_numerals'])})\s*"
        rf"(?:(?P<mid>{_alternation(between)})\s*)?(?P<unit>{_alternation(unit_kinds)})"
    )
    negation_hint = re.compile(
        "|".join(f"(?:{cue})" for rule in spec["negations"] for cue in rule["cues"])
    )
    exclusions = re.compile("|".join(f"(?:{p})" for p in spec["exclusions"].values()))
    return ClaimRules(
        number=number,
        unit_kinds=unit_kinds,
        qualifiers_before=before,
        # 了/为 may sit between the word and the number: 超过了10000人次, 约为150条
        qualifier_before=re.compile(rf"(?P<word>{_alternation(before)})[了为]?\s*\Z"),
        qualifiers_between=between,
        between_alone=frozenset(qualifiers["between_alone"]),
        qualifiers_after={**after, **after_ratio},
        qualifier_after=re.compile(rf"\s*(?P<word>{_alternation(after)})"),
        qualifier_after_ratio=re.compile(rf"\s*(?P<word>{_alternation(after_ratio)})"),
        qualifier_after_noun=_after_noun(qualifiers["after_noun"]),
        vague=vague,
        vague_values={
            word: (str(value), qualifier)
            for word, (value, qualifier) in spec["vague_numerals"].items()
        },
        change_before=re.compile(
            rf"(?P<word>{_alternation(spec['changes']['rise'] + spec['changes']['fall'])})"
            rf"了?(?:约|近|超过)?\s*\Z"
        ),
        falls=frozenset(spec["changes"]["fall"]),
        change_words=re.compile(_alternation(spec["changes"]["rise"] + spec["changes"]["fall"])),
        counted=re.compile(_alternation(counted_names)),
        counted_names=counted_names,
        negations=tuple(_negation_rule(rule) for rule in spec["negations"]),
        negation_hint=negation_hint,
        exclusions=exclusions,
        ordinal=re.compile(rf"{re.escape(spec['ordinal_before'])}[\s（(]*\Z"),
        word_before_chinese=spec["word_before_chinese"],
        not_after_unit=re.compile(_alternation(spec["not_after_unit"])),
        glued_before=re.compile(f"[{spec['glued_before']}]"),
        glued_after=re.compile(f"[{spec['glued_after']}]"),
        list_marker_after=spec["list_marker_after"],
        number_leading=leading_class(number),
        exclusions_leading=leading_class(exclusions),
        number_locator=locator(number),
        negation_locator=locator(negation_hint),
        claim_locator=locator(_any_of(number, negation_hint, FULL_WIDTH, vague)),
        exclusions_locator=locator(exclusions),
    )


def _number_pattern(
    units: list[str], between: list[str], multipliers: list[str], not_before: str
) -> re.Pattern:
    unit = _alternation(units)
    mid = _alternation(between)
    scale = "".join(multipliers)
    # An Arabic number followed by `not_before` (2021年, 12月) is never a claim, and a fifth of
    # the numbers are such dates: `re` drops them itself. The number is atomic so that it
    # cannot back off to a shorter one (202 of 2021年) that the lookahead would let through.
    return re.compile(
        rf"(?P<percent>百分之(?:{CHINESE_PATTERN}|{ARABIC_PATTERN}|百))"
        rf"|(?P<arabic>(?>{ARABIC_PATTERN}(?:\s*[{scale}])?))(?!{not_before})"
        rf"\s*(?:(?P<arabic_mid>{mid})\s*)?"
        rf"(?P<arabic_unit>{unit})?"
        rf"|(?P<chinese>{CHINESE_PATTERN})\s*(?:(?P<chinese_mid>{mid})\s*)?(?P<chinese_unit>{unit})"
    )


def _after_noun(spec: dict[str, Any]) -> re.Pattern[str]:
    words = _word_table({k: v for k, v in spec.items() if k != "reach"})
    noun = rf"[^\d{re.escape(CLAUSE_STOPS)}]{{1,{spec['reach']}}}?"
    return re.compile(rf"{noun}(?P<word>{_alternation(words)})")


def _negation_rule(rule: dict[str, Any]) -> NegationRule:
    cues = "|".join(f"(?:{cue})" for cue in rule["cues"])
    stops = re.escape(_NEGATION_STOPS)
    blocked = "|".join(re.escape(word) for word in rule["not_in_gap"])
    gap_char = f"(?:(?!{blocked})[^{stops}])" if blocked else f"[^{stops}]"
    by_name: dict[str, list[str]] = {}
    for word, name in rule["objects"].items():
        by_name.setdefault(name, []).append(word)
    patterns = []
    for name, words in by_name.items():
        objects = _alternation(words)
        gap = f"{gap_char}{{0,{rule['gap']}}}"
        if rule.get("object_first"):  # 行政复议数量：无
            pattern = re.compile(rf"(?:{objects}){gap}?(?P<cue>{cues})")
        else:
            pattern = re.compile(rf"(?P<cue>{cues}){gap}(?:{objects})")
        patterns.append(NegationPattern(name, pattern, leading_class(pattern), re.compile(objects)))
    return NegationRule(name=rule["name"], unit=rule.get("unit"), patterns=tuple(patterns))


def _any_of(*patterns: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern.pattern})" for pattern in patterns))


def _word_table(by_qualifier: dict[str, list[str]]) -> dict[str, str]:
    return {word: qualifier for qualifier, words in by_qualifier.items() for word in words}


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
