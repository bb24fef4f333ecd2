"""Files shipped inside the package, found from it wherever it is installed (an editable install,
a wheel, a cluster node): the theme model and its card, and the bundled sample corpus."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
MODELS_DIR = PACKAGE / "models"
MODEL_PATH = MODELS_DIR / "themes.skops"
SAMPLE_CORPUS = PACKAGE / "sample"
