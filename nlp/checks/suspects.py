"""Is a broken rule the parser's doubt rather than the agency's inconsistency?

Only where the reading itself is in doubt: the parser warned, in one of the codes of rules.yaml
`parse_suspect.doubt`, about a row the rule (or claim) uses, or about the whole table (a warning
naming no row: orphan numbers, a grid it could not map). Values read with one arithmetic reading,
split digits joined back and fuzzily matched labels are read values, not doubts.
"""

from __future__ import annotations

from collections.abc import Iterable

from nlp.checks import rules as vocab
from nlp.report import ParseWarning

# (table, row) → why the row's reading is in doubt; row None: the whole table.
Doubts = dict[tuple[str, str | None], str]


def doubts(warnings: Iterable[ParseWarning]) -> Doubts:
    """The rows (and tables) whose reading the warnings put in doubt, with the first reason."""
    why = _texts()["doubt"]
    found: Doubts = {}
    for warning in warnings:
        if warning.code in why and warning.table:
            found.setdefault((warning.table, warning.row), why[warning.code])
    return found


def suspect_clause(rows: Iterable[tuple[str, str]], found: Doubts) -> str | None:
    """One clause naming the first doubtful (table, row) among `rows` and why, or None."""
    if not found:
        return None
    texts = _texts()
    doubtful = []
    for table, row in dict.fromkeys(rows):
        why = found.get((table, row))
        if why is not None:
            doubtful.append((table, row, why))
        elif (table, None) in found:
            doubtful.append((table, None, found[(table, None)]))
    if not doubtful:
        return None
    table, row, why = doubtful[0]
    label = vocab.table_label(table)
    if row is None:
        return texts["table"].format(table_label=label, why=why)
    clause = texts["row"].format(table_label=label, row_label=vocab.row_label(table, row), why=why)
    others = len({(t, r) for t, r, _ in doubtful[1:] if r is not None and (t, r) != (table, row)})
    return clause + (texts["more"].format(count=others) if others else "")


def _texts() -> dict:
    return vocab.config()["parse_suspect"]
