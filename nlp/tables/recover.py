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
from math import prod

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
        return not any(map(str.isdigit, self.raw))  # `map` in C: asked of every cell, often


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
    if len(tokens) < ncols and constraint is not None:
        return _only_cut(tokens, ncols, may_split)  # likewise for digits with one cut only
    return []


def _only_cut(tokens: list[Token], ncols: int, may_split: bool) -> list[Fit]:
    """The one way of cutting the runs into `ncols` numbers ("0000100" into 7 single digits),
    when there is only one, whatever the arithmetic says; else nothing."""
    cuts = list(islice(_splits(tokens, ncols, None, may_split), 2))
    return cuts if len(cuts) == 1 else []


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
    """Cut digit runs into several numbers until there are `ncols`.

    The readings come in the order of trying every cut of every token (the first token's cuts
    outermost), but the search walks them part by part and leaves a branch as soon as no reading
    under it can fit: too many or too few parts, or a block whose sum already fails (a
    constraint's `viable`). The limits count what trying every cut would have tried, so they
    stop the search at the same reading.
    """
    spare = ncols - len(tokens)  # how many extra numbers the runs must yield
    if not tokens or spare <= 0 or any(len(t.raw) > MAX_INT_DIGITS * ncols for t in tokens):
        return  # no digits to cut, or too many: nothing
    runs = [_cut_tree(token, spare, may_split) for token in tokens]
    if any(run.count > MAX_CUTS for run in runs):
        return
    yield from islice(_Search(runs, ncols, constraint).fits(), MAX_CANDIDATES)


def _cut_tree(token: Token, spare: int, may_split: bool) -> _DigitRun | _FixedCuts:
    """The ways to cut one token: a digit run into 1..`most` numbers; a decimal or a signed
    run only before it; a blank or a lone digit kept whole."""
    splittable = not token.is_blank and (may_split or len(token.raw) >= 2)
    if not splittable:
        return _FixedCuts([[token.raw]])
    most = 1 + min(spare, len(token.raw) - 1)
    digits = token.raw[1:] if token.raw.startswith("-") else token.raw
    if "." in digits or "-" in digits:
        return _FixedCuts(list(_decimal_cuts(token.raw, most)))
    return _DigitRun(token.raw, most)


class _DigitRun:
    """The cuts of a digit run into 1..`most` numbers without leading zeros, as a tree walked
    part by part: a node is (position in the digits, parts left)."""

    def __init__(self, raw: str, most: int):
        self.sign, self.digits = ("-", raw[1:]) if raw.startswith("-") else ("", raw)
        self.most = most
        self.start = (0, most)
        self._counts = self._count_table()
        self.count = self._count(self.start)

    def is_end(self, node: tuple[int, int]) -> bool:
        return node[0] == len(self.digits)

    def most_from(self, node: tuple[int, int]) -> int:
        """The most parts the run can still yield from this node (one digit each at best)."""
        return min(node[1], len(self.digits) - node[0])

    def branches(self, node: tuple[int, int]) -> Iterator[tuple[str, tuple[int, int], int]]:
        """(next part, node after it, cuts in the branches before it), shortest part first."""
        position, left = node
        before = 0
        for end in self._ends(position, left):
            child = (end, left - 1)
            sign = self.sign if position == 0 else ""
            yield sign + self.digits[position:end], child, before
            before += self._count(child)

    def _ends(self, position: int, left: int) -> Iterator[int]:
        length = len(self.digits)
        if left == 0 or length - position > left * MAX_INT_DIGITS:
            return
        for end in range(position + 1, min(length, position + MAX_INT_DIGITS) + 1):
            if end - position > 1 and self.digits[position] == "0":
                break
            yield end

    def _count(self, node: tuple[int, int]) -> int:
        """How many cuts complete the run from this node."""
        return self._counts[node[1]][node[0]]

    def _count_table(self) -> list[list[int]]:
        """`[left][position]`: how many cuts complete the run from each node, filled from the
        end (the sums of `_ends`' children as slices, in C: a recursion over the nodes took
        most of the time of a row of table 四 run together)."""
        length = len(self.digits)
        table = [[0] * length + [1] for _ in range(self.most + 1)]  # at the end: one cut
        for left in range(1, self.most + 1):
            row, below = table[left], table[left - 1]
            for position in range(length - 1, -1, -1):
                if length - position > left * MAX_INT_DIGITS:
                    break  # and every position before it: too many digits for the parts
                if self.digits[position] == "0":
                    row[position] = below[position + 1]  # "0" stands alone
                else:
                    row[position] = sum(below[position + 1 : position + MAX_INT_DIGITS + 1])
        return table


