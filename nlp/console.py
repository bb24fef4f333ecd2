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


SUMMARY_COLUMNS = ("file", "agency", "year", "format", "cells", "warnings", "confidence")


def summary_table(rows: list[dict], title: str) -> Table:
    table = Table(title=title)
    for col in SUMMARY_COLUMNS:
        table.add_column(col, justify="right" if col in {"cells", "warnings"} else "left")
    for row in rows:
        table.add_row(*[str(row.get(c, "")) for c in SUMMARY_COLUMNS])
    return table
