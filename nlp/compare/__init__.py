"""Comparative views over a batch output (docs/compare.md), as DataFrames and as one HTML report.

Every view takes the batch: its output folder or the dict of tables `nlp.batch.load` returns.

    tables = nlp.batch.load("out")
    nlp.compare.similarity(tables)                  # one row per report: share repeated from last year
    nlp.compare.write_html("out", "report.html")    # the self-contained comparative report
"""

from nlp.compare.finding_table import agencies_by_findings, findings
from nlp.compare.html import render_html, write_html
from nlp.compare.similarity import (
    narrative_sentences,
    normalise,
    repeated_sentences,
    repetition,
    shared_text,
)
from nlp.compare.summary import findings_by_kind, overview, parse_warning_counts, reports_by_year
from nlp.compare.themes import achievement_vs_problem, theme_distribution, theme_profiles
from nlp.compare.yoy import agency_series, metric_values, year_over_year

__all__ = [
    "achievement_vs_problem",
    "agencies_by_findings",
    "agency_series",
    "findings",
    "findings_by_kind",
    "metric_values",
    "narrative_sentences",
    "normalise",
    "overview",
    "parse_warning_counts",
    "render_html",
    "repeated_sentences",
    "repetition",
    "reports_by_year",
    "shared_text",
    "theme_distribution",
    "theme_profiles",
    "write_html",
    "year_over_year",
]
