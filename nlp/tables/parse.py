"""Label-anchored parsing of tables 二, 三 and 四 into tidy cells.

A table section is read as a stream of text and number tokens. Every group of numbers belongs
to the row whose label stands last in the text before it (group labels such as （三）不予公开
and header words are skipped, wherever the layout printed them). Rows are never assigned by
position. Labels are matched exactly, then by suffix, then fuzzily, so OCR slips such as
其他法律行政止公开 still find `denied.prohibited`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache

from rapidfuzz import fuzz, process

from nlp.report import FORMATS, ParseWarning, layouts
from nlp.tables.recover import (
    Fit,
    Token,
    choose_by_columns,
    fit_row,
    sums_to_last,
    to_number,
)

ENUM_SENTINEL = "\u2063"
# "2.其他…" / "3、其他": a one-digit enumerator before a label (table 三 numbers its rows 1–8).
DIGIT_ENUM = re.compile(r"(\d)[.、](?=\s*[^\d\s.,、%])")
CJK_ENUM = re.compile(r"[(（][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、")
TOKEN = re.compile(
    r"(?P<num>-?\d+(?:,\d{3})*(?:\.\d+)?)(?P<unit>\s*(?:万元|元))?(?P<after>[ ]*[件年月日号条次项个人天户家])?"
    r"|(?P<blank>(?:(?<=[\t|\n])|^)[ ]*(?:/|-+|—+|–|－|无)[ ]*(?=[\t|\n]|$))"
    r"|(?P<sep>[\t|\n]+|[ ]+)"
    r"|(?P<text>[^\d\t|\n ]+)"
)
PIECE_SPLIT = re.compile(rf"[\t|\n{ENUM_SENTINEL}]|{CJK_ENUM.pattern}")
DROP_IN_KEY = re.compile(r"[\s\"'“”‘’:：,，。;；、]")


@lru_cache(maxsize=4096)  # the same labels come back in every report
def label_key(text: str) -> str:
    """A label as compared: NFKC, no whitespace, quotes or punctuation."""
    return DROP_IN_KEY.sub("", unicodedata.normalize("NFKC", text))


@dataclass
class NumberGroup:
    label_text: str
    tokens: list[Token] = field(default_factory=list)


@dataclass(frozen=True)
class Label:
    kind: str  # row | group | noise
    key: str
    exact_only: bool = False


@dataclass
class TableResult:
    table: str
    cells: list[tuple[str, str, Decimal | None, str]]  # row, col, value, raw
    warnings: list[ParseWarning]
    rows_found: set[str]


def normalize_table_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return DIGIT_ENUM.sub(ENUM_SENTINEL, text)


MARKDOWN_RULE = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|?)+[ \t]*$", re.M)


def tokenize(text: str) -> list[NumberGroup]:
    """The text as groups of numbers, each with the text printed before it.

    Where the table has separators (tabs, pipes, line breaks), a number glued to the text
    before it (数据1, 表2) is part of that text; only flattened pages glue cells to labels.
    """
    flat = is_flattened(text)
    text = MARKDOWN_RULE.sub("", text)
    groups: list[NumberGroup] = []
    pending_text: list[str] = []
    separated = line_start = True
    current: NumberGroup | None = None
    for match in TOKEN.finditer(normalize_table_text(text)):
        if match.lastgroup == "sep":  # most tokens: asked first, with one call
            token = match.group()
            pending_text.append(token)
            separated = True
            line_start = line_start or "\n" in token
            continue
        token, number, after = match.group(0, "num", "after")  # one call: this loop is hot
        kind = match.lastgroup if number is None else "num"
        if kind == "num" and (after or not (flat or separated)):
            kind = "text"  # "16 件", "2024年", "数据1": words of a note or header, not a cell
        if kind == "text":
            pending_text.append(token)
            if token.strip():
                current = None
            separated = False
            continue
        raw = number if kind == "num" else token.strip()
        if current is None:
            current = NumberGroup("".join(pending_text))
            groups.append(current)
            pending_text = []
        current.tokens.append(_token(raw, separated, line_start))
        separated = line_start = False
    return groups


# Tokens are frozen: one for each way a number is printed ("0" between tabs, most of them).
_token = lru_cache(maxsize=4096)(Token)


def is_flattened(text: str) -> bool:
    """Cells printed with no separators at all (crawled one-line pages)."""
    body = text.strip()
    return "\t" not in body and "|" not in body and body.count("\n") < 3


@cache
def _labels(table: str) -> dict[str, Label]:
    spec = layouts()["tables"][table]
    out: dict[str, Label] = {}
    for word in spec.get("noise", []):
        out[label_key(word)] = Label("noise", word)
    for group in spec.get("groups", []):
        for variant in group["labels"]:
            out[label_key(variant)] = Label("group", group["key"])
    for row in spec.get("rows", []):
        if isinstance(row, str):
            continue
        for variant in row["labels"]:
            out[label_key(variant)] = Label("row", row["key"], row.get("exact_only", False))
    return out


@cache
def _resolve(table: str, piece: str) -> Label | None:
    labels = _labels(table)
    if piece in labels:
        return labels[piece]
    by_length = sorted((k for k, v in labels.items() if not v.exact_only), key=len, reverse=True)
    for key in by_length:
        if len(key) >= 2 and piece.endswith(key):
            return labels[key]
    fuzzy_keys = [k for k in by_length if len(k) >= 4]
    best = process.extractOne(piece, fuzzy_keys, scorer=fuzz.ratio, score_cutoff=80)
    if best:
        return labels[best[0]]
    if len(piece) >= 6:
        best = process.extractOne(piece, fuzzy_keys, scorer=fuzz.partial_ratio, score_cutoff=90)
        if best and len(best[0]) > len(piece):
            return labels[best[0]]
    return None


def row_for(table: str, label_text: str, taken: set[str]) -> str | None:
    """The row whose label stands last in `label_text`, skipping group labels and header words."""
    pieces = [label_key(p) for p in PIECE_SPLIT.split(label_text)]
    for piece in reversed([p for p in pieces if p]):
        label = _resolve(table, piece)
        if label is None or label.kind != "row":
            continue
        return label.key if label.key not in taken else None
    return None


@cache  # asked for every row read
def row_columns(table: str, row: str, fmt: str) -> list[str]:
    spec = layouts()["tables"][table]
    for entry in spec["rows"]:
        if entry["key"] == row:
            return entry["cols"][fmt] if "cols" in entry else spec["cols"]
    raise KeyError(row)


def expected_rows(table: str, fmt: str, found: set[str]) -> list[str]:
    spec = layouts()["tables"][table]
    rows = [r["key"] for r in spec["rows"] if fmt in r.get("formats", FORMATS)]
    if is_mixed(table, fmt, found):
        mixed = spec["mixed_layout"]
        rows = [r for r in rows if not r.startswith(mixed["replaces"])] + [mixed["row"]]
    return rows


def is_mixed(table: str, fmt: str | None, found: set[str]) -> bool:
    """A table of `fmt` that printed the other format's row standing for several (layouts.yaml
    `mixed_layout`)."""
    mixed = layouts()["tables"][table].get("mixed_layout")
    return bool(mixed) and fmt == mixed["format"] and mixed["row"] in found


@cache  # asked for every row read and every warning
def row_label(table: str, row: str) -> str:
    spec = layouts()["tables"][table]
    if table == "review":
        return spec["row_labels"][row]
    return next(r["labels"][0] for r in spec["rows"] if r["key"] == row)


def _warn(code: str, message: str, table: str, row: str | None = None) -> ParseWarning:
    return ParseWarning(code, message, table=table, row=row)


def parse_rows(table: str, text: str, fmt: str) -> TableResult:
    """Parse table 二 or 三 (one row per label)."""
    flat = is_flattened(text)
    options: dict[str, list[Fit]] = {}
    warnings: list[ParseWarning] = []
    for group in tokenize(text):
        row = row_for(table, group.label_text, set(options))
        if row is None:
            if any(not t.is_blank for t in group.tokens) and options:
                raws = " ".join(t.raw for t in group.tokens)
                warnings.append(
                    _warn("table.orphan_numbers", f"表中数字“{raws}”找不到所属行", table)
                )
            continue
        cols = columns_for(table, row, fmt)
        tokens, rest = _own_tokens(group.tokens, len(cols))
        if rest:
            raws = " ".join(t.raw for t in rest)
            warnings.append(
                _warn(
                    "table.orphan_numbers",
                    f"“{row_label(table, row)}”行之后的数字“{raws}”找不到所属行",
                    table,
                    row,
                )
            )
        fits = _fit(table, tokens, cols, flat)
        if not fits:
            raws = " ".join(t.raw for t in group.tokens)
            warnings.append(
                _warn(
                    "table.row_unreadable",
                    f"“{row_label(table, row)}”行的数字“{raws}”无法读成{len(cols)}列",
                    table,
                    row,
                )
            )
            continue
        options[row] = fits
    return rows_result(table, fmt, options, warnings)


def rows_result(
    table: str, fmt: str, options: dict[str, list[Fit]], warnings: list[ParseWarning]
) -> TableResult:
    """Table 二 or 三 from each row's readings: one per row, chosen by the column arithmetic."""
    chosen, readings = choose_by_columns(options, _column_checks(table))
    warnings += _fit_warnings(table, options, chosen, readings)
    cells = []
    for row, fit in _in_layout_order(table, chosen):
        for col, value, raw in zip(columns_for(table, row, fmt), fit.values, fit.raws, strict=True):
            cells.append((row, col, value, raw))
    return TableResult(table, cells, warnings, set(chosen))


