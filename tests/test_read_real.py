"""`nlp.read` on the real published reports of ../shared/corpus/real (skipped when absent).

The expected numbers below are the printed tables' facts, stated cell by cell: every cell not
listed is 0. Nothing of the reports' text is copied here.
"""

from __future__ import annotations

import csv
import math

import pytest

import nlp
from nlp.report import table_keys
from tests.conftest import REAL_CORPUS, real_file

SEVEN = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org")
SEVEN = (*SEVEN, "total")
FIVE = ("upheld", "corrected", "other", "pending", "total")

# Files of the corpus that are not whole published reports (MANIFEST notes say why).
NOT_FULL_REPORTS = {"govnianbao/section3_raw_text.txt", "kirogovcompare/temp-jinhu-2023.json"}


def manifest() -> list[dict[str, str]]:
    path = REAL_CORPUS / "MANIFEST.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


FULL_REPORTS = [row["file"] for row in manifest() if row["file"] not in NOT_FULL_REPORTS]


def expected_cells(fmt: str, mixed: bool, active=None, requests=None, review=None):
    """Every cell of a table of this format: the listed ones, 0 elsewhere."""
    given = {}
    for (row, col), value in (active or {}).items():
        given[("active", row, col)] = value
    for row, values in (requests or {}).items():
        given.update({("requests", row, c): v for c, v in zip(SEVEN, values, strict=True)})
    for row, values in (review or {}).items():
        given.update({("review", row, c): v for c, v in zip(FIVE, values, strict=True)})
    keys = []
    for table in ("active", "requests", "review"):
        for row, col in table_keys(table, fmt):
            if mixed and row.startswith("other."):
                continue
            keys.append((table, row, col))
        if mixed and table == "requests":
            keys += [("requests", "other", c) for c in SEVEN]
    return {key: given.get(key, 0) for key in keys}


def assert_cells_equal(report, expected):
    got = {(r.table, r.row, r.col): r.value for r in report.cells.itertuples(index=False)}
    assert set(got) == set(expected), set(got) ^ set(expected)
    wrong = {k: (got[k], v) for k, v in expected.items() if not math.isclose(got[k], v)}
    assert wrong == {}


YANTAI_2020 = dict(
    fmt="2019",
    mixed=False,
    active={
        ("other_services", "prev_items"): 2,
        ("procurement", "items"): 5,
        ("procurement", "amount"): 2034.38,
    },
    requests={
        "new": (2, 0, 0, 0, 0, 0, 2),
        "denied.internal": (1, 0, 0, 0, 0, 0, 1),
        "unavailable.not_held": (1, 0, 0, 0, 0, 0, 1),
        "handled_total": (2, 0, 0, 0, 0, 0, 2),
    },
)
LINYI_2021 = dict(
    fmt="2021",
    mixed=False,
    active={
        ("normative_docs", "issued"): 1,
        ("normative_docs", "repealed"): 1,
        ("normative_docs", "in_force"): 2,
    },
)
HONGZE_2024 = dict(
    fmt="2021",
    mixed=True,
    active={
        ("normative_docs", "issued"): 3,
        ("normative_docs", "in_force"): 8,
        ("licensing", "decisions"): 9487,
        ("penalty", "decisions"): 2776,
        ("coercion", "decisions"): 84,
        ("fees", "amount"): 7545,
    },
    requests={
        "new": (95, 0, 0, 0, 0, 0, 95),
        "granted": (50, 0, 0, 0, 0, 0, 50),
        "partial": (9, 0, 0, 0, 0, 0, 9),
        "denied.security": (1, 0, 0, 0, 0, 0, 1),
        "denied.process": (1, 0, 0, 0, 0, 0, 1),
        "denied.enforcement_file": (1, 0, 0, 0, 0, 0, 1),
        "unavailable.not_held": (31, 0, 0, 0, 0, 0, 31),
        "unavailable.needs_creation": (1, 0, 0, 0, 0, 0, 1),
        "not_processed.petition": (1, 0, 0, 0, 0, 0, 1),
        "handled_total": (95, 0, 0, 0, 0, 0, 95),
    },
    review={
        "review": (1, 1, 0, 0, 2),
        "litigation_direct": (1, 0, 0, 0, 1),
        "litigation_after_review": (2, 0, 1, 0, 3),
    },
)
HONGZE_2023 = dict(
    fmt="2021",
    mixed=True,
    active={
        ("normative_docs", "repealed"): 5,
        ("normative_docs", "in_force"): 5,
        ("licensing", "decisions"): 550,
        ("penalty", "decisions"): 4119,
        ("coercion", "decisions"): 195,
        ("fees", "amount"): 7730.28,
    },
    requests={
        "new": (21, 0, 0, 0, 0, 0, 21),
        "partial": (4, 0, 0, 0, 0, 0, 4),
        "denied.state_secret": (1, 0, 0, 0, 0, 0, 1),
        "denied.process": (1, 0, 0, 0, 0, 0, 1),
        "denied.enforcement_file": (1, 0, 0, 0, 0, 0, 1),
        "unavailable.not_held": (10, 0, 0, 0, 0, 0, 10),
        "unavailable.needs_creation": (3, 0, 0, 0, 0, 0, 3),
        "not_processed.petition": (1, 0, 0, 0, 0, 0, 1),
        "handled_total": (21, 0, 0, 0, 0, 0, 21),
    },
    # As printed: the review row's total is 0 although 11 cases are listed (a finding, not ours).
    review={"review": (10, 1, 0, 0, 0), "litigation_after_review": (5, 0, 0, 0, 0)},
)
HUAIAN_2024 = dict(
    fmt="2021",
    mixed=False,
    active={
        ("regulations", "issued"): 1,
        ("regulations", "in_force"): 11,
        ("normative_docs", "issued"): 8,
        ("normative_docs", "repealed"): 26,
        ("normative_docs", "in_force"): 66,
        ("licensing", "decisions"): 447228,
        ("penalty", "decisions"): 3985758,
        ("coercion", "decisions"): 88283,
        ("fees", "amount"): 96171.6,
    },
    requests={
        "new": (3001, 53, 0, 0, 61, 4, 3119),
        "carried_over": (34, 0, 0, 0, 0, 0, 34),
        "granted": (1288, 21, 0, 0, 50, 3, 1362),
        "partial": (447, 7, 0, 0, 0, 0, 454),
        "denied.state_secret": (2, 0, 0, 0, 0, 0, 2),
        "denied.prohibited": (30, 1, 0, 0, 0, 0, 31),
        "denied.security": (5, 0, 0, 0, 0, 0, 5),
        "denied.third_party": (6, 0, 0, 0, 0, 0, 6),
        "denied.internal": (7, 1, 0, 0, 0, 0, 8),
        "denied.process": (12, 0, 0, 0, 0, 0, 12),
        "denied.enforcement_file": (9, 0, 0, 0, 0, 0, 9),
        "denied.query": (105, 0, 0, 0, 0, 0, 105),
        "unavailable.not_held": (746, 12, 0, 0, 10, 1, 769),
        "unavailable.needs_creation": (11, 0, 0, 0, 0, 0, 11),
        "unavailable.unclear": (1, 0, 0, 0, 0, 0, 1),
        "not_processed.petition": (56, 6, 0, 0, 0, 0, 62),
        "not_processed.duplicate": (25, 0, 0, 0, 0, 0, 25),
        "not_processed.confirm": (1, 0, 0, 0, 0, 0, 1),
        "other.no_correction": (67, 3, 0, 0, 1, 0, 71),
        "other.no_fee": (6, 0, 0, 0, 0, 0, 6),
        "other.other": (108, 2, 0, 0, 0, 0, 110),
        "handled_total": (2932, 53, 0, 0, 61, 4, 3050),
        "carried_forward": (103, 0, 0, 0, 0, 0, 103),
    },
    review={
        "review": (72, 64, 178, 37, 351),
        "litigation_direct": (13, 4, 8, 1, 26),
        "litigation_after_review": (12, 1, 1, 6, 20),
    },
)


