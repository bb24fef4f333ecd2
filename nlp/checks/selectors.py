"""Cell selectors and the small arithmetic of the rules, parsed without `eval`.

An expression is a signed sum of terms. A term is a number, a selector naming one cell
(`requests/{row}/total`), or `sum(...)` of a selector naming several
(`sum(requests/[granted, denied.*]/{col})`). `prev:` before a selector reads the same agency's
previous report. `{row}` and `{col}` are bound by the rule's iteration; `*` globs and
`[a, b.*]` lists match against the keys the table has.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

THIS, PREV = "this", "prev"

_KEY_PART = r"(?:\[[^\]]*\]|[^\s+\-()/\[\]]+)"
_TOKEN = re.compile(
    rf"""\s*(?:
        (?P<number>\d+(?:\.\d+)?)
      | (?P<sum>sum\s*\()
      | (?P<selector>(?:prev:)?[A-Za-z_]+/{_KEY_PART}/{_KEY_PART})
      | (?P<op>[+\-])
      | (?P<close>\))
    )""",
    re.VERBOSE,
)

# (slot, table) -> every (row, col) the table has, in printed order.
Domain = Callable[[str, str], Sequence[tuple[str, str]]]


@dataclass(frozen=True)
class CellRef:
    slot: str
    table: str
    row: str
    col: str


@dataclass(frozen=True)
class Selector:
    slot: str
    table: str
    rows: tuple[str, ...]
    cols: tuple[str, ...]

    @property
    def is_multiple(self) -> bool:
        patterns = self.rows + self.cols
        return len(self.rows) > 1 or len(self.cols) > 1 or any(_is_glob(p) for p in patterns)

    def cells(self, bindings: dict[str, str], domain: Domain) -> list[CellRef]:
        rows = tuple(_bind(p, bindings) for p in self.rows)
        cols = tuple(_bind(p, bindings) for p in self.cols)
        if not self.is_multiple:
            # Named outright: wanted even when the table lacks it, so that it surfaces as a skip.
            return [CellRef(self.slot, self.table, rows[0], cols[0])]
        wanted = _wanted(domain(self.slot, self.table), rows, cols)
        return [CellRef(self.slot, self.table, row, col) for row, col in wanted]


@dataclass(frozen=True)
class Term:
    sign: int
    number: float = 0.0
    selector: Selector | None = None


@dataclass(frozen=True)
class Expression:
    text: str
    terms: tuple[Term, ...]

    @property
    def selectors(self) -> list[Selector]:
        return [t.selector for t in self.terms if t.selector is not None]

    def expand(
        self, bindings: dict[str, str], domain: Domain
    ) -> tuple[float, list[tuple[int, CellRef]]]:
        """The constant part and the signed cells this expression adds up, for one binding."""
        constant = sum(t.sign * t.number for t in self.terms if t.selector is None)
        cells = [
            (t.sign, ref)
            for t in self.terms
            if t.selector is not None
            for ref in t.selector.cells(bindings, domain)
        ]
        return constant, cells


class ExpressionError(ValueError):
    """A rule's expression that does not parse: the message quotes it."""


def parse_expression(text: str) -> Expression:
    tokens = _tokens(text)
    terms: list[Term] = []
    sign = 1
    expect_term = True
    while tokens:
        kind, value = tokens.pop(0)
        if kind == "op":
            if not expect_term and terms:
                expect_term = True
            sign = sign * (-1 if value == "-" else 1)
            continue
        if not expect_term:
            raise ExpressionError(f"missing operator before {value!r} in {text!r}")
        terms.append(_term(kind, value, sign, tokens, text))
        sign, expect_term = 1, False
    if expect_term:
        raise ExpressionError(f"expression ends without a term: {text!r}")
    return Expression(text=text, terms=tuple(terms))


def parse_selector(text: str) -> Selector:
    slot = THIS
    if text.startswith("prev:"):
        slot, text = PREV, text[len("prev:") :]
    table, rows, cols = text.split("/")
    return Selector(slot=slot, table=table, rows=_patterns(rows), cols=_patterns(cols))


def matches_any(key: str, patterns: Iterable[str]) -> bool:
    return _matches(key, tuple(patterns))


def _term(kind: str, value: str, sign: int, tokens: list, text: str) -> Term:
    if kind == "number":
        return Term(sign=sign, number=float(value))
    if kind == "selector":
        selector = parse_selector(value)
        if selector.is_multiple:
            raise ExpressionError(f"{value!r} names several cells: wrap it in sum() in {text!r}")
        return Term(sign=sign, selector=selector)
    if kind == "sum":
        if len(tokens) < 2 or tokens[0][0] != "selector" or tokens[1][0] != "close":
            raise ExpressionError(f"sum() takes one selector in {text!r}")
        selector = parse_selector(tokens.pop(0)[1])
        tokens.pop(0)
        return Term(sign=sign, selector=selector)
    raise ExpressionError(f"unexpected {value!r} in {text!r}")


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    stripped = text.rstrip()
    while position < len(stripped):
        match = _TOKEN.match(stripped, position)
        if not match or match.end() == position:
            raise ExpressionError(f"cannot read {stripped[position:]!r} in {text!r}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def _patterns(part: str) -> tuple[str, ...]:
    if part.startswith("["):
        names = tuple(p.strip() for p in part[1:-1].split(",") if p.strip())
        if not names:
            raise ExpressionError(f"empty key list {part!r}")
        return names
    return (part,)


def _bind(pattern: str, bindings: dict[str, str]) -> str:
    for name, value in bindings.items():
        pattern = pattern.replace("{" + name + "}", value)
    if "{" in pattern:
        raise ExpressionError(f"unbound placeholder in {pattern!r}")
    return pattern


def _is_glob(pattern: str) -> bool:
    return any(ch in pattern for ch in "*?")


class TableKeys(tuple):
    """A table's (row, col) keys in printed order, as a `Domain` gives them. A rule asks which
    rows (or cols) its patterns select once per binding of its iteration key; each answer is
    worked out once per table and set of patterns (rule vocabulary), kept as long as the keys."""

    def __init__(self, keys=()):
        self._names: dict[int, set[str]] = {}
        self._selected: dict[tuple[int, tuple[str, ...]], set[str]] = {}

    def selected(self, position: int, patterns: tuple[str, ...]) -> set[str]:
        """The names at `position` (0 row, 1 col) that some pattern matches."""
        found = self._selected.get((position, patterns))
        if found is None:
            if position not in self._names:
                self._names[position] = {key[position] for key in self}
            found = _matching(self._names[position], patterns)
            self._selected[(position, patterns)] = found
        return found


def _wanted(known: Sequence[tuple[str, str]], rows: tuple[str, ...], cols: tuple[str, ...]):
    """The (row, col) of `known`, in order, that the patterns select."""
    if not isinstance(known, TableKeys):
        known = TableKeys(known)
    wanted_rows, wanted_cols = known.selected(0, rows), known.selected(1, cols)
    return [(r, c) for r, c in known if r in wanted_rows and c in wanted_cols]


def _matching(names: set[str], patterns: tuple[str, ...]) -> set[str]:
    """The names some pattern matches; a pattern without wildcards matches only itself."""
    found = names.intersection(p for p in patterns if not _has_wildcard(p))
    globs = [p for p in patterns if _has_wildcard(p)]
    if globs:
        found.update(n for n in names if any(fnmatchcase(n, g) for g in globs))
    return found


def _has_wildcard(pattern: str) -> bool:
    return any(ch in pattern for ch in "*?[")  # what fnmatch reads as other than itself


def _matches(key: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatchcase(key, p) for p in patterns)
