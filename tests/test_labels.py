"""Names for every key: label columns from the data files, English names, English messages."""

from __future__ import annotations

import pandas as pd
import pytest

from nlp.checks.findings import Finding
from nlp.labels import cell_labels, english_message, label, with_labels
from nlp.report import layouts


def test_label_columns_follow_their_keys():
    frame = pd.DataFrame(
        {
            "table": ["requests", "active"],
            "row": ["denied.state_secret", "regulations"],
            "col": ["natural_person", "issued"],
            "theme": ["proactive", "fees"],
            "function": ["problem", "measure"],
        }
    )
    labelled = with_labels(frame)
    assert list(labelled.columns) == [
        "table", "table_label", "row", "row_label", "col", "col_label",
        "theme", "theme_label", "function", "function_label",
    ]  # fmt: skip
    assert labelled.loc[0, ["table_label", "row_label", "col_label"]].tolist() == [
        "表三",
        "属于国家秘密",
        "自然人",
    ]
    assert labelled.loc[1, "row_label"] == layouts()["tables"]["active"]["rows"][0]["labels"][0]
    assert labelled["theme_label"].tolist() == ["主动公开", "信息处理费"]
    assert labelled["function_label"].tolist() == ["存在问题", "改进措施"]
    assert all(str(labelled[c].dtype) == "str" for c in labelled.columns if c.endswith("_label"))


def test_english_labels_and_unknown_keys():
    assert label("theme", "proactive", "en") == "proactive disclosure"
    assert label("row", "denied.state_secret", "en", "requests") == "denied.state_secret"
    assert label("theme", "no_such_theme") == "no_such_theme"
    assert cell_labels("requests", "new", "total")[0] == "表三"
    with pytest.raises(ValueError, match="lang"):
        label("theme", "proactive", "fr")


def test_english_message_says_the_claim_and_the_cells():
    finding = Finding(
        "claim.requests_new",
        "claim",
        "error",
        "叙述称收到申请9件，表三为5件",
        claim={"metric": "requests/new/total", "value": 9},
        cells=[{"table": "requests", "row": "new", "col": "total", "value": 5.0}],
    )
    message = english_message(finding)
    assert message.startswith("the narrative says 9 (requests/new/total); the table says 5")
    assert english_message(finding.to_dict()) == message


def test_english_message_of_a_change_gives_each_year_apart():
    cell = {"table": "requests", "row": "new", "col": "total"}
    finding = Finding(
        "claim.change",
        "claim",
        "error",
        "叙述称比上年增加3件",
        claim={"metric": "requests_new", "value": 3},
        cells=[{**cell, "value": 12.0, "year": 2024}, {**cell, "value": 15.0, "year": 2023}],
    )
    message = english_message(finding)
    assert "a change of 3 (requests_new)" in message
    assert "the tables say 2023: 15, 2024: 12" in message
    assert "27" not in message
