"""The arrays model predicts what the skops model of record predicts, and is used only when the
two files agree."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from nlp.corpus import generate
from nlp.data import MODEL_PATH
from nlp.report import Report
from nlp.themes import annotations
from nlp.themes.api import load_model
from nlp.themes.arrays import ArrayThemeModel, arrays_path, exportable, file_sha256
from nlp.themes.classifier import ThemeClassifier, load
from nlp.themes.features import report_columns
from nlp.themes.training import export_arrays

# Probabilities are float32 as the classifier computes them; the same sums in the same order
# differ by at most a rounding or two.
TOLERANCE = 1e-6


@pytest.fixture(scope="module")
def classifier() -> ThemeClassifier:
    return load(MODEL_PATH)


@pytest.fixture(scope="module")
def arrays(classifier, tmp_path_factory) -> ArrayThemeModel:
    folder = tmp_path_factory.mktemp("model")
    shutil.copy(MODEL_PATH, folder / MODEL_PATH.name)
    path = export_arrays(classifier, folder / MODEL_PATH.name)
    return ArrayThemeModel.load(path, source=folder / MODEL_PATH.name)


def _assert_same_prediction(classifier, arrays, sentences):
    expected = classifier.predict_columns(sentences)
    got = arrays.predict_columns(sentences)
    assert set(got) == set(expected)
    for name, column in expected.items():
        assert len(got[name]) == len(column)
        if column.dtype.kind == "f":
            assert got[name].dtype == column.dtype
            np.testing.assert_allclose(got[name], column, rtol=0, atol=TOLERANCE, err_msg=name)
        else:
            assert got[name].tolist() == column.tolist(), name


def test_the_shipped_model_is_exportable(classifier):
    assert exportable(classifier)


def test_arrays_predict_as_the_classifier_on_generated_sentences(classifier, arrays):
    reports = [Report(source=g.report_id, sections=dict(g.sections)) for g in generate(60, seed=11)]
    columns = report_columns(reports)
    assert len(columns["text"]) > 500
    _assert_same_prediction(classifier, arrays, columns)


def test_arrays_predict_as_the_classifier_on_plain_texts_and_nothing(classifier, arrays):
    texts = ["全年公开信息10条。", "（二）平台建设", "没有任何已知词的句子 qwxz", ""]
    _assert_same_prediction(classifier, arrays, texts)


def test_arrays_predict_as_the_classifier_on_annotated_real_sentences(
    classifier, arrays, real_corpus
):
    frame = annotations.load(real_corpus).frame
    assert len(frame) > 100
    _assert_same_prediction(classifier, arrays, frame)


def test_the_shipped_arrays_were_exported_from_the_shipped_model():
    assert isinstance(load_model(), ArrayThemeModel)
    ArrayThemeModel.load(arrays_path(MODEL_PATH), source=MODEL_PATH)  # raises when stale


def test_arrays_of_another_model_file_are_not_used(classifier, tmp_path):
    model_path = tmp_path / "themes.skops"
    other = tmp_path / "other.skops"
    shutil.copy(MODEL_PATH, model_path)
    other.write_bytes(MODEL_PATH.read_bytes() + b"\0")  # any other file
    ArrayThemeModel.from_classifier(classifier).save(arrays_path(model_path), source=other)
    assert file_sha256(other) != file_sha256(model_path)
    with pytest.raises(ValueError, match="another model"):
        ArrayThemeModel.load(arrays_path(model_path), source=model_path)
    assert isinstance(load_model(str(model_path)), ThemeClassifier)


def test_a_model_the_arrays_cannot_compute_exports_none(tmp_path):
    from nlp.themes.training import generated_examples

    examples = generated_examples(n=10, seed=5)
    model = ThemeClassifier(features="chars").fit(examples, examples[["theme", "function"]])
    model_path = tmp_path / "themes.skops"
    arrays_path(model_path).write_bytes(b"stale")
    assert export_arrays(model, model_path) is None
    assert not arrays_path(model_path).exists()


def test_arrays_file_holds_no_pickle():
    with np.load(arrays_path(MODEL_PATH), allow_pickle=False) as data:
        assert all(data[name].dtype != object for name in data.files)
