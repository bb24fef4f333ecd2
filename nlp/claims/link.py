"""Link narrative claims to the table cells they speak of, with a score (vocabulary: cues.yaml).

`link_claims(sentence, claims, section, year=…, agency=…)` → one `Link` per claim that speaks of
the table: a cell or a sum of cells (`kind="cell"`), a rate computed from the table
(`kind="rate"`) or a share of requests (`kind="share"`). Claims about something the table does
not hold (posts, meetings, 信息处理费), about another year or about a change are not linked.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

import yaml

from nlp.claims.extract import Claim
from nlp.claims.rules import CLAUSE_STOP, claim_rules
from nlp.text.leading import leading_chars, locator


class Link(NamedTuple):
    """A claim and what it speaks of. `cells` are `table/row/col` keys (rows may be globs: a
    sum); `per` the denominator's cells of a rate, or a share's alternative denominators
    (cells joined by +). `scope` says why the sentence may
    speak for only part of the agency. A named tuple, as `Claim` is."""

    claim: Claim
    metric: str
    label: str
    kind: str
    cells: tuple[str, ...]
    score: float
    strong: bool
    max_severity: str = "error"
    per: tuple[str, ...] = ()
    scope: str | None = None
    also: tuple[tuple[str, ...], ...] = ()


def link_claims(
    sentence: str,
    claims: list[Claim],
    section: str,
    year: int | None = None,
    agency: str | None = None,
    fmt: str | None = None,
) -> list[Link]:
    """The links of `claims` (all found in `sentence`), in claim order."""
    if not claims:
        return []
    vocab = cues()
    if vocab.never_link.search(sentence):
        claims = [c for c in claims if not _near_never_link(sentence, c, vocab)]
    if not claims:
        return []
    view = _Sentence(sentence, vocab, year, agency)
    links: list[Link] = []
    for claim in claims:
        link = _link(view, claim, section, fmt, links)
        if link is not None:
            links.append(link)
    return links


# ---------------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class _Metric:
    name: str
    label: str
    cells: dict[str | None, tuple[str, ...]]  # by format; None for every format
    cues: re.Pattern[str]
    blocks: tuple[str, ...]
    needs: str | None
    units: frozenset[str]
    priority: int
    whole: bool
    max_severity: str
    also: tuple[tuple[str, ...], ...]
    also_when: str | None
    leads: frozenset[str] | None = None  # the characters a cue can begin with (None: any)
    blocked_by: re.Pattern[str] | None = None  # any word of `blocks` (None: no blocks)

    def cells_for(self, fmt: str | None) -> tuple[str, ...]:
        return self.cells.get(fmt) or self.cells.get(None) or self.cells.get("2021", ())


@dataclass(frozen=True)
class _Rate:
    name: str
    cues: re.Pattern[str]
    blocks: tuple[str, ...]
    of: tuple[str, ...]
    per: tuple[str, ...]


@dataclass(frozen=True)
class Cues:
    threshold: float
    reach: int
    window: int  # characters of a clause looked at on each side of a number
    score: dict[str, Any]
    metrics: tuple[_Metric, ...]
    by_name: dict[str, _Metric]
    # Which metrics a cue of could begin at each character, and those that could begin anywhere,
    # as bitmasks over `metrics`: a window is searched only for the metrics of the characters it
    # holds. `metric_sets` remembers the metrics of each mask met (a subset of the vocabulary).
    metrics_by_char: dict[str, int]
    metrics_anywhere: int
    cue_leads: re.Pattern[str]  # any character of `metrics_by_char`
    any_cue: re.Pattern[str]  # where a cue of any metric begins (nlp.text.leading.locator)
    metric_sets: dict[int, tuple[_Metric, ...]]
    negations: dict[str, str]
    negation_blocks: tuple[str, ...]
    bare_clause: int
    rates: tuple[_Rate, ...]
    rate_tolerance: float
    share_cue: re.Pattern[str]
    share_per: tuple[tuple[str, ...], ...]
    about_tolerance: float
    about_error_tolerance: float  # a qualified claim off by less is loosely put: a warning
    not_this_year: tuple[str, ...]
    not_this_year_any: re.Pattern[str]  # any word of `not_this_year`
    this_year_words: re.Pattern[str]
    year: re.Pattern[str]
    scope_words: tuple[str, ...]
    any_scope_word: re.Pattern[str]
    part_words: tuple[str, ...]
    offices: re.Pattern[str]
    government: re.Pattern[str]
    never_link: re.Pattern[str]
    changes: _Changes


@dataclass(frozen=True)
class _Changes:
    words: re.Pattern[str]  # words a change's clause may hold and still be bare (比上年增加)
    points_unit: str  # the unit of a rate's change (个百分点)
    percent_unit: str  # the unit of a relative change (同比增长 13.9%)
    tolerance: float  # how far a stated change may be from the tables' (percent changes)


@cache
def cues() -> Cues:
    """`cues.yaml`, compiled once."""
    raw = resources.files("nlp.claims").joinpath("cues.yaml").read_text(encoding="utf-8")
    return compile_cues(yaml.safe_load(raw))


def compile_cues(spec: dict[str, Any]) -> Cues:
    metrics = tuple(_metric(name, entry) for name, entry in spec["metrics"].items())
    metrics_by_char = _metrics_by_char(metrics)
    scope = spec["scope"]
    return Cues(
        threshold=spec["threshold"],
        reach=spec["reach"],
        window=spec["window"],
        score=spec["score"],
        metrics=metrics,
        by_name={m.name: m for m in metrics},
        metrics_by_char=metrics_by_char,
        metrics_anywhere=sum(1 << i for i, m in enumerate(metrics) if m.leads is None),
        cue_leads=_one_of(metrics_by_char),
        any_cue=locator(_any([metric.cues.pattern for metric in metrics])),
        metric_sets={},
        negations=spec["negations"],
        negation_blocks=tuple(spec["negation_blocks"]),
        bare_clause=spec["bare_clause"],
        rates=tuple(
            _Rate(
                name=name,
                cues=_any(entry["cues"]),
                blocks=tuple(str(word) for word in entry.get("blocks", ())),
                of=tuple(entry["of"]),
                per=tuple(entry["per"]),
            )
            for name, entry in spec["rates"].items()
        ),
        rate_tolerance=spec["rate_tolerance"],
        share_cue=re.compile(rf"(?:{_any(spec['shares']['cues']).pattern})\s*\Z"),
        share_per=tuple(tuple(cells) for cells in spec["shares"]["per"]),
        about_tolerance=spec["about_tolerance"],
        about_error_tolerance=spec["about_error_tolerance"],
        not_this_year=tuple(spec["not_this_year"]["clause"]),
        not_this_year_any=_any([re.escape(w) for w in spec["not_this_year"]["clause"]] or ["(?!)"]),
        this_year_words=re.compile(spec["not_this_year"]["except"]),
        year=re.compile(spec["not_this_year"]["year"]),
        scope_words=tuple(scope["words"]),
        any_scope_word=_any([re.escape(w) for w in scope["words"]] or ["(?!)"]),
        part_words=tuple(scope.get("part_words", ())),
        offices=_any(scope["offices"]),
        government=re.compile(scope["government"]),
        never_link=_any([re.escape(w) for w in spec["never_link"]]),
        changes=_Changes(
            words=re.compile(spec["changes"]["bare"]),
            points_unit=spec["changes"]["points_unit"],
            percent_unit=spec["changes"]["percent_unit"],
            tolerance=spec["changes"]["tolerance"],
        ),
    )


def _metric(name: str, entry: dict[str, Any]) -> _Metric:
    cues = _any(entry["cues"])
    blocks = tuple(str(word) for word in entry.get("blocks", ()))
    cells = entry["cells"]
    by_format = (
        {fmt: tuple(keys) for fmt, keys in cells.items()}
        if isinstance(cells, dict)
        else {None: tuple(cells)}
    )
    return _Metric(
        name=name,
        label=entry.get("label", name),
        cells=by_format,
        cues=cues,
        blocks=blocks,
        needs=entry.get("needs"),
        units=frozenset(entry.get("units", ())),
        priority=entry.get("priority", 0),
        whole=entry.get("whole", False),
        max_severity=entry.get("max_severity", "error"),
        also=tuple(tuple(cells) for cells in entry.get("also", ())),
        also_when=entry.get("also_when"),
        leads=leading_chars(cues),
        blocked_by=_any([re.escape(word) for word in blocks]) if blocks else None,
    )


def _metrics_by_char(metrics: tuple[_Metric, ...]) -> dict[str, int]:
    by_char: dict[str, int] = {}
    for i, metric in enumerate(metrics):
        for char in metric.leads or ():
            by_char[char] = by_char.get(char, 0) | 1 << i
    return by_char


def _one_of(chars) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(''.join(chars))}]" if chars else "(?!)")


def _any(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# ------------------------------------------------------------------------------------- linking


class _Sentence:
    """One sentence with its clause boundaries, the years it names and its counted things.

    What every claim asks of the whole sentence (its years, scope words, whether a word stands
    in it) is found once, so that a claim's cost does not grow with the sentence."""

    __slots__ = (
        "text",
        "vocab",
        "year",
        "agency",
        "stops",
        "years",
        "year_starts",
        "_named",
        "_government",
        "_scope_ends",
        "_offices",
        "_has",
    )

    def __init__(self, text: str, vocab: Cues, year: int | None, agency: str | None):
        self.text = text
        self.vocab = vocab
        self.year = year
        self.agency = agency
        self.stops = [m.start() for m in CLAUSE_STOP.finditer(text)]
        self.years = [(m.start(), int(m.group(1))) for m in vocab.year.finditer(text)]
        self.year_starts = [start for start, _ in self.years]
        self._named: frozenset[str] | None = None
        self._government: bool | None = None
        self._scope_ends: dict[str, int] | None = None
        self._offices: list[re.Match[str]] | None = None
        self._has: dict[str, bool] = {}

    def has(self, word: str) -> bool:
        """`word in text`, asked once per sentence."""
        found = self._has.get(word)
        if found is None:
            found = self._has[word] = word in self.text
        return found

    def scope_words_before(self, position: int) -> list[str]:
        """The scope words standing wholly before `position`, in vocabulary order."""
        if self._scope_ends is None:
            self._scope_ends = {}
            if self.vocab.any_scope_word.search(self.text):  # most sentences hold none
                for word in self.vocab.scope_words:
                    first = self.text.find(word)
                    if first >= 0:
                        self._scope_ends[word] = first + len(word)
        return [w for w, end in self._scope_ends.items() if end <= position]

    def office_before(self, position: int) -> str | None:
        """The first office named wholly before `position` (区政府办代表区政府)."""
        if self._offices is None:
            self._offices = list(self.vocab.offices.finditer(self.text))
        return next((m.group() for m in self._offices if m.end() <= position), None)

    def names(self, counted: str) -> bool:
        """The sentence names the counted thing (nlp/claims/patterns.yaml `counted`)."""
        if self._named is None:
            self._named = _counted_names(self.text)
        return counted in self._named

    @property
    def is_government(self) -> bool:
        """The report is a people's government's (asked only when a link is made)."""
        if self._government is None:
            self._government = bool(self.agency and self.vocab.government.search(self.agency))
        return self._government

    def other_year(self, position: int, also: int | None = None) -> bool:
        """The nearest year written before `position` is not the report's (nor the report's
        plus `also`: -1 lets a change name the year it is compared with)."""
        if not self.years or self.year is None:
            return False
        before = bisect_left(self.year_starts, position)  # the years written before it
        if not before:
            return False
        allowed = {self.year} if also is None else {self.year, self.year + also}
        if also is None:
            return self.years[before - 1][1] not in allowed
        return any(year not in allowed for _, year in self.years[:before])


