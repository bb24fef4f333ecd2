"""Theme and function of every narrative sentence (issue 5; taxonomy in docs/themes).

themes(report | reports) -> DataFrame   one row per sentence of overall, problems, other
                                        (many reports: one frame, `source` tells them apart)
ThemeClassifier                         the scikit-learn estimator
load_model(path=None)                   the shipped model in models/: its exported arrays, or skops
train(out_dir)                          grouped CV, fit, write model + MODEL_CARD.md
"""

import sys
import types

from nlp.themes.api import load_model, themes, to_json

__all__ = ["ThemeClassifier", "load_model", "themes", "to_json", "train"]


def __getattr__(name: str):
    # scikit-learn is imported only by who uses the estimator itself (prediction does not).
    if name == "ThemeClassifier":
        from nlp.themes.classifier import ThemeClassifier

        return ThemeClassifier
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def train(*args, **kwargs):
    from nlp.themes.training import train as run

    return run(*args, **kwargs)


class _CallablePackage(types.ModuleType):
    # Importing this package binds `nlp.themes` to it, shadowing the `nlp.themes(report)`
    # function of the public surface: calling the package calls the function.
    def __call__(self, reports, model=None):
        return themes(reports, model)


sys.modules[__name__].__class__ = _CallablePackage
