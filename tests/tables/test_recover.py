import random
from decimal import Decimal
from itertools import islice, product

import pytest

from nlp.tables.recover import (
    MAX_CANDIDATES,
    MAX_COMBINATIONS,
    MAX_CUTS,
    Token,
    _decimal_cuts,
    fit_row,
    sums_to_last,
    to_number,
)


def tokens(*raws: str, separated: bool = True) -> list[Token]:
    return [Token(r, separated) for r in raws]


def values(fit) -> list[int]:
    return [int(v) for v in fit.values]


def test_exact_row_is_read_as_printed():
    fits = fit_row(tokens("2", "0", "0", "0", "0", "0", "2"), 7, sums_to_last(), may_split=False)
    assert [values(f) for f in fits] == [[2, 0, 0, 0, 0, 0, 2]]
    assert fits[0].how == "exact"


def test_row_that_does_not_add_up_is_still_read_as_printed():
    fits = fit_row(tokens("2", "0", "0", "0", "0", "0", "3"), 7, sums_to_last(), may_split=False)
    assert values(fits[0]) == [2, 0, 0, 0, 0, 0, 3]
    assert fits[0].how == "exact"


def test_digits_run_together_are_cut_by_the_row_sum():
    fits = fit_row(tokens("15130000154", separated=False), 7, sums_to_last(), may_split=True)
    assert [values(f) for f in fits] == [[151, 3, 0, 0, 0, 0, 154]]
    assert fits[0].how == "ran_together"


def test_ambiguous_run_returns_every_reading():
    # "220000022" is both 2 20 0 0 0 0 22 and 22 0 0 0 0 0 22: each row sum holds.
    fits = fit_row(tokens("220000022", separated=False), 7, sums_to_last(), may_split=True)
    readings = {tuple(values(f)) for f in fits}
    assert readings == {(2, 20, 0, 0, 0, 0, 22), (22, 0, 0, 0, 0, 0, 22)}


def test_split_digit_is_joined_back():
    fits = fit_row(tokens("2", "0", "0", "0", "0", "0", "0", "20"), 7, sums_to_last(), False)
    assert [values(f) for f in fits] == [[20, 0, 0, 0, 0, 0, 20]]
    assert fits[0].how == "split_digit"


def test_review_blocks_each_sum_to_their_total():
    run = "25380363300630003"
    fits = fit_row(tokens(run, separated=False), 15, sums_to_last(3, 5), may_split=True)
    assert values(fits[0]) == [25, 3, 8, 0, 36, 3, 3, 0, 0, 6, 3, 0, 0, 0, 3]


def test_blank_markers_stay_blank():
    fits = fit_row(tokens("1", "/", "0", "0", "0", "0", "1"), 7, sums_to_last(), may_split=False)
    assert fits[0].values[1] is None
    assert fits[0].raws[1] == "/"


def test_decimal_run_is_cut_only_before_the_decimal():
    fits = fit_row(tokens("52034.38", separated=False), 2, None, may_split=True)
    readings = {tuple(f.raws) for f in fits}
    assert ("5", "2034.38") in readings
    assert all(Decimal(f.raws[1]) == f.values[1] for f in fits)
    assert ("52034.3", "8") not in readings


def test_a_row_without_numbers_gives_no_fit():
    assert fit_row([], 7, sums_to_last(), may_split=True) == []


def test_unreadable_row_gives_no_fit():
    assert fit_row(tokens("1", "2"), 7, sums_to_last(), may_split=False) == []


def _exhaustive(tokens_, ncols, constraint, may_split):
    """The readings found by trying every cut of every token, within the same limits (what the
    bounded search must match)."""
    spare = ncols - len(tokens_)
    per_token = []
    for token in tokens_:
        splittable = not token.is_blank and (may_split or len(token.raw) >= 2)
        most = 1 + min(spare, len(token.raw) - 1) if splittable else 1
        cuts = (
            list(islice(_all_cuts(token.raw, most), MAX_CUTS + 1)) if splittable else [[token.raw]]
        )
        if len(cuts) > MAX_CUTS:
            return []
        per_token.append(cuts)
    found = []
    for tried, combo in enumerate(product(*per_token)):
        if tried > MAX_COMBINATIONS:
            break
        parts = [p for cut in combo for p in cut]
        if len(parts) != ncols:
            continue
        values = [to_number(p) if any(c.isdigit() for c in p) else None for p in parts]
        if constraint is None or constraint(values):
            found.append((values, parts))
    return found[:MAX_CANDIDATES]


