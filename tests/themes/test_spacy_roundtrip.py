"""The spaCy pipeline with `xxgk_themes`: saved with `to_disk`, loaded with `spacy.load`, it gives
the same tokens and themes; its sentences are `doc.sents`, the report's sentence table."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points

import pytest
import spacy

import nlp
import nlp.themes.component  # noqa: F401  (registers the factory)
from nlp.report import Report
from nlp.text.pipeline import TOKENIZER, blank
from nlp.text.sentences import is_sentence

PROBLEMS = (
    "五、存在的主要问题及改进情况\n"
    "政策解读形式还比较单一。下一步，我们将继续加强培训，提升信息公开质量。\n"
    "、\n"
    "（一）平台建设 网站栏目仍需优化。"
)


def pipeline():
    language = blank()
    language.add_pipe("xxgk_themes", config={"section": "problems"})
    return language


def labelled(doc) -> list[tuple[str, str, str, float]]:
    return [
        (s.text.strip(), s._.theme, s._.function, round(s._.theme_score, 6))
        for s in doc.sents
        if s._.theme is not None
    ]


def test_the_tokenizer_is_named_in_the_config():
    assert pipeline().config["nlp"]["tokenizer"] == {"@tokenizers": TOKENIZER}


def test_the_component_classifies_doc_sents_as_nlp_themes_does():
    report = Report(source="r", sections={"problems": PROBLEMS})
    table = nlp.themes(report)
    doc = pipeline()(PROBLEMS)
    expected = [
        (r.text, r.theme, r.function, round(float(r.theme_score), 6)) for r in table.itertuples()
    ]
    assert labelled(doc) == expected
    # every sentence of doc.sents is classified, except the spans of marks only
    assert [s.text.strip() for s in doc.sents if not is_sentence(s.text.strip())] == ["、"]


def test_to_disk_then_spacy_load_gives_the_same_tokens_and_themes(tmp_path):
    original = pipeline()
    original.to_disk(tmp_path / "xxgk")
    loaded = spacy.load(tmp_path / "xxgk")
    assert loaded.pipe_names == original.pipe_names
    before, after = original(PROBLEMS), loaded(PROBLEMS)
    assert [t.text for t in after] == [t.text for t in before]
    assert labelled(after) == labelled(before)
    assert labelled(after)


_FRESH = """
import json, sys, spacy
doc = spacy.load(sys.argv[1])(sys.argv[2])
print(json.dumps([[t.text for t in doc], [s._.theme for s in doc.sents]], ensure_ascii=False))
"""


@pytest.mark.skipif(
    "xxgk_themes" not in {e.name for e in entry_points(group="spacy_factories")},
    reason="the package's spaCy entry points are not installed (pip install -e .)",
)
def test_spacy_load_in_a_fresh_process_finds_tokenizer_and_components(tmp_path):
    original = pipeline()
    original.to_disk(tmp_path / "xxgk")
    run = subprocess.run(
        [sys.executable, "-c", _FRESH, str(tmp_path / "xxgk"), PROBLEMS],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,  # not the repository: nothing of the project is imported beforehand
    )
    tokens, themes = json.loads(run.stdout)
    doc = original(PROBLEMS)
    assert tokens == [t.text for t in doc]
    assert themes == [s._.theme for s in doc.sents]