class _Spot:
    """A claim among its sentence's clauses: the number stands in clause `index` (the clauses
    are the text between stops). What only some claims need is worked out when asked."""

    __slots__ = ("view", "claim", "index", "clause_start", "own_clause", "_around")

    def __init__(self, view: _Sentence, claim: Claim):
        self.view = view
        self.claim = claim
        self.index = bisect_right(view.stops, claim.start - 1)
        self.clause_start = self._start_of(self.index)
        # Up to the number, its last `window` characters: a cue farther back in one clause is
        # about something else, and a claim's cost must not grow with its clause.
        self.own_clause = view.text[self._bounded(self.clause_start) : claim.start]
        self._around: tuple[str, str] | None = None

    def _start_of(self, clause: int) -> int:
        return self.view.stops[clause - 1] + 1 if clause else 0

    def _bounded(self, start: int, reach: int = 1) -> int:
        return max(start, self.claim.start - reach * self.view.vocab.window)

    def clause_end(self) -> int:
        """Where the clause holding the number ends (past the number: 1,234 holds a stop)."""
        stops = self.view.stops
        after = bisect_right(stops, self.claim.end - 1)
        return stops[after] if after < len(stops) else len(self.view.text)

    def clause_after(self) -> int:
        """Where the part of the clause after the number that is looked at ends."""
        return min(self.clause_end(), self.claim.end + self.view.vocab.window)

    def clause(self) -> str:
        return self.view.text[self._bounded(self.clause_start) : self.clause_after()]

    def near(self) -> str:
        """The clause before the number's, and the number's up to the number."""
        start = self._start_of(self.index - 1) if self.index else self.clause_start
        return self.view.text[self._bounded(start, 2) : self.claim.start]

    def earlier(self, reach: int) -> list[tuple[int, int]]:
        """(start, end) of up to `reach` clauses before the number's, the nearest first (each
        its last `window` characters)."""
        stops, window = self.view.stops, self.view.vocab.window
        last = max(self.index - reach, 0)
        return [
            (max(self._start_of(k), stops[k] - window), stops[k])
            for k in range(self.index - 1, last - 1, -1)
        ]

    def blocked(self, metric: _Metric, window: str) -> bool:
        """A word of the metric's `blocks` stands near the number, in its clause or the window."""
        if metric.blocked_by is None:
            return False
        if self._around is None:
            self._around = (self.near(), self.clause())
        near, clause = self._around
        search = metric.blocked_by.search
        return bool(search(near) or search(clause) or search(window))


