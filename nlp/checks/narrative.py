"""Narrative checks: claims against the table cells they are linked to, and parts against wholes.

- `check_claims(report, sentences)`: each `Link` (nlp.claims.link) compared with the table. Only
  a strong link of a claim that is not scoped to part of the agency can be an `error`; a weak
  link is a `warning` or `info`; a cell of a row whose reading the parser doubted makes a probable
  parse error (`.parse_suspect`, nlp.checks.suspects), never the agency's mistake.
- `check_parts(report, sentences)`: 累计公开 263 件，其中局网站 173 件，新媒体 90 件 — the parts
  after 其中 must add up to the whole before it.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from nlp.checks import rules as vocab
from nlp.checks import suspects
from nlp.checks.cells import CellValues, cell_values
from nlp.checks.findings import Finding
from nlp.claims.extract import Claim
from nlp.claims.link import Link, cues
from nlp.report import Report

PARTS_RULE = "narrative.parts_sum"
NEGATION_RULE = "claim.negation"
_PART_MARK = re.compile(r"其中")
_OPEN_LIST = re.compile(r"^\s*等")
_BRACKETS = re.compile(r"[（(][^（()）]*[)）]")
_WEAK_FLOOR = 0.5  # below this a contradicted weak link is only `info`


@dataclass(slots=True)
class NarrativeSentence:
    """One sentence of a narrative section, its claims and their links.

    `index` is its place in its section; `start`/`end` its offsets in the report's text (a claim's
    own `start`/`end` are offsets into the sentence)."""

    section: str
    text: str
    claims: list[Claim] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    index: int = 0
    start: int | None = None
    end: int | None = None


def check_claims(
    report: Report,
    sentences: Iterable[NarrativeSentence],
    *,
    values: CellValues | None = None,
) -> list[Finding]:
    """Findings of linked claims that the table contradicts.

    `values`: the report's `cell_values`, when the caller has them already."""
    table = _Table(report, cell_values(report) if values is None else values)
    findings = []
    for sentence in sentences:
        for link in sentence.links:
            finding = _check_link(report, table, sentence, link)
            if finding is not None:
                findings.append(finding)
    return findings


def check_parts(report: Report, sentences: Iterable[NarrativeSentence]) -> list[Finding]:
    """Findings of 其中-lists whose parts do not add up to the whole stated before them."""
    findings = []
    for sentence in sentences:
        if not sentence.claims or _PART_MARK.search(sentence.text) is None:
            continue  # most sentences: no 其中-list to look into
        for whole, parts, tail in _part_groups(sentence):
            finding = _parts_finding(report, sentence, whole, parts, tail)
            if finding is not None:
                findings.append(finding)
    return findings


def check_statements(
    report: Report, sentences: Iterable[NarrativeSentence], *, values: CellValues | None = None
) -> list[Finding]:
    """Findings of qualitative statements (全部办结, 均获维持) that the tables contradict: the
    statement's cells (rules.yaml `statements`) must all be 0."""
    found = _statement_rules()
    findings = []
    table = None
    for sentence in sentences:
        if found.locator.search(sentence.text) is None:
            continue  # most sentences: one scan in C
        table = table or _Table(report, cell_values(report) if values is None else values)
        for rule, match in found.matches(sentence.text):
            finding = _statement_finding(report, table, sentence, rule, match)
            if finding is not None:
                findings.append(finding)
    return findings


@dataclass(frozen=True)
class _Statements:
    rules: tuple[tuple[dict, re.Pattern[str]], ...]
    locator: re.Pattern[str]
    negated_before: re.Pattern[str]

    def matches(self, text: str):
        for rule, pattern in self.rules:
            if not re.search(rule["needs"], text) or any(w in text for w in rule["blocks"]):
                continue  # about something else than the statement's cells
            for match in pattern.finditer(text):
                if self.negated_before.search(text, max(0, match.start() - 2), match.start()):
                    continue  # 未全部办结: not the statement
                yield rule, match
                break  # one finding per statement and sentence


_STATEMENTS: list[_Statements] = []


