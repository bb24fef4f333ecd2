"""Scanned reports read by OCR (nlp/ingest/ocr.py): a generated scan read into sections and
table cells, a page image file, and the clear error naming the `ocr` extra when it is missing."""

from __future__ import annotations

import io
import random
import sys

import pytest

import nlp
from nlp.corpus import generate, render, truth_frames, with_form
from nlp.ingest import load, ocr
from nlp.report import ReadError

needs_ocr = pytest.mark.skipif(not ocr.available(), reason="the ocr extra is not installed")
KEY = ["table", "row", "col"]


def image_only_pdf(width: int = 620, height: int = 877) -> bytes:
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (width, height), "white")
    ImageDraw.Draw(page).rectangle((100, 100, 300, 140), fill="black")
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=75)
    return buffer.getvalue()


@pytest.fixture
def without_engine(monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # import fails
    assert not ocr.available()


def test_scanned_pdf_without_the_extra_names_it(without_engine):
    with pytest.raises(ReadError, match=r"no text layer.*pip install xxgk-nlp\[ocr\]"):
        load(image_only_pdf(), name="scan.pdf")


def test_page_image_without_the_extra_names_it(without_engine):
    buffer = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (200, 280), "white").save(buffer, "PNG")
    with pytest.raises(ReadError, match=r"image of a page.*pip install xxgk-nlp\[ocr\]"):
        load(buffer.getvalue(), name="page.png")


# --- a generated scan ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scanned():
    from nlp.corpus.render_scan import ScanSettings, to_scan

    report = with_form(generate(3, seed=8)[1], "scan")
    pdf = render(report, "pdf", random.Random(1))
    scan = to_scan(pdf, random.Random(2), ScanSettings(200, "heavy"))
    return report, pdf, scan, nlp.read(scan, name="scan.pdf")


@needs_ocr
def test_scan_is_read_as_pdf_ocr_with_its_sections(scanned):
    report, _, _, read = scanned
    assert read.input_format == "pdf-ocr"
    six = {"overall", "active", "requests", "review", "problems", "other"}
    assert six <= set(read.sections)
    assert report.agency in read.text


@needs_ocr
def test_scan_table_cells_are_read_from_the_grid(scanned):
    report, _, _, read = scanned
    truth = truth_frames([report])["cells"].set_index(KEY)["value"]
    got = read.cells.drop_duplicates(KEY).set_index(KEY)["value"].reindex(truth.index)
    right = (got == truth) | (got.isna() & truth.isna())
    assert right.mean() >= 0.97, truth[~right]


@needs_ocr
def test_scan_narrative_reads_like_the_text_layer(scanned):
    from rapidfuzz.distance import Levenshtein

    report, _, _, read = scanned
    for key in ("overall", "problems"):
        expected = "".join(report.sections[key].split())
        got = "".join(read.sections[key].split())[-len(expected) :]  # without the heading
        assert Levenshtein.normalized_distance(expected, got) < 0.05


@needs_ocr
def test_page_image_file_is_read(scanned):
    import pypdfium2 as pdfium

    _, pdf, _, _ = scanned
    document = pdfium.PdfDocument(pdf)
    image = document[0].render(scale=200 / 72).to_pil()
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(200, 200))
    read = load(buffer.getvalue(), name="page1.png")
    assert read.kind == "image-ocr"
    assert "政府信息公开工作年度报告" in read.text


@needs_ocr
def test_scan_cells_carry_their_provenance_and_confidence(scanned):
    _, _, _, read = scanned
    cells = read.cells
    assert set(cells["provenance"]) == {"ocr"}
    printed = cells[cells["raw"].str.fullmatch(r"-?\d+")]
    assert printed["confidence"].between(0, 1).all()  # every printed number traced to its cell
    first = read.to_dict()["cells"][0]
    assert first["provenance"] == "ocr" and 0 <= first["confidence"] <= 1


@needs_ocr
def test_no_wrong_scan_cell_is_silent(scanned):
    """A cell read wrong has low confidence or its row is put in doubt by a warning."""
    from nlp.checks.suspects import doubts
    from nlp.tables.ocr_digits import spec

    report, _, _, read = scanned
    truth = truth_frames([report])["cells"].set_index(KEY)["value"]
    got = read.cells.drop_duplicates(KEY).set_index(KEY).reindex(truth.index)
    wrong = got[~((got["value"] == truth) | (got["value"].isna() & truth.isna()))]
    doubted = set(doubts(read.warnings))
    for (table, row, _), cell in wrong.iterrows():
        said = (table, row) in doubted or (table, None) in doubted
        assert said or cell["confidence"] < spec()["doubt_below"], (table, row, cell)


