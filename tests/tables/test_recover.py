from decimal import Decimal

from nlp.tables.recover import Token, fit_row, sums_to_last


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


def test_unreadable_row_gives_no_fit():
    assert fit_row(tokens("1", "2"), 7, sums_to_last(), may_split=False) == []