def _near_never_link(sentence: str, claim: Claim, vocab: Cues) -> bool:
    window = sentence[max(0, claim.start - 20) : claim.end + 6]
    return bool(vocab.never_link.search(window))


def _link(view: _Sentence, claim: Claim, section: str, fmt, earlier: list[Link]) -> Link | None:
    vocab = view.vocab
    if claim.kind == "change":
        return _change_link(view, _Spot(view, claim), section, fmt)
    if view.other_year(claim.start):
        return None
    spot = _Spot(view, claim)
    if claim.negated:
        return _negation_link(view, spot, section, fmt)
    if claim.kind not in ("quantity", "percent"):
        return None
    own_clause = spot.own_clause
    plain = vocab.this_year_words.sub("", own_clause)
    if vocab.not_this_year_any.search(plain):
        return None
    if claim.kind == "percent":
        return _rate_link(view, spot, own_clause, earlier)
    return _cell_link(view, spot, section, fmt)


def _change_link(view: _Sentence, spot: _Spot, section: str, fmt) -> Link | None:
    """比上年增加 3 件, 同比增长 13.9%: the metric whose change it states (kind `change`), to be
    checked against the same agency's previous report, never against this year's cell. A change
    of a rate (办结率提高 2 个百分点) links to the rate, its cells in `cells` and `per`."""
    claim, vocab = spot.claim, view.vocab
    if view.other_year(claim.start, also=-1):
        return None  # 2021年比2020年增加: the change of another year
    if claim.unit == vocab.changes.points_unit:
        window = spot.near()
        for rate in vocab.rates:
            if rate.cues.search(window) and not any(view.has(b) for b in rate.blocks):
                return Link(
                    claim, rate.name, rate.name, "change", rate.of, 0.5, False, "warning", rate.per
                )
        return None
    found = _nearest_cue(view, spot, vocab.changes.words)
    if found is None:
        return None
    metric, clauses_back = found
    score = _score(view, claim, metric, section, clauses_back)
    if claim.unit == vocab.changes.percent_unit:  # 同比增长 13.9%: a percent of the metric's unit
        score = round(score + vocab.score["unit_match"], 3)
    return _make_link(view, spot, metric, fmt, score)._replace(kind="change")