class _FixedCuts:
    """A token's cuts listed in full, as the same tree: a node is (cut, parts taken)."""

    def __init__(self, cuts: list[list[str]]):
        self.cuts = cuts
        self.count = len(cuts)
        self.most = max(len(cut) for cut in cuts)
        self.start = (-1, 0)

    def is_end(self, node: tuple[int, int]) -> bool:
        cut, taken = node
        return cut >= 0 and taken == len(self.cuts[cut])

    def most_from(self, node: tuple[int, int]) -> int:
        cut, taken = node
        return self.most if cut < 0 else len(self.cuts[cut]) - taken

    def branches(self, node: tuple[int, int]) -> Iterator[tuple[str, tuple[int, int], int]]:
        cut, taken = node
        if cut < 0:
            for k, parts in enumerate(self.cuts):
                yield parts[0], (k, 1), k
        else:
            yield self.cuts[cut][taken], (cut, taken + 1), 0


class _Search:
    """Depth-first over the tokens' cut trees, in the order of `itertools.product` over their
    cuts; `index` is the position in that product of the first reading under a branch."""

    def __init__(self, runs: list[_DigitRun | _FixedCuts], ncols: int, constraint):
        self.runs = runs
        self.ncols = ncols
        self.constraint = constraint
        self.viable = getattr(constraint, "viable", None)
        self.strides = [prod(run.count for run in runs[i + 1 :]) for i in range(len(runs))]
        self.most_after = [sum(run.most for run in runs[i + 1 :]) for i in range(len(runs))]
        self.total = _TotalBound.of(runs, ncols, constraint)

    def fits(self) -> Iterator[Fit]:
        yield from self._walk(0, self.runs[0].start, [], [], 0)

    def _walk(self, i: int, node, parts: list[str], values: list, index: int) -> Iterator[Fit]:
        run = self.runs[i]
        if run.is_end(node):
            yield from self._next_token(i, parts, values, index)
            return
        if len(parts) + len(self.runs) - i > self.ncols:
            return  # every later token needs a part of its own
        if len(parts) + run.most_from(node) + self.most_after[i] < self.ncols:
            return  # the digits left cannot make enough parts
        if self.total is not None and not self.total.reachable(i, node[0], parts, values):
            return  # the digits left cannot complete a row whose blocks add up
        for part, child, before in run.branches(node):
            tried = index + before * self.strides[i]
            if tried > MAX_COMBINATIONS:
                return
            value = to_number(part) if any(map(str.isdigit, part)) else None
            extended = [*values, value]
            if self.viable is None or self.viable(extended, self.ncols):
                yield from self._walk(i, child, [*parts, part], extended, tried)

    def _next_token(self, i: int, parts: list[str], values: list, index: int) -> Iterator[Fit]:
        if len(parts) + self.most_after[i] < self.ncols:
            return
        if i + 1 < len(self.runs):
            yield from self._walk(i + 1, self.runs[i + 1].start, parts, values, index)
        elif len(parts) == self.ncols and (self.constraint is None or self.constraint(values)):
            yield Fit(values, parts, "ran_together")


