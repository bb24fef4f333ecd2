"""The comparative report: one self-contained HTML file (styles, script and SVG charts inline)."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from nlp.compare import charts
from nlp.compare.finding_table import agencies_by_findings, cell_rows, findings, segments
from nlp.compare.similarity import repeated_sentences, repetition, shared_text
from nlp.compare.source import Batch, Tables, as_tables, label, reports_with_keys, settings
from nlp.compare.summary import findings_by_kind, overview, parse_warning_counts, reports_by_year
from nlp.compare.themes import achievement_vs_problem, theme_distribution, theme_profiles
from nlp.compare.yoy import year_over_year

_HISTOGRAM_BINS = 10
_TITLE_AGENCIES = 3
_PROFILE_CONTRAST = 0.05  # a theme share this far from the peers' is coloured


def write_html(batch: Batch, out_html: str | os.PathLike[str], title: str | None = None) -> Path:
    """Write the comparative report of a batch (its output folder or `nlp.batch.load` tables);
    the title says what the batch holds unless `title` is given."""
    page = render_html(batch, title)
    path = Path(out_html)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path


def render_html(batch: Batch, title: str | None = None) -> str:
    """The report as one HTML string."""
    tables = as_tables(batch)
    context = {
        "title": title or batch_title(tables),
        "overview": _overview(tables),
        "findings": _findings(tables),
        "themes": _themes(tables),
        "repetition": _repetition(tables),
        "yoy": _year_over_year(tables),
    }
    return _environment().get_template("report.html.j2").render(**context)


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("nlp.compare", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["pct"] = lambda v: "—" if v is None else f"{v:.0%}"
    environment.filters["num"] = lambda v: "—" if v is None else f"{v:g}"
    return environment


def batch_title(tables: Tables) -> str:
    """What the batch holds: its agencies (the first few by name), years and reports."""
    named = reports_with_keys(tables)["agency_key"]
    agencies = sorted(set(named[named.ne("")]))
    shown = "、".join(agencies[:_TITLE_AGENCIES])
    if len(agencies) > _TITLE_AGENCIES:
        shown += f"等 {len(agencies)} 个机关"
    years = tables["reports"]["year"].dropna()
    span = _year_span(int(years.min()), int(years.max())) if len(years) else ""
    parts = [shown, f"{span} 年度" if span else "", f"{len(tables['reports'])} 份报告"]
    return " · ".join(part for part in parts if part)


def _palette() -> list[str]:
    return settings()["html"]["palette"]


def _overview(tables: Tables) -> dict[str, Any]:
    measures = dict(overview(tables).itertuples(index=False, name=None))
    shown = tables["findings"]["severity"].value_counts()
    cards = [
        ("报告", _count(measures["reports"])),
        ("机关", _count(measures["agencies"])),
        ("年度", _year_span(measures["year_first"], measures["year_last"])),
        ("无法读取", _count(measures["unreadable"])),
        ("解析警告", _count(measures["parse_warnings"])),
        ("错误", int(shown.get("error", 0))),
        ("警告", int(shown.get("warning", 0))),
    ]
    formats = [
        (k.split(".", 1)[1], v) for k, v in measures.items() if k.startswith("input_format.")
    ]
    return {
        "cards": cards,
        "formats": formats,
        "charts": [_reports_chart(tables), _findings_kind_chart(tables)]
        if len(tables["reports"])
        else [],
        "warnings": [
            {**w, "label": label("warning_code", w["code"])}
            for w in parse_warning_counts(tables).to_dict("records")
        ],
        "errors": tables["errors"].fillna("").to_dict("records"),
        "reports": _report_rows(tables),
    }


def _report_rows(tables: Tables) -> list[dict[str, Any]]:
    """Every report read, so that one without an agency or a year is still listed by its file."""
    frame = tables["reports"].sort_values(["agency", "year", "source"], na_position="last")
    return [
        {
            "agency": r["agency"] if isinstance(r["agency"], str) else label("unknown", None),
            "year": _year(r["year"]),
            "input_format": r["input_format"] or "",
            "format": label("table_format", r["format"] if isinstance(r["format"], str) else None),
            "confidence": _share(r["confidence"]),
            "warnings": _count(r["n_parse_warnings"]),
            "findings": _count(r["n_errors"]) + _count(r["n_warnings"]),
            **source_link(r["source"]),
        }
        for r in frame.to_dict("records")
    ]


def source_link(source: Any) -> dict[str, str]:
    """A report's file: its name, and a link when the path is reachable from here."""
    if not isinstance(source, str) or not source:
        return {"file": "", "href": ""}
    path = Path(source)
    return {"file": path.name, "href": path.resolve().as_uri() if path.exists() else ""}


