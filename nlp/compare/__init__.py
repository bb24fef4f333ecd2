"""Comparative views over a batch output (docs/compare.md), as DataFrames and as one HTML report.

Every view takes the batch: its output folder or the dict of tables `nlp.batch.load` returns.

    tables = nlp.batch.load("out")
    nlp.compare.similarity(tables)                  # one row per report: share repeated from last year
    nlp.compare.write_html("out", "report.html")    # the self-contained comparative report
"""

from importlib import import_module

# Imported on first use: `xxgk check` reads the labels of nlp/compare/compare.yaml and must not
# load jinja2 and the charts for them.
_LAZY = {
    "agencies_by_findings": "finding_table",
    "findings": "finding_table",
    "render_html": "html",
    "write_html": "html",
    "narrative_sentences": "similarity",
    "normalise": "similarity",
    "repeated_sentences": "similarity",
    "repetition": "similarity",
    "shared_text": "similarity",
    "findings_by_kind": "summary",
    "overview": "summary",
    "parse_warning_counts": "summary",
    "reports_by_year": "summary",
    "achievement_vs_problem": "themes",
    "theme_distribution": "themes",
    "theme_profiles": "themes",
    "agency_series": "yoy",
    "metric_values": "yoy",
    "year_over_year": "yoy",
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f"nlp.compare.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'nlp.compare' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*__all__, *globals()})


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
