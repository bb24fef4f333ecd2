"""Change claims against the same agency's previous report: 比上年增加 3 件, 同比增长 13.9%,
办结率下降 2 个百分点.

A change is never compared with this year's stock (nlp.claims: kind `change`); it needs last
year's table, which only a check of several reports has (`nlp.check(reports)`: each pair of
consecutive years of one agency, nlp.checks.engine.consecutive_pairs). The finding is a `claim`
finding whose cells are both years' (each cell dict carries its `year`).

- a count (件, 条 …): this year's cells minus last year's;
- a percent (同比增长 13.9%): that difference over last year's, in percent, within
  `cues.yaml changes.tolerance` points;
- percentage points of a rate (个百分点): the rate of each year from its cells, the difference
  within the same tolerance; a rate's denominator is the report's choice, so never an error.

As for counts, a change that matches another scope the total is often given in (收到 = 新收 +
上年结转, rules.yaml `scopes`) is no contradiction but a warning with that arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from nlp.checks import rules as vocab
from nlp.checks.cells import cell_values
from nlp.checks.findings import Finding
from nlp.checks.narrative import CellTable, NarrativeSentence, claim_dict, sentence_finding
from nlp.claims import extract_claims
from nlp.claims.link import Link, cues, link_claims
from nlp.claims.rules import claim_rules
from nlp.report import Report
from nlp.text.sentences import Sentence

RULE = "claim.change"
_PERCENT = "%"


def check_changes(
    previous: Report, current: Report, sentences: Iterable[NarrativeSentence] | None = None
) -> list[Finding]:
    """Findings of `current`'s change claims that the two years' tables contradict.

    `sentences`: `current`'s narrative with claims and links, when the caller has it."""
    changed = list(change_sentences(current) if sentences is None else sentences)
    links = [(s, link) for s in changed for link in s.links if link.kind == "change"]
    if not links:
        return []
    this = CellTable(current, cell_values(current))
    last = CellTable(previous, cell_values(previous))
    years = (current.year, previous.year)
    findings = []
    for sentence, link in links:
        finding = _change_finding(current, sentence, link, this, last, years)
        if finding is not None:
            findings.append(finding)
    return findings


def change_sentences(
    report: Report, sentences: Iterable[Sentence] | None = None
) -> list[NarrativeSentence]:
    """The sentences of the report that state a change, with their claims and links.

    `sentences`: the report's narrative sentences when the report has no text to cut them from
    (a batch rebuilds reports from their cells and keeps sentences in a table of their own)."""
    words = claim_rules().change_words
    out = []
    for sentence in report.sentences if sentences is None else sentences:
        if words.search(sentence.text) is None:
            continue  # most sentences: one scan in C
        claims = extract_claims(sentence.text)
        if not any(claim.kind == "change" for claim in claims):
            continue
        links = link_claims(
            sentence.text, claims, sentence.section, report.year, report.agency, report.format
        )
        out.append(
            NarrativeSentence(
                sentence.section,
                sentence.text,
                claims,
                [link for link in links if link.kind == "change"],
                sentence.index,
                sentence.start,
                sentence.end,
            )
        )
    return out


def _change_finding(report, sentence, link: Link, this: CellTable, last: CellTable, years):
    if link.per:
        return _rate_change_finding(report, sentence, link, this, last, years)
    now, before = this.resolve(link.cells), last.resolve(link.cells)
    if now is None or before is None:
        return None
    claim = link.claim
    actual = _total(now) - _total(before)
    claimed = float(claim.value)
    if claim.unit == _PERCENT:
        if not _total(before):
            return None  # no change in percent from nothing
        actual = actual / _total(before) * 100
        agrees = abs(actual - claimed) <= cues().changes.tolerance
    else:
        agrees = _agrees(claimed, actual, claim.qualifier)
    if agrees:
        return None
    other = _other_scope(link, this, last, claimed)
    cells = _cells(now, years[0]) + _cells(before, years[1])
    stated = f"叙述称{link.label}{_direction(claim)}"
    computed = _computed(now, before, actual, claim.unit, years)
    if other is not None:
        message = f"{stated}，与表格口径不同：按{other}计算相符（{computed}）"
        return _finding(report, sentence, link, "warning", message, cells)
    severity = "error" if link.strong and not link.scope else "warning"
    message = f"{stated}，但{computed}"
    if link.scope:
        message += f"；该句限定了范围（“{link.scope}”）"
    elif not link.strong:
        message += f"；该数字与表格的对应关系不确定（关联度{link.score:.2f}）"
    return _finding(report, sentence, link, severity, message, cells)


