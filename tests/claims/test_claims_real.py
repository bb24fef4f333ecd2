"""Claims over the narrative of real reports (read from the shared corpus, skipped without it)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nlp.claims import extract_claims
from nlp.text import sentences
from tests.conftest import real_file

pytestmark = pytest.mark.real

TEXT_SUFFIXES = (".txt", ".md")


def narrative_claims(relative: str):
    text = real_file(relative).read_text(encoding="utf-8", errors="replace")
    for sentence in sentences(text):
        if "\t" not in sentence.text:  # table rows are not narrative
            yield from extract_claims(sentence.text)


def test_yantai_2020_qualified_claims():
    claims = list(narrative_claims("seeds/000_9eb6a65c53a7db1b.txt"))
    found = {(c.value, c.unit, c.qualifier, c.counts) for c in claims}
    assert (Decimal(2), "件", "exact", "申请") in found
    assert (Decimal(150), "条", "about", None) in found
    assert (Decimal(10000), "人次", "at_least", None) in found
    assert (Decimal(3), "倍", "at_least", None) in found
    negations = {c.counts for c in claims if c.negated}
    assert "规范性文件" in negations


def test_linyi_2021_received_no_request():
    claims = list(narrative_claims("seeds/002_6791af29304a63d7.txt"))
    assert any(c.negated and c.counts == "申请" and c.value == 0 for c in claims)
    assert all(c.value != 2021 for c in claims)  # the year is never a claim


def test_every_text_report_gives_claims_with_exact_offsets(real_corpus):
    paths = [p for p in sorted(real_corpus.rglob("*")) if p.suffix in TEXT_SUFFIXES]
    assert paths
    total = 0
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        for sentence in sentences(text):
            for claim in extract_claims(sentence.text):
                assert sentence.text[claim.start : claim.end] == claim.text
                assert claim.qualifier in {"exact", "at_least", "about", "at_most"}
                total += 1
    assert total > 100
