"""Finding: fingerprints, dismissal, the `check --json` shape, the tidy frame."""

from __future__ import annotations

import json

import pytest
from checks_support import make_report

from nlp.checks import (
    Finding,
    check_cross_year,
    check_tables,
    findings_frame,
    make_fingerprint,
    normalise_agency,
)

BROKEN = {("review", "review", "total"): 3}
CONTRACT_KEYS = {"rule", "kind", "severity", "message", "section", "evidence", "claim", "cells"}


def one_finding(**kw) -> Finding:
    (finding,) = check_tables(make_report("2021", changes=BROKEN, **kw))
    return finding


def test_fingerprint_survives_a_renamed_file():
    first = one_finding(source="2021/report.txt")
    renamed = one_finding(source="archive/临沂大数据局2021年报.pdf")
    assert first.source != renamed.source
    assert first.fingerprint == renamed.fingerprint
    assert len(first.fingerprint) == 40


def test_fingerprint_tells_agencies_years_and_cells_apart():
    base = one_finding().fingerprint
    assert one_finding(year=2022).fingerprint != base
    assert one_finding(agency="另一个局").fingerprint != base
    assert one_finding(agency="某市某局（办公室编制）").fingerprint == base
    other_row = check_tables(
        make_report("2021", changes={("review", "litigation_direct", "total"): 3})
    )
    assert other_row[0].fingerprint != base


def test_fingerprint_of_a_claim_includes_its_text():
    cells = [{"table": "requests", "row": "new", "col": "total", "value": 95}]
    said_17 = make_fingerprint("claim.requests_new", "某局", 2024, cells, "共收到申请17件")
    said_18 = make_fingerprint("claim.requests_new", "某局", 2024, cells, "共收到申请18件")
    assert said_17 != said_18
    finding = Finding(
        rule="claim.requests_new",
        kind="claim",
        severity="error",
        message="…",
        section="overall",
        evidence="共收到申请17件",
        cells=cells,
        agency="某局",
        year=2024,
    )
    assert finding.fingerprint == said_17


def test_dismissed_findings_are_dropped():
    report = make_report("2021", changes=BROKEN | {("requests", "granted", "total"): 4})
    findings = check_tables(report)
    assert len(findings) == 3
    dismissed = {findings[0].fingerprint}
    kept = check_tables(report, dismissed=dismissed)
    assert [f.fingerprint for f in kept] == [f.fingerprint for f in findings[1:]]


def test_dismissed_cross_year_findings_are_dropped():
    previous = make_report("2021", year=2021, changes={("requests", "carried_forward", "total"): 9})
    current = make_report("2021", year=2022)
    findings = check_cross_year([previous, current])
    assert findings
    assert check_cross_year([previous, current], dismissed={f.fingerprint for f in findings}) == []


def test_to_dict_has_the_contract_shape():
    finding = one_finding()
    data = finding.to_dict()

    assert set(data) == CONTRACT_KEYS | {"fingerprint"}
    assert data["kind"] in {"table", "claim", "narrative", "cross_year"}
    assert data["severity"] in {"error", "warning", "info"}
    assert data["claim"] is None
    assert data["section"] == "review"
    assert all(set(cell) == {"table", "row", "col", "value"} for cell in data["cells"])
    assert {"table": "review", "row": "review", "col": "total", "value": 3} in data["cells"]
    assert isinstance(data["cells"][0]["value"], int)
    round_trip = json.loads(json.dumps(data, ensure_ascii=False))
    assert round_trip == data


def test_to_dict_writes_blank_values_as_null():
    (skipped,) = check_tables(make_report("2021", drop=(("review", "review", "upheld"),)))
    assert skipped.to_dict()["cells"] == [
        {"table": "review", "row": "review", "col": "upheld", "value": None}
    ]


def test_findings_frame_is_one_row_per_finding():
    findings = check_tables(
        make_report("2021", changes=BROKEN | {("requests", "granted", "total"): 4})
    )
    frame = findings_frame(findings)

    assert list(frame.columns)[:10] == [
        "source",
        "rule",
        "kind",
        "severity",
        "message",
        "section",
        "evidence",
        "claim",
        "cells",
        "fingerprint",
    ]
    assert len(frame) == 3
    assert frame["fingerprint"].is_unique
    assert json.loads(frame.loc[0, "cells"])[0].keys() == {"table", "row", "col", "value"}
    assert frame["year"].tolist() == [2021] * 3


def test_findings_frame_of_nothing_still_has_its_columns():
    frame = findings_frame([])
    assert frame.empty
    assert "fingerprint" in frame.columns and "severity" in frame.columns


@pytest.mark.parametrize("field, value", [("kind", "table_rule"), ("severity", "fatal")])
def test_finding_rejects_unknown_kind_or_severity(field, value):
    args = {"rule": "x", "kind": "table", "severity": "error", "message": "m"} | {field: value}
    with pytest.raises(ValueError, match=value):
        Finding(**args)


def test_normalise_agency_drops_remarks_and_width_differences():
    assert (
        normalise_agency("淮安市洪泽区人民政府（洪泽区人民政府办公室编制）")
        == "淮安市洪泽区人民政府"
    )
    # A zone's committee and the zone are one agency (nlp/agency.yaml identity_endings_dropped).
    assert normalise_agency(" 平潭综合实验区管委会 (全区汇总)") == "平潭综合实验区"
    assert normalise_agency(None) == ""
