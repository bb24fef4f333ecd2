"""What `nlp.read` reads right today in the real corpus stays right (skipped when it is absent).

tests/data/real_pins.json holds, per file of ../shared/corpus/real (or $XXGK_REAL_CORPUS), the
sha1 of its bytes, a hash of the head of each section found (`head_hash`), and the cells judged
right when the pins were made (at fe7fda2, before issue 13): rows that no table warning names, in
tables whose arithmetic holds (its "about" says how exactly). Only keys, numbers and hashes are
stored, nothing of the reports' text. A file whose bytes changed is skipped: its pins no longer
describe it.
"""

from __future__ import annotations

import hashlib
import json
import math
from functools import cache
from pathlib import Path

import pytest

import nlp
from tests.conftest import REAL_CORPUS

PINS = json.loads((Path(__file__).parent / "data" / "real_pins.json").read_text(encoding="utf-8"))
FILES = PINS["files"]

if not REAL_CORPUS.is_dir():
    pytest.skip(f"real corpus not found at {REAL_CORPUS}", allow_module_level=True)

pytestmark = pytest.mark.real


# Markdown markup is not the report's text: a reader may keep `## ` before a heading or not.
MARKUP = set("#*>|`")


def section_head(text: str) -> str:
    """A section's first 12 characters that are neither whitespace nor markdown markup."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in MARKUP)[:12]


def head_hash(text: str) -> str:
    """Where a section starts, whatever the wrapping and markup, without storing its text."""
    return hashlib.sha1(section_head(text).encode("utf-8")).hexdigest()


@cache
def pinned_report(relative: str) -> nlp.Report:
    path = REAL_CORPUS / relative
    if not path.exists():
        pytest.skip(f"real corpus file not found: {path}")
    if hashlib.sha1(path.read_bytes()).hexdigest() != FILES[relative]["sha1"]:
        pytest.skip(f"{relative} changed since it was pinned")
    return nlp.read(path)


def test_section_head_skips_whitespace_and_markup_and_keeps_twelve_characters():
    assert section_head("## 一、总体\n情况 2024年，本机关坚持") == "一、总体情况2024年，"
    assert section_head("一、总体情况\n\n2024 年，本机关") == "一、总体情况2024年，"
    assert head_hash("一、总体情况") != head_hash("二、总体情况")


@pytest.mark.parametrize("relative", sorted(FILES))
def test_pinned_cells_keep_their_values(relative):
    report = pinned_report(relative)
    got = {(c.table, c.row, c.col): c.value for c in report.cells.itertuples(index=False)}
    pinned = {
        (table, row, col): value
        for table, rows in FILES[relative]["cells"].items()
        for row, cols in rows.items()
        for col, value in cols.items()
    }
    wrong = {
        key: (got.get(key), value)
        for key, value in pinned.items()
        if got.get(key) is None or not math.isclose(got[key], value)
    }
    assert wrong == {}, f"{len(wrong)} of {len(pinned)} pinned cells (read, pinned)"


@pytest.mark.parametrize("relative", sorted(FILES))
def test_pinned_sections_start_where_they_did(relative):
    report = pinned_report(relative)
    pinned = FILES[relative]["sections"]
    missing = sorted(set(pinned) - set(report.sections))
    assert missing == [], "sections no longer found"
    moved = {
        key: section_head(report.sections[key])
        for key, digest in pinned.items()
        if head_hash(report.sections[key]) != digest
    }
    assert moved == {}, "sections that start elsewhere (their head now)"