def _own_tokens(tokens: list[Token], ncols: int) -> tuple[list[Token], list[Token]]:
    """The numbers that belong to the labelled row; the rest lost their label.

    Two rows' worth of numbers: the second row's label was printed elsewhere. A full row
    followed by numbers on a new line: those are a page number or another row's cells.
    """
    if len(tokens) >= 2 * ncols:
        return tokens[:ncols], tokens[ncols:]
    row_on_one_line = not any(t.line_start for t in tokens[1:ncols])
    if len(tokens) > ncols and tokens[ncols].line_start and row_on_one_line:
        return tokens[:ncols], tokens[ncols:]
    return tokens, []


def columns_for(table: str, row: str, fmt: str) -> list[str]:
    try:
        return row_columns(table, row, fmt)
    except KeyError:  # a trial-only row in a revised report (mixed layout): read it as trial
        other = next(f for f in FORMATS if f != fmt)
        return row_columns(table, row, other)


def _fit(table: str, tokens: list[Token], cols: list[str], flat: bool) -> list[Fit]:
    total = row_total_constraint(table)
    if total is not None:
        subtotal = without_subtotal(table, tokens, cols)
        if subtotal:
            return [subtotal]
        return fit_row(tokens, len(cols), total, may_split=flat)
    fits = fit_row(tokens, len(cols), None, may_split=flat)
    return sorted(fits, key=lambda f: _plausibility(table, cols, f), reverse=True)


