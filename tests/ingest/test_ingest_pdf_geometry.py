"""The PDF reader's own geometry (duplicate characters, table cells and their texts, stream
bounds) gives what pdfplumber's gives, on generated reports and on random inputs (issue 15)."""

from __future__ import annotations

import base64
import io
import random
import zlib
from operator import itemgetter

import pytest
from ingest_samples import CJK_FONT
from pdfplumber import table as plumber_table
from pdfplumber.utils import cluster_objects, extract_text, extract_words
from pdfplumber.utils import dedupe_chars as plumber_dedupe_chars
from reportlab.pdfgen import canvas

from nlp.corpus import write_corpus
from nlp.ingest import pdf_pdfium, pdf_streams
from nlp.ingest.pdf import _painted, _visible
from nlp.ingest.pdf_chars import clusters, dedupe_chars, deduped, upright_text, upright_words
from nlp.ingest.pdf_tables import (
    _cell_texts,
    _CharsByHeight,
    _closing_rules,
    cells_to_tables,
    edges_to_intersections,
    intersections_to_cells,
)
from nlp.report import ReadError

TOP = itemgetter("top")


@pytest.fixture(scope="module")
def report_pages(tmp_path_factory) -> list:
    """The pages of two generated PDF reports (ruled tables with merged cells), as read."""
    folder = write_corpus(tmp_path_factory.mktemp("pdf"), 2, seed=5, forms=["pdf", "pdf_split"])
    pages = []
    for path in sorted(folder.glob("*.pdf")):
        document = pdf_pdfium.open_document(path.read_bytes())
        try:
            for index in range(len(document)):
                page, _ = pdf_pdfium.read_page(document, index, 20_000)
                pages.append(deduped(page, keep_shape=_visible))
        finally:
            pdf_pdfium.close_document(document)
    assert sum(bool(page.edges) for page in pages) >= 2  # tables to find
    return pages


def _random_chars(rng: random.Random, count: int) -> list[dict]:
    """Characters of a few texts and fonts, many drawn twice or more a fraction of a point
    apart (chains within the tolerance too), some at exactly the same place."""
    chars = []
    for _ in range(count):
        top = rng.choice([100.0, 100.4, 101.2, 102.0, 130.0]) + rng.choice([0, 0, 0.3, 0.9])
        x0 = rng.choice([10.0, 10.5, 11.4, 12.0, 40.0]) + rng.choice([0, 0, 0.6])
        char = {
            "text": rng.choice("的政0"),
            "fontname": rng.choice(["SimSun", "SimHei"]),
            "size": rng.choice([10.5, 12.0]),
            "upright": rng.random() < 0.9,
            "doctop": top,
            "top": top,
            "x0": x0,
            "x1": x0 + 10,
            "width": 10,
        }
        chars.append(char)
        if rng.random() < 0.3:
            chars.append(dict(char, x1=char["x1"] + 0.01))  # same place, another width
    return chars


@pytest.mark.parametrize("seed", range(30))
def test_duplicate_characters_are_those_pdfplumber_drops(seed):
    chars = _random_chars(random.Random(seed), 120)
    assert dedupe_chars(chars) == plumber_dedupe_chars(chars)


def test_duplicate_characters_of_report_pages_are_those_pdfplumber_drops(report_pages):
    for page in report_pages:
        chars = page.chars
        assert dedupe_chars(chars) == plumber_dedupe_chars(chars)