def _count(value: Any) -> int:
    return 0 if value is None or pd.isna(value) else int(value)


def _year_span(first, last) -> str:
    if first is None or pd.isna(first):
        return "—"
    first, last = int(first), int(last)
    return str(first) if first == last else f"{first}–{last}"


def _reports_chart(tables: Tables) -> charts.Chart:
    counts = reports_by_year(tables)
    grid = counts.pivot_table(index="year", columns="input_format", values="n", fill_value=0)
    series = [(str(c), grid[c].tolist(), _palette()[i % 10]) for i, c in enumerate(grid.columns)]
    years = [str(y) for y in grid.index]
    title = f"各年度报告数（按输入格式，n={int(counts['n'].sum())}）"
    return charts.bar_chart("reports_by_year", title, years, series, length=220)


def _findings_kind_chart(tables: Tables) -> charts.Chart:
    counts = findings_by_kind(tables)
    grid = counts.pivot_table(index="kind", columns="severity", values="n", fill_value=0)
    colours = settings()["html"]["severity_colors"]
    series = [
        (label("severity", s), grid[s].tolist(), colours[s])
        for s in settings()["labels"]["severity"]
        if s in grid.columns
    ]
    kinds = [label("finding_kind", k) for k in grid.index]
    return charts.bar_chart(
        "findings_by_kind",
        f"发现的问题（按类型与严重程度，n={int(counts['n'].sum())}）",
        kinds,
        series,
        horizontal=True,
        length=360,
    )


def _findings(tables: Tables) -> dict[str, Any]:
    frame = findings(tables)
    reports = tables["reports"].set_index("report_id")["source"]
    frame["source"] = frame["source"].fillna(frame["report_id"].map(reports))
    rows = [
        {
            "severity": r.severity,
            "severity_label": label("severity", r.severity),
            "kind_label": label("finding_kind", r.kind),
            "agency": r.agency or label("unknown", None),
            "year": "" if pd.isna(r.year) else int(r.year),
            "rule": r.rule,
            "message": r.message,
            "section": label("section", r.section) if isinstance(r.section, str) else "",
            "evidence": segments(r.evidence, r.highlight),
            "cells": cell_rows(r.cells),
            "fingerprint": r.fingerprint if isinstance(r.fingerprint, str) else "",
            **source_link(r.source),
        }
        for r in frame.itertuples(index=False)
    ]
    top = agencies_by_findings(tables, top=settings()["html"]["top_agencies"])
    colours = settings()["html"]["severity_colors"]
    chart = charts.bar_chart(
        "top_agencies",
        f"问题最多的机关（前 {len(top)} 个）",
        top["agency"].tolist(),
        [
            ("错误", top["errors"].tolist(), colours["error"]),
            ("警告", top["warnings"].tolist(), colours["warning"]),
        ],
        horizontal=True,
        length=300,
    )
    return {
        "rows": rows,
        "chart": chart if len(top) else None,
        "agencies": sorted({r["agency"] for r in rows}),
        "years": sorted({r["year"] for r in rows if r["year"] != ""}),
        "rules": sorted({r["rule"] for r in rows}),
    }


def _themes(tables: Tables) -> dict[str, Any]:
    themes = list(settings()["labels"]["theme"])
    theme_labels = [label("theme", t) for t in themes]
    by_level = theme_distribution(tables, by=("level",))
    grid = by_level.pivot_table(index="level", columns="theme", values="share", dropna=False)
    grid = grid.reindex(columns=themes)
    levels = [lv for lv in settings()["labels"]["level"] if lv in grid.index]
    heat = charts.heatmap(
        "themes_by_level",
        f"各层级机关叙述句子的主题分布（n={len(tables['sentences'])} 句）",
        [label("level", lv) for lv in levels],
        theme_labels,
        [[_share(grid.at[lv, t]) for t in themes] for lv in levels],
    )
    balance = achievement_vs_problem(tables).set_index("theme").reindex(themes, fill_value=0)
    colours = _palette()
    bars = charts.bar_chart(
        "achievement_vs_problem",
        f"各主题：工作成效、存在问题与改进措施（句数，n={int(balance[['achievement', 'problem', 'measure']].to_numpy().sum())}）",
        theme_labels,
        [
            (label("function", f), balance[f].tolist(), colours[i])
            for i, f in enumerate(("achievement", "problem", "measure"))
        ],
        stacked=False,
        horizontal=True,
        length=360,
    )
    return {
        "charts": [heat, bars],
        "theme_labels": theme_labels,
        "balance": _balance_rows(balance, themes),
        "profiles": (profiles := _profile_rows(tables, themes)),
        "show_peers": any(p["peers"] for p in profiles),
        "agencies": sorted(tables["reports"]["agency"].dropna().unique()),
    }


