"""The people's view of `xxgk themes`: one Rich table row per sentence."""

from __future__ import annotations

import pandas as pd
from rich.table import Table

FUNCTION_STYLE = {"achievement": "green", "problem": "red", "measure": "cyan", "framing": "dim"}


def _uncertain(row) -> bool:
    """Marked for review: a calibrated score under the model's threshold (see the model card)."""
    return bool(getattr(row, "uncertain", False))


def themes_table(table: pd.DataFrame, title: str) -> Table:
    view = Table(title=title, show_lines=False)
    for column in ("section", "#", "theme", "function", "score", "sentence"):
        view.add_column(column, overflow="fold")
    for row in table.itertuples(index=False):
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