def _statement_rules() -> _Statements:
    if not _STATEMENTS:
        config = vocab.config()
        rules = tuple(
            (rule, re.compile("|".join(f"(?:{cue})" for cue in rule["cues"])))
            for rule in config["statements"]
        )
        locator = re.compile("|".join(f"(?:{p.pattern})" for _, p in rules))
        _STATEMENTS.append(_Statements(rules, locator, re.compile(config["negated_before"])))
    return _STATEMENTS[0]


def _statement_finding(report, table: _Table, sentence, rule: dict, match) -> Finding | None:
    cells = table.resolve(rule["cells"])
    if cells is None:
        return None
    above = [c for c in cells if c[3] > 0]
    if not above:
        return None
    message = rule["message"].format(cue=match.group(), cells=_cells_text(above))
    suspect = table.warned_rows(above)
    severity = "error"
    rule_id = rule["id"]
    if suspect:
        texts = vocab.config()["parse_suspect"]
        rule_id += texts["suffix"]
        message = texts["prefix"] + message + "；" + suspect[0]
        severity = texts["severity"]
    return sentence_finding(
        report,
        sentence,
        rule=rule_id,
        kind="claim",
        severity=severity,
        message=message,
        claim={
            "metric": "+".join(rule["cells"]),
            "name": rule["id"].removeprefix("claim."),
            "value": 0,
            "qualifier": "exact",
            "text": match.group(),
            "start": match.start(),
            "end": match.end(),
        },
        cells=[{"table": t, "row": r, "col": c, "value": v} for t, r, c, v in above],
    )


# --------------------------------------------------------------------------------- the table


class _Table:
    """The report's cells by key, with sums over globbed rows (denied.*)."""

    def __init__(self, report: Report, values: CellValues):
        self.values = values
        self.doubts = suspects.doubts(report.warnings)

    def resolve(self, keys: Iterable[str]) -> list[tuple[str, str, str, float]] | None:
        """Every cell the keys name with its value, or None when one is blank or absent."""
        cells = []
        for key in keys:
            table, row, col = key.split("/")
            hits = self._globbed(table, row, col) if "*" in row else [(table, row, col)]
            if not hits:
                return None
            for hit in hits:
                value = self.values.get(hit)
                if value is None:
                    return None
                cells.append((*hit, value))
        return cells

    def _globbed(self, table: str, row: str, col: str) -> list[tuple[str, str, str]]:
        hits = [k for k in self.values if k[0] == table and k[2] == col]
        return [k for k in hits if fnmatch.fnmatchcase(k[1], row)]

    def total(self, keys: Iterable[str]) -> float | None:
        cells = self.resolve(keys)
        return None if cells is None else sum(c[3] for c in cells)

    def warned_rows(self, cells) -> list[str]:
        """The one clause saying which cell's row is read in doubt, when one is."""
        clause = suspects.suspect_clause(((t, r) for t, r, _, _ in cells), self.doubts)
        return [clause] if clause else []


# ------------------------------------------------------------------------------- claim checks


def _check_link(report: Report, table: _Table, sentence, link: Link) -> Finding | None:
    if link.kind == "cell":
        return _cell_finding(report, table, sentence, link)
    if link.kind == "rate":
        return _rate_finding(report, table, sentence, link)
    return _share_finding(report, table, sentence, link)


def _cell_finding(report, table: _Table, sentence, link: Link) -> Finding | None:
    cells = table.resolve(link.cells)
    if cells is None:
        return None
    actual = sum(c[3] for c in cells)
    claim = link.claim
    claimed = float(claim.value)
    tolerance = cues().about_tolerance
    if not _contradicts(claimed, actual, claim.qualifier, tolerance):
        return None
    # Another reading the vocabulary allows (受理 = 新收 + 上年结转) is no contradiction.
    for cells_also in link.also:
        other = table.total(cells_also)
        if other is not None and not _contradicts(claimed, other, claim.qualifier, tolerance):
            return None
    scoped = _other_scope(table, link, claimed)
    if scoped is not None:
        message, cells = scoped
        return _graded(report, sentence, link, cells, f"claim.{link.metric}", message, [], True)
    what = f"“{claim.text}”（即{link.label}为0）" if claim.negated else f"{link.label}{claim.text}"
    if claim.qualifier != "exact":
        what += f"（{_QUALIFIER_WORDS[claim.qualifier]}{_number(claimed)}）"
    message = f"叙述称{what}，但{_cells_text(cells)}，相差{_number(abs(actual - claimed))}"
    rule = NEGATION_RULE if claim.negated else f"claim.{link.metric}"
    return _graded(report, sentence, link, cells, rule, message, table.warned_rows(cells))


