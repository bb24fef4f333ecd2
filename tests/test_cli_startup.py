"""What the `xxgk` commands import when they start: only what their work uses (issue 15), so that
a user scripting over files does not wait on pandas, the theme model or the PDF readers."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from nlp.data import SAMPLE_CORPUS

TEXT_REPORT = SAMPLE_CORPUS / "a0004_2022.txt"
# Libraries of other commands and other formats (pandas: frames; sklearn/skops/spacy: themes;
# dask: batch; pdfplumber, lxml, docx: other formats; jinja2: the HTML report).
HEAVY = (
    "pandas",
    "numpy",
    "pyarrow",
    "sklearn",
    "skops",
    "spacy",
    "dask",
    "distributed",
    "pdfplumber",
    "pdfminer",
    "lxml",
    "docx",
    "jinja2",
    "cn2an",
    "rjieba",
    "jieba",
)


def imported(*arguments: str) -> set[str]:
    """The top-level packages a fresh `python -m nlp ARGUMENTS` imports."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "nlp", *arguments],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)", run.stderr, re.MULTILINE)
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize(
    "arguments", [("--help",), ("parse", str(TEXT_REPORT), "--json")], ids=["help", "parse"]
)
def test_a_command_imports_no_library_it_does_not_use(arguments):
    assert not imported(*arguments) & set(HEAVY)


def test_reading_a_text_report_imports_no_frame_library():
    code = (
        "import sys, nlp; nlp.read(sys.argv[1]); "
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(TEXT_REPORT)], capture_output=True, text=True, check=True
    )
    assert not set(run.stdout.split()) & set(HEAVY)


def test_themes_predicts_without_the_training_libraries():
    # The shipped model's exported arrays (nlp/themes/arrays.py) need neither sklearn nor skops
    # nor scipy: importing them was most of a cold `xxgk themes FILE`.
    assert imported("themes", str(TEXT_REPORT)).isdisjoint({"sklearn", "skops", "scipy"})


def test_the_themes_table_needs_no_frame_library():
    # The table shows the columns of the themes as they are: no frame, no labels. pandas (and
    # pyarrow under it) was a third of a cold `xxgk themes FILE`.
    assert imported("themes", str(TEXT_REPORT)).isdisjoint({"pandas", "pyarrow"})
