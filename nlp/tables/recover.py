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
from functools import cached_property
from itertools import product
from math import prod
from typing import NamedTuple

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
        split = _splits(tokens, ncols, constraint, may_split)
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
    cuts = _splits(tokens, ncols, None, may_split, limit=2)
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
    tokens: list[Token],
    ncols: int,
    constraint: Constraint | None,
    may_split: bool,
    limit: int = MAX_CANDIDATES,
) -> list[Fit]:
    """Cut digit runs into several numbers until there are `ncols` (the first `limit` readings).

    The readings come in the order of trying every cut of every token (the first token's cuts
    outermost), but the search walks them part by part and leaves a branch as soon as no reading
    under it can fit: too many or too few parts, or a block whose sum already fails (a
    constraint's `viable`, or the row sums' bound). The limits count what trying every cut would
    have tried, so they stop the search at the same reading.
    """
    spare = ncols - len(tokens)  # how many extra numbers the runs must yield
    if not tokens or spare <= 0 or any(len(t.raw) > MAX_INT_DIGITS * ncols for t in tokens):
        return []  # no digits to cut, or too many: nothing
    runs = [_cut_tree(token, spare, may_split) for token in tokens]
    if any(run.most_cuts > MAX_CUTS and run.count > MAX_CUTS for run in runs):
        return []
    return _Search(runs, ncols, constraint, limit).fits()


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


class _Branch(NamedTuple):
    """One way to take a token's next part, with what the search asks of it (made once)."""

    part: str
    child: tuple[int, int]  # the node after the part
    before: int  # the token's cuts in the branches before this one
    ends: bool  # the token's last part
    most: int  # the most parts the token can still yield after it


class _DigitRun:
    """The cuts of a digit run into 1..`most` numbers without leading zeros, as a tree walked
    part by part: a node is (position in the digits, parts left)."""

    def __init__(self, raw: str, most: int):
        self.sign, self.digits = ("-", raw[1:]) if raw.startswith("-") else ("", raw)
        self.most = most
        self.start = (0, most)
        # A digit run has at most 2^(digits - 1) cuts (each gap cut or not): the search needs
        # the count exactly only when that may pass a limit.
        self.most_cuts = 2 ** (len(self.digits) - 1)
        self._branches: dict[tuple[int, int], tuple[_Branch, ...]] = {}

    def branches(self, node: tuple[int, int]) -> tuple[_Branch, ...]:
        """The parts that can follow a node, shortest first. Remembered: the search comes back
        to a node under every reading of the tokens before it and every running sum."""
        known = self._branches.get(node)
        if known is None:
            known = self._branches[node] = tuple(self._make_branches(*node))
        return known

    def _make_branches(self, position: int, left: int) -> Iterator[_Branch]:
        length = len(self.digits)
        sign = self.sign if position == 0 else ""
        before = 0
        for end in self._ends(position, left):
            child = (end, left - 1)
            cuts = self._count(child)
            if cuts:  # else no cut of the run goes on from there
                part = sign + self.digits[position:end]
                yield _Branch(part, child, before, end == length, min(left - 1, length - end))
            before += cuts

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

    @cached_property
    def count(self) -> int:
        """How many cuts the run has."""
        return self._count(self.start)

    @cached_property
    def _counts(self) -> list[list[int]]:
        return self._count_table()

    def before(self, position: int, left: int, end: int) -> int:
        """The cuts in the branches of node (position, left) before the part ending at `end`."""
        return sum(self._counts[left - 1][position + 1 : end])

    def _count_table(self) -> list[list[int]]:
        """`[left][position]`: how many cuts complete the run from each node, filled from the
        end, a window of the children's counts slid along (a recursion over the nodes took most
        of the time of a row of table 四 run together). Only the nodes a cut can reach are
        counted: with `left` parts left, `most - left` parts of a digit at least were taken."""
        length, digits = len(self.digits), self.digits
        table = [[0] * length + [1] for _ in range(self.most + 1)]  # at the end: one cut
        for left in range(1, self.most + 1):
            row, below = table[left], table[left - 1]
            first = max(self.most - left, length - left * MAX_INT_DIGITS)  # fewer: too many digits
            window = 0  # below[position + 1 : position + 1 + MAX_INT_DIGITS], summed
            for position in range(length - 1, first - 1, -1):
                window += below[position + 1]
                if position + 1 + MAX_INT_DIGITS <= length:
                    window -= below[position + 1 + MAX_INT_DIGITS]
                row[position] = below[position + 1] if digits[position] == "0" else window
        return table