@pytest.fixture(scope="module")
def upright_page(scanned) -> str:
    _, pdf, _, _ = scanned
    return load(_png(pdf, 1, 150), name="upright.png").text


@needs_ocr
@pytest.mark.parametrize("turn", [90, 180])
def test_turned_page_image_is_read_upright(scanned, upright_page, turn):
    _, pdf, _, _ = scanned
    read = load(_png(pdf, 1, 150, turn), name="turned.png")
    assert read.text == upright_page


def _png(pdf: bytes, index: int, dpi: int, turn: int = 0) -> bytes:
    import pypdfium2 as pdfium

    image = pdfium.PdfDocument(pdf)[index].render(scale=dpi / 72).to_pil()
    buffer = io.BytesIO()
    image.rotate(turn, expand=True).save(buffer, "PNG", dpi=(dpi, dpi))
    return buffer.getvalue()


# --- the commands on a scanned PDF ----------------------------------------------------------------


@needs_ocr
def test_commands_read_a_scanned_pdf(scanned, tmp_path):
    """`xxgk parse`, `check` and `themes` on a scan (each reads the file: one test for all)."""
    import json

    from typer.testing import CliRunner

    from nlp.cli import app

    _, _, scan, _ = scanned
    path = tmp_path / "scan.pdf"
    path.write_bytes(scan)
    runner = CliRunner()
    parsed = json.loads(runner.invoke(app, ["parse", str(path), "--json"]).stdout)
    assert parsed["input_format"] == "pdf-ocr"
    assert {c["provenance"] for c in parsed["cells"]} == {"ocr"}
    checked = runner.invoke(app, ["check", str(path), "--json"])
    assert checked.exit_code in (0, 1)
    assert json.loads(checked.stdout)["source"] == str(path)
    themes = json.loads(runner.invoke(app, ["themes", str(path), "--json"]).stdout)
    assert len(themes["sentences"]) > 5


@needs_ocr
def test_a_blank_cells_dash_is_told_from_a_one_by_its_shape():
    import numpy as np

    from nlp.ingest.ocr_image import is_dash

    dash, one = np.full((30, 40), 255, np.uint8), np.full((30, 40), 255, np.uint8)
    dash[14:17, 8:32] = 0  # "—": three pixels high, 24 wide
    one[5:25, 19:22] = 0  # "1": tall and thin
    assert is_dash(dash, 160, max_height=4, min_ratio=3)
    assert not is_dash(one, 160, max_height=4, min_ratio=3)


@needs_ocr
def test_a_skewed_near_empty_last_page_is_not_taken_for_sideways():
    """The last page of a 150-dpi heavy scan (a few lines, the seal, a shadow, skewed ~2°) was
    once read turned a quarter and lost its 其他事项 section: each direction is judged at its
    most even skew angle."""
    import numpy as np
    import pypdfium2 as pdfium

    from nlp.corpus.render_scan import ScanSettings, to_scan
    from nlp.ingest import ocr_image

    report = with_form(generate(2, seed=19)[1], "scan")
    pdf = render(report, "pdf", random.Random(1))
    scan = to_scan(pdf, random.Random(f"bench:{report.report_id}"), ScanSettings(150, "heavy", 0))
    document = pdfium.PdfDocument(scan)
    page = ocr.spec()["page"]
    for index in range(len(document)):
        image = np.asarray(document[index].render(scale=200 / 72).to_pil().convert("RGB"))
        flat = ocr_image.flattened(image, 200, page)
        assert not ocr_image.lies_sideways(flat, page), index
        assert ocr_image.lies_sideways(np.ascontiguousarray(np.rot90(flat)), page), index


@needs_ocr
def test_a_blank_cells_slash_is_told_from_a_one_by_its_lean():
    """A faint "/" (a blank cell's mark) was read "1"; a printed 1 stands upright, a line of
    text lies level."""
    import cv2
    import numpy as np

    from nlp.ingest.ocr_image import is_slash

    slash, one, line = (np.full((34, 60), 255, np.uint8) for _ in range(3))
    cv2.line(slash, (30, 5), (23, 28), 120, 2)  # leaning ~17°, grey as scanned
    cv2.line(one, (30, 5), (30, 28), 0, 2)
    cv2.line(one, (30, 5), (26, 9), 0, 1)  # the 1's flag
    cv2.line(one, (26, 28), (34, 28), 0, 1)  # and foot
    cv2.line(line, (5, 20), (55, 14), 0, 2)  # a level stroke (a rule's remnant, a dash)
    # A 2 scanned light leans as a slash does (its bow and foot faint beside its diagonal),
    # but is no single stroke: it was once taken for a blank cell's slash.
    two = np.full((34, 60), 255, np.uint8)
    cv2.ellipse(two, (29, 11), (6, 6), 0, 180, 360, 150, 1)
    cv2.line(two, (35, 11), (26, 28), 0, 2)
    cv2.line(two, (26, 28), (36, 28), 150, 1)
    slash_spec = ocr.spec()["cell"]["slash"]
    assert is_slash(slash, 160, slash_spec)
    assert not is_slash(one, 160, slash_spec)
    assert not is_slash(two, 160, slash_spec)
    assert not is_slash(line, 160, slash_spec)
    assert not is_slash(np.fliplr(slash), 160, slash_spec)  # "\" is no blank mark


