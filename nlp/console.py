"""Rich renderings of results for people (the CLI's output without --json)."""

from __future__ import annotations

import pandas as pd
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from nlp.labels import cell_labels, english_message, label
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


def report_view(report: Report, lang: str = "zh") -> Group:
    return Group(
        _header(report),
        _sections(report),
        *[_table(report, t, lang) for t in ("active", "requests", "review")],
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


def _table(report: Report, name: str, lang: str = "zh") -> Table | Text:
    """A table with its rows and columns named (the key under the label, so that both can be
    looked up), folded rather than cut at a narrow terminal."""
    wide = report.table(name)
    title = layouts()["tables"][name]["title"]
    if wide.empty:
        return Text(f"{title}: 未读出 (not found)", style="red")
    table = Table(title=f"{label('table', name, lang)} {title} ({name})")
    table.add_column("row", overflow="fold", ratio=3)
    for col in wide.columns:
        header = f"{label('col', col, lang, name)}\n[dim]{col}[/dim]" if lang == "zh" else str(col)
        table.add_column(header, justify="right", overflow="fold", ratio=1)
    for row, values in wide.iterrows():
        name_cell = (
            f"{label('row', row, lang, name)} [dim]{row}[/dim]" if lang == "zh" else str(row)
        )
        table.add_row(name_cell, *[_number(v) for v in values])
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


def findings_view(
    source: str,
    findings: list,
    dismissed: set[str] | frozenset[str] = frozenset(),
    lang: str = "zh",
    reading=None,
) -> Group:
    """One report's findings, errors first: severity, rule, message, then the evidence sentence
    with the claimed number highlighted, the table cells it was compared with, and the
    fingerprint that dismisses it. Dismissed findings (when shown) are marked."""
    if reading is not None:  # said in the header instead
        findings = [f for f in findings if not f.rule.startswith("reading.")]
    live = [f for f in findings if f.fingerprint not in dismissed]
    counts = {s: sum(f.severity == s for f in live) for s in SEVERITY_STYLES}
    summary = "  ".join(
        f"[{SEVERITY_STYLES[s]}]{label('severity', s, lang)} {n}[/{SEVERITY_STYLES[s]}]"
        for s, n in counts.items()
    )
    if not live:
        summary = (
            "[green]未发现问题 (no findings)[/green]" if lang == "zh" else "[green]no findings"
        )
    if len(live) < len(findings):
        summary += f"  [dim]已忽略 dismissed {len(findings) - len(live)}[/dim]"
    order = {s: i for i, s in enumerate(SEVERITY_STYLES)}
    ranked = sorted(findings, key=lambda f: (f.fingerprint in dismissed, order[f.severity]))
    blocks = [_finding_block(f, f.fingerprint in dismissed, lang) for f in ranked]
    if reading is not None:
        summary = _reading_lines(reading) + "\n" + summary
    return Group(Panel(summary, title=source, title_align="left"), *blocks)


def _reading_lines(reading) -> str:
    """The file's header: how well it was read (nlp.checks.reading.Reading), a fragment said
    first; the reading's own findings are these lines, not blocks."""
    lines = []
    if reading.fragment:
        lines.append(f"[bold yellow]片段 fragment[/bold yellow]：缺少{'、'.join(reading.missing)}")
    style = "green" if reading.confidence >= 0.9 else "yellow"
    line = f"可信度 confidence [{style}]{reading.confidence:.2f}[/{style}]"
    if reading.warnings:
        line += f"  解析警告 warnings：{reading.warning_counts()}"
    lines.append(line)
    return "\n".join(lines)


def _finding_block(finding, dismissed: bool = False, lang: str = "zh") -> Text:
    style = "dim" if dismissed else SEVERITY_STYLES[finding.severity]
    block = Text.assemble(
        ("[已忽略 dismissed] " if dismissed else "", "dim"),
        (f"[{label('severity', finding.severity, lang)}] ", style),
        (finding.rule, style),
        (f"  ({finding.section})" if finding.section else "", "dim"),
        "\n  ",
        finding.message if lang == "zh" else english_message(finding),
    )
    if finding.kind in ("claim", "narrative") and finding.evidence:
        block.append("\n  原文：" if lang == "zh" else "\n  text: ")
        block.append_text(_evidence(finding))
    if finding.cells:
        block.append("\n  表格：" if lang == "zh" else "\n  cells: ")
        block.append_text(_cells_text(finding.cells, lang))
    block.append("\n  fingerprint: ", style="dim")
    block.append(finding.fingerprint, style="dim")
    block.append("\n")
    return block


def rule_statistics(findings: list, lang: str = "zh") -> pd.DataFrame:
    """Findings counted per rule (ruff's --statistics): rule, severity, count, most first."""
    rows = {}
    for finding in findings:
        key = (finding.rule, finding.severity)
        rows[key] = rows.get(key, 0) + 1
    frame = pd.DataFrame(
        [{"rule": r, "severity": s, "count": n} for (r, s), n in rows.items()],
        columns=["rule", "severity", "count"],
    )
    frame["severity_label"] = [label("severity", s, lang) for s in frame["severity"]]
    return frame.sort_values(["count", "rule"], ascending=[False, True], ignore_index=True)


def statistics_view(frame: pd.DataFrame) -> Table:
    table = Table(title="规则统计 statistics")
    table.add_column("count", justify="right")
    table.add_column("rule")
    table.add_column("severity")
    for row in frame.itertuples():
        style = SEVERITY_STYLES.get(row.severity, "")
        table.add_row(str(row.count), row.rule, Text(row.severity_label, style=style))
    return table


def _evidence(finding) -> Text:
    text = Text(finding.evidence or "")
    claim = finding.claim or {}
    start, end = claim.get("start"), claim.get("end")
    if start is not None and end is not None:
        text.stylize("bold reverse", start, end)
    return text


def _cells_text(cells: list[dict], lang: str = "zh") -> Text:
    """Every cell the finding compared, named and keyed: 表三“本年新收…/总计”(requests/new/total)= 5."""
    parts = []
    for cell in cells:
        year = f"{cell['year']}年" if cell.get("year") else ""
        value = cell.get("value")
        shown = "空" if value is None or pd.isna(value) else _number(value)
        key = f"{cell['table']}/{cell['row']}/{cell['col']}"
        if lang == "en":
            parts.append(f"{year}{key} = {shown}")
            continue
        table, row, col = cell_labels(cell["table"], cell["row"], cell["col"])
        parts.append(f"{year}{table}“{row}/{col}”({key})= {shown}")
    return Text("\n    ".join(parts), style="cyan")  # a cell a line: they are long
