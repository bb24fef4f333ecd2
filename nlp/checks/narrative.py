"""Narrative checks: claims against the table cells they are linked to, and parts against wholes.

- `check_claims(report, sentences)`: each `Link` (nlp.claims.link) compared with the table. Only
  a strong link of a claim that is not scoped to part of the agency can be an `error`; a weak
  link is a `warning` or `info`; a cell of a row whose reading the parser doubted makes a probable
  parse error (`.parse_suspect`, nlp.checks.suspects), never the agency's mistake.
- `check_parts(report, sentences)`: 累计公开 263 件，其中局网站 173 件，新媒体 90 件 — the parts
  after 其中 (分别为, 包括) must add up to the whole before it, and A 条、B 条，合计 X 条 to the
  total after them (rules.yaml `parts`).
"""

from __future__ import annotations

import fnmatch
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from nlp.checks import rules as vocab
from nlp.checks import suspects
from nlp.checks.cells import CellValues, cell_values
from nlp.checks.findings import Finding
from nlp.claims.extract import Claim
from nlp.claims.link import Link, cues
from nlp.claims.numbers import parse_number
from nlp.report import Report

PARTS_RULE = "narrative.parts_sum"
NEGATION_RULE = "claim.negation"
_BRACKETS = re.compile(r"[（(][^（()）]*[)）]")
_WEAK_FLOOR = 0.5
_TOTAL_LEAD_REACH = 12  # a total's clause stop is found this far back, or it is no total  # below this a contradicted weak link is only `info`


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
    table = CellTable(report, cell_values(report) if values is None else values)
    findings = []
    for sentence in sentences:
        for link in sentence.links:
            finding = _check_link(report, table, sentence, link)
            if finding is not None:
                findings.append(finding)
    return findings


def check_parts(report: Report, sentences: Iterable[NarrativeSentence]) -> list[Finding]:
    """Findings of lists of parts that do not add up to their whole (rules.yaml `parts`)."""
    locator = _parts_vocabulary().locator
    findings = []
    for sentence in sentences:
        if not sentence.claims or locator.search(sentence.text) is None:
            continue  # most sentences: no list of parts to look into
        for group in _part_groups(sentence):
            finding = _parts_finding(report, sentence, group)
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
        table = table or CellTable(report, cell_values(report) if values is None else values)
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


def _statement_finding(report, table: CellTable, sentence, rule: dict, match) -> Finding | None:
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


class CellTable:
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


def _check_link(report: Report, table: CellTable, sentence, link: Link) -> Finding | None:
    if link.kind == "change":
        return None  # against last year's report only (nlp.checks.changes)
    if link.kind == "cell":
        return _cell_finding(report, table, sentence, link)
    if link.kind == "rate":
        return _rate_finding(report, table, sentence, link)
    return _share_finding(report, table, sentence, link)


def _cell_finding(report, table: CellTable, sentence, link: Link) -> Finding | None:
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
    if _loosely_put(claim.qualifier, claimed, actual):
        message += "；约数与表格相差不大，可能只是说法不严谨"
        return _graded(report, sentence, link, cells, rule, message, [], True)
    return _graded(report, sentence, link, cells, rule, message, table.warned_rows(cells))


def _loosely_put(qualifier: str, claimed: float, actual: float) -> bool:
    """近30件 for 24: a round number a little far off, not a plain contradiction."""
    return qualifier == "about" and abs(actual - claimed) <= cues().about_error_tolerance * claimed


def _other_scope(table: CellTable, link: Link, claimed: float):
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


def _rate_finding(report, table: CellTable, sentence, link: Link) -> Finding | None:
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


def _share_finding(report, table: CellTable, sentence, link: Link) -> Finding | None:
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
    report, sentence, link: Link, cells, rule: str, message: str, suspects, explained=False
) -> Finding:
    """The finding with the severity its link allows, and the reason when it is not an error.

    `explained`: the message says why this is no plain contradiction (another scope, a round
    number loosely put): a warning at most."""
    severity = link.max_severity
    if explained:
        severity = "warning"
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


@dataclass(frozen=True)
class _PartsVocabulary:
    """rules.yaml `parts`, compiled."""

    open_marks: re.Pattern[str]  # 其中, 分别为, 包括: parts follow, maybe only some of them
    locator: re.Pattern[str]  # any mark or total word: without one, no list to look into
    total_words: tuple[str, ...]  # 合计, 共计: a total stated after its parts
    total_lead: re.Pattern[str]  # what may stand between a clause stop and that total
    categories: re.Pattern[str]  # 三类, 两个方面: how many parts the list names
    more_items: re.Pattern[str]  # 等, or more items after the last number: the list is partial
    kinds_of: dict[str, frozenset[str]]  # a part counting 文件 may be part of 信息


_PARTS: list[_PartsVocabulary] = []


def _parts_vocabulary() -> _PartsVocabulary:
    if not _PARTS:
        spec = vocab.config()["parts"]
        # 三类： announces its list as 其中 does
        marks = "|".join(map(re.escape, spec["open_marks"])) + f"|(?:{spec['categories']})\\s*[:：]"
        totals = "|".join(map(re.escape, spec["total_words"]))
        _PARTS.append(
            _PartsVocabulary(
                open_marks=re.compile(marks),
                # a total word opening a clause (，合计 X 条), as _is_total wants it
                locator=re.compile(f"{marks}|[，,；;：:][^，,；;：:。]{{0,6}}?(?:{totals})"),
                total_words=tuple(sorted(spec["total_words"], key=len, reverse=True)),
                total_lead=re.compile(spec["total_lead"]),
                categories=re.compile(spec["categories"]),
                more_items=re.compile(spec["more_items"]),
                kinds_of={k: frozenset(v) for k, v in spec["kinds_of"].items()},
            )
        )
    return _PARTS[0]


