"""ThemeClassifier honours the scikit-learn estimator contract and learns from frames and texts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from nlp.themes.classifier import ThemeClassifier, load, save
from nlp.themes.features import sentence_frame

# Sentences written for these tests (not from any real report).
EXAMPLES = [
    ("本年度主动公开政府信息120条。", "proactive", "achievement"),
    ("及时公开财政预决算和政府采购信息。", "proactive", "achievement"),
    ("全年收到政府信息公开申请8件，均按期答复。", "on_request", "achievement"),
    ("依申请公开答复的规范性有待提高。", "on_request", "problem"),
    ("下一步将加强业务培训，提升工作人员能力。", "capacity", "measure"),
    ("组织开展政务公开业务培训2次。", "capacity", "achievement"),
    ("完成门户网站改版升级，开设政策专栏。", "platform", "achievement"),
    ("政务新媒体运维管理还需加强。", "platform", "problem"),
]
TEXTS = [t for t, _, _ in EXAMPLES] * 3
LABELS = pd.DataFrame([(th, fn) for _, th, fn in EXAMPLES] * 3, columns=["theme", "function"])


@pytest.fixture(scope="module")
def fitted() -> ThemeClassifier:
    return ThemeClassifier(C=10.0).fit(TEXTS, LABELS)


def test_params_are_init_arguments_and_clone_keeps_them():
    model = ThemeClassifier(C=2.0, ngrams=1)
    assert model.get_params()["C"] == 2.0
    copy = clone(model.set_params(min_df=2))
    assert copy.get_params() == model.get_params()
    assert not hasattr(copy, "vectorizer_")


def test_learned_state_ends_with_underscore(fitted):
    assert fitted.targets_ == ["theme", "function"]
    assert set(fitted.classes_[1]) == {"achievement", "problem", "measure"}
    assert fitted.n_outputs_ == 2


def test_predicts_both_targets_on_training_sentences(fitted):
    predicted = fitted.predict(TEXTS[:8])
    assert predicted.shape == (8, 2)
    assert list(predicted[:, 0]) == list(LABELS["theme"][:8])
    assert list(predicted[:, 1]) == list(LABELS["function"][:8])


def test_predict_proba_gives_one_distribution_per_target(fitted):
    theme, function = fitted.predict_proba(TEXTS[:3])
    assert theme.shape == (3, len(fitted.classes_[0]))
    assert np.allclose(theme.sum(axis=1), 1) and np.allclose(function.sum(axis=1), 1)


def test_predict_frame_scores_are_the_winning_probabilities(fitted):
    frame = fitted.predict_frame(TEXTS[:2])
    assert list(frame.columns) == [
        "theme",
        "theme_score",
        "function",
        "function_score",
        "uncertain",
    ]
    assert frame["theme_score"].between(0, 1).all()


def test_unfitted_model_refuses_to_predict():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        ThemeClassifier().predict(["主动公开信息10条。"])


def test_single_target_works_in_pipeline_and_grid_search():
    y = LABELS["function"].to_numpy()
    pipeline = Pipeline([("keep", FunctionTransformer(lambda x: x)), ("clf", ThemeClassifier())])
    search = GridSearchCV(pipeline, {"clf__C": [1.0, 10.0]}, cv=3).fit(np.array(TEXTS), y)
    assert search.best_params_["clf__C"] in (1.0, 10.0)
    assert search.predict(np.array(TEXTS[:2])).shape == (2,)


def test_accepts_a_sentence_frame_with_context():
    frame = sentence_frame(
        {"problems": "信息公开时效性不强。下一步将加强培训。"}, which=("problems",)
    )
    assert list(frame["section"]) == ["problems", "problems"]
    y = ["problem", "measure"]
    model = ThemeClassifier().fit(pd.concat([frame] * 3), y * 3)
    assert list(model.predict(frame)) == y


def test_save_and_load_round_trip_with_skops(fitted, tmp_path):
    path = save(fitted, tmp_path / "m.skops")
    loaded = load(path)
    assert (loaded.predict(TEXTS[:4]) == fitted.predict(TEXTS[:4])).all()


def test_load_refuses_untrusted_types(tmp_path):
    import skops.io as sio
    from sklearn.ensemble import RandomForestClassifier

    path = tmp_path / "other.skops"
    sio.dump({"model": RandomForestClassifier(), "f": np.sum}, path)
    with pytest.raises(ValueError):
        load(path)
