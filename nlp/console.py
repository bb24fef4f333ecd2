"""Rich renderings of results for people (the CLI's output without --json)."""

from __future__ import annotations

import pandas as pd
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from nlp.report import SECTION_KEYS, Report, layouts

SECTION_NAMES = {
    "preamble": "前言",
    "overall": "一、总体情况",
    "active": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "review": "四、行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}


def report_view(report: Report) -> Group:
    return Group(
        _header(report),
        _sections(report),
        *[_table(report, t) for t in ("active", "requests", "review")],
        _warnings(report),
    )


def _header(report: Report) -> Panel:
    fmt = {"2019": "试行格式 (2019)", "2021": "修订格式 (2021)"}.get(report.format or "", "未识别")
    if report.mixed_layout:
        fmt += " · 混合版式"
    lines = [
        f"[bold]{report.agency or '（未识别机关）'}[/bold]  {report.year or '—'} 年度",
        f"格式: {fmt}   输入: {report.input_format}   可信度: {report.confidence:.2f}",
    ]
    if report.period:
        lines.append(f"统计期限: {report.period[0]} 至 {report.period[1]}")
    return Panel("\n".join(lines), title=report.source, title_align="left")


def _sections(report: Report) -> Table:
    table = Table(title="部分 sections", show_lines=False)
    table.add_column("key")
    table.add_column("部分")
    table.add_column("字数", justify="right")
    table.add_column("开头")
    for key in SECTION_KEYS:
        text = report.sections.get(key)
        if text is None:
            table.add_row(key, SECTION_NAMES[key], "—", Text("缺失 missing", style="red"))
            continue
        start = " ".join(text.split())[:40]
        table.add_row(key, SECTION_NAMES[key], str(len(text)), start)
    return table


def _table(report: Report, name: str) -> Table | Text:
    wide = report.table(name)
    title = layouts()["tables"][name]["title"]
    if wide.empty:
        return Text(f"{title}: 未读出 (not found)", style="red")
    table = Table(title=f"{title} ({name})")
    table.add_column("row")
    for col in wide.columns:
        table.add_column(str(col), justify="right")
    for row, values in wide.iterrows():
        table.add_row(str(row), *[_number(v) for v in values])
    return table


def _number(value: float) -> str:
    if pd.isna(value):
        return "·"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _warnings(report: Report) -> Table | Text:
    if not report.warnings:
        return Text("无警告 (no warnings)", style="green")
    table = Table(title="警告 warnings")
    table.add_column("code", style="yellow")
    table.add_column("message")
    for warning in report.warnings:
        table.add_row(warning.code, warning.message)
    return table


SUMMARY_COLUMNS = ("file", "agency", "year", "format", "cells", "sentences", "errors", "confidence")


def summary_table(rows: list[dict], title: str) -> Table:
    table = Table(title=title)
    for col in SUMMARY_COLUMNS:
        table.add_column(
            col, justify="right" if col in {"cells", "sentences", "errors"} else "left"
        )
    for row in rows:
        table.add_row(*[str(row.get(c, "")) for c in SUMMARY_COLUMNS])
    return table


SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "dim"}
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


def findings_view(source: str, findings: list) -> Group:
    """One report's findings, errors first: severity, rule, message, then the evidence sentence
    with the claimed number highlighted, next to the table cells it was compared with."""
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITY_STYLES}
    summary = "  ".join(
        f"[{SEVERITY_STYLES[s]}]{SEVERITY_NAMES[s]} {n}[/{SEVERITY_STYLES[s]}]"
        for s, n in counts.items()
    )
    if not findings:
        summary = "[green]未发现问题 (no findings)[/green]"
    order = {s: i for i, s in enumerate(SEVERITY_STYLES)}
    blocks = [_finding_block(f) for f in sorted(findings, key=lambda f: order[f.severity])]
    return Group(Panel(summary, title=source, title_align="left"), *blocks)


def _finding_block(finding) -> Text:
    style = SEVERITY_STYLES[finding.severity]
    block = Text.assemble(
        (f"[{SEVERITY_NAMES[finding.severity]}] ", style),
        (finding.rule, style),
        (f"  ({finding.section})" if finding.section else "", "dim"),
        "\n  ",
        finding.message,
    )
    if finding.kind in ("claim", "narrative") and finding.evidence:
        block.append("\n  原文：")
        block.append_text(_evidence(finding))
    if finding.cells and finding.kind != "table" or finding.kind == "cross_year":
        block.append("\n  表格：")
        block.append_text(_cells_text(finding.cells))
    block.append("\n")
    return block


def _evidence(finding) -> Text:
    text = Text(finding.evidence or "")
    claim = finding.claim or {}
    start, end = claim.get("start"), claim.get("end")
    if start is not None and end is not None:
        text.stylize("bold reverse", start, end)
    return text


def _cells_text(cells: list[dict]) -> Text:
    from nlp.checks.rules import cell_label, table_label

    parts = []
    for cell in cells[:6]:
        year = f"{cell['year']}年" if cell.get("year") else ""
        value = cell.get("value")
        shown = "空" if value is None or pd.isna(value) else _number(value)
        label = cell_label(cell["table"], cell["row"], cell["col"])
        parts.append(f"{year}{table_label(cell['table'])}“{label}”= {shown}")
    if len(cells) > 6:
        parts.append(f"…（另{len(cells) - 6}格）")
    return Text("；".join(parts), style="cyan")
