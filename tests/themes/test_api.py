"""The shipped model, `nlp.themes(report)`, the spaCy component, the CLI and the annotations."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

import nlp
from nlp.cli import app
from nlp.report import Report
from nlp.themes import annotations, load_model
from nlp.themes.api import COLUMNS, MODEL_PATH
from nlp.themes.arrays import arrays_path
from nlp.themes.baseline import FUNCTIONS, THEMES
from nlp.themes.classifier import shipped_classifier

# A report written for these tests (not from any real report).
OVERALL = (
    "一、总体情况\n（一）主动公开情况\n本年度主动公开政府信息350条，其中政策文件20件。\n"
    "（二）依申请公开情况\n全年收到政府信息公开申请12件，均在法定期限内答复。\n"
)
PROBLEMS = "政策解读形式还比较单一。下一步，我局将加强业务培训，提升工作人员业务能力。"
OTHER = "本年度未收取信息处理费。"
REPORT = Report(source="t.txt", sections={"overall": OVERALL, "problems": PROBLEMS, "other": OTHER})


def test_shipped_model_loads_safely_and_is_small():
    assert MODEL_PATH.stat().st_size < 2_000_000  # saved zip-deflated
    assert shipped_classifier().targets_ == ["theme", "function"]  # skops, trusted types only
    assert load_model().targets == ["theme", "function"]  # its exported arrays
    shipped = MODEL_PATH.stat().st_size + arrays_path(MODEL_PATH).stat().st_size
    assert shipped < 5_000_000


def test_themes_frame_has_the_contract_columns_and_sensible_labels():
    table = nlp.themes(REPORT)
    assert tuple(table.columns) == COLUMNS
    assert len(table) == 8
    by_text = table.set_index("text")
    assert by_text.loc["（一）主动公开情况", "function"] == "framing"
    assert by_text.loc["本年度主动公开政府信息350条，其中政策文件20件。", "theme"] == "proactive"
    request = by_text.loc["全年收到政府信息公开申请12件，均在法定期限内答复。"]
    assert (request["theme"], request["function"]) == ("on_request", "achievement")
    assert by_text.loc["政策解读形式还比较单一。", "function"] == "problem"
    assert by_text.loc[PROBLEMS.split("。")[1] + "。", "function"] == "measure"
    assert by_text.loc[OTHER, "theme"] == "fees"
    assert table["theme_score"].between(0, 1).all()


def test_themes_of_a_report_without_narrative_is_empty():
    assert nlp.themes(Report(source="empty")).empty


def test_spacy_component_sets_span_extensions():
    import spacy

    import nlp.themes.component  # noqa: F401  (registers the factory)
    from nlp.text.pipeline import SENTENCE_COMPONENT, JiebaTokenizer

    spacy_nlp = spacy.blank("zh")
    spacy_nlp.tokenizer = JiebaTokenizer(spacy_nlp.vocab)
    spacy_nlp.add_pipe(SENTENCE_COMPONENT)
    spacy_nlp.add_pipe("xxgk_themes", config={"section": "problems"})
    doc = spacy_nlp(PROBLEMS)
    sents = list(doc.sents)
    assert len(sents) == 2
    assert [s._.function for s in sents] == ["problem", "measure"]
    assert all(s._.theme for s in sents)


def test_cli_themes_json_shape(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(
        "2023年政府信息公开工作年度报告\n" + OVERALL + "五、存在的主要问题及改进情况\n" + PROBLEMS
    )
    result = CliRunner().invoke(app, ["themes", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source"] == str(path)
    assert data["sentences"], data
    first = data["sentences"][0]
    # The keys of interfaces.md, plus the function's score and the uncertainty mark.
    assert set(first) == {
        "section",
        "index",
        "text",
        "theme",
        "function",
        "theme_score",
        "function_score",
        "uncertain",
    }
    assert isinstance(first["uncertain"], bool)


def test_cli_themes_missing_file_exits_2(tmp_path):
    result = CliRunner().invoke(app, ["themes", str(tmp_path / "absent.txt")])
    assert result.exit_code == 2


def test_annotations_store_references_not_text():
    stored = annotations.read_references()
    assert list(stored.columns) == list(annotations.COLUMNS)
    assert stored["file"].nunique() >= 10
    assert set(stored["theme"]) <= set(THEMES)
    assert set(stored["function"]) <= set(FUNCTIONS)


def test_annotations_hash_verify_against_the_real_corpus(real_corpus):
    loaded = annotations.load(real_corpus)
    assert loaded.problems == []
    assert len(loaded.frame) == len(annotations.read_references())
    assert isinstance(loaded.frame, pd.DataFrame)


def test_a_sentence_of_an_annotated_report_left_without_a_row_is_a_problem(real_corpus, tmp_path):
    stored = annotations.read_references()
    one_report = stored[stored["file"] == stored["file"].iloc[0]]
    dropped = one_report.iloc[1]
    path = tmp_path / "one_row_short.csv"
    one_report.drop(index=dropped.name).to_csv(path, index=False)
    problems = annotations.load(real_corpus, path).problems
    where = f"{dropped.section}[{dropped.start}:{dropped.end}]"
    assert problems == [f"{dropped.file}: {where} not annotated"]


@pytest.mark.parametrize("column", ["start", "end"])
def test_annotation_offsets_are_ordered(column):
    stored = annotations.read_references()
    assert (stored["end"] > stored["start"]).all()
    assert (stored[column] >= 0).all()
