"""Hostile inputs on the read path (issue 18): each is read in bounded time or refused in plain
words, with the technical cause after it."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from nlp.corpus import generate, render
from nlp.fuzz import hostile
from nlp.ingest import load
from nlp.ingest.lines import is_furniture
from nlp.ingest.model import (
    MAX_GRID_CELLS,
    MAX_PARAGRAPH_CHARS,
    MAX_TEXT_CHARS,
    DocumentBuilder,
    GridTooLarge,
    SourceCell,
    expand_spans,
    grid_size,
)
from nlp.report import ReadError


@pytest.fixture(scope="module")
def text() -> str:
    import random

    return load(render(generate(1, seed=7)[0], "txt", random.Random(7)), name="r.txt").text


def _cpu(function, *args, **kwargs):
    started = time.process_time()
    result = function(*args, **kwargs)
    return result, time.process_time() - started


@pytest.mark.parametrize(
    "line",
    [
        " " * 10**6,
        " " * 10**6 + "x",
        "第1页" + " " * 10**5 + "x",
        "\t" * 10**5 + "一",
        "=" * 10**5 + " " * 10**5 + "x",
        "1 " * 10**5 + "x",
    ],
    ids=["spaces", "spaces_then_text", "page_then_spaces", "tabs", "rule_then_spaces", "digits"],
)
def test_a_long_run_in_a_line_reads_in_linear_time(text, line):
    # Before issue 18 the furniture pattern took 17 s on 10^5 spaces and hours on 10^6.
    document, seconds = _cpu(load, (text + "\n" + line + "\n").encode(), name="r.txt")
    assert "本年新收政府信息公开申请数量" in document.text
    assert seconds < 5


@pytest.mark.parametrize(
    "line", ["- 3 -", "第 3 页", "第3页 共7页", "第3页，共7页", "==== 正文 ===="]
)
def test_page_furniture_is_still_recognised(line):
    assert is_furniture(f"  {line}  ")
    assert not is_furniture(f"{line} 本机关")


def test_a_docx_bomb_is_refused_by_the_bytes_it_inflates():
    with pytest.raises(ReadError) as refused:
        load(hostile.docx_bomb(100 * 2**20), name="bomb.docx")
    assert "compression bomb" in refused.value.reason
    assert "word/document.xml inflated past" in refused.value.detail


def test_a_docx_without_a_body_is_refused_in_plain_words():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{hostile.W_NAMESPACE}"/>')
    with pytest.raises(ReadError, match="not a valid Word file: its document part has no body"):
        load(buffer.getvalue(), name="r.docx")


def test_a_500_page_pdf_is_cut_with_a_warning(text):
    document = load(hostile.many_page_pdf(text, 500), name="annex.pdf")
    cut = [w for w in document.warnings if w.code == "ingest.pages_cut"]
    assert cut and "500 pages" in cut[0].message


def test_a_utf8_mark_before_gbk_text_is_ignored_with_a_warning(text):
    document = load(b"\xef\xbb\xbf" + text.encode("gb18030"), name="r.txt")
    assert "本年新收政府信息公开申请数量" in document.text
    assert "ingest.bom_mismatch" in {w.code for w in document.warnings}


def test_a_file_of_invisible_characters_is_empty():
    with pytest.raises(ReadError, match=r"only invisible characters"):
        load(("\u200b\u200c\u200d\ufeff" * 500).encode(), name="r.txt")


def test_a_text_report_quoting_a_pdf_header_is_text(text):
    data = ("见附件（文件头 %PDF-1.4）\n" + text).encode()
    assert load(data, name="r.txt").kind == "txt"


def test_a_pdf_header_at_the_start_makes_a_pdf_whatever_the_name():
    with pytest.raises(ReadError, match="PDF"):
        load(b"  %PDF-1.4\n1 0 obj\n<< /Type /Catalog", name="r.txt")


@pytest.mark.parametrize("declared", ["utf-16", "gb2312", "big5"])
def test_a_declared_charset_that_does_not_fit_the_bytes_is_overridden(declared):
    page = (
        f'<html><head><meta charset="{declared}"></head><body>'
        "<h2>一、总体情况</h2><p>本机关全年主动公开政府信息一百二十条。</p></body></html>"
    ).encode()
    document = load(page, name="r.html")
    assert "本机关全年主动公开政府信息一百二十条" in document.text
    mismatch = [w for w in document.warnings if w.code == "ingest.charset_mismatch"]
    assert mismatch and "declares the charset" in mismatch[0].message


def test_a_declared_charset_that_fits_is_trusted_without_a_warning():
    page = (
        '<html><head><meta charset="gbk"></head><body>'
        "<p>本机关全年主动公开政府信息一百二十条。</p></body></html>"
    ).encode("gbk")
    document = load(page, name="r.html")
    assert "本机关全年主动公开政府信息一百二十条" in document.text
    assert not [w for w in document.warnings if w.code == "ingest.charset_mismatch"]


def test_a_library_failure_is_refused_in_user_terms_with_the_cause_as_detail(monkeypatch):
    from nlp.ingest import html

    def explode(data, source):
        raise ValueError("negative seek value -11218")

    monkeypatch.setattr(html, "read_html", explode)
    with pytest.raises(ReadError, match=r"cannot read as a web page \(HTML\)") as error:
        load(b"<html><body><p>x</p></body></html>", name="r.html")
    assert error.value.detail == "ValueError: negative seek value -11218"
    assert "seek" not in error.value.reason


# --- table size under spans (a page with 10^5 cells did not finish) -------------------------


def _table_page(rows: str) -> bytes:
    return f"<html><body><p>示例</p><table>{rows}</table></body></html>".encode()


@pytest.mark.parametrize(
    ("cell", "n"),
    [('<td rowspan="0">x</td>', 300), ('<td rowspan="150">x</td>', 300), ("<td>x</td>", 100)],
    ids=["rowspan_to_the_end", "rowspan_half", "plain_10^4"],
)
def test_a_table_pushed_wide_by_rowspans_is_cut_with_a_warning_in_linear_time(cell, n):
    # Each row's cells are pushed right of every row-spanning cell above: 300 rows of 300
    # cells would expand to 300 × 90,000 positions (it took minutes before).
    page = _table_page(f"<tr>{cell * n}</tr>" * n)
    document, seconds = _cpu(load, page, name="r.html")
    grids = [block.grid for block in document.blocks if block.grid]
    assert seconds < 5
    assert all(grid.n_rows * grid.n_cols <= MAX_GRID_CELLS for grid in grids)
    too_large = [w for w in document.warnings if w.code == "ingest.html_table_too_large"]
    assert bool(too_large) == ("rowspan" in cell)
    if too_large:
        assert "spans were ignored" in too_large[0].message


def test_a_table_of_more_cells_than_the_grid_limit_is_kept_as_lines():
    rows = "".join(f"<tr>{'<td>7</td>' * 10}</tr>" for _ in range(MAX_GRID_CELLS // 10 + 1))
    document, seconds = _cpu(load, _table_page(rows), name="r.html")
    assert seconds < 5
    assert not [block for block in document.blocks if block.grid]
    assert "rows were kept as lines" in document.warnings[0].message


@pytest.mark.parametrize("seed", range(20))
def test_grid_size_is_the_size_expand_spans_makes(seed):
    import random

    rng = random.Random(seed)
    rows = [
        [SourceCell("x", rng.choice([1, 1, 2, 5, 0]), rng.choice([1, 1, 3])) for _ in range(4)]
        for _ in range(rng.randint(1, 8))
    ]
    rows = [[SourceCell(c.text, c.rowspan or len(rows), c.colspan) for c in row] for row in rows]
    expanded = expand_spans(rows)
    assert grid_size(rows) == len(expanded) * len(expanded[0])
    assert grid_size(rows, limit=3) == min(len(expanded) * len(expanded[0]), 4)


def _spans_placed_one_by_one(rows: list[list[SourceCell]]) -> list[list[tuple]]:
    """What `expand_spans` must make, the plain way: each position a source cell covers written
    in turn into a dict (a later cell overwrites an earlier one where spans overlap), the rows
    then read out as wide as the widest, blanks where nothing was written."""
    placed, covered = {}, set()
    for r, row in enumerate(rows):
        c = 0
        for source in row:
            while (r, c) in covered:
                c += 1
            rowspan = max(1, min(source.rowspan, len(rows) - r))
            for dr in range(rowspan):
                for dc in range(max(1, source.colspan)):
                    placed[(r + dr, c + dc)] = (source.text.strip(), (r, c))
                    if dr:
                        covered.add((r + dr, c + dc))
            c += max(1, source.colspan)
    width = max((col + 1 for _, col in placed), default=0)
    return [[placed.get((r, c), ("", (r, c))) for c in range(width)] for r in range(len(rows))]


@pytest.mark.parametrize("seed", range(30))
def test_expand_spans_places_cells_as_placing_them_one_by_one_does(seed):
    """Overlapping and clipped spans, short rows, empty rows: every position as a dict written
    in layout order has it."""
    import random

    rng = random.Random(seed)
    rows = [
        [
            SourceCell(
                rng.choice(["", "a", " b ", "7"]),
                rng.choice([1, 1, 2, 3, 9]),
                rng.choice([1, 1, 2, 3]),
            )
            for _ in range(rng.randint(0, 5))
        ]
        for _ in range(rng.randint(1, 7))
    ]
    if not any(rows):
        return
    got = [[(cell.text, cell.origin) for cell in row] for row in expand_spans(rows)]
    assert got == _spans_placed_one_by_one(rows)


def test_expand_spans_refuses_a_grid_past_its_limit_without_building_it():
    rows = [[SourceCell("x", 10**6, 1) for _ in range(1000)] for _ in range(1000)]
    started = time.process_time()
    with pytest.raises(GridTooLarge):
        expand_spans(rows, max_cells=10_000)
    assert time.process_time() - started < 1


def test_any_reader_s_table_too_large_for_a_grid_is_lines_with_a_warning():
    builder = DocumentBuilder()
    builder.table([[SourceCell("甲", 1, 1000), SourceCell("乙")]] + [[SourceCell("1")]] * 200)
    document = builder.build("r.docx", "docx")
    assert [w.code for w in document.warnings] == ["ingest.table_too_large"]
    assert "spans were ignored" in document.warnings[0].message
    assert document.blocks[0].grid.n_cols == 2


# --- text too long to be a report -----------------------------------------------------------


def test_a_10_mb_line_is_cut_with_a_warning(text):
    data = (text + "\n" + "1 " * (5 * 10**6) + "\n").encode()
    document, seconds = _cpu(load, data, name="r.txt")
    assert seconds < 5
    assert "本年新收政府信息公开申请数量" in document.text
    cut = [w for w in document.warnings if w.code == "ingest.text_cut"]
    assert cut and "MAX_PARAGRAPH_CHARS" in cut[0].message


def test_a_word_file_of_too_much_text_is_cut_and_not_read_further():
    lines = [f"第{i}段：本机关全年主动公开政府信息一百二十条。" for i in range(40_000)] * 3
    data = hostile.docx_of(hostile.docx_paragraphs(lines))
    document, seconds = _cpu(load, data, name="r.docx")
    assert seconds < 5
    assert len(document.text) <= MAX_TEXT_CHARS + MAX_PARAGRAPH_CHARS
    assert "MAX_TEXT_CHARS" in document.warnings[-1].message


# --- DOCX bombs wherever they are -----------------------------------------------------------


def test_a_bomb_in_the_styles_a_docx_needs_is_refused():
    with pytest.raises(ReadError) as refused:
        load(hostile.docx_bomb(100 * 2**20, "word/styles.xml"), name="bomb.docx")
    assert "compression bomb" in refused.value.reason


@pytest.mark.parametrize("part", ["word/media/image1.png", "word/numbering.xml"])
def test_a_bomb_in_a_part_the_reader_never_opens_is_never_inflated(part):
    document, seconds = _cpu(load, hostile.docx_bomb(100 * 2**20, part), name="bomb.docx")
    assert document.text == "报告"
    assert seconds < 1


def test_a_docx_bomb_that_understates_its_size_is_refused():
    from nlp.fuzz.families import _understated

    data = _understated(hostile.docx_bomb(100 * 2**20), "word/document.xml")
    with pytest.raises(ReadError) as refused:
        load(data, name="bomb.docx")
    assert "compression bomb" in refused.value.reason or "damaged" in refused.value.reason


# --- entities -------------------------------------------------------------------------------


def test_a_docx_naming_a_local_file_in_an_entity_does_not_read_it(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    prologue, reference = hostile.external_entity(str(secret))
    data = hostile.docx_of(
        hostile.docx_paragraphs(["本机关全年主动公开政府信息。"], prologue, reference)
    )
    try:
        document = load(data, name="xxe.docx")
    except ReadError:
        return  # refused: nothing was read
    assert "SECRET-CONTENT" not in document.text


@pytest.mark.parametrize("kind", ["docx", "html"])
def test_billion_laughs_are_not_expanded(kind):
    prologue, reference = hostile.billion_laughs(9)
    lines = ["本机关全年主动公开政府信息。"]
    if kind == "docx":
        data = hostile.docx_of(hostile.docx_paragraphs(lines, prologue, reference))
    else:
        data = (prologue.replace("w:document", "html") + f"<p>{lines[0]}{reference}</p>").encode()
    started = time.process_time()
    try:
        document = load(data, name=f"laughs.{kind}")
        assert document.text.count("lol") < 10**4
    except ReadError as refused:
        assert "Error" not in refused.reason
    assert time.process_time() - started < 5


def test_a_zip_naming_a_version_zipfile_lacks_is_refused_in_words():
    # Found by the fuzz run (byte_flips/745): a flipped byte in a local header's version.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    data = bytearray(buffer.getvalue())
    central = data.find(b"PK\x01\x02")
    data[central + 6] = 115  # "version needed to extract": 11.5
    with pytest.raises(ReadError, match="corrupt ZIP/DOCX file: the archive is damaged") as error:
        load(bytes(data), name="r.docx")
    assert error.value.detail.startswith("NotImplementedError: zip file version 11.5")
