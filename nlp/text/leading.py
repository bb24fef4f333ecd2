"""The characters a regular expression's matches can begin with, to skip text none can start in.

A pattern that opens with a lookbehind or an alternation of groups (the number pattern, the
negation cues) is tried by `re` at every position of a sentence. The characters its matches can
begin with are worked out once from the parsed pattern, so that

    finditer(pattern, leading_class(pattern), text)  ==  list(pattern.finditer(text))

tries the pattern only where such a character stands, and a vocabulary whose first characters
are all absent from a text is not tried at all (`leading_chars`). When the first characters
cannot be worked out (a pattern that may match empty text, `.` or a negated class first, a flag
that folds case), both return None and callers try the pattern everywhere, as before.

`locator(pattern).search(text)` finds where the first match of `pattern` begins without a loop
in Python: `re` itself scans for the leading class.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

try:  # the parser `re` itself uses; `sre_parse` before Python 3.11
    from re import _constants as sre
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

_ZERO_WIDTH = {sre.ASSERT, sre.ASSERT_NOT, sre.AT}
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}
_ENUMERABLE_RANGE = 64  # a wider range is left to the class, not listed character by character


class _Unknown(Exception):
    """The pattern's first characters cannot be listed."""


@cache
def leading_class(*patterns: re.Pattern[str]) -> re.Pattern[str] | None:
    """A one-character pattern matching the first character of every match of the patterns."""
    items = []
    for pattern in patterns:
        found = _leading_items(pattern)
        if found is None:
            return None
        items.extend(found)
    if not items:
        return None
    try:
        members = sorted({_class_text(op, av) for op, av in items})
    except _Unknown:
        return None
    return re.compile("[" + "".join(members) + "]")


@cache
def leading_chars(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Every character a match of `pattern` can begin with, when they can be listed."""
    items = _leading_items(pattern)
    if items is None:
        return None
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < _ENUMERABLE_RANGE:
            chars.update(map(chr, range(av[0], av[1] + 1)))
        else:
            return None
    return frozenset(chars)


@cache
def locator(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A pattern that matches one character wherever a match of `pattern` begins.

    `re` scans for a pattern's possible first characters in C only when the pattern begins with
    a character class (a lookbehind or a group of alternatives first defeats it). The locator
    takes the leading class first, then checks with a one-character lookbehind that `pattern`
    matches where that character stands. Without a leading class it is `(?=pattern)`.
    """
    leading = leading_class(pattern)
    if leading is not None:
        first = leading.pattern
        try:
            return re.compile(f"{first}(?<=(?={pattern.pattern}){first})", pattern.flags)
        except re.error:  # a lookbehind cannot hold everything a pattern may contain
            pass
    return re.compile(f"(?={pattern.pattern})", pattern.flags)


def finditer(
    pattern: re.Pattern[str],
    leading: re.Pattern[str] | None,
    text: str,
    pos: int = 0,
    endpos: int | None = None,
) -> Iterator[re.Match[str]]:
    """The matches of `pattern.finditer(text, pos, endpos)`, trying the pattern only where
    `leading` matches."""
    end = len(text) if endpos is None else endpos
    if leading is None:
        yield from pattern.finditer(text, pos, end)
        return
    while (candidate := leading.search(text, pos, end)) is not None:
        # `match` at a position sees the text before it, so lookbehinds hold as in `finditer`.
        match = pattern.match(text, candidate.start(), end)
        if match is None:
            pos = candidate.start() + 1
        else:
            yield match
            pos = match.end()


def _leading_items(pattern: re.Pattern[str]) -> list | None:
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        items, nullable = _first(sre_parse.parse(pattern.pattern, pattern.flags))
    except (_Unknown, re.error):
        return None
    return None if nullable or not items else items


def _first(sequence) -> tuple[list, bool]:
    """(class items any match of `sequence` can begin with, whether it can match empty text)."""
    items: list = []
    for op, av in sequence:
        found, nullable = _first_of(op, av)
        items.extend(found)
        if not nullable:
            return items, False
    return items, True


def _first_of(op, av) -> tuple[list, bool]:
    if op is sre.LITERAL:
        return [(op, av)], False
    if op is sre.IN:
        if any(item_op is sre.NEGATE for item_op, _ in av):
            raise _Unknown
        return list(av), False
    if op in _ZERO_WIDTH:
        return [], True
    if op is sre.SUBPATTERN:
        _, add_flags, _, sub = av
        if add_flags & sre.SRE_FLAG_IGNORECASE:
            raise _Unknown
        return _first(sub)
    if op is sre.BRANCH:
        items, nullable = [], False
        for alternative in av[1]:
            found, empty = _first(alternative)
            items.extend(found)
            nullable = nullable or empty
        return items, nullable
    if op in _REPEATS:
        low, _, sub = av
        items, nullable = _first(sub)
        return items, nullable or low == 0
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _first(av)
    raise _Unknown


def _class_text(op, av) -> str:
    if op is sre.LITERAL:
        return re.escape(chr(av))
    if op is sre.RANGE:
        return f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}"
    if op is sre.CATEGORY and av in _CATEGORIES:
        return _CATEGORIES[av]
    raise _Unknown