def _rate_change_finding(report, sentence, link: Link, this: CellTable, last: CellTable, years):
    rates = []
    for table in (this, last):
        of, per = table.total(link.cells), table.total(link.per)
        if of is None or not per:
            return None
        rates.append(of / per * 100)
    actual = rates[0] - rates[1]
    claimed = float(link.claim.value)
    if abs(actual - claimed) <= cues().changes.tolerance:
        return None
    message = (
        f"叙述称{link.label}{_direction(link.claim)}，但按表三计算{years[1]}年为{rates[1]:.1f}%、"
        f"{years[0]}年为{rates[0]:.1f}%，变化{actual:+.1f}个百分点"
    )
    cells = []
    for table, year in ((this, years[0]), (last, years[1])):
        cells += _cells(table.resolve(link.cells + link.per) or [], year)
    return _finding(report, sentence, link, "warning", message, cells)


def _agrees(claimed: float, actual: float, qualifier: str) -> bool:
    if qualifier == "at_least":
        return abs(actual) >= abs(claimed) and actual * claimed >= 0
    if qualifier == "about":
        return abs(actual - claimed) <= max(1.0, cues().about_tolerance * abs(claimed))
    if qualifier == "at_most":
        return abs(actual) <= abs(claimed) and actual * claimed >= 0
    return actual == claimed


def _other_scope(link: Link, this: CellTable, last: CellTable, claimed: float) -> str | None:
    """The other sum of cells (rules.yaml `scopes`) whose change is the stated one."""
    for keys in vocab.config()["scopes"].get(link.metric, []):
        now, before = this.resolve(keys), last.resolve(keys)
        if now is None or before is None:
            continue
        actual = _total(now) - _total(before)
        if link.claim.unit == _PERCENT:
            if not _total(before):
                continue
            actual = actual / _total(before) * 100
            if abs(actual - claimed) > cues().changes.tolerance:
                continue
        elif not _agrees(claimed, actual, link.claim.qualifier):
            continue
        return "＋".join(vocab.row_label(t, r) for t, r, _, _ in now)
    return None


def _direction(claim) -> str:
    value = float(claim.value)
    word = "增加" if value >= 0 else "减少"
    return f"比上年{word}{_number(abs(value))}{claim.unit or ''}（“{claim.text}”）"


def _computed(now, before, actual: float, unit: str | None, years) -> str:
    shown = f"{actual:+.1f}%" if unit == _PERCENT else f"{_number(actual, signed=True)}"
    return (
        f"{years[1]}年报告为{_number(_total(before))}、{years[0]}年为{_number(_total(now))}，"
        f"实际变化{shown}"
    )


def _finding(report, sentence, link: Link, severity: str, message: str, cells) -> Finding:
    claim = claim_dict(link)
    claim["name"] = f"{link.metric}.change"
    return sentence_finding(
        report,
        sentence,
        rule=RULE,
        kind="claim",
        severity=severity,
        message=message,
        claim=claim,
        cells=cells,
    )


def _cells(cells, year) -> list[dict]:
    return [{"table": t, "row": r, "col": c, "value": v, "year": year} for t, r, c, v in cells]


def _total(cells) -> float:
    return sum(c[3] for c in cells)


def _number(value, signed: bool = False) -> str:
    number = float(Decimal(str(value)))
    text = str(int(number)) if number.is_integer() else f"{number:.2f}".rstrip("0").rstrip(".")
    return f"+{text}" if signed and number > 0 else text