def _other_scope(table: _Table, link: Link, claimed: float):
    """(message, cells) when the claim equals another sum the total is often given as."""
    config = vocab.config()
    for keys in config["scopes"].get(link.metric, []):
        cells = table.resolve(keys)
        if cells is None or sum(c[3] for c in cells) != claimed:
            continue
        arithmetic = " + ".join(f"{vocab.row_label(t, r)}{_number(v)}" for t, r, _, v in cells)
        message = config["scope_message"].format(
            label=link.label,
            claim=link.claim.text,
            claim_value=_number(claimed),
            arithmetic=arithmetic,
            cells_text=_cells_text(cells),
        )
        return message, cells
    return None


def _rate_finding(report, table: _Table, sentence, link: Link) -> Finding | None:
    of, per = table.total(link.cells), table.total(link.per)
    if of is None or not per:
        return None
    computed = of / per * 100
    claimed = float(link.claim.value)
    if abs(computed - claimed) <= cues().rate_tolerance:
        return None
    message = (
        f"叙述{link.claim.text}，但按表三计算为{computed:.1f}%（{_number(of)}/{_number(per)}），"
        f"相差{abs(computed - claimed):.1f}个百分点"
    )
    cells = table.resolve(link.cells + link.per) or []
    return _graded(report, sentence, link, cells, f"claim.{link.metric}", message, [])


def _share_finding(report, table: _Table, sentence, link: Link) -> Finding | None:
    part = table.total(link.cells)
    if part is None:
        return None
    claimed = float(link.claim.value)
    shares = []
    for alternative in link.per:
        whole = table.total(alternative.split("+"))
        if whole:
            shares.append(part / whole * 100)
    if not shares or any(abs(s - claimed) <= cues().rate_tolerance for s in shares):
        return None
    computed = "、".join(f"{s:.1f}%" for s in dict.fromkeys(round(s, 1) for s in shares))
    message = f"叙述{link.label}{link.claim.text}，但按表三计算为{computed}（不同口径）"
    cells = table.resolve(link.cells) or []
    return _graded(report, sentence, link, cells, "claim.share", message, [])


_QUALIFIER_WORDS = {"exact": "", "at_least": "至少", "about": "约", "at_most": "至多"}


def _contradicts(claimed: float, actual: float, qualifier: str, tolerance: float) -> bool:
    if qualifier == "at_least":
        return actual < claimed
    if qualifier == "at_most":
        return actual > claimed
    if qualifier == "about":
        return abs(actual - claimed) > max(1.0, tolerance * claimed)
    return actual != claimed


def _graded(
    report, sentence, link: Link, cells, rule: str, message: str, suspects, other_scope=False
) -> Finding:
    """The finding with the severity its link allows, and the reason when it is not an error."""
    severity = link.max_severity
    if other_scope:
        severity = "warning"  # the same total in another scope: explained, not an error
    if suspects:
        texts = vocab.config()["parse_suspect"]
        rule += texts["suffix"]
        message = texts["prefix"] + message + "；" + "；".join(suspects)
        severity = "warning"
    elif link.scope:
        message += f"；该句限定了范围（“{link.scope}”），可能只涉及本机关的一部分，表格统计范围更大"
        severity = "warning"
    elif not link.strong:
        message += f"；该数字与表格的对应关系不确定（关联度{link.score:.2f}）"
        severity = "warning" if link.score >= _WEAK_FLOOR else "info"
    return sentence_finding(
        report,
        sentence,
        rule=rule,
        kind="claim",
        severity=_capped(severity, link.max_severity),
        message=message,
        claim=claim_dict(link),
        cells=[{"table": t, "row": r, "col": c, "value": v} for t, r, c, v in cells],
    )


def sentence_finding(report: Report, sentence: NarrativeSentence, **fields) -> Finding:
    """A finding whose evidence is one narrative sentence of `report`, with its offsets."""
    return Finding(
        section=sentence.section,
        evidence=sentence.text,
        evidence_start=sentence.start,
        evidence_end=sentence.end,
        source=report.source,
        agency=report.agency,
        year=report.year,
        **fields,
    )