def _cell_link(view: _Sentence, spot: _Spot, section: str, fmt) -> Link | None:
    found = _nearest_cue(view, spot)
    if found is None:
        return None
    metric, clauses_back = found
    score = _score(view, spot.claim, metric, section, clauses_back)
    return _make_link(view, spot, metric, fmt, score)


def _nearest_cue(
    view: _Sentence, spot: _Spot, also_bare: re.Pattern[str] | None = None
) -> tuple[_Metric, int] | None:
    """The metric whose cue is nearest before the number (own clause first), unless blocked.

    Earlier clauses are searched only when the number's own clause is bare (共计 12 件; for a
    change, words of `also_bare` too: 比上年增加 3 件)."""
    metric = _nearest_in(spot.own_clause, spot)
    if metric is not None:
        return metric, 0
    text, claim, vocab = view.text, spot.claim, view.vocab
    own = spot.own_clause if also_bare is None else also_bare.sub("", spot.own_clause)
    if len(_BARE.sub("", own)) > vocab.bare_clause:
        return None
    # 另有 103 件顺延到下年度: the cue may follow the number in its own clause
    after = (claim.end, spot.clause_after())
    for back, (start, end) in enumerate([after, *spot.earlier(vocab.reach)], start=1):
        metric = _nearest_in(text[start:end], spot)
        if metric is not None:
            return metric, back
    return None


