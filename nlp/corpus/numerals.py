"""How a number claim prints: Arabic, spaced, full-width or Chinese numerals, with qualifiers.

`express` returns the printed words and the number they state; with a qualifier the stated
number is a rounded one (263 → "260余件", value 260, qualifier at_least) that is still true of
the underlying value.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import cn2an

# Styles and their weights; Chinese numerals only for small whole numbers.
STYLES = {"arabic": 0.74, "spaced": 0.12, "chinese": 0.11, "fullwidth": 0.03}
FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


@dataclass(frozen=True)
class Expression:
    text: str
    value: float
    qualifier: str  # exact, at_least, about, at_most


def spell(value: float, style: str) -> str:
    """The digits of one number in one style (两 for a lone 2 before a unit)."""
    whole = float(value).is_integer()
    if style == "chinese" and whole and 0 < value < 100:
        return "两" if value == 2 else cn2an.an2cn(int(value))
    digits = str(int(value)) if whole else f"{value:g}"
    if style == "spaced":
        return f" {digits} "
    if style == "fullwidth":
        return digits.translate(FULLWIDTH)
    return digits


def choose_style(rng: random.Random) -> str:
    return rng.choices(list(STYLES), weights=list(STYLES.values()))[0]


def rounded(value: float, qualifier: str) -> float | None:
    """The round number a qualifier can truthfully state about `value`, or None."""
    if value < 20 or not float(value).is_integer():
        return None
    base = 10 ** max(1, len(str(int(value))) - 2)
    down, up = (value // base) * base, -(-value // base) * base
    if qualifier == "at_least":
        return down if down < value else None
    if qualifier == "at_most":
        return up if up > value else None
    if qualifier == "about":
        near = down if value - down <= up - value else up
        return near if abs(value - near) <= 0.1 * value else None
    return value


def express(
    value: float,
    unit: str,
    rng: random.Random,
    qualifiers: dict[str, list[str]],
    qualifier: str = "exact",
    style: str | None = None,
) -> Expression:
    """Words for `value` with its unit; falls back to exact when the qualifier cannot apply."""
    style = style or choose_style(rng)
    if unit == "%":
        style = "arabic"
    stated = rounded(value, qualifier) if qualifier != "exact" else None
    if stated is None:
        return Expression(spell(value, style) + unit, float(value), "exact")
    pattern = rng.choice(qualifiers[qualifier])
    digits = spell(stated, "arabic" if style == "chinese" else style).strip()
    return Expression(pattern.format(n=digits, u=unit), float(stated), qualifier)