def _all_cuts(raw, most):
    sign, digits = ("-", raw[1:]) if raw.startswith("-") else ("", raw)
    if "." in digits or "-" in digits:
        yield from _decimal_cuts(raw, most)
        return

    def cuts(rest, left):
        if not rest:
            yield []
        elif left > 0:
            for n in range(1, min(len(rest), 9) + 1):
                if n > 1 and rest[0] == "0":
                    break
                for tail in cuts(rest[n:], left - 1):
                    yield [rest[:n], *tail]

    for cut in cuts(digits, most):
        yield [sign + cut[0], *cut[1:]]


@pytest.mark.parametrize("seed", range(40))
def test_bounded_search_finds_what_trying_every_cut_finds(seed):
    rng = random.Random(seed)
    ncols, constraint = rng.choice([(7, sums_to_last()), (15, sums_to_last(3, 5)), (3, None)])
    values = [rng.choice([0, 0, 1, 2, 3, 10, 25, 104]) for _ in range(ncols - 1)]
    size = 5 if ncols == 15 else ncols
    row = []
    for start in range(0, ncols - 1, size):
        block = values[start : start + size - 1]
        row += [*block, sum(block)]
    row = row[:ncols] if constraint else values[:ncols]
    text = "".join(str(v) for v in row)
    pieces = rng.choice([[text], [text[: len(text) // 2], text[len(text) // 2 :]], [text, "/"]])
    run = tokens(*[p for p in pieces if p], separated=False)
    fits = fit_row(run, ncols, constraint, may_split=True)
    assert [(f.values, f.raws) for f in fits] == _exhaustive(run, ncols, constraint, True)


@pytest.mark.parametrize("seed", range(40))
def test_row_sum_bound_keeps_every_reading_of_long_runs(seed):
    """Runs of 13–20 digits (a requests row or table 四 dumped on one line), with and without a
    reading that adds up, split over one or two runs: the search bounded by the row sums finds
    what trying every cut finds, in the same order."""
    rng = random.Random(1000 + seed)
    ncols, width = (15, 5) if seed % 4 == 3 else (7, 7)
    constraint = sums_to_last(ncols // width, width if width < ncols else None)
    if seed % 2:
        row = []
        for _ in range(ncols // width):
            cells = [rng.choice([0, 0, 1, 5, 12, 37, 104, 260]) for _ in range(width - 1)]
            row += [*cells, sum(cells)]
        text = "".join(str(v) for v in row)
    else:
        text = str(rng.randrange(1, 10)) + "".join(
            rng.choice("0123456789") for _ in range(ncols + 5)
        )
    pieces = [text] if seed % 3 else [text[:4], text[4:]]
    run = tokens(*pieces, separated=False)
    fits = fit_row(run, ncols, constraint, may_split=True)
    assert [(f.values, f.raws) for f in fits] == _exhaustive(run, ncols, constraint, True)


@pytest.mark.parametrize("seed", range(12))
def test_search_past_the_solved_budget_finds_the_same_readings(seed, monkeypatch):
    """A row whose sums bound meets more states than `cells` may work out falls back on asking
    the bound branch by branch: the readings and their order stay those of every cut."""
    from nlp.tables import recover

    monkeypatch.setattr(recover, "_MAX_SOLVED_STATES", 3)
    rng = random.Random(2000 + seed)
    cells = [rng.choice([0, 1, 2, 10, 25]) for _ in range(6)]
    printed = [str(v) for v in [*cells, sum(cells)]]
    pieces = ["".join(printed)] if seed % 2 else ["".join(printed[:2]), "".join(printed[2:])]
    run = tokens(*pieces, separated=False)
    fits = fit_row(run, 7, sums_to_last(), may_split=True)
    assert fits
    assert [(f.values, f.raws) for f in fits] == _exhaustive(run, 7, sums_to_last(), True)


def test_readings_past_the_combinations_limit_are_left_as_before():
    """Runs with more cuts together than MAX_COMBINATIONS: the search counts the readings' places
    and stops where trying every cut would have stopped."""
    run = tokens("1" * 12, "2" * 12, separated=False)
    fits = fit_row(run, 6, None, may_split=True)
    assert fits
    assert [(f.values, f.raws) for f in fits] == _exhaustive(run, 6, None, True)
