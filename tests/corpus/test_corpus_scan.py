"""Generated scans (nlp/corpus/render_scan.py): image-only PDFs of the generated PDFs, with
the seal, deterministic per report."""

from __future__ import annotations

import io
import random

import numpy as np
import pdfplumber
import pytest

from nlp.corpus import generate, render, with_form

pytest.importorskip("pypdfium2")
from nlp.corpus.render_scan import ScanSettings, stamp_seal, to_scan  # noqa: E402


@pytest.fixture(scope="module")
def report():
    return with_form(generate(2, seed=3)[0], "scan")


@pytest.fixture(scope="module")
def pdf(report):
    return render(report, "pdf", random.Random(1))


def test_scan_has_the_pages_and_no_text_layer(pdf):
    scan = to_scan(pdf, random.Random(4), ScanSettings(150, "heavy"))
    with pdfplumber.open(io.BytesIO(pdf)) as original, pdfplumber.open(io.BytesIO(scan)) as copy:
        assert len(copy.pages) == len(original.pages)
        assert all(not page.chars for page in copy.pages)
        assert all(page.images for page in copy.pages)


def test_scan_form_is_deterministic_per_report(report):
    first = render(report, "scan", random.Random(1))
    assert first[:5] == b"%PDF-"
    assert render(report, "scan", random.Random(9)) == first


def test_seal_is_red_over_the_last_print():
    from PIL import Image

    page = Image.new("RGB", (1240, 1754), "white")
    page.paste((0, 0, 0), (200, 1000, 1000, 1030))  # the last printed line
    sealed = np.asarray(stamp_seal(page, 150, random.Random(0))).astype(int)
    red = (sealed[:, :, 0] > 150) & (sealed[:, :, 1] < 150)
    rows = np.flatnonzero(red.any(axis=1))
    assert red.sum() > 1000
    assert rows.min() < 1030 < rows.max()


def test_scan_can_turn_pages(pdf):
    scan = to_scan(pdf, random.Random(4), ScanSettings(150, "light", turn=90, turn_every=2))
    with pdfplumber.open(io.BytesIO(scan)) as copy:
        sizes = [(page.width, page.height) for page in copy.pages]
    assert sizes[0][0] > sizes[0][1]  # turned: landscape
    assert all(width < height for width, height in sizes[1::2])  # every other page upright