@pytest.mark.real
@pytest.mark.parametrize(
    ("relative", "truth"),
    [
        ("seeds/000_9eb6a65c53a7db1b.txt", YANTAI_2020),
        ("seeds/002_6791af29304a63d7.txt", LINYI_2021),
        ("kirogovcompare/hzq2024_working.pdf", HONGZE_2024),
        ("kirogovcompare/hzq2023_working.pdf", HONGZE_2023),
        ("govnianbao/szfgs2024.pdf", HUAIAN_2024),
    ],
)
def test_every_cell_equals_the_printed_table(relative, truth):
    report = nlp.read(real_file(relative))
    assert report.format == truth["fmt"]
    assert report.mixed_layout == truth["mixed"]
    cells = {k: v for k, v in truth.items() if k not in {"fmt", "mixed"}}
    assert_cells_equal(report, expected_cells(truth["fmt"], truth["mixed"], **cells))
    assert not [w for w in report.warnings if w.code.startswith("table.row")]


@pytest.mark.real
@pytest.mark.parametrize("relative", FULL_REPORTS or ["(corpus absent)"])
def test_every_full_report_yields_six_sections_and_three_tables(relative):
    report = nlp.read(real_file(relative))
    for key in ("overall", "active", "requests", "review", "problems", "other"):
        assert key in report.sections, key
    assert set(report.cells["table"]) == {"active", "requests", "review"}
    assert "table.not_found" not in {w.code for w in report.warnings}
    year = next(int(r["year"]) for r in manifest() if r["file"] == relative)
    assert report.year == year


@pytest.mark.real
def test_revised_format_typo_header_still_reads_as_revised():
    report = nlp.read(real_file("seeds/002_6791af29304a63d7.txt"))
    assert report.value("active", "normative_docs", "repealed") == 1


@pytest.mark.real
@pytest.mark.parametrize("relative", [f for f in FULL_REPORTS if f.startswith("pingtan/")])
def test_one_line_pages_every_requests_row_adds_up_or_is_warned(relative):
    report = nlp.read(real_file(relative))
    requests = report.table("requests")
    assert len(requests) >= 23
    warned = {w.row for w in report.warnings if w.table == "requests"}
    for row, values in requests.iterrows():
        adds_up = values.iloc[:6].sum() == values["total"]
        assert adds_up or row in warned, row


@pytest.mark.real
def test_one_line_page_recovers_run_together_digits():
    relative = next((f for f in FULL_REPORTS if "105587" in f), None)
    if relative is None:
        pytest.skip("page not in corpus")
    report = nlp.read(real_file(relative))
    assert report.value("requests", "new", "natural_person") == 151
    assert report.value("requests", "new", "commercial") == 3
    assert report.value("requests", "new", "total") == 154
    assert report.value("requests", "unavailable.not_held", "natural_person") == 49
    assert report.value("review", "review", "total") == 36
    assert report.value("review", "litigation_direct", "total") == 6


@pytest.mark.real
def test_partial_report_says_what_is_missing():
    report = nlp.read(real_file("govnianbao/section3_raw_text.txt"))
    codes = {w.code for w in report.warnings}
    assert "sections.missing" in codes
    assert "table.row_missing" in codes
    assert report.confidence < 0.5


@pytest.mark.real
def test_parse_dump_is_not_a_report():
    with pytest.raises(nlp.ReadError, match="unsupported format"):
        nlp.read(real_file("kirogovcompare/temp-jinhu-2023.json"))
