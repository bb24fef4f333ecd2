"""Numerals of the reports as exact `Decimal` values.

Arabic digits (half- or full-width, with thousands separators and decimals), a trailing 万/亿/千
multiplier (1.5万 = 15000), Chinese numerals (两, 十九, 一百零八, 三千五百, 三十五点五; digit
by digit when there is no 十/百/千/万/亿, as in the year 二〇二一) and 百分之… percentages.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

# One character for one, so that offsets found in the folded text hold in the original.
_HALFWIDTH = str.maketrans("０１２３４５６７８９％．：", "0123456789%.:")
FULL_WIDTH = re.compile("[０１２３４５６７８９％．：]")  # what fold_width changes
_MULTIPLIERS = {"千": Decimal(1000), "万": Decimal(10_000), "亿": Decimal(100_000_000)}
_CHINESE_DIGITS = dict(
    zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True)
)
_ARABIC = re.compile(r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?")
_PERCENT_WORD = "百分之"

ARABIC_PATTERN = r"(?<![0-9.,])[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?"
CHINESE_PATTERN = (
    r"(?<![零〇一二两三四五六七八九十百千万亿])"
    r"(?:[零〇一二两三四五六七八九十]|百(?=[余多来]))"
    r"[零〇一二两三四五六七八九十百千万亿]*(?:点[零〇一二三四五六七八九]+)?"
)


def fold_width(text: str) -> str:
    """Full-width digits, ％ ． ： as ASCII; the length of `text` is unchanged."""
    # Most sentences have nothing to fold, and finding that out is far quicker than translating.
    return text.translate(_HALFWIDTH) if FULL_WIDTH.search(text) else text


@lru_cache(maxsize=4096)
def parse_number(text: str) -> Decimal:
    """The value of one numeral: '1,234', '１２', '1.5万', '十九', '二〇二一', '百分之三十五点五'.

    A 百分之 numeral gives the percentage (百分之百 → 100). Raises ValueError when `text` is
    not a numeral.
    """
    return _parse(fold_width(text).replace(" ", ""))


def split_multiplier(text: str) -> tuple[str, str | None]:
    """('1.5', '万') for '1.5万', ('三', '万') for '三万', (text, None) without one."""
    folded = fold_width(text).rstrip()
    if len(folded) > 1 and folded[-1] in _MULTIPLIERS:
        return folded[:-1].rstrip(), folded[-1]
    return text, None


@lru_cache(maxsize=4096)
def _parse(text: str) -> Decimal:
    if text.startswith(_PERCENT_WORD):
        return _parse(text[len(_PERCENT_WORD) :])
    if not text:
        raise ValueError("empty numeral")
    if _ARABIC.fullmatch(text):
        return _tidy(Decimal(text.replace(",", "")))
    head, multiplier = split_multiplier(text)
    # 1.5万 and 三点五万 scale a decimal; 二十万 and 一亿二千万 are whole numerals for cn2an.
    if multiplier and (_ARABIC.fullmatch(head) or "点" in head):
        return _tidy(_parse(head) * _MULTIPLIERS[multiplier])
    return _tidy(_parse_chinese(text))


def _tidy(value: Decimal) -> Decimal:
    """15000 rather than 15000.0, 35.5 rather than 35.50."""
    integral = value.to_integral_value()
    return integral if value == integral else value.normalize()


def _parse_chinese(text: str) -> Decimal:
    if all(char in _CHINESE_DIGITS for char in text):
        return Decimal("".join(str(_CHINESE_DIGITS[char]) for char in text))
    if text[0] in "十百千万亿" and text[0] != "十":
        text = "一" + text  # 百余件, 百分之百: the leading 一 is implied
    try:
        value = _cn2an()(text, "normal")
    except (ValueError, KeyError, IndexError) as error:
        raise ValueError(f"not a numeral: {text!r}") from error
    try:
        return Decimal(str(value))
    except InvalidOperation as error:  # pragma: no cover - cn2an returns int or float
        raise ValueError(f"not a numeral: {text!r}") from error


@cache
def _cn2an():
    """cn2an's converter, imported on the first Chinese numeral with a 十/百/千/万/亿: building
    it costs a third of a second, which a report with Arabic figures only never pays."""
    import cn2an

    return cn2an.cn2an
