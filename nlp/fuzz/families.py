"""Fuzz inputs (issue 18): good reports harmed in the ways downloads and hostile pages are.

    inputs(n, seed=0, real_dir=None) -> Iterator[FuzzInput]

Each family of `families.yaml` has a builder here: `(rng, bases) -> (file name, bytes, note)`.
The bases are generated reports (`nlp.corpus`) in every format and form that has a text layer,
plus the real reports of `real_dir` when it is given (they are read, never copied). Input `i`
of a family is built from `random.Random(f"{seed}/{family}/{i}")` alone, so a run is the same
for the same seed and an input can be rebuilt by its family and number (`build`).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from nlp.fuzz import hostile

# The file an XXE input names: the runner writes it, and a read whose text holds its secret
# leaked it.
XXE_SECRET = "XXE-SECRET-3141592653"
MiB = 2**20


@dataclass(frozen=True)
class Base:
    """A good report to harm: its file and, for the families made from text, its text."""

    origin: str  # "generated/3.pdf", "real/seeds/000_….txt"
    ext: str
    data: bytes
    text: str


@dataclass(frozen=True)
class FuzzInput:
    family: str
    number: int
    name: str  # the file name the reader is given (its extension matters)
    data: bytes
    note: str  # what was done, for a reproducer

    @property
    def key(self) -> str:
        return f"{self.family}/{self.number}"


class Bases:
    """The good reports of a run: `files` of every format, `texts` (the reports' lines)."""

    def __init__(self, files: list[Base], xxe_path: str, small: bool = False) -> None:
        self.files = files
        self.texts = [base for base in files if base.text]
        self.xxe_path = xxe_path
        self.small = small  # the smallest sizes of each shape (the tests' always-on sample)

    def size(self, rng: random.Random, low: float, high: float, small_high: float) -> int:
        """10**x for x drawn from [low, high] (from [low, small_high] for a small sample)."""
        return int(10 ** rng.uniform(low, small_high if self.small else high))

    def any_file(self, rng: random.Random, ext: str | None = None) -> Base:
        pool = [base for base in self.files if ext is None or base.ext == ext] or self.files
        return rng.choice(pool)

    def any_lines(self, rng: random.Random) -> list[str]:
        return [line for line in rng.choice(self.texts).text.split("\n") if line.strip()]


Builder = Callable[[random.Random, Bases], tuple[str, bytes, str]]
BUILDERS: dict[str, Builder] = {}


def family(function: Builder) -> Builder:
    BUILDERS[function.__name__] = function
    return function


@cache
def shares() -> dict[str, float]:
    spec = yaml.safe_load(resources.files("nlp.fuzz").joinpath("families.yaml").read_text("utf-8"))
    return dict(spec["families"])


def counts(n: int) -> dict[str, int]:
    """How many inputs of each family make `n` (every family at least one)."""
    total = sum(shares().values())
    return {name: max(1, round(n * share / total)) for name, share in shares().items()}


def inputs(
    n: int,
    seed: int = 0,
    real_dir: Path | None = None,
    xxe_path: str = "/nonexistent",
    only: set[str] | None = None,
) -> Iterator[FuzzInput]:
    """About `n` inputs over all families (or those `only` names), family by family
    interleaved, so a run cut short has seen every family."""
    bases = make_bases(seed, real_dir, xxe_path)
    plan = {name: count for name, count in counts(n).items() if not only or name in only}
    for number in range(max(plan.values())):
        for name, count in plan.items():
            if number < count:
                yield build(name, number, seed, bases)


def build(name: str, number: int, seed: int, bases: Bases) -> FuzzInput:
    rng = random.Random(f"{seed}/{name}/{number}")
    file_name, data, note = BUILDERS[name](rng, bases)
    return FuzzInput(name, number, file_name, data, note)


# --- the good reports ------------------------------------------------------------------------


def make_bases(
    seed: int,
    real_dir: Path | None = None,
    xxe_path: str = "/nonexistent",
    n_generated: int = 6,
    small: bool = False,
) -> Bases:
    from nlp.corpus import FORMS, generate, render
    from nlp.corpus.forms import form_format, needs_ocr

    files = []
    for i, report in enumerate(generate(n_generated, seed=seed)):
        rng = random.Random(f"{seed}/base/{i}")
        text = _decoded(render(report, "txt", rng))
        for form in FORMS:
            if not needs_ocr(form):
                ext = form_format(form)
                data = render(report, form, rng)
                files.append(Base(f"generated/{i}.{form}", ext, data, text))
    if real_dir is not None:
        files.extend(_real_bases(real_dir))
    return Bases(files, xxe_path, small)


def _real_bases(real_dir: Path) -> list[Base]:
    manifest = real_dir / "MANIFEST.csv"
    if not manifest.exists():
        return []
    bases = []
    with manifest.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            path = real_dir / row["file"]
            if row["format"] in ("txt", "md", "html", "docx", "pdf") and path.exists():
                data = path.read_bytes()
                text = _decoded(data) if row["format"] in ("txt", "md") else ""
                bases.append(Base(f"real/{row['file']}", row["format"], data, text))
    return bases


def _decoded(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return ""


# --- bytes of any format ---------------------------------------------------------------------


@family
def byte_flips(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    base = bases.any_file(rng)
    data = bytearray(base.data)
    flips = int(2 ** rng.uniform(0, 6))
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return f"flipped.{base.ext}", bytes(data), f"{base.origin}: {flips} bytes changed"


@family
def truncation(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    base = bases.any_file(rng)
    size = len(base.data)
    cut = size - rng.randint(1, min(size - 1, 2048)) if rng.random() < 0.3 else rng.randrange(size)
    return f"cut.{base.ext}", base.data[:cut], f"{base.origin}: cut at {cut} of {size} bytes"


@family
def wrong_extension(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    base = bases.any_file(rng)
    if rng.random() < 0.3 and base.text:
        quote = f"（附件文件头 %PDF-1.{rng.randrange(8)}）\n"
        return "quoted.txt", (quote + base.text).encode(), f"{base.origin}: %PDF- in the text"
    ext = rng.choice([e for e in ("txt", "md", "html", "docx", "pdf", "doc", "") if e != base.ext])
    return f"named.{ext}".rstrip("."), base.data, f"{base.origin}: named .{ext}"


# --- text encodings --------------------------------------------------------------------------

ENCODINGS = ("utf-8", "gb18030", "gbk", "big5", "utf-16-le", "utf-16-be", "utf-16", "utf-32")
BOMS = {
    "utf-8": b"\xef\xbb\xbf",
    "utf-16-le": b"\xff\xfe",
    "utf-16-be": b"\xfe\xff",
    "utf-32-le": b"\xff\xfe\x00\x00",
}


def _encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


@family
def wrong_encoding(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    text = "\n".join(bases.any_lines(rng))
    encoding = rng.choice(ENCODINGS)
    ext = rng.choice(["txt", "md", "html"])
    if ext == "html":
        text = _html_page(text.split("\n"))
    return f"encoded.{ext}", _encoded(text, encoding), f"{ext} in {encoding}"


@family
def mixed_encoding(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    lines = bases.any_lines(rng)
    cuts = sorted(rng.sample(range(len(lines)), min(len(lines), rng.randint(1, 4))))
    pieces, start, used = [], 0, []
    for cut in [*cuts, len(lines)]:
        encoding = rng.choice(ENCODINGS[:5])
        pieces.append(_encoded("\n".join(lines[start:cut]) + "\n", encoding))
        used.append(encoding)
        start = cut
    return "mixed.txt", b"".join(pieces), f"parts in {', '.join(used)}"


@family
def lying_bom(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    text = "\n".join(bases.any_lines(rng))
    bom = rng.choice(list(BOMS))
    encoding = rng.choice([e for e in ENCODINGS if e != bom])
    ext = rng.choice(["txt", "md", "html"])
    return f"bom.{ext}", BOMS[bom] + _encoded(text, encoding), f"{bom} mark, {encoding} bytes"


@family
def charset_lies(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    lines = bases.any_lines(rng)
    declared = rng.choice(["utf-16", "utf-8", "gb2312", "gbk", "big5", "iso-8859-1", "utf-32", "x"])
    actual = rng.choice(ENCODINGS[:5])
    where = rng.choice(["meta", "http-equiv", "xml"])
    head = {
        "meta": f'<meta charset="{declared}">',
        "http-equiv": f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">',
        "xml": f'<?xml version="1.0" encoding="{declared}"?>',
    }[where]
    page = _html_page(lines, head=head)
    return "charset.html", _encoded(page, actual), f"declares {declared} ({where}), is {actual}"


@family
def zero_width(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    invisible = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
    if rng.random() < 0.5:
        size = int(10 ** rng.uniform(1, 6))
        text = "".join(rng.choice(invisible) for _ in range(min(size, 1000))) * max(1, size // 1000)
        ext = rng.choice(["txt", "md", "html"])
        return f"invisible.{ext}", text.encode(rng.choice(["utf-8", "utf-16"])), f"{size} chars"
    lines = bases.any_lines(rng)
    laced = "\n".join(
        "".join(ch + (rng.choice(invisible) if rng.random() < 0.3 else "") for ch in line)
        for line in lines
    )
    return "laced.txt", laced.encode(), "text laced with zero-width characters"


# --- text shapes -----------------------------------------------------------------------------

LONG_RUNS = {
    "spaces": " ",
    "tabs": "\t",
    "digits": "7",
    "digit_space": "1 ",
    "han": "政",
    "full_stops": "。",
    "page_marks": "第1页",
    "rule": "=",
    "nbsp": "\u3000",
    "dashes": "-",
}


@family
def long_line(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    lines = bases.any_lines(rng)
    kind = rng.choice(sorted(LONG_RUNS))
    unit = LONG_RUNS[kind]
    size = bases.size(rng, 5, 7, 6)  # bytes
    run = unit * max(1, size // len(unit.encode()))
    at = rng.randrange(len(lines) + 1)
    text = "\n".join([*lines[:at], run, *lines[at:]])
    return "long.txt", text.encode(), f"a line of {len(run)} × {kind!r} after line {at}"


@family
def big_numbers(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    lines = bases.any_lines(rng)
    digits = int(10 ** rng.uniform(2, 5))
    number = str(rng.randint(1, 9)) + "".join(
        str(rng.randrange(10)) for _ in range(min(digits, 200))
    )
    number = (number * (digits // len(number) + 1))[:digits]
    numeric = [i for i, line in enumerate(lines) if any(ch.isdigit() for ch in line)] or [0]
    hits = rng.sample(numeric, min(len(numeric), rng.randint(1, 5)))
    for i in hits:
        lines[i] = lines[i] + "\t" + number
    return "numbers.txt", "\n".join(lines).encode(), f"{digits}-digit numbers on {len(hits)} lines"


@family
def missing_rows(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    lines = bases.any_lines(rng)
    share = rng.uniform(0.05, 0.6)
    kept = [line for line in lines if rng.random() > share]
    ext = rng.choice(["txt", "md", "html"])
    text = _html_page(kept) if ext == "html" else "\n".join(kept)
    return f"missing.{ext}", text.encode(), f"{len(lines) - len(kept)} of {len(lines)} lines gone"


@family
def duplicated_sections(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    lines = bases.any_lines(rng)
    start = rng.randrange(len(lines))
    end = rng.randint(start + 1, len(lines))
    times = int(2 ** rng.uniform(1, 7))
    out = [*lines[:end], *(lines[start:end] * times), *lines[end:]]
    ext = rng.choice(["txt", "html"])
    text = _html_page(out) if ext == "html" else "\n".join(out)
    return f"twice.{ext}", text.encode(), f"lines {start}-{end} printed {times + 1} times"


# --- web pages -------------------------------------------------------------------------------


def _html_page(lines: list[str], head: str = "", body_html: str = "") -> str:
    paragraphs = "".join(f"<p>{_escape(line)}</p>" for line in lines)
    return f"<html><head>{head}</head><body>{paragraphs}{body_html}</body></html>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


NESTING = (
    ("<div>", "</div>"),
    ("<font>", "</font>"),
    ("<span>", "</span>"),
    ("<b>", "</b>"),
    ("<table><tr><td>", "</td></tr></table>"),
    ("<ul><li>", "</li></ul>"),
    ("<blockquote>", "</blockquote>"),
)


@family
def nested_html(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    lines = bases.any_lines(rng)
    depth = bases.size(rng, 2, 4.7, 4)
    opening, closing = rng.choice(NESTING)
    closed = rng.random() < 0.7
    inner = "".join(f"<p>{_escape(line)}</p>" for line in lines)
    page = f"<html><body>{opening * depth}{inner}{closing * depth if closed else ''}</body></html>"
    how = "closed" if closed else "never closed"
    return "nested.html", page.encode(), f"{depth} × {opening} {how}"


@family
def html_cells(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    cells = bases.size(rng, 4, 5.3, 4.3)
    width = rng.choice([2, 7, 10, 30, 100, 1000])
    rows = max(1, cells // width)
    row = "<tr>" + "".join(f"<td>{c}</td>" for c in range(width)) + "</tr>"
    table = "<table>" + row * rows + "</table>"
    page = _html_page(bases.any_lines(rng), body_html=table)
    return "cells.html", page.encode(), f"a table of {rows} × {width} cells"


@family
def html_spans(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    n = bases.size(rng, 1.5, 2.7, 2.2)
    shape = rng.choice(["push", "push_half", "tall", "wide", "both"])
    cell = {
        "push": '<td rowspan="0">x</td>',
        "push_half": f'<td rowspan="{n // 2}">x</td>',
        "tall": '<td rowspan="100000">x</td>',
        "wide": '<td colspan="100000">x</td>',
        "both": f'<td rowspan="{n}" colspan="{n}">x</td>',
    }[shape]
    table = "<table>" + ("<tr>" + cell * n + "</tr>") * n + "</table>"
    page = _html_page(bases.any_lines(rng), body_html=table)
    return "spans.html", page.encode(), f"{n} rows of {n} cells {cell}"


# --- entities --------------------------------------------------------------------------------


@family
def xxe(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    lines = bases.any_lines(rng)[:40]
    prologue, reference = hostile.external_entity(bases.xxe_path)
    if rng.random() < 0.5:
        return "xxe.docx", hostile.docx_of(hostile.docx_paragraphs(lines, prologue, reference)), ""
    page = prologue.replace("w:document", "html") + _html_page([*lines, reference])
    return "xxe.html", page.encode(), "external entity in an HTML page"


@family
def billion_laughs(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    lines = bases.any_lines(rng)[:40]
    levels = rng.randint(5, 12)
    prologue, reference = hostile.billion_laughs(levels)
    note = f"10^{levels} expansions"
    if rng.random() < 0.5:
        document = hostile.docx_paragraphs(lines, prologue, reference)
        return "laughs.docx", hostile.docx_of(document), note
    page = prologue.replace("w:document", "html") + _html_page([*lines, reference])
    return "laughs.html", page.encode(), note


# --- Word files ------------------------------------------------------------------------------

BOMB_PARTS = ("word/document.xml", "word/styles.xml", "word/media/image1.png", "word/numbering.xml")


@cache
def _docx_bomb(size_mb: int, part: str) -> bytes:
    return hostile.docx_bomb(size_mb * MiB, part)


@family
def docx_bomb(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    size_mb = 70 if bases.small else rng.choice([70, 150, 300])
    part = rng.choice(BOMB_PARTS)
    data = _docx_bomb(size_mb, part)
    if rng.random() < 0.3:
        data = _understated(data, part)
        return "bomb.docx", data, f"{part} inflating to {size_mb} MB, declared 1 KB"
    return "bomb.docx", data, f"{part} inflating to {size_mb} MB"


# Zip headers: signature, offset of the uncompressed size, of the name length, of the name.
_ZIP_HEADERS = ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46))


def _understated(data: bytes, part: str) -> bytes:
    """The archive with `part`'s declared size (local and central headers) said to be 1 KB."""
    import struct

    name = part.encode()
    out = bytearray(data)
    for signature, size_at, length_at, name_at in _ZIP_HEADERS:
        at = out.find(signature)
        while at != -1:
            length = struct.unpack_from("<H", out, at + length_at)[0]
            if bytes(out[at + name_at : at + name_at + length]) == name:
                struct.pack_into("<I", out, at + size_at, 1024)
            at = out.find(signature, at + 4)
    return bytes(out)


@family
def docx_hostile(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    lines = bases.any_lines(rng)
    shape = rng.choice(["no_body", "grid_span", "nested_tables", "many_paragraphs", "empty_part"])
    ns = hostile.W_NAMESPACE
    if shape == "no_body":
        xml = f'<w:document xmlns:w="{ns}"><w:p/></w:document>'
    elif shape == "grid_span":
        span = rng.choice([1000, 10**6, 10**9])
        cell = f'<w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>'
        rows = "".join(f"<w:tr>{cell * 20}</w:tr>" for _ in range(rng.randint(1, 200)))
        xml = hostile.docx_paragraphs(lines).replace("</w:body>", f"<w:tbl>{rows}</w:tbl></w:body>")
    elif shape == "nested_tables":
        depth = bases.size(rng, 1, 3.5, 3.5)
        opening = "<w:tbl><w:tr><w:tc>" * depth
        closing = "</w:tc></w:tr></w:tbl>" * depth
        inner = "<w:p><w:r><w:t>深处</w:t></w:r></w:p>"
        xml = hostile.docx_paragraphs(lines).replace(
            "</w:body>", f"{opening}{inner}{closing}</w:body>"
        )
    elif shape == "many_paragraphs":
        xml = hostile.docx_paragraphs(lines * (100 if bases.small else rng.randint(100, 2000)))
    else:
        xml = ""
    return "hostile.docx", hostile.docx_of(xml), shape


# --- PDFs ------------------------------------------------------------------------------------


@cache
def _pdf_bomb(size_mb: int) -> bytes:
    return hostile.pdf_bomb(size_mb * MiB)


@family
def pdf_bomb(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    size_mb = 64 if bases.small else rng.choice([256, 1024, 2048])
    return "bomb.pdf", _pdf_bomb(size_mb), f"a content stream inflating to {size_mb} MB"


@family
def pdf_broken(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    shape = rng.choice(["user_password", "owner_password", "xref", "no_trailer", "length", "raw"])
    if shape in ("user_password", "owner_password"):
        lines = bases.any_lines(rng)
        user = "secret" if shape == "user_password" else ""
        return "locked.pdf", hostile.text_pdf(lines, 2, user, owner="owner"), shape
    base = bases.any_file(rng, "pdf")
    data = base.data
    if shape == "xref":
        at = data.rfind(b"xref")
        data = data[:at] + bytes(rng.randrange(256) for _ in range(64)) + data[at + 64 :]
    elif shape == "no_trailer":
        data = data[: data.rfind(b"trailer")]
    elif shape == "length":
        data = data.replace(b"/Length ", f"/Length {rng.randrange(10**9)}".encode() + b" ", 3)
    else:
        content = rng.choice([b"", b"BT /F1 12 Tf (x) Tj ET", b"q " * 10**5, b"9" * 10**6])
        data = hostile.raw_pdf(content, declared_length=rng.choice([None, 0, 10**12]))
    return "broken.pdf", data, f"{base.origin if shape != 'raw' else 'hand-written'}: {shape}"


@cache
def _many_pages(text: str, pages: int) -> bytes:
    return hostile.many_page_pdf(text, pages)


@family
def pdf_pages(rng: random.Random, bases: Bases) -> tuple[str, bytes, str]:
    text = bases.texts[0].text
    pages = 200 if bases.small else rng.choice([300, 500])
    return "pages.pdf", _many_pages(text, pages), f"{pages} pages"