def _balance_rows(balance: pd.DataFrame, themes: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "theme": label("theme", t),
            "achievement": int(balance.at[t, "achievement"]),
            "problem": int(balance.at[t, "problem"]),
            "measure": int(balance.at[t, "measure"]),
            "problem_share": _share(balance.at[t, "problem_share"]),
        }
        for t in themes
    ]


def _profile_rows(tables: Tables, themes: list[str]) -> list[dict[str, Any]]:
    profiles = theme_profiles(tables)
    values = ["share", "peer_share", "previous_share"]
    cells = {
        (r["report_id"], r["theme"]): _profile_cell(*(_share(r[c]) for c in values))
        for r in profiles[["report_id", "theme", *values]].to_dict("records")
    }
    reports = profiles.drop_duplicates("report_id").sort_values(["agency", "year", "report_id"])
    return [
        {
            "agency": r["agency"] if isinstance(r["agency"], str) else label("unknown", None),
            "year": _year(r["year"]),
            "level": label("level", r["level"] or None),
            "kind": label("kind", r["agency_kind"] or None),
            "peers": int(r["peers"]),
            "cells": [
                cells.get((r["report_id"], t), _profile_cell(None, None, None)) for t in themes
            ],
        }
        for r in reports.to_dict("records")
    ]


def _profile_cell(share: float | None, peer: float | None, previous: float | None) -> dict:
    tone = ""
    if share is not None and peer is not None and abs(share - peer) >= _PROFILE_CONTRAST:
        tone = "above" if share > peer else "below"
    return {"share": share, "peer": peer, "previous": previous, "tone": tone}


def _repetition(tables: Tables) -> dict[str, Any]:
    evidence = repeated_sentences(tables)
    per_report = repetition(tables, evidence)
    flag = settings()["repetition"]["flag_share"]
    compared = per_report.dropna(subset=["share"])
    bins = [0] * _HISTOGRAM_BINS
    for share in compared["share"]:
        bins[min(_HISTOGRAM_BINS - 1, int(share * _HISTOGRAM_BINS))] += 1
    step = 100 // _HISTOGRAM_BINS
    chart = charts.bar_chart(
        "repetition_histogram",
        f"与本机关上一年报告重复的叙述句子占比（报告数，n={len(compared)}）",
        [f"{k * step}–{(k + 1) * step}%" for k in range(_HISTOGRAM_BINS)],
        [("", bins, _palette()[0])],
        length=220,
        step=64,
        marker=flag * _HISTOGRAM_BINS,
        marker_label=f"{flag:.0%}",
    )
    evidence = evidence.sort_values(["report_id", "section", "index"])
    by_report: dict[str, list[dict[str, Any]]] = {}
    for e in evidence[["report_id", "text", "previous_text", "similarity", "match"]].to_dict(
        "records"
    ):
        by_report.setdefault(e["report_id"], []).append(e)
    rows = [
        {
            "agency": r.agency,
            "year": int(r.year),
            "previous_year": int(r.previous_year),
            "sentences": int(r.sentences),
            "exact": int(r.exact),
            "near": int(r.near),
            "share": float(r.share),
            "flagged": bool(r.flagged),
            "evidence": by_report.get(r.report_id, []),
        }
        for r in compared.sort_values("share", ascending=False).itertuples(index=False)
    ]
    return {
        "chart": chart,
        "rows": rows,
        "flag": flag,
        "flagged": sum(r["flagged"] for r in rows),
        "pairs": _shared_pairs(shared_text(tables)),
    }