class _FixedCuts:
    """A token's cuts listed in full, as the same tree: a node is (cut, parts taken)."""

    def __init__(self, cuts: list[list[str]]):
        self.cuts = cuts
        self.count = self.most_cuts = len(cuts)
        self.most = max(len(cut) for cut in cuts)
        self.start = (-1, 0)
        self._branches: dict[tuple[int, int], tuple[_Branch, ...]] = {}

    def branches(self, node: tuple[int, int]) -> tuple[_Branch, ...]:
        known = self._branches.get(node)
        if known is None:
            known = self._branches[node] = tuple(self._make_branches(*node))
        return known

    def _make_branches(self, cut: int, taken: int) -> Iterator[_Branch]:
        if cut < 0:
            for k, parts in enumerate(self.cuts):
                yield _Branch(parts[0], (k, 1), k, len(parts) == 1, len(parts) - 1)
        else:
            parts = self.cuts[cut]
            left = len(parts) - taken - 1
            yield _Branch(parts[taken], (cut, taken + 1), 0, left == 0, left)


class _Search:
    """Depth-first over the tokens' cut trees, in the order of `itertools.product` over their
    cuts; `index` is the position in that product of the first reading under a branch. Each
    branch is checked before the search steps into it, so that a dead branch costs no call."""

    def __init__(self, runs: list[_DigitRun | _FixedCuts], ncols: int, constraint, limit: int):
        self.runs = runs
        self.ncols = ncols
        self.constraint = constraint
        self.limit = limit
        self.viable = getattr(constraint, "viable", None)
        # where each token's cut counts in the readings' order; None when no reading can come
        # after MAX_COMBINATIONS in it, whatever the counts (most rows: they are left uncounted)
        self.strides = None
        if prod(run.most_cuts for run in runs) > MAX_COMBINATIONS + 1:
            self.strides = [prod(run.count for run in runs[i + 1 :]) for i in range(len(runs))]
        self.most_after = [sum(run.most for run in runs[i + 1 :]) for i in range(len(runs))]
        self.total = _TotalBound.of(runs, ncols, constraint)
        self.found: list[Fit] = []
        self._values: dict[str, Decimal | None] = {}

    def fits(self) -> list[Fit]:
        if self.runs[0].most + self.most_after[0] < self.ncols:
            return self.found  # the digits cannot make enough parts
        if self.total is not None and self.total.solved():
            self._walk_sums(0, 0, 0, 0, self.runs[0].most, 0, [])
        else:
            self._walk(0, self.runs[0].start, [], [], 0, 0)
        return self.found

    def _walk_sums(
        self, i: int, at: int, taken: int, block: int, left: int, index: int, parts: list[str]
    ) -> bool:
        """`_walk` where the row sums' bound is solved: only the cells that lead to a fit are
        stepped (`at` is the position in the runs' digits joined, `left` the parts token `i`
        has left), so the work is that of the fits; False once the search is over."""
        run, start, total = self.runs[i], self.total.run_start[i], self.total
        for end, opened in total.cells(at, taken, block):
            tried = index
            if self.strides is not None:
                tried += run.before(at - start, left, end - start) * self.strides[i]
                if tried > MAX_COMBINATIONS:
                    return False
            parts.append(total.digits[at:end])
            if end - start < len(run.digits):
                going = self._walk_sums(i, end, taken + 1, opened, left - 1, tried, parts)
            elif i + 1 < len(self.runs):
                most = self.runs[i + 1].most
                going = self._walk_sums(i + 1, end, taken + 1, opened, most, tried, parts)
            else:
                going = self._found(parts, [self.value(part) for part in parts])
            parts.pop()
            if not going:
                return False
        return True

    def _walk(self, i: int, node, parts: list[str], values: list, index: int, block: int) -> bool:
        """Every fit under `node` of token `i`, after `parts`; False once the search is over
        (enough readings, or past MAX_COMBINATIONS: every later reading is further on)."""
        ncols, total = self.ncols, self.total
        taken = len(parts) + 1  # the parts once the branch's is taken
        fewest = ncols - self.most_after[i] - taken  # what this token must still yield, at least
        room = ncols - taken - (len(self.runs) - i - 1)  # and at most (later tokens need one each)
        for branch in self.runs[i].branches(node):
            tried = index
            if self.strides is not None:
                tried += branch.before * self.strides[i]
                if tried > MAX_COMBINATIONS:
                    return False
            if branch.ends:
                if fewest > 0 or room < 0:
                    continue  # later tokens cannot make the parts missing, or too many parts
            elif branch.most < max(fewest, 1) or room < 1:
                continue  # too few digits left for the parts, or too many parts
            opened, value = block, self.value(branch.part)
            if total is not None:
                opened = total.after(taken, block, int(branch.part))
                if opened is None or not total.completes(i, branch.child[0], taken, opened):
                    continue  # a block that fails, or digits left that cannot make one add up
            elif self.viable is not None and not self.viable([*values, value], ncols):
                continue
            parts.append(branch.part)
            values.append(value)
            if not branch.ends:
                going = self._walk(i, branch.child, parts, values, tried, opened)
            elif i + 1 < len(self.runs):
                going = self._walk(i + 1, self.runs[i + 1].start, parts, values, tried, opened)
            else:
                going = self._found(parts, values)
            parts.pop()
            values.pop()
            if not going:
                return False
        return True

    def value(self, part: str) -> Decimal | None:
        """A part's value, made once per search (readings share most of their parts)."""
        if part not in self._values:
            self._values[part] = to_number(part) if any(map(str.isdigit, part)) else None
        return self._values[part]

    def _found(self, parts: list[str], values: list) -> bool:
        if self.constraint is None or self.constraint(values):
            self.found.append(Fit(list(values), list(parts), "ran_together"))
        return len(self.found) < self.limit


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
        self._cells: dict[tuple[int, int, int], tuple[tuple[int, int], ...]] = {}

    @classmethod
    def of(cls, runs, ncols: int, constraint) -> _TotalBound | None:
        """The bound where it holds: `SumsToLast` blocks that fill the row, over unsigned digit
        runs (a blank leaves a block unchecked, a decimal or a sign unbounded)."""
        if not isinstance(constraint, SumsToLast):
            return None
        width = constraint.width or ncols
        plain = all(isinstance(run, _DigitRun) and not run.sign for run in runs)
        return cls(runs, ncols, width) if plain and width * constraint.groups == ncols else None

    def after(self, taken: int, block: int, number: int) -> int | None:
        """The open block's running sum once the `taken`-th cell is `number`: 0 when the cell
        closes its block as that block's sum, None when it closes it otherwise."""
        if taken % self.width:
            return block + number
        return 0 if number == block else None

    def solved(self) -> bool:
        """Whether the cells that lead to a fit are known from every state the search can
        reach, within the budget (else the search asks `completes` branch by branch)."""
        try:
            self.cells(0, 0, 0)
        except _OutOfBudget:
            return False
        return True

    def cells(self, at: int, taken: int, block: int) -> tuple[tuple[int, int], ...]:
        """The next cells that lead to a row whose blocks all add up, shortest first, as (where
        the cell ends, the open block's running sum after it). Memoised: the cuts meet again."""
        key = (at, taken, block)
        known = self._cells.get(key)
        if known is None:
            if len(self._cells) >= _MAX_SOLVED_STATES:
                raise _OutOfBudget
            known = self._cells[key] = self._next_cells(at, taken + 1, block)
        return known

    def _next_cells(self, at: int, taken: int, block: int) -> tuple[tuple[int, int], ...]:
        """`cells`, worked out: `taken` counts the next cell (one loop, no generator: a row of
        table 四 run together meets a few dozen states, each asked of every cell length)."""
        digits, length, ncols = self.digits, len(self.digits), self.ncols
        last = min(self.run_end[at], at + MAX_INT_DIGITS)
        if taken % self.width == 0:  # the block's total: its sum, printed right here
            total = str(block)
            end = at + len(total)
            if end > last or not digits.startswith(total, at):
                return ()
            if taken == ncols or end == length:
                return ((end, 0),) if taken == ncols and end == length else ()
            return ((end, 0),) if self.cells(end, taken, 0) else ()
        found = []
        for end in range(at + 1, last + 1):
            running = block + int(digits[at:end])
            if length - end < ncols - taken - 1 + len(str(running)):
                break  # no room for the missing cells; a longer cell leaves less, sums more
            if self.cells(end, taken, running):
                found.append((end, running))
            if digits[at] == "0":
                break  # "0" stands alone
        return tuple(found)

    def completes(self, i: int, position: int, taken: int, block: int) -> bool:
        """Whether `taken` cells ending at `position` in run `i`, the open block's summing to
        `block`, can be completed into a row whose blocks all add up."""
        return self._completes(self.run_start[i] + position, taken, block)

    def _completes(self, at: int, taken: int, block: int) -> bool:
        """Whether digits[at:] cut into the `ncols - taken` missing cells (within runs, at most
        `MAX_INT_DIGITS` digits, no leading zeros) make every block add up, the open one's
        other cells summing to `block` so far. Memoised: the branches meet the same rests, and
        the states `cells` worked out before it ran out of budget are known."""
        if taken == self.ncols or at == len(self.digits):
            return taken == self.ncols and at == len(self.digits)
        key = (at, taken, block)
        cells = self._cells.get(key)
        if cells is not None:
            return bool(cells)
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
# How many states `_TotalBound.cells` may work out before the search falls back on asking the
# bound branch by branch: a real row meets a few dozen; a long random run, tens of thousands,
# and then the search costs about what it did before `cells` (a little more).
_MAX_SOLVED_STATES = 5000


class _OutOfBudget(Exception):
    """`_TotalBound.cells` met more states than `_MAX_SOLVED_STATES`."""


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
