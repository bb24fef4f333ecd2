"""The people's view of `xxgk themes`: one Rich table row per sentence."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from rich.table import Table

if TYPE_CHECKING:
    import pandas as pd

FUNCTION_STYLE = {"achievement": "green", "problem": "red", "measure": "cyan", "framing": "dim"}


def _uncertain(row) -> bool:
    """Marked for review: a calibrated score under the model's threshold (see the model card)."""
    return bool(getattr(row, "uncertain", False))


def themes_table(table: pd.DataFrame | Mapping[str, Sequence], title: str) -> Table:
    """The sentences of `themes(report)`, or of its columns (`theme_columns`: no pandas)."""
    view = Table(title=title, show_lines=False)
    for column in ("section", "#", "theme", "function", "score", "sentence"):
        view.add_column(column, overflow="fold")
    for row in _rows(table):
        style = FUNCTION_STYLE.get(row.function, "")
        view.add_row(
            row.section,
            str(row.index),
            row.theme,
            f"[{style}]{row.function}[/{style}]" if style else row.function,
            f"{row.theme_score:.2f}" + (" [yellow]?[/yellow]" if _uncertain(row) else ""),
            row.text,
        )
    return view


def _rows(table: pd.DataFrame | Mapping[str, Sequence]) -> Iterator:
    if isinstance(table, Mapping):
        row = namedtuple("Row", table.keys())  # as the frame's itertuples names them
        return map(row, *table.values())
    return table.itertuples(index=False)
