"""The per-report analysis composed: sentences → claims → links → findings, as tidy frames.

    sentences_frame(report)   one row per narrative sentence
    claims_frame(report)      one row per claim, with the cell(s) it is linked to
    analyse_many(reports)     analyse() of many reports, stage by stage over batches (quicker)
    check(report_or_reports)  one row per finding: table, claim, narrative and cross-year checks

The sentences are the report's one table (`Report.sentences`, cut by `nlp.text.report_sentences`):
every sentence, claim and finding evidence carries offsets into `report.text`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from os import PathLike

import pandas as pd

from nlp.checks import check_cross_year, check_tables, findings_frame
from nlp.checks.cells import cell_values
from nlp.checks.findings import Finding
from nlp.checks.narrative import NarrativeSentence, check_claims, check_parts, check_statements
from nlp.checks.reading import reading_findings, reading_of
from nlp.claims import extract_claims
from nlp.claims.link import link_claims
from nlp.frames import frame
from nlp.report import Report

# Reports per batch of `analyse_many`. Larger batches gained little more in our runs, and a batch's
# results all stay alive until it ends, which gives the garbage collector more to do.
BATCH_SIZE = 128


@dataclass
class Analysis:
    """Everything the narrative of one report yields, and its findings."""

    report: Report
    sentences: list[NarrativeSentence]
    findings: list[Finding]

    def __repr__(self) -> str:
        from nlp.notebook import analysis_repr

        return analysis_repr(self)

    def _repr_html_(self) -> str:
        from nlp.notebook import analysis_html

        return analysis_html(self)


def analyse(report: Report | str | PathLike, dismissed: Iterable[str] = ()) -> Analysis:
    """Sentences, claims, links and findings (table, claim, narrative) of one report (a path
    is read first)."""
    return _analyse_batch(as_reports(report), set(dismissed))[0]


def analyse_many(
    reports: Iterable[Report], dismissed: Iterable[str] = (), batch_size: int = BATCH_SIZE
) -> Iterator[Analysis]:
    """`analyse` of each report, in order, done stage by stage over batches of reports.

    As spaCy's `nlp.pipe`: each stage (sentences and claims, cell values, table checks, claim
    checks) runs over a whole batch before the next begins. Over many reports this is quicker
    than `analyse` one by one (benchmarks/bench_analysis_speed.py prints both), most likely
    because a stage's code and rules (regular expressions, then pandas and numpy) stay in the
    processor's caches while it runs. The results are the same.
    """
    if batch_size < 1:  # said at the call, not when the first result is asked for
        raise ValueError(f"batch_size must be at least 1; got {batch_size}")
    return _batches(reports, set(dismissed), batch_size)


def _batches(reports: Iterable[Report], dismissed: set[str], batch_size: int) -> Iterator[Analysis]:
    batch: list[Report] = []
    for report in reports:
        batch.append(report)
        if len(batch) == batch_size:
            yield from _analyse_batch(batch, dismissed)
            batch = []
    if batch:
        yield from _analyse_batch(batch, dismissed)


def _analyse_batch(reports: list[Report], dismissed: set[str]) -> list[Analysis]:
    narratives = [narrative_sentences(report) for report in reports]
    claimed = [[sentence for sentence in n if sentence.claims] for n in narratives]
    values = [cell_values(report) for report in reports]
    findings = [check_tables(report, values=v) for report, v in zip(reports, values, strict=True)]
    for found, report, with_claims, v in zip(findings, reports, claimed, values, strict=True):
        found += check_claims(report, with_claims, values=v)
    for found, report, with_claims in zip(findings, reports, claimed, strict=True):
        found += check_parts(report, with_claims)
    for found, report, narrative, v in zip(findings, reports, narratives, values, strict=True):
        found += check_statements(report, narrative, values=v)
    for found, report in zip(findings, reports, strict=True):
        # How well the file was read goes with its findings: never silently clean.
        found += reading_findings(report, reading_of(report))
        for finding in found:
            finding.confidence = report.confidence
    return [
        Analysis(report, narrative, [f for f in found if f.fingerprint not in dismissed])
        for report, narrative, found in zip(reports, narratives, findings, strict=True)
    ]


def narrative_sentences(report: Report) -> list[NarrativeSentence]:
    """Every sentence of the report's sentence table with its claims and their links."""
    out = []
    year, agency, fmt = report.year, report.agency, report.format  # read once, not per sentence
    for sentence in report.sentences:
        text, section = sentence.text, sentence.section
        claims = extract_claims(text)
        links = link_claims(text, claims, section, year, agency, fmt) if claims else []
        out.append(
            NarrativeSentence(
                section, text, claims, links, sentence.index, sentence.start, sentence.end
            )
        )
    return out