def row_total_constraint(table: str, groups: int = 1):
    """The table's row arithmetic (layouts.yaml `row_total`: the last column sums the others)."""
    spec = layouts()["tables"][table]
    if spec.get("row_total") is None:
        return None
    if spec["row_total"] != spec["cols"][-1]:
        raise ValueError(f"{table}: row_total must be the last column")
    return sums_to_last(groups, len(spec["cols"]) if groups > 1 else None)


def without_subtotal(table: str, tokens: list[Token], cols: list[str]) -> Fit | None:
    """A row with an extra 法人或其他组织小计 column (layouts.yaml `subtotal_column`), printed
    right before or right after the columns it sums: drop it when the arithmetic says so."""
    spec = layouts()["tables"][table].get("subtotal_column")
    if not spec or len(tokens) != len(cols) + 1 or any(t.is_blank for t in tokens):
        return None
    values = [Decimal(t.raw.replace(",", "")) for t in tokens]
    summed = [cols.index(c) for c in spec["sums"]]
    row_total = row_total_constraint(table)
    for at in (summed[0], summed[-1] + 1):
        keep = [i for i in range(len(tokens)) if i != at]
        kept = [values[i] for i in keep]
        if values[at] == sum(kept[i] for i in summed) and row_total(kept):
            return Fit(kept, [tokens[i].raw for i in keep], "subtotal")
    return None


def _plausibility(table: str, cols: list[str], fit: Fit) -> tuple:
    """Order the readings of an unconstrained flattened row: stock ≥ flow, balanced widths."""
    spec = layouts()["tables"][table]
    values = dict(zip(cols, fit.values, strict=True))
    stock = None
    for col in spec.get("stock_cols", []):
        stock = values.get(col)
        if stock:
            break
    flows = [v for c, v in values.items() if c in spec.get("flow_cols", []) and v is not None]
    stock_ok = stock is None or all(stock >= f for f in flows)
    widths = [len(r) for r in fit.raws]
    return (stock_ok, -(max(widths) - min(widths)))


def _column_checks(table: str) -> list[Callable[[dict[str, Fit]], bool]]:
    """The table's column arithmetic (layouts.yaml `column_arithmetic`) as checks of a reading."""
    return [column_rule(rule) for rule in layouts()["tables"][table].get("column_arithmetic", [])]


def column_rule(rule: dict[str, list[str]]) -> Callable[[dict[str, Fit]], bool]:
    def holds(rows: dict[str, Fit]) -> bool:
        lhs, rhs = _rule_rows(rows, rule["lhs"]), _rule_rows(rows, rule["rhs"])
        if lhs is None or rhs is None:
            return True
        for column in zip(*(fit.values for fit in lhs + rhs), strict=True):
            if any(v is None for v in column):
                continue
            if sum(column[: len(lhs)]) != sum(column[len(lhs) :]):
                return False
        return True

    return holds


def _rule_rows(rows: dict[str, Fit], keys: list[str]) -> list[Fit] | None:
    """The readings a side of a column rule names; None when a plain key was not read."""
    picked: list[Fit] = []
    for key in keys:
        if key.endswith("*"):
            picked += [fit for row, fit in rows.items() if row.startswith(key[:-1])]
        elif key in rows:
            picked.append(rows[key])
        else:
            return None
    return picked


