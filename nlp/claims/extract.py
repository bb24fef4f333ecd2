"""Numeric claims of one narrative sentence: every quantity, and every negated count (zero)."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from nlp.claims.numbers import fold_width, parse_number, split_multiplier
from nlp.claims.rules import CLAUSE_STOP, ClaimRules, claim_rules
from nlp.text.leading import finditer

CONTEXT_CHARS = 12
_QUALIFIER_REACH = 8  # the longest qualifier word, its 了/为 and spaces fit in this
_SCALES = "万亿"


@dataclass(frozen=True, slots=True)
class Claim:
    """One quantity stated in a sentence. `text == sentence[start:end]`.

    `value` is in `unit` as written (money keeps its scale: 1.5万元 is 1.5 with unit 万元; a
    count's 1.5万 is 15000). `qualifier` is exact, at_least, about or at_most. `kind` is
    quantity, percent, ratio, money or negation (a negated statement: value 0). `counts` is
    the canonical name of what is counted when a cue word says so; `context` is up to 12
    characters before the claim within its clause, for linking claims to table cells.
    """

    value: Decimal
    unit: str | None
    qualifier: str
    negated: bool
    start: int
    end: int
    text: str
    counts: str | None
    kind: str
    context: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def extract_claims(sentence: str) -> list[Claim]:
    """Every numeric and negated claim of `sentence`, in order of position."""
    rules = claim_rules()
    folded = fold_width(sentence)
    if rules.claim_leading is not None and not rules.claim_leading.search(folded):
        return []  # no number and no negation cue can begin anywhere in it
    view = _View(sentence, rules, folded)
    claims = [
        claim
        for match in finditer(rules.number, rules.number_leading, view.folded)
        if (claim := _number_claim(view, match)) is not None
    ]
    claims.extend(_negation_claims(view))
    claims.sort(key=lambda claim: claim.start)
    return claims


class _View:
    """One sentence as the rules see it: width-folded, with its clause stops and exclusions."""

    __slots__ = ("_excluded", "_stops", "folded", "rules", "sentence")

    def __init__(self, sentence: str, rules: ClaimRules, folded: str):
        self.sentence = sentence
        self.rules = rules
        self.folded = folded
        # Most sentences have no number: stops and exclusions are found only when one is.
        self._stops: list[int] | None = None
        self._excluded: list[tuple[int, int]] | None = None

    @property
    def stops(self) -> list[int]:
        if self._stops is None:
            self._stops = [m.start() for m in CLAUSE_STOP.finditer(self.folded)]
        return self._stops

    @property
    def excluded(self) -> list[tuple[int, int]]:
        if self._excluded is None:
            rules = self.rules
            self._excluded = [
                m.span() for m in finditer(rules.exclusions, rules.exclusions_leading, self.folded)
            ]
        return self._excluded

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """The clause (between ，；：。、 …) around [start, end)."""
        stops = self.stops
        before = bisect_left(stops, start)
        after = bisect_left(stops, end)
        clause_start = stops[before - 1] + 1 if before else 0
        clause_end = stops[after] if after < len(stops) else len(self.folded)
        return clause_start, clause_end

    def context(self, start: int) -> str:
        stops = self.stops
        before = bisect_left(stops, start)
        clause_start = stops[before - 1] + 1 if before else 0
        return self.sentence[max(clause_start, start - CONTEXT_CHARS) : start]

    def is_excluded(self, start: int, end: int) -> bool:
        excluded = self.excluded
        return bool(excluded) and any(
            start < span_end and span_start < end for span_start, span_end in excluded
        )


def _number_claim(view: _View, match: re.Match[str]) -> Claim | None:
    rules = view.rules
    numeral, unit, mid = _parts(match)
    start, end = match.start(), _match_end(match, rules)
    if view.is_excluded(start, end) or not _stands_alone(view.folded, match, unit, rules):
        return None
    if unit == "个" and rules.not_after_unit.match(view.folded, end):
        return None  # 15个工作日: a duration
    start, before = _qualifier_before(view.folded, start, rules)
    end, after = _qualifier_after(view.folded, end, unit, rules)
    kind = "percent" if match["percent"] else rules.unit_kinds.get(unit, "quantity")
    value, unit = _value_and_unit(numeral, unit, kind)
    return Claim(
        value=value,
        unit=unit,
        qualifier=_combine(before, rules.qualifiers_between.get(mid), after),
        negated=False,
        start=start,
        end=end,
        text=view.sentence[start:end],
        counts=_counted(view, start, end),
        kind=kind,
        context=view.context(start),
    )


def _parts(match: re.Match[str]) -> tuple[str, str | None, str | None]:
    if match["percent"]:
        return match["percent"], "%", None  # 百分之三十: the value is the percentage
    if match["arabic"] is not None:
        return match["arabic"], match["arabic_unit"], match["arabic_mid"]
    return match["chinese"], match["chinese_unit"], match["chinese_mid"]


def _match_end(match: re.Match[str], rules: ClaimRules) -> int:
    """Where the number and its unit end; without a unit, only a stand-alone between-word
    (3万余) belongs to the number."""
    for group in ("percent", "arabic_unit", "chinese_unit"):
        if match[group]:
            return match.end(group)
    if match["arabic_mid"] in rules.between_alone:
        return match.end("arabic_mid")
    return match.end("arabic")


def _stands_alone(folded: str, match: re.Match[str], unit: str | None, rules: ClaimRules) -> bool:
    """False for ordinals, dates, codes, list markers and numerals inside words."""
    start = match.start()
    if rules.ordinal.search(folded, max(0, start - 4), start):
        return False
    if match["percent"]:
        return True
    previous = folded[start - 1] if start else ""
    if match["chinese"] is not None:
        return not previous or previous not in rules.word_before_chinese
    if previous and rules.glued_before.match(previous) and not _after_label_colon(folded, start):
        return False
    if unit is not None:
        return True
    numeral_end = match.end("arabic")
    if rules.not_before.match(folded, numeral_end):
        return False
    next_char = folded[numeral_end : numeral_end + 1]
    if next_char and (rules.glued_after.match(next_char) or next_char in rules.list_marker_after):
        return False
    return not _enclosed(folded, start, numeral_end)


def _after_label_colon(folded: str, start: int) -> bool:
    """办结数：17件 — a colon after a word introduces the number; after a digit it is a time."""
    return folded[start - 1] == ":" and (start < 2 or not folded[start - 2].isdigit())


def _enclosed(folded: str, start: int, end: int) -> bool:
    """（1） [2021] 〔2021〕: a number alone in brackets is a label."""
    opened = start > 0 and folded[start - 1] in "（(〔[【［"
    return opened and folded[end : end + 1] in "）)〕]】］"


def _qualifier_before(folded: str, start: int, rules: ClaimRules) -> tuple[int, str | None]:
    """(where the claim starts, qualifier) from the words right before the number."""
    match = rules.qualifier_before.search(folded, max(0, start - _QUALIFIER_REACH), start)
    if match is None:
        return start, None
    return match.start(), rules.qualifiers_before[match["word"]]


def _qualifier_after(
    folded: str, end: int, unit: str | None, rules: ClaimRules
) -> tuple[int, str | None]:
    pattern = rules.qualifier_after_ratio if unit == "倍" else rules.qualifier_after
    match = pattern.match(folded, end)
    if match is None:
        return end, None
    return match.end(), rules.qualifiers_after[match["word"]]


def _combine(*qualifiers: str | None) -> str:
    """The first qualifier that is not `exact` (共超过… is still at least), else exact."""
    for qualifier in qualifiers:
        if qualifier and qualifier != "exact":
            return qualifier
    return "exact"


def _value_and_unit(numeral: str, unit: str | None, kind: str) -> tuple[Decimal, str | None]:
    if kind == "money":
        head, scale = split_multiplier(numeral)
        if scale and scale in _SCALES and not any(char in _SCALES for char in head):
            return parse_number(head), f"{scale}{unit}"
    return parse_number(numeral), unit


def _counted(view: _View, start: int, end: int) -> str | None:
    """The counted thing: the nearest cue left of the claim in its clause, else right of it."""
    rules = view.rules
    clause_start, clause_end = view.clause(start, end)
    on_the_left = list(rules.counted.finditer(view.folded, clause_start, start))
    nearest = on_the_left[-1] if on_the_left else rules.counted.search(view.folded, end, clause_end)
    return rules.counted_names[nearest.group()] if nearest else None


def _negation_claims(view: _View) -> list[Claim]:
    rules = view.rules
    if next(finditer(rules.negation_hint, rules.negation_leading, view.folded), None) is None:
        return []
    return [
        Claim(
            value=Decimal(0),
            unit=rule.unit,
            qualifier="exact",
            negated=True,
            start=match.start(),
            end=match.end(),
            text=view.sentence[match.start() : match.end()],
            counts=counts,
            kind="negation",
            context=view.context(match.start()),
        )
        for rule in view.rules.negations
        for counts, pattern in rule.patterns
        for match in pattern.finditer(view.folded)
    ]