@needs_ocr
def test_a_faint_stroke_does_not_part_a_digit_into_two_lines():
    """The thin stem of a 7 scanned light parted it into "—" and "1"."""
    import numpy as np

    from nlp.ingest.ocr_image import text_strips

    cell = np.full((40, 40), 255, np.uint8)
    cell[8:13, 12:26] = 0  # the 7's bar, dark
    cell[13:21, 22:24] = 180  # the top of its stem, faint (below 190, above 160)
    cell[21:31, 20:22] = 0  # the foot of its stem, dark
    faint = ocr.spec()["page"]["faint_ink_threshold"]
    assert len(text_strips(cell, (0, 0, 40, 40), (160, faint), 6, 2)) == 1
    assert len(text_strips(cell, (0, 0, 40, 40), (160, 160), 6, 2)) == 2  # as it was


@needs_ocr
@pytest.mark.parametrize(
    ("read", "cell"),
    [
        ("0.", "0"),
        ("'3", "3"),
        ("12,", "12"),
        ("3.5", "3.5"),
        ("1.属于国家秘密", "1.属于国家秘密"),
        (".", "."),
    ],
)
def test_a_stray_mark_beside_a_number_is_dropped(read, cell):
    """A speck beside a digit read as "." made the cell text, and the whole table 三 of a
    150-dpi scan was read by position without it (53 of 200 cells)."""
    assert ocr._without_stray_marks(read) == cell


@needs_ocr
def test_letters_read_in_a_cell_are_read_again_as_digits():
    from nlp.ingest.ocr_recognise import Reading

    as_five = Reading("5", (0.3,))
    assert ocr._digits_for_lookalikes(Reading("D", (0.3,), as_digits=as_five)) is as_five
    for text in ("APP", "商业企", "12", "—"):
        reading = Reading(text, (0.9,) * len(text), as_digits=as_five)
        assert ocr._digits_for_lookalikes(reading) is reading


@needs_ocr
def test_an_upright_page_of_tables_is_not_turned_upside_down():
    """A 150-dpi heavy scan's page of tables with few lines of text: the lines sampled for the
    angle classifier were pieces of the tables' grids, read as upside down, and the page was
    turned (a report's tables 三 and 四 lost). The rules are painted out before sampling."""
    import numpy as np
    import pypdfium2 as pdfium

    from nlp.corpus.render_scan import ScanSettings, to_scan
    from nlp.ingest import ocr_image

    report = with_form(generate(1, seed=23)[0], "scan")
    pdf = render(report, "pdf", random.Random(0))
    scan = to_scan(pdf, random.Random(f"bench:{report.report_id}"), ScanSettings(150, "heavy", 0))
    image = pdfium.PdfDocument(scan)[1].render(scale=200 / 72).to_pil().convert("RGB")
    page = ocr.spec()["page"]
    gray = ocr_image.straightened(ocr_image.flattened(np.asarray(image), 200, page), 200, page)
    grids, text = ocr._tables_and_text(gray, 200)
    assert not ocr._upside_down(text, grids, 200)
    grids, turned = ocr._tables_and_text(np.ascontiguousarray(np.rot90(gray, k=2)), 200)
    assert ocr._upside_down(turned, grids, 200)


def test_the_engine_threads_can_be_set_for_a_pool_of_processes(monkeypatch):
    monkeypatch.delenv(ocr.THREADS_VARIABLE, raising=False)
    assert ocr.engine_threads() == ocr.spec()["engine"]["threads"]
    monkeypatch.setenv(ocr.THREADS_VARIABLE, "1")
    assert ocr.engine_threads() == 1


@needs_ocr
def test_words_the_model_misreads_are_mended_only_where_no_word_is_meant():
    assert ocr._mended_words("我局深人贯彻，融人日常工作") == "我局深入贯彻，融入日常工作"
    for line in ("引人注目", "接收人", "在编人员", "领导人"):
        assert ocr._mended_words(line) == line
