"""Shared fixtures. Real reports are read from ../shared/corpus/real (or $XXGK_REAL_CORPUS)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REAL_CORPUS = Path(os.environ.get("XXGK_REAL_CORPUS", REPO.parent / "shared" / "corpus" / "real"))


@pytest.fixture
def real_corpus() -> Path:
    """The folder of real published reports; tests that use it skip when it is absent."""
    if not REAL_CORPUS.is_dir():
        pytest.skip(f"real corpus not found at {REAL_CORPUS}")
    return REAL_CORPUS


def real_file(relative: str) -> Path:
    """One file of the real corpus, or a clean skip when the corpus is absent."""
    path = REAL_CORPUS / relative
    if not path.exists():
        pytest.skip(f"real corpus file not found: {path}")
    return path


@pytest.fixture(scope="session")
def mixed_corpus(tmp_path_factory) -> Path:
    """Generated reports in `good/` and unreadable files in `bad/` (tests/batch/batch_corpus.py)."""
    from batch.batch_corpus import write_mixed_corpus

    return write_mixed_corpus(tmp_path_factory.mktemp("mixed"))
