"""Names for every key: the Chinese (or English) label of a table, row, column, theme, function.

One place to ask, over the data files that already hold the names: row and column labels come
from `tables/layouts.yaml` (and `checks/rules.yaml` for the headers table 二 prints only as
noise), theme, function and severity labels from `compare/compare.yaml`, English names from
`labels.yaml`. A key without a name stands for itself.

    label("theme", "proactive")                 # '主动公开'
    cell_labels("requests", "new", "total")     # ('表三', '本年新收政府信息公开申请数量', '总计')
    with_labels(frame)                          # row_label, col_label, table_label … columns
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml

LANGS: tuple[str, ...] = ("zh", "en")
# key column → (its label column, the vocabulary naming it); rows and columns need their table.
LABEL_COLUMNS: dict[str, tuple[str, str]] = {
    "table": ("table_label", "table"),
    "row": ("row_label", "row"),
    "col": ("col_label", "col"),
    "theme": ("theme_label", "theme"),
    "function": ("function_label", "function"),
}


@cache
def _english() -> dict[str, dict[str, str]]:
    text = resources.files("nlp").joinpath("labels.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["en"]


@cache
def _chinese(vocabulary: str) -> dict[str, str]:
    from nlp.checks import rules

    if vocabulary == "table":
        return dict(rules.config()["table_labels"])
    if vocabulary == "section":
        from nlp.console import SECTION_NAMES

        return dict(SECTION_NAMES)
    from nlp.compare.source import settings  # nlp.compare loads jinja2: only for its labels

    return dict(settings()["labels"][vocabulary])


def label(vocabulary: str, key: Any, lang: str = "zh", table: str | None = None) -> str:
    """The name of `key` in `vocabulary` (table, row, col, theme, function, severity, section).

    Rows and columns are named within their `table`. Unknown keys (and None) name themselves."""
    if key is None or (isinstance(key, float) and pd.isna(key)):
        return ""
    key = str(key)
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}; got {lang!r}")
    if vocabulary in ("row", "col"):
        if lang == "en" or table is None:
            return key
        from nlp.checks import rules

        return rules.row_label(table, key) if vocabulary == "row" else rules.col_label(table, key)
    names = _english().get(vocabulary, {}) if lang == "en" else _chinese(vocabulary)
    return names.get(key, key)


def cell_labels(table: str, row: str, col: str, lang: str = "zh") -> tuple[str, str, str]:
    """(table, row, col) labels of one cell."""
    return (
        label("table", table, lang),
        label("row", row, lang, table),
        label("col", col, lang, table),
    )


def with_labels(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """`frame` with a `<key>_label` column after each key column it has (table, row, col, theme,
    function), as strings. Rows and columns are named within the row's `table`."""
    out = frame.copy()
    tables = out["table"] if "table" in out.columns else pd.Series([None] * len(out), out.index)
    for key, (column, vocabulary) in LABEL_COLUMNS.items():
        if key not in out.columns:
            continue
        if vocabulary in ("row", "col"):
            values = [label(vocabulary, k, lang, t) for k, t in zip(out[key], tables, strict=True)]
        else:
            names = {k: label(vocabulary, k, lang) for k in out[key].dropna().unique()}
            values = [names.get(k, "") for k in out[key]]
        out.insert(out.columns.get_loc(key) + 1, column, pd.Series(values, out.index, "str"))
    return out


def english_message(finding: Any) -> str:
    """An English message for a finding (a Finding or its dict), built from its rule, claim and
    cells: the Chinese `message` is the one the rules write; this one says the same facts."""
    get = finding.get if isinstance(finding, dict) else lambda k: getattr(finding, k, None)
    cells = get("cells") or []
    shown = "; ".join(_cell_en(c) for c in cells[:6]) + ("; …" if len(cells) > 6 else "")
    kind, claim = get("kind"), get("claim") or {}
    if get("rule") == "claim.change" and claim:
        return (
            f"the narrative says a change of {_shown(claim.get('value'))} "
            f"({claim.get('metric') or 'a table cell'}) since last year; "
            f"the tables say {_yearly_totals(cells)}: {shown}"
        )
    if kind == "claim" and claim:
        told = sum(_number(c.get("value")) or 0 for c in cells)
        what = claim.get("metric") or "a table cell"
        return (
            f"the narrative says {_shown(claim.get('value'))} ({what}); "
            f"the table says {_shown(told)}: {shown}"
        )
    if kind == "cross_year":
        return f"this year's table does not continue last year's: {shown}"
    if kind == "narrative":
        return f"the figures of one sentence do not add up: {get('evidence') or ''}".strip()
    if not cells:
        return f"{get('rule')}: {get('evidence') or ''}".strip()
    others = f" against {len(cells) - 1} other cells" if len(cells) > 1 else ""
    return f"table cells do not add up ({get('rule')}): {_cell_en(cells[0])}{others}"


def _yearly_totals(cells: list[dict[str, Any]]) -> str:
    """'2023: 12, 2024: 15' — a change claim's cells come from two reports, never one sum."""
    totals: dict[Any, float] = {}
    for cell in cells:
        totals[cell.get("year")] = totals.get(cell.get("year"), 0) + (
            _number(cell.get("value")) or 0
        )
    return ", ".join(f"{year}: {_shown(total)}" for year, total in sorted(totals.items(), key=str))


def _cell_en(cell: dict[str, Any]) -> str:
    year = f"{cell['year']} " if cell.get("year") else ""
    return f"{year}{cell.get('table')}/{cell.get('row')}/{cell.get('col')} = {_shown(cell.get('value'))}"


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return float(value)


def _shown(value: Any) -> str:
    number = _number(value)
    if number is None:
        return "blank"
    return str(int(number)) if number.is_integer() else f"{number:g}"
