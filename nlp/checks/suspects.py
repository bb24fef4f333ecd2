"""Is a broken equation more likely the parser's misreading than the agency's mistake?

Two signs: the parser itself warned about a row the equation uses, or one cell would balance
the equation if a digit moved to or from a neighbour (2 read where 20 was printed, 120 where
12 and 0 were), which is how flattened PDF tables go wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nlp.checks.selectors import CellRef


@dataclass(frozen=True)
class SplitDigit:
    """Cell `ref` holds `value`; `needed` would balance the equation."""

    ref: CellRef
    value: float
    needed: float


def warned_rows(refs: Iterable[CellRef], warnings: dict[tuple[str, str, str], list[str]]):
    """(ref, codes) for the first cell of each row the parser warned about, in order."""
    seen: set[tuple[str, str, str]] = set()
    for ref in refs:
        key = (ref.slot, ref.table, ref.row)
        if key in warnings and key not in seen:
            seen.add(key)
            yield ref, warnings[key]


def split_digit_cells(terms: list[tuple[int, CellRef, float]], residual: float) -> list[SplitDigit]:
    """Cells that a digit moved in or out of would explain; `residual` is lhs − rhs."""
    found = []
    for sign, ref, value in terms:
        needed = value - residual / sign
        if digits_related(value, needed):
            found.append(SplitDigit(ref, value, needed))
    return found


def digits_related(a: float, b: float) -> bool:
    """True when one number's digits are the other's with digits added at one end (2 ↔ 20, 12)."""
    if not (_is_count(a) and _is_count(b)) or a == b:
        return False
    short, long = sorted((str(int(a)), str(int(b))), key=len)
    return len(short) < len(long) and (long.startswith(short) or long.endswith(short))


def _is_count(value: float) -> bool:
    return value >= 0 and float(value).is_integer()
