"""Numerals as exact Decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nlp.claims.numbers import fold_width, parse_number, split_multiplier


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("2", "2"),
        ("1,234", "1234"),
        ("12,345,678", "12345678"),
        ("１２", "12"),
        ("１．５", "1.5"),
        ("3.50", "3.5"),
        ("1.5万", "15000"),
        ("3万", "30000"),
        ("2.3亿", "230000000"),
        ("0.05万", "500"),
        ("两", "2"),
        ("十", "10"),
        ("十九", "19"),
        ("一百零八", "108"),
        ("三千五百", "3500"),
        ("两万三千", "23000"),
        ("一亿二千万", "120000000"),
        ("三点五万", "35000"),
        ("三十五点五", "35.5"),
        ("百", "100"),
        ("零", "0"),
        ("二〇二一", "2021"),
        ("百分之百", "100"),
        ("百分之三十五点五", "35.5"),
        ("百分之60", "60"),
    ],
)
def test_parse_number(numeral, value):
    assert parse_number(numeral) == Decimal(value)
    assert str(parse_number(numeral)) == value  # 15000, not 1.5E+4 or 15000.0


@pytest.mark.parametrize("bad", ["", "abc", "件", "三点五点"])
def test_not_a_numeral_is_a_value_error(bad):
    with pytest.raises(ValueError):
        parse_number(bad)


def test_fold_width_keeps_every_offset():
    text = "共１２３件，占３３．９％"
    folded = fold_width(text)
    assert folded == "共123件，占33.9%"
    assert len(folded) == len(text)


@pytest.mark.parametrize(
    ("numeral", "parts"),
    [
        ("1.5万", ("1.5", "万")),
        ("三万", ("三", "万")),
        ("250", ("250", None)),
        ("万", ("万", None)),
    ],
)
def test_split_multiplier(numeral, parts):
    assert split_multiplier(numeral) == parts
