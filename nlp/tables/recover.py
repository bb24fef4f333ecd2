"""Recover a row's cells from number tokens that ran together or were split apart.

Crawled pages print table rows with no separators (``15130000154`` for 151, 3, 0, 0, 0, 0, 154);
PDF extraction sometimes splits a number (``2 0`` for 20). The table's own arithmetic decides:
a requests row must satisfy total = sum of the six applicant columns, a review row
total = the sum of its four results. Every way of cutting the digits is tried and only the cuts
that satisfy the arithmetic are kept; when more than one fits, the caller is told so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import islice, product

Constraint = Callable[[list[Decimal | None]], bool]

MAX_CANDIDATES = 2000
MAX_CUTS = 20000
MAX_COMBINATIONS = 200000
MAX_MERGES = 3
MAX_INT_DIGITS = 9


@dataclass(frozen=True)
class Token:
    """A cell as printed: digits (maybe several numbers run together) or a blank marker."""

    raw: str
    separated: bool = True  # printed with a separator (tab, pipe, line break, space) before it
    line_start: bool = False  # the first number of its line

    @property
    def is_blank(self) -> bool:
        return not any(ch.isdigit() for ch in self.raw)


@dataclass
class Fit:
    """The values of one row and how they were obtained."""

    values: list[Decimal | None]
    raws: list[str]
    how: str  # exact | split_digit | ran_together | ambiguous | unreadable
    candidates: int = 1


def to_number(raw: str) -> Decimal | None:
    text = raw.replace(",", "").strip()
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def fit_row(
    tokens: list[Token], ncols: int, constraint: Constraint | None, may_split: bool
) -> list[Fit]:
    """Every reading of `tokens` as `ncols` cells that the constraint accepts (best first)."""
    plain = _plain_fit(tokens, ncols)
    if plain is not None and (constraint is None or constraint(plain.values)):
        return [plain]
    if len(tokens) > ncols:
        merged = list(_merges(tokens, ncols, constraint))
        if merged:
            return merged
    if len(tokens) < ncols and (may_split or constraint is not None):
        split = list(_splits(tokens, ncols, constraint, may_split))
        if split:
            return split
    if plain is not None:
        return [plain]  # the row is read as printed; its arithmetic is the checker's business
    return []


def _plain_fit(tokens: list[Token], ncols: int) -> Fit | None:
    if len(tokens) != ncols:
        return None
    values = [None if t.is_blank else to_number(t.raw) for t in tokens]
    return Fit(values, [t.raw for t in tokens], "exact")


def _merges(tokens: list[Token], ncols: int, constraint: Constraint | None) -> Iterator[Fit]:
    """Join adjacent tokens (a number printed as "2 0") until `ncols` remain."""
    joins = len(tokens) - ncols
    if joins > MAX_MERGES:
        return
    gaps = len(tokens) - 1
    for chosen in _choose(gaps, joins):
        groups: list[str] = [tokens[0].raw]
        for i in range(1, len(tokens)):
            if (i - 1) in chosen:
                groups[-1] += tokens[i].raw
            else:
                groups.append(tokens[i].raw)
        if any(not _valid_int_text(g) for g in groups):
            continue
        values = [to_number(g) for g in groups]
        if constraint is None or constraint(values):
            yield Fit(values, groups, "split_digit")


def _splits(
    tokens: list[Token], ncols: int, constraint: Constraint | None, may_split: bool
) -> Iterator[Fit]:
    """Cut digit runs into several numbers until there are `ncols`."""
    spare = ncols - len(tokens)  # how many extra numbers the runs must yield
    if spare <= 0 or any(len(t.raw) > MAX_INT_DIGITS * ncols for t in tokens):
        return
    per_token = []
    for token in tokens:
        splittable = not token.is_blank and (may_split or len(token.raw) >= 2)
        most = 1 + min(spare, len(token.raw) - 1) if splittable else 1
        # Counted lazily: a long run has millions of cuts, and one over the limit is enough to know.
        cuts = list(islice(_cuts(token.raw, most), MAX_CUTS + 1)) if splittable else [[token.raw]]
        if len(cuts) > MAX_CUTS:
            return
        per_token.append(cuts)
    found = 0
    for tried, combo in enumerate(product(*per_token)):
        if tried > MAX_COMBINATIONS:
            return
        parts = [p for cut in combo for p in cut]
        if len(parts) != ncols:
            continue
        values = [None if not any(c.isdigit() for c in p) else to_number(p) for p in parts]
        if constraint is None or constraint(values):
            found += 1
            yield Fit(values, parts, "ran_together")
            if found >= MAX_CANDIDATES:
                return


def _cuts(run: str, limit: int) -> Iterator[list[str]]:
    """All ways to cut a digit run into 1..limit numbers without leading zeros."""
    sign, digits = ("-", run[1:]) if run.startswith("-") else ("", run)
    if "." in digits or "-" in digits:
        yield from _decimal_cuts(run, limit)
        return

    def rec(start: int, left: int) -> Iterator[list[str]]:
        if start == len(digits):
            yield []
            return
        if left == 0 or len(digits) - start > left * MAX_INT_DIGITS:
            return
        for end in range(start + 1, min(len(digits), start + MAX_INT_DIGITS) + 1):
            part = digits[start:end]
            if len(part) > 1 and part[0] == "0":
                break
            for rest in rec(end, left - 1):
                yield [part, *rest]

    for cut in rec(0, limit):
        yield [sign + cut[0], *cut[1:]]


def _decimal_cuts(run: str, limit: int) -> Iterator[list[str]]:
    """A run holding a decimal or a sign: cut only before it (``13575394432.52`` → n, amount)."""
    split_at = run.index(".") if "." in run else len(run)
    sign_at = run.find("-", 1)
    head_end = sign_at if sign_at > 0 else split_at
    yield [run]
    for cut in range(1, head_end):
        head, tail = run[:cut], run[cut:]
        if len(head) > 1 and head[0] == "0":
            continue
        if len(tail) > 1 and tail[0] == "0" and tail[1] != ".":
            continue
        if limit >= 2:
            yield [head, tail]


def _choose(n: int, k: int) -> Iterator[set[int]]:
    def rec(start: int, left: int, acc: list[int]) -> Iterator[set[int]]:
        if left == 0:
            yield set(acc)
            return
        for i in range(start, n - left + 1):
            yield from rec(i + 1, left - 1, [*acc, i])

    yield from rec(0, k, [])


def _valid_int_text(text: str) -> bool:
    return text.isdigit() and not (len(text) > 1 and text[0] == "0")


def sums_to_last(groups: int = 1, width: int | None = None) -> Constraint:
    """Constraint: each block of `width` cells ends with the sum of the cells before it."""

    def check(values: list[Decimal | None]) -> bool:
        size = width or len(values)
        if len(values) != size * groups:
            return False
        for g in range(groups):
            block = values[g * size : (g + 1) * size]
            if any(v is None for v in block):
                continue
            if sum(block[:-1]) != block[-1]:
                return False
        return True

    return check


def choose_by_columns(
    options: dict[str, list[Fit]], checks: list[Callable[[dict[str, Fit]], bool]]
) -> tuple[dict[str, Fit], int]:
    """Pick one fit per row so that the column rules hold; returns the choice and how many fit."""
    ambiguous = [row for row, fits in options.items() if len(fits) > 1]
    fixed = {row: fits[0] for row, fits in options.items() if fits}
    if not ambiguous:
        return fixed, 1
    combos = 1
    for row in ambiguous:
        combos *= len(options[row])
    if combos > 20000:
        return fixed, combos
    good = []
    for choice in product(*(options[row] for row in ambiguous)):
        trial = {**fixed, **dict(zip(ambiguous, choice, strict=True))}
        if all(check(trial) for check in checks):
            good.append(trial)
            if len(good) > 50:
                break
    if good:
        return good[0], len(good)
    return fixed, combos