@dataclass(frozen=True)
class _PartGroup:
    """A whole and the parts listed for it. `closed`: the list names every part (a total after
    it, or as many parts as the categories it announces), so parts short of the whole are an
    error too; an open list (其中…) may name only some."""

    whole: Claim
    parts: list[Claim]
    tail: str
    closed: bool


def _part_groups(sentence: NarrativeSentence) -> list[_PartGroup]:
    """Every whole with its parts: after 其中/分别为/包括 (the whole before the mark), and
    before a total stated after its parts (A 条、B 条，合计 X 条)."""
    words = _parts_vocabulary()
    nested = _bracketed(sentence.text)
    quantities = [
        c
        for c in sentence.claims
        if c.kind == "quantity" and not c.negated and not any(a <= c.start < b for a, b in nested)
    ]
    groups = list(_marked_groups(sentence.text, quantities, words))
    groups += _total_after_groups(sentence.text, quantities, words)
    return groups


def _marked_groups(text: str, quantities: list[Claim], words: _PartsVocabulary):
    # Bisection over the claims' offsets: each claim is looked at once however many marks.
    starts = [c.start for c in quantities]
    ends = [c.end for c in quantities]
    marks = _merged_marks(list(words.open_marks.finditer(text)), starts)
    for number, (first, last) in enumerate(marks):
        before = bisect_right(ends, first.start())
        if not before:
            continue
        whole = quantities[before - 1]
        limit = marks[number + 1][0].start() if number + 1 < len(marks) else len(text)
        listed = quantities[bisect_left(starts, last.end()) : bisect_right(ends, limit)]
        parts = [
            c
            for c in listed
            if c.unit == whole.unit
            and _same_thing(whole, c, words)
            and not _is_total(text, c, words)
        ]
        if len(parts) >= 2:
            announced = _announced(text[whole.end : parts[0].start], words)
            closed = announced is not None and announced == len(parts)
            yield _PartGroup(whole, parts, text[parts[-1].end :], closed)


def _merged_marks(marks, starts: list[int]):
    """(first, last) mark of each list: 其中…分别为 with no number between is one list."""
    merged = []
    for mark in marks:
        if merged and bisect_left(starts, merged[-1][1].end()) == bisect_left(starts, mark.start()):
            merged[-1] = (merged[-1][0], mark)
        else:
            merged.append((mark, mark))
    return merged


def _announced(between: str, words: _PartsVocabulary) -> int | None:
    """三类 → 3: how many parts the text before the list says there are."""
    match = words.categories.search(between)
    return None if match is None else int(parse_number(match["n"]))


def _total_after_groups(text: str, quantities: list[Claim], words: _PartsVocabulary):
    marks = [m.end() for m in words.open_marks.finditer(text)]
    for index, whole in enumerate(quantities):
        if not _is_total(text, whole, words):
            continue
        parts: list[Claim] = []
        for part in reversed(quantities[:index]):
            if part.unit != whole.unit or not _same_thing(whole, part, words):
                break
            if _is_total(text, part, words):
                break  # the parts of another total
            if bisect_right(marks, whole.start) > bisect_right(marks, part.end):
                break  # a mark between: this part belongs to the mark's list
            parts.insert(0, part)
        if len(parts) >= 2:
            yield _PartGroup(whole, parts, "", True)


def _is_total(text: str, claim: Claim, words: _PartsVocabulary) -> bool:
    """合计 X 条 standing alone in its clause after a list: a total of what came before."""
    if claim.qualifier != "exact" or not claim.text.startswith(words.total_words):
        return False
    lead_from = max(0, claim.start - _TOTAL_LEAD_REACH)
    stop = max(text.rfind(mark, lead_from, claim.start) for mark in "，,；;：:")
    return stop >= 0 and words.total_lead.fullmatch(text[stop + 1 : claim.start]) is not None


def _same_thing(whole: Claim, part: Claim, words: _PartsVocabulary | None = None) -> bool:
    """A part counts what the whole counts, or a kind of it (政策文件 among 信息), unless both
    say what they count and it differs (建议/提案 are no part of a count of 信息)."""
    if whole.counts is None or part.counts is None or part.counts == whole.counts:
        return True
    kinds = (words or _parts_vocabulary()).kinds_of.get(whole.counts, frozenset())
    return part.counts in kinds


def _bracketed(text: str) -> list[tuple[int, int]]:
    """Spans inside （…）: a breakdown of a part, not another part."""
    return [m.span() for m in _BRACKETS.finditer(text)]


def _parts_finding(report, sentence, group: _PartGroup):
    whole, parts = group.whole, group.parts
    if any(c.qualifier != "exact" for c in (whole, *parts)):
        return None
    running = Decimal(0)
    for count, part in enumerate(parts, start=1):
        running += part.value
        if running == whole.value and count >= 2 and not group.closed:
            return None  # the list adds up; what follows it is about something else
    total = running
    if total == whole.value:
        return None
    unit = whole.unit or ""
    listed = "＋".join(c.text for c in parts)
    message = (
        f"叙述总数{whole.text}，但所列各项{listed}之和为{_number(total)}{unit}，"
        f"相差{_number(abs(total - whole.value))}{unit}"
    )
    severity = "error"
    nested = [c for c in parts if total - c.value == whole.value]
    if nested:  # one listed item inside another: dropping it closes the gap exactly
        severity = "warning"
        message += f"（去掉“{nested[0].text}”恰好等于总数，可能是另一项中的细项）"
    elif total < whole.value and not group.closed:
        severity = "warning"
        message += "（各项之和小于总数，可能未列全）"
        if _parts_vocabulary().more_items.match(group.tail):
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
            "closed": group.closed,
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
