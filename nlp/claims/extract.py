"""Numeric claims of one narrative sentence: every quantity, and every negated count (zero)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from decimal import Decimal
from typing import Any, NamedTuple

from nlp.claims.numbers import fold_width, parse_number, split_multiplier
from nlp.claims.rules import CLAUSE_STOP, ClaimRules, NegationRule, claim_rules
from nlp.text.leading import finditer

CONTEXT_CHARS = 12
_QUALIFIER_REACH = 8  # the longest qualifier word, its 了/为 and spaces fit in this
_CHANGE_REACH = 6  # a change word, its 了 and a qualifier word (增加了约) fit in this
_CHANGING = ("quantity", "percent")  # 增长了两倍 stays a ratio, 节约3万元 money
_SCALES = "万亿"
_ZERO = Decimal(0)  # the value of every negated claim


class Claim(NamedTuple):
    """One quantity stated in a sentence. `text == sentence[start:end]`.

    `value` is in `unit` as written (money keeps its scale: 1.5万元 is 1.5 with unit 万元; a
    count's 1.5万 is 15000). `qualifier` is exact, at_least, about or at_most. `kind` is
    quantity, percent, ratio, money, negation (a negated statement: value 0) or change (比上年减少
    3项: the change, negative for a fall, never a stock). `counts` is
    the canonical name of what is counted when a cue word says so; `context` is up to 12
    characters before the claim within its clause, for linking claims to table cells.

    A named tuple rather than a frozen dataclass: as immutable, and made three times as fast
    (a frozen dataclass sets each field through `object.__setattr__`); every number of every
    sentence makes one.
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
        return self._asdict()


def extract_claims(sentence: str) -> list[Claim]:
    """Every numeric and negated claim of `sentence`, in order of position."""
    rules = claim_rules()
    if rules.claim_locator.search(sentence) is None:
        return []  # most sentences: one scan in C
    folded = fold_width(sentence)
    first_number = rules.number_locator.search(folded)
    has_negation = rules.negation_locator.search(folded) is not None
    first_vague = rules.vague.search(folded)
    if first_number is None and not has_negation and first_vague is None:
        return []
    view = _View(sentence, rules, folded)
    claims = [] if first_number is None else _number_claims(view, first_number.start())
    if has_negation or first_vague is not None:
        if has_negation:
            claims.extend(_negation_claims(view))
        if first_vague is not None:
            claims.extend(_vague_claims(view, first_vague.start()))
        claims.sort(key=lambda claim: claim.start)
    return claims


class _View:
    """One sentence as the rules see it: width-folded, with its exclusions.

    Clause stops, exclusions and counted cues are found once per sentence and looked up by
    bisection, so that each claim costs the same however long its clause: a scan per claim
    made a run of 5,000 numbers in one clause take seconds."""

    __slots__ = ("_counted", "_excluded", "_stops", "folded", "rules", "sentence")

    def __init__(self, sentence: str, rules: ClaimRules, folded: str):
        self.sentence = sentence
        self.rules = rules
        self.folded = folded
        # Each found when first asked for, then once for the sentence.
        self._excluded: list[tuple[int, int]] | None = None
        self._stops: list[int] | None = None
        self._counted: tuple[list[int], list[int], list[str]] | None = None

    def stops(self) -> list[int]:
        if self._stops is None:
            self._stops = [match.start() for match in CLAUSE_STOP.finditer(self.folded)]
        return self._stops

    def clause_start(self, position: int) -> int:
        """Where the clause (between ，；：。、 …) around `position` begins."""
        stops = self.stops()
        before = bisect_left(stops, position)  # the stops left of `position`
        return stops[before - 1] + 1 if before else 0

    def clause_end(self, position: int) -> int:
        stops = self.stops()
        after = bisect_left(stops, position)
        return stops[after] if after < len(stops) else len(self.folded)

    def context(self, start: int, clause_start: int) -> str:
        return self.sentence[max(clause_start, start - CONTEXT_CHARS) : start]

    def counted_cues(self) -> tuple[list[int], list[int], list[str]]:
        """(starts, ends, words) of every counted cue of the sentence, in order."""
        if self._counted is None:
            matches = list(self.rules.counted.finditer(self.folded))
            self._counted = (
                [m.start() for m in matches],
                [m.end() for m in matches],
                [m.group() for m in matches],
            )
        return self._counted

    def is_excluded(self, start: int, end: int) -> bool:
        if self._excluded is None:
            self._excluded = self._exclusions()
        excluded = self._excluded
        if not excluded:
            return False
        # The spans do not overlap and come in order: only the last one starting before `end`
        # can reach into [start, end).
        last = bisect_left(excluded, (end,)) - 1
        return last >= 0 and excluded[last][1] > start

    def _exclusions(self) -> list[tuple[int, int]]:
        rules = self.rules
        first = rules.exclusions_locator.search(self.folded)
        if first is None:
            return []
        matches = finditer(rules.exclusions, rules.exclusions_leading, self.folded, first.start())
        return [match.span() for match in matches]


def _number_claims(view: _View, first: int) -> list[Claim]:
    rules = view.rules
    return [
        claim
        for match in finditer(rules.number, rules.number_leading, view.folded, first)
        if (claim := _number_claim(view, match)) is not None
    ]


def _number_claim(view: _View, match: re.Match[str]) -> Claim | None:
    rules = view.rules
    folded = view.folded
    written, numeral, unit, mid, end = _parts(match, rules)
    start = match.start()
    if not _stands_alone(folded, match, written, unit, rules) or view.is_excluded(start, end):
        return None
    if unit == "个" and rules.not_after_unit.match(folded, end):
        return None  # 15个工作日: a duration
    start, before = _qualifier_before(folded, start, rules)
    end, after = _qualifier_after(folded, end, unit, rules)
    kind = "percent" if written == "percent" else rules.unit_kinds.get(unit, "quantity")
    value, unit = _value_and_unit(numeral, unit, kind)
    qualifier = _combine(before, rules.qualifiers_between.get(mid), after, _after_noun(view, end))
    change = rules.change_before.search(folded, max(0, start - _CHANGE_REACH), start)
    if change is not None and kind in _CHANGING:  # 比上年减少3项: a change, not a stock
        kind = "change"
        value = -value if change["word"] in rules.falls else value
    clause_start = view.clause_start(start)
    text = view.sentence[start:end]
    counts = _counted(view, start, end, clause_start)
    context = view.context(start, clause_start)
    # Positional, each variable named as its field: keywords cost a third more per claim.
    return Claim(value, unit, qualifier, False, start, end, text, counts, kind, context)


_NUMBER_GROUPS = (
    "percent",
    "arabic",
    "arabic_mid",
    "arabic_unit",
    "chinese",
    "chinese_mid",
    "chinese_unit",
)


def _parts(match: re.Match[str], rules: ClaimRules) -> tuple[str, str, str | None, str | None, int]:
    """(how it is written, numeral, unit, between-word, where the number and its unit end)."""
    # One call for all groups: this runs for every number of every sentence.
    percent, arabic, arabic_mid, arabic_unit, chinese, chinese_mid, chinese_unit = match.group(
        *_NUMBER_GROUPS
    )
    if percent:
        return "percent", percent, "%", None, match.end()  # 百分之三十: the value is the percentage
    if arabic is not None:
        # Without a unit, only a stand-alone between-word (3万余) belongs to the number.
        if arabic_unit:
            end = match.end()
        elif arabic_mid in rules.between_alone:
            end = match.end("arabic_mid")
        else:
            end = match.end("arabic")
        return "arabic", arabic, arabic_unit, arabic_mid, end
    return "chinese", chinese, chinese_unit, chinese_mid, match.end()  # the unit is required


def _stands_alone(
    folded: str, match: re.Match[str], written: str, unit: str | None, rules: ClaimRules
) -> bool:
    """False for ordinals, dates, codes, list markers and numerals inside words."""
    start = match.start()
    if rules.ordinal.search(folded, max(0, start - 4), start):
        return False
    if written == "percent":
        return True
    previous = folded[start - 1] if start else ""
    if written == "chinese":
        return not previous or previous not in rules.word_before_chinese
    if previous and rules.glued_before.match(previous) and not _after_label_colon(folded, start):
        return False
    if unit is not None:
        return True
    numeral_end = match.end("arabic")  # dates (2021年) the number pattern itself turns down
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


def _after_noun(view: _View, end: int) -> str | None:
    """50家单位以上: a qualifier after the noun that follows the number, in the same clause."""
    match = view.rules.qualifier_after_noun.match(view.folded, end)
    return None if match is None else view.rules.qualifiers_after[match["word"]]


def _vague_claims(view: _View, first: int) -> list[Claim]:
    """近百场, 数十次: a round number and its qualifier."""
    rules = view.rules
    claims = []
    for match in rules.vague.finditer(view.folded, first):
        start, end = match.span()
        if view.is_excluded(start, end):
            continue
        value, qualifier = rules.vague_values[match["word"]]
        unit = match["unit"]
        clause_start = view.clause_start(start)
        claims.append(
            Claim(
                Decimal(value),
                unit,
                qualifier,
                False,
                start,
                end,
                view.sentence[start:end],
                _counted(view, start, end, clause_start),
                rules.unit_kinds.get(unit, "quantity"),
                view.context(start, clause_start),
            )
        )
    return claims


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


def _counted(view: _View, start: int, end: int, clause_start: int) -> str | None:
    """The counted thing: the nearest cue left of the claim in its clause, else right of it."""
    names = view.rules.counted_names
    starts, ends, words = view.counted_cues()
    left = bisect_right(ends, start) - 1  # the last cue ending at or before the claim
    if left >= 0 and starts[left] >= clause_start:
        return names[words[left]]
    right = bisect_left(starts, end)  # the first cue starting at or after its end
    if right < len(starts) and ends[right] <= view.clause_end(end):
        return names[words[right]]
    return None


def _negation_claims(view: _View) -> list[Claim]:
    folded = view.folded
    return [
        _negation_claim(view, rule, negation.counts, match)
        for rule in view.rules.negations
        for negation in rule.patterns
        if negation.objects.search(folded)
        for match in finditer(negation.pattern, negation.leading, folded)
    ]


def _negation_claim(view: _View, rule: NegationRule, counts: str, match: re.Match[str]) -> Claim:
    start, end = match.span()
    text = view.sentence[start:end]
    context = view.context(start, view.clause_start(start))
    return Claim(_ZERO, rule.unit, "exact", True, start, end, text, counts, "negation", context)
