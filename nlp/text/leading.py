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

# The first characters are read from the pattern's source by the small parser at the end of this
# module, not from `re`'s own parse tree: `re._parser` is private and changes between Python
# versions. It knows the syntax the project's patterns use (literals, escapes, classes, groups,
# alternatives, lookarounds, repeats); anything else makes it give up, and callers then try the
# pattern everywhere, which is slower but exact. `re.compile` checks a pattern before we read it.
_CATEGORIES = frozenset("dDsSwW")  # \d …: kept as the class escape they are
_ZERO_WIDTH_ESCAPES = frozenset("bBAZ")
_CHAR_ESCAPES = {"a": "\a", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_LOOKAROUNDS = ("?=", "?!", "?<=", "?<!")
_REPEAT = re.compile(r"\{(\d*)(?:(,)(\d*))?\}")
_UNSUPPORTED_FLAGS = re.IGNORECASE | re.VERBOSE
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
    members = sorted({_class_text(item) for item in items})
    return re.compile("[" + "".join(members) + "]")


@cache
def leading_chars(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Every character a match of `pattern` can begin with, when they can be listed."""
    items = _leading_items(pattern)
    if items is None:
        return None
    chars: set[str] = set()
    for item in items:
        if isinstance(item, _Category):
            return None  # \d, \s …: too many to list
        if isinstance(item, str):
            chars.add(item)
        elif isinstance(item, tuple) and ord(item[1]) - ord(item[0]) < _ENUMERABLE_RANGE:
            chars.update(map(chr, range(ord(item[0]), ord(item[1]) + 1)))
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
    """The class items (a character, a (first, last) range, a class escape) any match of
    `pattern` can begin with; None when they cannot be listed."""
    if pattern.flags & _UNSUPPORTED_FLAGS:
        return None
    source = _Source(pattern.pattern)
    try:
        items, nullable = source.alternatives()
        if not source.at_end():
            raise _Unknown  # an unbalanced ")" (re.compile would have refused it)
    except _Unknown:
        return None
    return None if nullable or not items else items


class _Category(str):
    """A class escape (`d` for \\d …) among the leading items."""


class _Source:
    """A reading of a pattern's source for what its matches begin with (public `re` only).

    Each method returns (items, nullable): the class items a match of the part can begin with,
    and whether the part can match empty text, in which case what follows it can begin a match
    too. Once a sequence has a part that cannot be empty, the rest of it is skipped over.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self, count: int = 1) -> str:
        return self.text[self.pos : self.pos + count]

    def alternatives(self) -> tuple[list, bool]:
        items, nullable = [], False
        while True:
            found, empty = self.sequence()
            items += found
            nullable = nullable or empty
            if self.peek() != "|":
                return items, nullable
            self.pos += 1

    def sequence(self) -> tuple[list, bool]:
        items: list = []
        while not self.at_end() and self.peek() not in "|)":
            found, empty = self.piece()
            items += found
            if not empty:
                self.skip_rest()
                return items, False
        return items, True

    def piece(self) -> tuple[list, bool]:
        items, nullable = self.atom()
        repeat = _REPEAT.match(self.text, self.pos) if self.peek() == "{" else None
        if self.peek() in ("*", "?"):
            self.pos, nullable = self.pos + 1, True
        elif self.peek() == "+":
            self.pos += 1
        elif repeat:
            self.pos, nullable = repeat.end(), nullable or not int(repeat[1] or 0)
        else:
            return items, nullable
        if self.peek() in ("?", "+"):  # lazy or possessive: the same first characters
            self.pos += 1
        return items, nullable

    def atom(self) -> tuple[list, bool]:
        char = self.peek()
        self.pos += 1
        if char == "(":
            return self.group()
        if char == "[":
            return self.char_class(), False
        if char == "\\":
            item = self.escape()
            return ([], True) if item is None else ([item], False)
        if char in "^$":
            return [], True
        if char == ".":
            raise _Unknown
        return [char], False

    def group(self) -> tuple[list, bool]:
        if self.peek() != "?":
            return self.closed(self.alternatives())
        if any(self.text.startswith(look, self.pos) for look in _LOOKAROUNDS):
            self.skip_rest()  # zero width: what follows the lookaround begins the match
            return self.closed(([], True))
        for opening in ("?:", "?>"):
            if self.text.startswith(opening, self.pos):
                self.pos += len(opening)
                return self.closed(self.alternatives())
        named = re.compile(r"\?P<\w+>").match(self.text, self.pos)
        if named:
            self.pos = named.end()
            return self.closed(self.alternatives())
        raise _Unknown  # inline flags, a conditional, a back reference, a comment

    def closed(self, found: tuple[list, bool]) -> tuple[list, bool]:
        if self.peek() != ")":
            raise _Unknown
        self.pos += 1
        return found

    def char_class(self) -> list:
        if self.peek() == "^":
            raise _Unknown  # a negated class: anything but a few characters
        items: list = []
        first = True
        while first or self.peek() != "]":
            if self.at_end():
                raise _Unknown
            first = False
            item = self.class_member()
            if self.peek() == "-" and self.peek(2)[1:] not in ("", "]"):
                self.pos += 1
                last = self.class_member()
                if isinstance(item, _Category) or isinstance(last, _Category):
                    raise _Unknown
                item = (item, last)
            items.append(item)
        self.pos += 1
        return items

    def class_member(self) -> str | _Category:
        char = self.peek()
        self.pos += 1
        if char != "\\":
            return char
        item = self.escape()
        if item is None:  # \b in a class is a backspace
            return "\b"
        return item

    def escape(self) -> str | _Category | None:
        """The escaped character or class after a backslash; None for a zero-width one."""
        char = self.peek()
        self.pos += 1
        if char in _CATEGORIES:
            return _Category(char)
        if char in _ZERO_WIDTH_ESCAPES:
            return None
        if char in _CHAR_ESCAPES:
            return _CHAR_ESCAPES[char]
        if char in _HEX_ESCAPES:
            digits = self.text[self.pos : self.pos + _HEX_ESCAPES[char]]
            self.pos += len(digits)
            return chr(int(digits, 16))
        if char.isdigit() or char.isalpha() or not char:
            raise _Unknown  # a back reference, an octal or a named character
        return char

    def skip_rest(self) -> None:
        """Move to the "|" or ")" that ends the current sequence (or to the end)."""
        depth = 0
        while not self.at_end():
            char = self.peek()
            if char == "\\":
                self.pos += 2
                continue
            if char == "[":
                self.pos += 1
                self.char_class_skip()
                continue
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    return
                depth -= 1
            elif char == "|" and depth == 0:
                return
            self.pos += 1

    def char_class_skip(self) -> None:
        if self.peek() == "^":
            self.pos += 1
        if self.peek() == "]":
            self.pos += 1
        while not self.at_end() and self.peek() != "]":
            self.pos += 2 if self.peek() == "\\" else 1
        self.pos += 1


def _class_text(item) -> str:
    if isinstance(item, _Category):
        return "\\" + item
    if isinstance(item, tuple):
        return f"{re.escape(item[0])}-{re.escape(item[1])}"
    return re.escape(item)