def _capped(severity: str, cap: str) -> str:
    order = ("info", "warning", "error")
    return order[min(order.index(severity), order.index(cap))]


def claim_dict(link: Link) -> dict:
    """The `claim` object of a finding: what is claimed, about which cells, how strongly."""
    claim = link.claim
    return {
        "metric": "+".join(link.cells),
        "name": link.metric,
        "value": _json(claim.value),
        "unit": claim.unit,
        "qualifier": claim.qualifier,
        "negated": claim.negated,
        "text": claim.text,
        "start": claim.start,
        "end": claim.end,
        "score": link.score,
        "scope": link.scope,
    }


def _cells_text(cells) -> str:
    table = vocab.table_label(cells[0][0])
    if len(cells) == 1:
        t, r, c, v = cells[0]
        return f"{table}“{vocab.cell_label(t, r, c)}”为{_number(v)}"
    parts = "＋".join(f"{vocab.row_label(t, r)}{_number(v)}" for t, r, _, v in cells)
    return f"{table}中{parts}＝{_number(sum(c[3] for c in cells))}"


# ------------------------------------------------------------------------------- parts checks


def _part_groups(sentence: NarrativeSentence):
    """(whole, parts, text after the last part) for every 其中 of the sentence."""
    nested = _bracketed(sentence.text)
    quantities = [
        c
        for c in sentence.claims
        if c.kind == "quantity" and not c.negated and not any(a <= c.start < b for a, b in nested)
    ]
    for mark in _PART_MARK.finditer(sentence.text):
        before = [c for c in quantities if c.end <= mark.start()]
        if not before:
            continue
        whole = before[-1]
        following = _PART_MARK.search(sentence.text, mark.end())
        limit = following.start() if following else len(sentence.text)
        parts = [
            c
            for c in quantities
            if mark.end() <= c.start
            and c.end <= limit
            and c.unit == whole.unit
            and _same_thing(whole, c)
        ]
        if len(parts) >= 2:
            yield whole, parts, sentence.text[parts[-1].end :]


def _same_thing(whole: Claim, part: Claim) -> bool:
    """A part counts what the whole counts, unless both say what they count and it differs
    (建议/提案 are no part of a count of 信息)."""
    return whole.counts is None or part.counts is None or part.counts == whole.counts


def _bracketed(text: str) -> list[tuple[int, int]]:
    """Spans inside （…）: a breakdown of a part, not another part."""
    return [m.span() for m in _BRACKETS.finditer(text)]


def _parts_finding(report, sentence, whole: Claim, parts: list[Claim], tail: str):
    if any(c.qualifier != "exact" for c in (whole, *parts)):
        return None
    running = Decimal(0)
    for count, part in enumerate(parts, start=1):
        running += part.value
        if running == whole.value and count >= 2:
            return None  # the list adds up; what follows it is about something else
    total = running
    unit = whole.unit or ""
    listed = "＋".join(c.text for c in parts)
    message = (
        f"叙述总数{whole.text}，但其中各项{listed}之和为{_number(total)}{unit}，"
        f"相差{_number(abs(total - whole.value))}{unit}"
    )
    severity = "error"
    nested = [c for c in parts if total - c.value == whole.value]
    if nested:  # one listed item inside another: dropping it closes the gap exactly
        severity = "warning"
        message += f"（去掉“{nested[0].text}”恰好等于总数，可能是另一项中的细项）"
    elif total < whole.value:
        severity = "warning"
        message += "（各项之和小于总数，可能未列全）"
        if _OPEN_LIST.match(tail):
            severity = "info"
    return sentence_finding(
        report,
        sentence,
        rule=PARTS_RULE,
        kind="narrative",
        severity=severity,
        message=message,
        claim={
            "metric": None,
            "value": _json(whole.value),
            "unit": whole.unit,
            "qualifier": whole.qualifier,
            "text": whole.text,
            "parts": [_json(c.value) for c in parts],
            "start": whole.start,
            "end": whole.end,
        },
    )


def _json(value) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def _number(value) -> str:
    number = float(value)
    if number.is_integer():
        return str(int(number))
    return f"{number:.2f}".rstrip("0").rstrip(".")