def _fit_warnings(
    table: str, options: dict[str, list[Fit]], chosen: dict[str, Fit], readings: int
) -> list[ParseWarning]:
    warnings = []
    for row, fit in chosen.items():
        label = row_label(table, row)
        shown = " ".join(fit.raws)
        if fit.how == "split_digit":
            warnings.append(
                _warn(
                    "table.split_digit",
                    f"“{label}”行的数字间有多余空格，按本行合计关系读作 {shown}",
                    table,
                    row,
                )
            )
        elif fit.how == "subtotal":
            warnings.append(
                _warn(
                    "table.subtotal_column",
                    f"“{label}”行含“法人或其他组织小计”列，已略去",
                    table,
                    row,
                )
            )
        elif fit.how == "ran_together" and len(options[row]) > 1 and readings != 1:
            warnings.append(
                _warn(
                    "table.ambiguous_split",
                    f"“{label}”行的数字连在一起，有{len(options[row])}种读法符合表内关系，取 {shown}",
                    table,
                    row,
                )
            )
        elif fit.how == "ran_together":
            warnings.append(
                _warn(
                    "table.recovered",
                    f"“{label}”行的数字连在一起，按表内关系拆分为 {shown}",
                    table,
                    row,
                )
            )
        warnings += [
            _warn("table.blank_cell", f"“{label}”行有空白或“{raw}”单元格，未按 0 计", table, row)
            for raw, value in zip(fit.raws, fit.values, strict=True)
            if value is None
        ]
    return warnings


def _in_layout_order(table: str, chosen: dict[str, Fit]) -> list[tuple[str, Fit]]:
    order = [r["key"] for r in layouts()["tables"][table]["rows"]]
    return sorted(chosen.items(), key=lambda item: order.index(item[0]))


def _review_window(tokens: list[Token], width: int, constraint) -> int:
    """Where the fifteen numbers start: the first line that holds a block whose totals add up."""
    starts = [i for i, t in enumerate(tokens[: len(tokens) - width + 1]) if i == 0 or t.line_start]
    for start in starts:
        block = tokens[start : start + width]
        if not any(t.is_blank for t in block) and constraint([to_number(t.raw) for t in block]):
            return start
    return 0


def parse_review(text: str) -> TableResult:
    """Parse table 四: three blocks of five numbers printed on one line."""
    spec = layouts()["tables"]["review"]
    rows, cols = spec["rows"], spec["cols"]
    tokens = [t for group in tokenize(text) for t in group.tokens]
    warnings: list[ParseWarning] = []
    width = len(rows) * len(cols)
    constraint = row_total_constraint("review", len(rows))
    if len(tokens) > width:
        start = _review_window(tokens, width, constraint)
        fits = fit_row(tokens[start : start + width], width, constraint, False)
        if fits and fits[0].how == "exact":
            extra = " ".join(t.raw for t in tokens[:start] + tokens[start + width :])
            warnings.append(
                _warn("table.extra_numbers", f"表四前后还有数字“{extra}”，未读入", "review")
            )
        else:
            fits = fit_row(tokens, width, constraint, False)
    else:
        fits = fit_row(tokens, width, constraint, is_flattened(text))
    if not fits:
        raws = " ".join(t.raw for t in tokens)
        warnings.append(_warn("table.row_unreadable", f"表四的数字“{raws}”无法读成15列", "review"))
        return TableResult("review", [], warnings, set())
    fit = fits[0]
    if fit.how == "ran_together":
        code = "table.ambiguous_split" if len(fits) > 1 else "table.recovered"
        note = f"有{len(fits)}种读法" if len(fits) > 1 else "按各行合计关系拆分"
        warnings.append(_warn(code, f"表四的数字连在一起，{note}：{' '.join(fit.raws)}", "review"))
    elif fit.how == "split_digit":
        warnings.append(
            _warn("table.split_digit", f"表四按合计关系读作 {' '.join(fit.raws)}", "review")
        )
    return review_result(fit, warnings)


def review_result(fit: Fit, warnings: list[ParseWarning]) -> TableResult:
    """Table 四 from its fifteen values in printed order (with a warning for each blank)."""
    spec = layouts()["tables"]["review"]
    rows, cols = spec["rows"], spec["cols"]
    cells = []
    for i, (value, raw) in enumerate(zip(fit.values, fit.raws, strict=True)):
        row, col = rows[i // len(cols)], cols[i % len(cols)]
        cells.append((row, col, value, raw))
        if value is None:
            warnings.append(
                _warn("table.blank_cell", f"表四“{row}/{col}”为“{raw}”，未按 0 计", "review", row)
            )
    return TableResult("review", cells, warnings, set(rows))
