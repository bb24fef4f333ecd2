"""Short reprs and HTML for notebooks: a `Report`, an `Analysis` or a `Finding` shows who, which
year, how well it was read and what was found, not every field (a report's repr was 4 KB).

Jupyter calls `_repr_html_`; the console and logs use `repr`. Both are built here, from the
objects' own fields, so `report.py` and the analysis stay free of presentation.
"""

from __future__ import annotations

from html import escape
from typing import Any

from nlp.labels import label

_TEXT_CUT = 60


def report_repr(report) -> str:
    tables = sorted(set(report.cells["table"])) if len(report.cells) else []
    return (
        f"<Report {report.agency or '?'} {report.year or '?'} · format {report.format or '?'} · "
        f"{report.input_format or '?'} · confidence {report.confidence:.2f} · "
        f"{len(report.warnings)} warnings · {len(report.sections)} sections · "
        f"tables {','.join(tables) or '—'} · {len(report.cells)} cells · {report.source}>"
    )


def report_html(report) -> str:
    """A header line, then each table as a small HTML table with Chinese row and column labels."""
    warnings = "".join(
        f"<li><code>{escape(w.code)}</code> {escape(w.message)}</li>" for w in report.warnings[:8]
    )
    more = len(report.warnings) - 8
    if more > 0:
        warnings += f"<li>… {more} more</li>"
    parts = [
        f"<div><b>{escape(report.agency or '（未识别机关）')}</b> {report.year or '—'} 年度 · "
        f"格式 {escape(report.format or '未识别')} · {escape(report.input_format or '')} · "
        f"可信度 {report.confidence:.2f} · 警告 {len(report.warnings)} · "
        f"<small>{escape(report.source)}</small></div>",
        f"<details><summary>警告 warnings ({len(report.warnings)})</summary><ul>{warnings}</ul>"
        "</details>"
        if report.warnings
        else "",
    ]
    for name in dict.fromkeys(report.cells["table"]):
        parts.append(_table_html(report, name))
    return "\n".join(parts)


def _table_html(report, name: str) -> str:
    wide = report.table(name)
    named = wide.rename(
        index=lambda r: f"{label('row', r, table=name)} ({r})",
        columns=lambda c: label("col", c, table=name),
    )
    body = named.to_html(na_rep="·", float_format=lambda v: f"{v:g}", border=0)
    return f"<details><summary>{escape(label('table', name))} ({name})</summary>{body}</details>"


def analysis_repr(analysis) -> str:
    counts = _severity_counts(analysis.findings)
    claims = sum(len(s.claims) for s in analysis.sentences)
    return (
        f"<Analysis {analysis.report.agency or '?'} {analysis.report.year or '?'} · "
        f"{len(analysis.sentences)} sentences · {claims} claims · findings {counts}>"
    )


def analysis_html(analysis) -> str:
    head = escape(analysis_repr(analysis)[1:-1])
    return f"<div>{head}</div>" + findings_html(analysis.findings)


def finding_repr(finding) -> str:
    return (
        f"<Finding {finding.severity} {finding.rule} · {finding.agency or '?'} "
        f"{finding.year or '?'} · {_cut(finding.message)} · {finding.fingerprint[:12]}>"
    )


def finding_html(finding) -> str:
    return findings_html([finding])


def findings_html(findings: list) -> str:
    """Findings as an HTML table: severity, rule, message, evidence, cells, fingerprint."""
    from nlp.export import cells_in_words

    rows = "".join(
        "<tr>"
        f"<td>{escape(label('severity', f.severity))}</td><td><code>{escape(f.rule)}</code></td>"
        f"<td>{escape(f.message)}</td><td>{escape(_cut(f.evidence or ''))}</td>"
        f"<td>{escape(cells_in_words(f.cells))}</td><td><code>{f.fingerprint[:12]}</code></td>"
        "</tr>"
        for f in findings
    )
    head = "".join(f"<th>{h}</th>" for h in ("", "规则", "说明", "原文", "表格", "指纹"))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _severity_counts(findings: list[Any]) -> str:
    counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
    return " ".join(f"{s} {n}" for s, n in counts.items())


def _cut(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= _TEXT_CUT else text[: _TEXT_CUT - 1] + "…"