def _nearest_in(window: str, spot: _Spot) -> _Metric | None:
    """Of the metrics with a cue in the window and not blocked: the highest priority, then the
    one whose last cue ends nearest the window's end."""
    if spot.view.vocab.any_cue.search(window) is None:
        return None  # three windows in four: one scan in C rather than one per metric
    best: _Metric | None = None
    best_rank = (0, 0)
    for metric in _metrics_in(window, spot.view.vocab):
        first = metric.cues.search(window)
        if first is None or spot.blocked(metric, window):
            continue
        *_, last = metric.cues.finditer(window, first.start())
        rank = (metric.priority, last.end())
        if best is None or rank > best_rank:  # ties: the earlier metric of the vocabulary
            best, best_rank = metric, rank
    return best


def _metrics_in(window: str, vocab: Cues) -> tuple[_Metric, ...]:
    """The metrics (in vocabulary order) a cue of could begin somewhere in the window."""
    by_char = vocab.metrics_by_char
    mask = vocab.metrics_anywhere
    # One scan in C for the characters a cue can begin with (`set(window)` builds a string for
    # every character of the window, most of them of no cue).
    for char in vocab.cue_leads.findall(window):
        mask |= by_char[char]
    found = vocab.metric_sets.get(mask)
    if found is None:
        found = tuple(m for i, m in enumerate(vocab.metrics) if mask >> i & 1)
        vocab.metric_sets[mask] = found
    return found


# Words that leave a clause bare: qualifiers, copulas, spaces.
_BARE = re.compile(r"[\s　]|共计|合计|总计|累计|共|达到|达|为|有|是|了|的|全年|本年度|本年|计")


def _score(view: _Sentence, claim: Claim, metric: _Metric, section: str, back: int) -> float:
    weights = view.vocab.score
    if back == 0:
        score = weights["cue_same_clause"]
    else:
        score = weights["cue_earlier_clause"] - weights["per_clause_back"] * (back - 1)
    if claim.unit in metric.units:
        score += weights["unit_match"]
    if metric.needs is None or view.names(metric.needs):
        score += weights["needs_named"]
    return round(score + weights["section"].get(section, 0.0), 3)


def _counted_names(text: str) -> frozenset[str]:
    rules = claim_rules()
    return frozenset(rules.counted_names[m.group()] for m in rules.counted.finditer(text))


def _make_link(view: _Sentence, spot: _Spot, metric: _Metric, fmt, score: float) -> Link:
    claim = spot.claim
    # Without the thing it counts (申请, 规范性文件) named, a cue alone is never a strong link.
    named = metric.needs is None or claim.negated or view.names(metric.needs)
    return Link(
        claim=claim,
        metric=metric.name,
        label=metric.label,
        kind="cell",
        cells=metric.cells_for(fmt),
        score=score,
        strong=named and score >= view.vocab.threshold,
        max_severity=metric.max_severity,
        scope=_scope(view, spot, metric),
        also=metric.also if metric.also_when and view.has(metric.also_when) else (),
    )


def _negation_link(view: _Sentence, spot: _Spot, section: str, fmt) -> Link | None:
    name = view.vocab.negations.get(spot.claim.counts or "")
    if name is None:
        return None
    clause = spot.clause()
    if any(word in clause for word in view.vocab.negation_blocks):
        return None
    metric = view.vocab.by_name[name]
    weights = view.vocab.score
    score = weights["cue_same_clause"] + weights["unit_match"] + weights["needs_named"]
    return _make_link(view, spot, metric, fmt, round(score + weights["section"].get(section, 0), 3))


def _scope(view: _Sentence, spot: _Spot, metric: _Metric) -> str | None:
    """Why the sentence may speak for only part of the agency, or None."""
    vocab = view.vocab
    words = view.scope_words_before(spot.claim.start)
    if metric.whole:
        clause = spot.clause()
        words += [w for w in vocab.part_words if w in clause]
    office = view.office_before(spot.claim.start) if view.is_government else None
    if office:
        words.insert(0, office)
    if not words:
        return None
    return "、".join(dict.fromkeys(words))


def _rate_link(view: _Sentence, spot: _Spot, own_clause: str, earlier: list[Link]) -> Link | None:
    vocab, claim = view.vocab, spot.claim
    window = spot.near()
    for rate in vocab.rates:
        if rate.cues.search(window) and not any(view.has(b) for b in rate.blocks):
            return Link(
                claim, rate.name, rate.name, "rate", rate.of, 0.5, False, "warning", rate.per
            )
    if vocab.share_cue.search(own_clause) and earlier and earlier[-1].kind == "cell":
        part = earlier[-1]
        if part.cells[0].startswith("requests/") and part.metric != "requests_new":
            per = tuple("+".join(cells) for cells in vocab.share_per)
            return Link(
                claim, "share", f"{part.label}占比", "share", part.cells, 0.5, False, "warning", per
            )
    return None