SENTENCE_COLUMNS = ("source", "section", "index", "text", "start", "end")


def sentences_frame(report: Report) -> pd.DataFrame:
    """One row per narrative sentence: source, section, index, text, start, end (offsets into
    `report.text`)."""
    sentences = report.sentences
    columns = {
        "source": [report.source] * len(sentences),
        "section": [s.section for s in sentences],
        "index": [s.index for s in sentences],
        "text": [s.text for s in sentences],
        "start": [s.start for s in sentences],
        "end": [s.end for s in sentences],
    }
    return frame(columns, "sentences", SENTENCE_COLUMNS)


CLAIM_COLUMNS = (
    "source",
    "section",
    "sentence",
    "text",
    "value",
    "unit",
    "qualifier",
    "negated",
    "kind",
    "counts",
    "start",
    "end",
    "metric",
    "cells",
    "link_score",
    "strong",
    "scope",
)


def claims_frame(report: Report, narrative: list[NarrativeSentence] | None = None) -> pd.DataFrame:
    """One row per claim of the narrative, with the cell(s) it is linked to (or none).

    `sentence` is the index of the claim's sentence in its section (as in `sentences_frame`);
    `start`/`end` are offsets into `report.text`. `narrative`: the sentences `analyse(report)`
    already found, so they are not found again.
    """
    rows = []
    for sentence in narrative if narrative is not None else narrative_sentences(report):
        base = sentence.start
        by_claim = {id(link.claim): link for link in sentence.links}
        for claim in sentence.claims:
            link = by_claim.get(id(claim))
            rows.append(
                {
                    "source": report.source,
                    "section": sentence.section,
                    "sentence": sentence.index,
                    "text": claim.text,
                    "value": float(claim.value),
                    "unit": claim.unit,
                    "qualifier": claim.qualifier,
                    "negated": claim.negated,
                    "kind": claim.kind,
                    "counts": claim.counts,
                    "start": base + claim.start,
                    "end": base + claim.end,
                    "metric": link.metric if link else None,
                    "cells": "+".join(link.cells) if link else None,
                    "link_score": link.score if link else None,
                    "strong": link.strong if link else False,
                    "scope": link.scope if link else None,
                }
            )
    columns = {name: [row[name] for row in rows] for name in CLAIM_COLUMNS}
    return frame(columns, "claims", CLAIM_COLUMNS)


def check(
    reports: Report | str | PathLike | Iterable[Report | str | PathLike],
    dismissed: Iterable[str] = (),
) -> pd.DataFrame:
    """Findings of one report or several (files are read first), one row per finding.

    Each report gets its table, claim and narrative checks; reports of one agency in
    consecutive years are also checked against each other. `dismissed` fingerprints are left out.
    """
    return findings_frame(check_findings(as_reports(reports), dismissed))


def check_findings(reports: list[Report], dismissed: Iterable[str] = ()) -> list[Finding]:
    dismissed = set(dismissed)
    findings = [f for analysis in analyse_many(reports, dismissed) for f in analysis.findings]
    confidence = {report.source: report.confidence for report in reports}
    across = check_cross_year(reports, dismissed)
    for finding in across:
        finding.confidence = confidence.get(finding.source)
    return findings + across


def as_reports(reports) -> list[Report]:
    """One report, a path, or many of either, as Reports (paths are read with `nlp.read`)."""
    from nlp.reader import read

    if isinstance(reports, Report | str | PathLike):
        reports = [reports]
    return [_as_report(r, read) for r in reports]


def _as_report(report, read) -> Report:
    if isinstance(report, Report):
        return report
    if isinstance(report, str | PathLike):
        return read(report)
    raise TypeError(f"expected a Report or a path to a report file, not {type(report).__name__}")