def _random_edges(rng: random.Random) -> list[dict]:
    """A ruled grid with rules left out (merged cells), rules a fraction of a point off
    their line, and rules drawn twice."""
    xs = sorted(rng.sample(range(50, 550, 10), 6))
    ys = sorted(rng.sample(range(50, 750, 8), 8))
    edges = []
    for y in ys:
        for x0, x1 in zip(xs, xs[1:], strict=False):
            if rng.random() < 0.85:
                top = y + rng.choice([0, 0, 0.5])
                edges.append(
                    {"x0": x0, "x1": x1, "top": top, "bottom": top, "width": x1 - x0,
                     "height": 0, "orientation": "h", "object_type": "line"}
                )  # fmt: skip
    for x in xs:
        for top, bottom in zip(ys, ys[1:], strict=False):
            if rng.random() < 0.85:
                x0 = x + rng.choice([0, 0, 0.5])
                edges.append(
                    {"x0": x0, "x1": x0, "top": top, "bottom": bottom, "width": 0,
                     "height": bottom - top, "orientation": "v", "object_type": "line"}
                )  # fmt: skip
    return edges + rng.sample(edges, len(edges) // 10)


@pytest.mark.parametrize("seed", range(30))
def test_cells_are_those_pdfplumber_finds(seed):
    edges = _random_edges(random.Random(seed))
    ours = edges_to_intersections(edges, 3, 3)
    theirs = plumber_table.edges_to_intersections(edges, 3, 3)
    assert ours == theirs
    cells = intersections_to_cells(ours)
    assert cells == plumber_table.intersections_to_cells(theirs)
    tables = [sorted(table) for table in cells_to_tables(cells)]
    assert tables == [sorted(table) for table in plumber_table.cells_to_tables(cells)]


def test_cells_and_texts_of_report_tables_are_pdfplumber_s(report_pages):
    tables = 0
    for page in report_pages:
        settings = plumber_table.TableSettings.resolve(
            {"explicit_horizontal_lines": _closing_rules(page.edges)}
        )
        finder = plumber_table.TableFinder(page, settings)
        ours = edges_to_intersections(finder.edges, 3, 3)
        assert ours == finder.intersections
        assert intersections_to_cells(ours) == finder.cells
        ours_tables = [sorted(table) for table in cells_to_tables(finder.cells)]
        assert ours_tables == [sorted(table.cells) for table in finder.tables]
        chars = _CharsByHeight(page.chars)
        for table in finder.tables:
            assert _cell_texts(table, chars) == table.extract()
            tables += 1
    assert tables >= 2


def test_cell_texts_from_the_characters_between_the_tables_are_pdfplumber_s(report_pages):
    tables, left_out = 0, 0
    for page in report_pages:
        settings = plumber_table.TableSettings.resolve(
            {"explicit_horizontal_lines": _closing_rules(page.edges)}
        )
        found = plumber_table.TableFinder(page, settings).tables
        if not found:
            continue
        top, bottom = min(t.bbox[1] for t in found), max(t.bbox[3] for t in found)
        chars = _CharsByHeight(page.chars, top, bottom)
        left_out += len(page.chars) - len(chars.middles)
        for table in found:
            assert _cell_texts(table, chars) == table.extract()
            tables += 1
    assert tables >= 2
    assert left_out  # the text above and below the tables


def _page_of_shapes() -> bytes:
    """A page of shapes painted in every way: white boxes behind text (as WPS draws them),
    black and white rules, a coloured box, a curve, and a path neither stroked nor filled
    (no shape, for pdfminer as for PDFium)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont(CJK_FONT, 10)
    pdf.drawString(60, 700, "本机关全年主动公开政府信息")
    pdf.setFillColorRGB(1, 1, 1)
    pdf.setStrokeColorRGB(1, 1, 1)
    for y in (695, 680, 665):
        pdf.rect(55, y, 200, 14, stroke=0, fill=1)
    pdf.line(50, 600, 300, 600)  # a white rule
    pdf.setStrokeColorRGB(0, 0, 0)
    pdf.setFillColorRGB(0.8, 0.1, 0.1)
    pdf.line(50, 500, 300, 500)
    pdf.rect(50, 400, 100, 50, stroke=1, fill=1)
    pdf.rect(200, 400, 100, 50, stroke=0, fill=0)
    pdf.bezier(50, 300, 100, 350, 150, 250, 200, 300)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_shapes_left_out_by_their_paint_are_those_the_reader_drops():
    document = pdf_pdfium.open_document(_page_of_shapes())
    try:
        page, _ = pdf_pdfium.read_page(document, 0, 1000)
        kept, _ = pdf_pdfium.read_page(document, 0, 1000, keep_paint=_painted)
    finally:
        pdf_pdfium.close_document(document)
    visible = page.filter(_visible)
    kinds = {"rect", "line", "curve"}
    assert all(kept.objects.get(k, []) == visible.objects.get(k, []) for k in kinds)
    assert sum(len(page.objects.get(k, [])) for k in kinds) == 7
    assert sum(len(kept.objects.get(k, [])) for k in kinds) == 3
    assert kept.chars == page.chars


def _page_with_stream(pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pageCompression=1)
    for _ in range(pages):
        pdf.setFont(CJK_FONT, 8)
        pdf.drawString(10, 800, "本机关全年主动公开政府信息")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_a_stream_too_small_to_be_a_bomb_is_not_inflated(monkeypatch):
    data = _page_with_stream()

    def inflate(*args):
        raise AssertionError("inflated")

    monkeypatch.setattr(pdf_streams, "_inflated_size", inflate)
    pdf_streams.check_stream_sizes(data, "page.pdf")  # Deflate's bound is far below the caps


def test_a_stream_whose_bound_leaves_a_doubt_is_inflated_and_measured():
    data = _page_with_stream()
    limits = pdf_streams.StreamLimits(content_stream=16, total=1 << 30)
    with pytest.raises(ReadError, match="compression bomb"):
        pdf_streams.check_stream_sizes(data, "page.pdf", limits)
    roomy = pdf_streams.StreamLimits(content_stream=1 << 20, total=1 << 30)
    pdf_streams.check_stream_sizes(data, "page.pdf", roomy)


def test_a_bomb_is_refused_whatever_its_stated_length():
    inflated = zlib.compress(b"\0" * (40 << 20), 9)
    for length in (len(inflated), 10):  # right, and short of the data (not trusted)
        data = (
            b"%%PDF-1.4\n1 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % length
            + inflated
            + b"\nendstream\nendobj\n%%EOF\n"
        )
        with pytest.raises(ReadError, match="compression bomb"):
            pdf_streams.check_stream_sizes(data, "bomb.pdf")


@pytest.mark.parametrize("seed", range(6))
def test_a_stream_inflated_in_part_is_bounded_above_its_whole_size(seed):
    rng = random.Random(seed)
    payload = b"".join(
        rng.choice([b"\0" * rng.randrange(1, 1 << 16), rng.randbytes(rng.randrange(1, 4096))])
        for _ in range(40)
    )
    flate = zlib.compress(payload, rng.choice([1, 6, 9]))
    a85 = seed % 2 == 1
    body = base64.a85encode(flate, adobe=True) if a85 else flate
    filters = b"[/ASCII85Decode /FlateDecode]" if a85 else b"/FlateDecode"
    data = (
        b"%%PDF-1.4\n1 0 obj\n<< /Length %d /Filter %s >>\nstream\n" % (len(body), filters)
        + body
        + b"\nendstream\nendobj\n%%EOF\n"
    )
    (match, dictionary, cap), *_ = pdf_streams._flate_streams(data, pdf_streams.StreamLimits())
    start = match.end()
    stream, position = pdf_streams._flate_input(data, start, dictionary)
    whole = pdf_streams._inflated_size(stream, position, cap + 1)
    assert whole == len(payload)
    bound = pdf_streams._inflated_bound(data, start, dictionary)
    for enough in (0, whole, (whole + bound) // 2, bound):
        found = pdf_streams._inflated_bound_within(data, start, dictionary, enough, cap + 1)
        assert found >= whole
        assert found <= enough or found == whole


def _random_line_chars(rng: random.Random, count: int) -> list[dict]:
    """Characters of a few lines, tops a little apart on a line (a digit beside a Chinese
    character), gaps wider and narrower than the tolerance, blanks, overlaps, ligatures."""
    chars = []
    for _ in range(count):
        top = rng.choice([100.0, 112.0, 114.5, 140.0]) + rng.choice([0, 0, 1.2, 2.9, 3.4])
        x0 = rng.uniform(10, 200)
        chars.append(
            {
                "text": rng.choice(["的", "0", " ", "ﬁ", "政"]),
                "x0": x0,
                "x1": x0 + rng.choice([3.2, 10.5]),
                "top": top,
                "bottom": top + 10.5,
                "doctop": top + 842,
                "upright": True,
            }
        )
    return chars


@pytest.mark.parametrize("seed", range(30))
def test_words_and_text_are_pdfplumber_s(seed):
    chars = _random_line_chars(random.Random(seed), 60)
    keys = ("text", "x0", "x1", "top", "doctop", "bottom", "upright")
    ours = upright_words(chars)
    assert [{k: w[k] for k in keys} for w in extract_words(chars)] == ours
    assert upright_text(chars) == extract_text(chars)


def test_words_of_report_pages_are_pdfplumber_s(report_pages):
    keys = ("text", "x0", "x1", "top", "doctop", "bottom", "upright")
    for page in report_pages:
        theirs = [{k: w[k] for k in keys} for w in extract_words(page.chars)]
        assert upright_words(page.chars) == theirs


def test_a_slanted_character_leaves_the_words_to_pdfplumber():
    chars = _random_line_chars(random.Random(1), 10)
    chars[3]["upright"] = False
    assert upright_words(chars) is None
    assert upright_text(chars) is None


@pytest.mark.parametrize("seed", range(20))
def test_clusters_are_pdfplumber_s(seed):
    chars = _random_line_chars(random.Random(seed), 40)
    for tolerance in (0, 1, 3):
        assert clusters(chars, TOP, tolerance) == cluster_objects(chars, TOP, tolerance)
    assert clusters([], TOP, 3) == cluster_objects([], TOP, 3)