class _TotalBound:
    """The row sums as a bound on the search, for a row of plain digit runs (a requests row or
    table 四 printed as one run: "65354672819767"). A branch is left unless the digits after
    its parts can still be cut into the missing cells so that every block ends with the sum of
    its other cells (`SumsToLast`). Without this the search tries every cut of a 14-digit run
    (tens of milliseconds); with it, only cuts that lead to a fit. It removes branches without
    a fit only, so the readings and their order are those of the whole search."""

    def __init__(self, runs: list[_DigitRun], ncols: int, width: int):
        self.ncols, self.width = ncols, width
        self.digits = "".join(run.digits for run in runs)
        self.run_start: list[int] = []  # where each run starts in `digits`
        self.run_end: list[int] = []  # where the run of each digit ends: no cell goes past it
        for run in runs:
            self.run_start.append(len(self.run_end))
            self.run_end += [len(self.run_end) + len(run.digits)] * len(run.digits)
        self._memo: dict[tuple[int, int, int], bool] = {}

    @classmethod
    def of(cls, runs, ncols: int, constraint) -> _TotalBound | None:
        """The bound where it holds: `SumsToLast` blocks that fill the row, over unsigned digit
        runs (a blank leaves a block unchecked, a decimal or a sign unbounded)."""
        if not isinstance(constraint, SumsToLast):
            return None
        width = constraint.width or ncols
        plain = all(isinstance(run, _DigitRun) and not run.sign for run in runs)
        return cls(runs, ncols, width) if plain and width * constraint.groups == ncols else None

    def reachable(self, i: int, position: int, parts: list[str], values: list) -> bool:
        """Whether the parts taken so far (`values`, up to `position` in run `i`) can be
        completed into a row whose blocks all add up."""
        taken = len(parts)
        block = int(sum(values[taken - taken % self.width :]))  # the open block's running sum
        return self._completes(self.run_start[i] + position, taken, block)

    def _completes(self, at: int, taken: int, block: int) -> bool:
        """Whether digits[at:] cut into the `ncols - taken` missing cells (within runs, at most
        `MAX_INT_DIGITS` digits, no leading zeros) make every block add up, the open one's
        other cells summing to `block` so far. Memoised: the branches meet the same rests."""
        if taken == self.ncols or at == len(self.digits):
            return taken == self.ncols and at == len(self.digits)
        key = (at, taken, block)
        known = self._memo.get(key)
        if known is None:
            if len(self._memo) >= _MAX_BOUND_STATES:
                return True  # out of budget: no pruning, the search decides as before
            known = self._memo[key] = self._cut_next(at, taken, block)
        return known

    def _cut_next(self, at: int, taken: int, block: int) -> bool:
        last = min(self.run_end[at], at + MAX_INT_DIGITS)
        if (taken + 1) % self.width == 0:  # the block's total: its sum, printed right here
            total = str(block)
            end = at + len(total)
            return (
                end <= last
                and self.digits.startswith(total, at)
                and self._completes(end, taken + 1, 0)
            )
        for end in range(at + 1, last + 1):
            running = block + int(self.digits[at:end])
            if not self._room(end, taken + 1, running):
                return False  # a longer cell leaves fewer digits for a larger total
            if self._completes(end, taken + 1, running):
                return True
            if self.digits[at] == "0":
                return False  # "0" stands alone
        return False

    def _room(self, at: int, taken: int, block: int) -> bool:
        """Whether the digits left can hold the missing cells: one digit each at least, the open
        block's total as many as its running sum has."""
        return len(self.digits) - at >= self.ncols - taken - 1 + len(str(block))


# How many (position, cell, running sum) states the bound may remember for one row; past that
# it stops pruning (a pathological run keeps the search's own limits).
_MAX_BOUND_STATES = 50000


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


def sums_to_last(groups: int = 1, width: int | None = None) -> SumsToLast:
    """Constraint: each block of `width` cells (all cells when None) ends with the sum of the
    cells before it."""
    return SumsToLast(groups, width)


@dataclass(frozen=True)
class SumsToLast:
    groups: int = 1
    width: int | None = None

    def __call__(self, values: list[Decimal | None]) -> bool:
        size = self.width or len(values)
        if len(values) != size * self.groups:
            return False
        return all(_sums_to_last(values[g * size : (g + 1) * size]) for g in range(self.groups))

    def viable(self, prefix: list[Decimal | None], ncols: int) -> bool:
        """Whether a reading of `ncols` cells that starts with `prefix` can still hold: not once
        a block is complete and its sum fails (the search calls this part by part, so only the
        block `prefix` has just completed is checked)."""
        size = self.width or ncols
        if ncols != size * self.groups:
            return False
        return len(prefix) % size != 0 or _sums_to_last(prefix[-size:])


def _sums_to_last(block: list[Decimal | None]) -> bool:
    """A block with a blank is not checked."""
    return any(v is None for v in block) or sum(block[:-1]) == block[-1]


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