def _shared_pairs(shared: pd.DataFrame) -> list[dict[str, Any]]:
    pairs = []
    for (_, _), group in shared.groupby(["report_id", "other_report_id"], sort=False):
        first = group.iloc[0]
        pairs.append(
            {
                "agency": first["agency"],
                "year": _year(first["year"]),
                "other_agency": first["other_agency"],
                "other_year": _year(first["other_year"]),
                "n_shared": int(first["n_shared"]),
                "evidence": list(zip(group["text"], group["other_text"], strict=True)),
            }
        )
    return pairs


def _year_over_year(tables: Tables) -> dict[str, Any]:
    frame = year_over_year(tables)
    options = settings()["year_over_year"]
    metric_labels = [spec["label"] for spec in options["metrics"].values()]
    agencies = []
    named = frame[frame["agency_key"].fillna("").ne("")]
    for agency, group in named.groupby("agency_key", sort=True):
        agencies.append(_agency_block(agency, group, options["headline"]))
    return {
        "chart": _yoy_total_chart(tables, frame, options["headline"]),
        "metric_labels": metric_labels,
        "agencies": agencies,
        "anomalies": int(frame["anomaly"].sum()),
        "headline": options["metrics"][options["headline"]]["label"],
    }


def _agency_block(agency: str, group: pd.DataFrame, headline: str) -> dict[str, Any]:
    dated = group.dropna(subset=["year"])
    years = sorted({int(y) for y in dated["year"]})
    by_year = dated.groupby(["year", "metric"], sort=False).agg(
        value=("value", "mean"),
        anomaly=("anomaly", "any"),
        change=("change", "mean"),
        previous_year=("previous_year", "max"),
    )
    cells = {
        key: _yoy_cell(row)
        for key, row in zip(by_year.index, by_year.to_dict("records"), strict=True)
    }
    empty = {"value": None, "anomaly": False, "tip": ""}
    line = [cells.get((y, headline), empty) for y in years]
    cross_year = dated.drop_duplicates("report_id").groupby("year")["cross_year_findings"].sum()
    metrics = list(settings()["year_over_year"]["metrics"])
    return {
        "agency": agency,
        "chart": charts.sparkline(
            "yoy_spark",
            _metric_label(headline),
            years,
            [c["value"] for c in line],
            [c["anomaly"] for c in line],
            colour=_palette()[0],
            alarm=settings()["html"]["severity_colors"]["error"],
        ),
        "rows": [
            {
                "year": y,
                "cells": [cells.get((y, m), empty) for m in metrics],
                "cross_year": int(cross_year.get(y, 0)),
            }
            for y in years
        ],
        "anomalies": int(group["anomaly"].sum()),
    }


def _metric_label(metric: str) -> str:
    return settings()["year_over_year"]["metrics"][metric]["label"]


def _yoy_cell(row: dict[str, Any]) -> dict[str, Any]:
    value, change = _number(row["value"]), _number(row["change"])
    tip = "" if change is None else f"较{int(row['previous_year'])}年 {change:+g}"
    return {"value": value, "anomaly": bool(row["anomaly"]), "tip": tip}


def _yoy_total_chart(tables: Tables, frame: pd.DataFrame, headline: str) -> charts.Chart:
    chosen = frame[(frame["metric"] == headline) & frame["value"].notna()].merge(
        tables["reports"][["report_id", "level"]], on="report_id", how="left"
    )
    # A mean per report, not a sum: a sum grows with whichever reports the batch happens to hold.
    grid = chosen.pivot_table(index="year", columns="level", values="value", aggfunc="mean")
    levels = [lv for lv in settings()["labels"]["level"] if lv in grid.columns]
    series = [
        (label("level", lv), [_number(v) or 0 for v in grid[lv]], _palette()[i % 10])
        for i, lv in enumerate(levels)
    ]
    metric = settings()["year_over_year"]["metrics"][headline]["label"]
    title = f"各年度每份报告的{metric}（按层级平均，n={chosen['report_id'].nunique()} 份报告）"
    return charts.bar_chart(
        "yoy_total", title, [str(y) for y in grid.index], series, stacked=False, length=220
    )


def _share(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _number(value: Any) -> float | None:
    if value is None or pd.isna(value) or (isinstance(value, float) and math.isinf(value)):
        return None
    return float(value)


def _year(value: Any) -> int | str:
    return "" if pd.isna(value) else int(value)
