"""A PDF page read with PDFium (pypdfium2) into the objects pdfplumber would give for it.

pdfminer, under pdfplumber, interprets the page's content streams in Python: 80 % of a PDF's
reading time. PDFium does the same in C. The page geometry (words into lines, ruled tables with
their cells, duplicate characters) stays pdfplumber's, run on the objects built here, so the
document read is the same; only where the objects come from changes.

Each object carries what the geometry reads, computed as pdfminer computes it:
- a character: its text, its box (x0 the glyph's origin, x1 the origin plus its advance, the
  bottom at the font's descent below the baseline, the height its size), its font and size,
  and whether it stands upright;
- a path, by the rule pdfminer uses: one segment is a line, four axis-parallel segments
  closing on the start are a rectangle, any other shape a curve; with whether it is stroked or
  filled and in which colour (the reader drops shapes painted only in white).
Characters PDFium adds itself (spaces and line breaks it infers) have no text object and are
left out, as pdfminer has no such characters.
"""

from __future__ import annotations

import ctypes
import re
import threading
from collections.abc import Callable, Container, Iterator
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pdfplumber.page import Page

MOVE, LINE, BEZIER = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_LINETO, raw.FPDF_SEGMENT_BEZIERTO
PATH, FORM = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM
FONT_NAME_BYTES = 256
SUBPATH = re.compile(r"m[^m]+")
SURROGATE = re.compile("[\ud800-\udfff]")
IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")  # CJK unified ideographs (and extension A)


def _plain(function, restype, *argtypes):
    """A PDFium function taking and giving objects as plain addresses (ints): the characters
    are grouped by their text object and font, and pypdfium2's typed pointers are neither
    hashable nor comparable without a cast per character; out-parameters go as the addresses
    of buffers made once per page, where a typed pointer argument costs a conversion per call
    (these functions run a few times per character and per path segment)."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


def _by_position(function, restype):
    """A PDFium function called with no declared argument types: a (text) page, font or path
    goes as a `c_void_p` made once per page, font or path, an index as an int, out-parameters
    by reference, each passed as it is (a declared argument costs a conversion per call;
    these functions run once per character or object of a page, the most frequent calls). A
    pointer must be a `c_void_p`: an int would go as a C int, a truncated address."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype)(address)


_void, _int, _float = ctypes.c_void_p, ctypes.c_int, ctypes.c_float
_text_object_of = _by_position(raw.FPDFText_GetTextObject, _void)
_font_of = _plain(raw.FPDFTextObj_GetFont, _void, _void)
_font_size_of = _plain(raw.FPDFTextObj_GetFontSize, _int, _void, _void)
_is_embedded = _plain(raw.FPDFFont_GetIsEmbedded, _int, _void)
_glyph_path_of = _plain(raw.FPDFFont_GetGlyphPath, _void, _void, ctypes.c_uint32, _float)
_descent_of = _plain(raw.FPDFFont_GetDescent, _int, _void, _float, ctypes.POINTER(_float))
_font_name_of = _plain(
    raw.FPDFFont_GetBaseFontName, ctypes.c_size_t, _void, ctypes.c_char_p, ctypes.c_size_t
)
# Called with the font as a `c_void_p`, the size as a `c_float` (an untyped Python float
# would go as a double) and the width by reference.
_glyph_width_of = _by_position(raw.FPDFFont_GetGlyphWidth, _int)
_char_matrix_of = _by_position(raw.FPDFText_GetMatrix, _int)
_unmapped = _by_position(raw.FPDFText_HasUnicodeMapError, _int)
_origin_of = _by_position(raw.FPDFText_GetCharOrigin, _int)
_count_objects = _plain(raw.FPDFPage_CountObjects, _int, _void)
_object_of = _by_position(raw.FPDFPage_GetObject, _void)  # of a page (as a pointer) by index
_type_of = _plain(raw.FPDFPageObj_GetType, _int, _void)
_matrix_of = _plain(raw.FPDFPageObj_GetMatrix, _int, _void, _void)
_count_form_objects = _plain(raw.FPDFFormObj_CountObjects, _int, _void)
_form_object_of = _plain(raw.FPDFFormObj_GetObject, _void, _void, ctypes.c_ulong)
# Of a path as a `c_void_p`, with out-parameters by reference: asked of every path, also of
# the many (a white box behind each line of text) left out after them.
_draw_mode_of = _by_position(raw.FPDFPath_GetDrawMode, _int)
_stroke_colour_of = _by_position(raw.FPDFPageObj_GetStrokeColor, _int)
_fill_colour_of = _by_position(raw.FPDFPageObj_GetFillColor, _int)
_stroke_width_of = _plain(raw.FPDFPageObj_GetStrokeWidth, _int, _void, _void)
_count_segments = _plain(raw.FPDFPath_CountSegments, _int, _void)
_segment_of = _plain(raw.FPDFPath_GetPathSegment, _void, _void, _int)
_segment_type = _plain(raw.FPDFPathSegment_GetType, _int, _void)
_segment_point = _plain(raw.FPDFPathSegment_GetPoint, _int, _void, _void, _void)
_segment_closes = _plain(raw.FPDFPathSegment_GetClose, _int, _void)


def _address(pointer) -> int:
    return ctypes.cast(pointer, ctypes.c_void_p).value


class _Out:
    """Out-parameter buffers and their addresses, made once per page."""

    def __init__(self, kind, count: int):
        self.values = [kind() for _ in range(count)]
        self.addresses = [ctypes.addressof(value) for value in self.values]
        self.refs = [ctypes.byref(value) for value in self.values]


IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
Matrix = tuple[float, float, float, float, float, float]


class PdfiumPage(Page):
    """A pdfplumber page whose objects come from PDFium: pdfplumber's `filter`,
    `dedupe_chars`, `extract_words` and `find_tables` run on it unchanged."""

    def __init__(self, objects: dict[str, list[dict]], bbox: tuple, number: int):
        # Page.__init__ reads the page from pdfminer; only what derived pages copy is set.
        self.pdf = None
        self.root_page = self
        self.page_obj = None
        self.page_number = number
        self.initial_doctop = 0
        self.rotation = 0
        self.mediabox = self.cropbox = self.bbox = bbox
        self._objects = objects
        self.unmapped_glyphs = 0  # characters whose font maps them to no Unicode
        self.damaged_text = False  # no characters, yet text objects and no image

    @property
    def objects(self) -> dict[str, list[dict]]:
        return self._objects


class PasswordRequired(Exception):
    """The PDF opens only with its user password."""


# PDFium is not thread-safe: the reader's calls into it go one at a time per process.
LOCK = threading.RLock()


def open_document(data: bytes) -> pdfium.PdfDocument:
    """The PDF opened with the empty user password, which a copy-protected (owner password
    only) PDF needs; PasswordRequired when it needs more."""
    try:
        with LOCK:
            return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == raw.FPDF_ERR_PASSWORD:
            raise PasswordRequired(str(error)) from error
        raise


def close_document(document: pdfium.PdfDocument) -> None:
    with LOCK:
        document.close()


def _has_text_and_no_image(page) -> bool:
    """Text objects and no image on a page without characters: text whose content or font was
    damaged, not a scan, which OCR could not mend (and would spend seconds on). A scan is an
    image; text turned into outlines is paths alone."""
    kinds = {obj.type for obj in page.get_objects(max_depth=3)}
    return raw.FPDF_PAGEOBJ_TEXT in kinds and raw.FPDF_PAGEOBJ_IMAGE not in kinds


def read_page(
    document: pdfium.PdfDocument,
    index: int,
    max_chars: int,
    keep_paint: Callable[[dict], bool] | None = None,
) -> tuple[Page, int] | None:
    """Page `index` (from 0) as a pdfplumber page, and the number of its characters (of
    which at most `max_chars` are kept, the first in the content's order); None for a rotated
    page, whose coordinates pdfminer turns and PDFium does not, and for a page whose media box
    does not start at (0, 0), which pdfplumber shifts in its own way, and for a page in a font
    neither the PDF nor this machine has the glyphs of (`_Font`). With `keep_paint`, the
    shapes whose paint (stroke, fill and their colours) it refuses are left out."""
    with LOCK:
        return _read_page(document, index, max_chars, keep_paint)


def _read_page(document: pdfium.PdfDocument, index: int, max_chars: int, keep_paint):
    page = document[index]
    try:
        left, bottom, right, top = page.get_mediabox()
        if page.get_rotation() or left or bottom:
            return None
        height = top - bottom
        textpage = page.get_textpage()
        try:
            chars, total, unmapped, texts = _chars(
                textpage, (left, bottom, height), index + 1, max_chars
            )
        except _GlyphsMissing:
            return None
        finally:
            textpage.close()
        objects: dict[str, list[dict]] = {"char": chars}
        frame = (left, bottom, height)
        for kind, obj in _shapes(_address(page.raw), frame, index + 1, keep_paint, texts):
            objects.setdefault(kind, []).append(obj)
        read = PdfiumPage(objects, (0, 0, right - left, height), index + 1)
        read.unmapped_glyphs = unmapped
        read.damaged_text = not total and _has_text_and_no_image(page)
        return read, total
    finally:
        page.close()


# --- characters ------------------------------------------------------------------------------


def _chars(textpage, frame: tuple[float, float, float], number: int, max_chars: int):
    """The page's characters (the first `max_chars`), how many it has, how many have no
    Unicode mapping, and the text objects that draw them. The loop runs once per character
    of the page: the PDFium functions and the styles' advances are looked up once, outside
    it, and each character's dictionary is made in place, without a call per character."""
    handle = textpage.raw
    count = raw.FPDFText_CountChars(handle)
    texts = _texts(handle, count)
    page_text = ctypes.c_void_p(_address(handle))
    styles = _Styles()
    by_object, alike, style_key = styles.by_object, styles.alike, styles.key
    char_matrix_of, font_size_of, font_of = _char_matrix_of, _font_size_of, _font_of
    matrix_ref, size_address = styles.matrix_ref, styles.size_address
    text_object_of, unmap_error, origin_of = _text_object_of, _unmapped, _origin_of
    x, y = ctypes.c_double(), ctypes.c_double()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    left, bottom, height = frame
    chars: list[dict[str, Any]] = []
    append = chars.append
    total, unmapped = 0, 0
    for i in range(count):
        text_object = text_object_of(page_text, i)
        if not text_object:  # a space or line break PDFium inferred: not in the page
            continue
        total += 1
        if total > max_chars:
            continue
        unmapped += unmap_error(page_text, i) == 1
        style = by_object.get(text_object)
        if style is None:  # every character where each is its own text object (WPS): inline
            char_matrix_of(page_text, i, matrix_ref)
            font_size_of(text_object, size_address)
            font_address = font_of(text_object)
            style = alike.get((font_address, bytes(style_key)))
            if style is None:
                style = styles.new(font_address)
            by_object[text_object] = style
        origin_of(page_text, i, x_ref, y_ref)
        text = texts[i]
        advance = style.advances.get(text)
        if advance is None:
            advance = style.advance(text)
        size = style.size
        y0 = y.value + style.lift - bottom
        y1 = y0 + size
        x0 = x.value - left
        x1 = x0 + (advance or _loose_width(handle, i))
        top = height - y1
        append(
            {
                "object_type": "char",
                "page_number": number,
                "text": text,
                "fontname": style.name,
                "size": size,
                "upright": style.upright,
                "x0": x0,
                "x1": x1,
                "y0": y0,
                "y1": y1,
                "top": top,
                "bottom": height - y0,
                "doctop": top,
                "width": x1 - x0,
                "height": size,
            }
        )
    return chars, total, unmapped, by_object.keys()


def _texts(handle, count: int) -> list[str]:
    """The page's characters, one per PDFium character: in one call as UTF-16, or one by one
    when the page has a character beyond the BMP (two UTF-16 units for one character)."""
    buffer = (ctypes.c_ushort * (count + 1))()
    raw.FPDFText_GetText(handle, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    # "surrogatepass" keeps a lone surrogate, found below; a pair becomes one character.
    text = bytes(buffer)[: 2 * count].decode("utf-16-le", "surrogatepass")
    if len(text) != count or SURROGATE.search(text):
        return [chr(raw.FPDFText_GetUnicode(handle, i)) for i in range(count)]
    return list(text)


class _GlyphsMissing(Exception):
    """A font the PDF does not embed, for which no font of this machine has the glyphs."""


class _Font:
    """A font's name, its descent below the baseline per unit of size, and the arguments that
    ask PDFium for a character's width from the font's widths (not from the glyph's drawing,
    which PDFium's boxes include: a glyph of a substituted font can overhang its advance).

    PDFium draws a font the PDF does not embed (STSong-Light, a system 宋体) with one of this
    machine's. Where none has the glyphs (no CJK font installed), its text page drops
    characters it takes for repeats (the second line's 业 of a cell's 商业企业), so the page is
    left to pdfminer, which needs no glyphs. The first Chinese character drawn in the font
    tells: a machine has a CJK font or none (a Latin one may well have “，—)."""

    def __init__(self, address: int):
        descent = _float()
        _descent_of(address, 1000.0, descent)
        name = ctypes.create_string_buffer(FONT_NAME_BYTES)
        _font_name_of(address, name, FONT_NAME_BYTES)
        self.pointer = ctypes.c_void_p(address)
        self.name = name.value.decode("latin-1")
        self.descent = descent.value / 1000.0
        self.width = _float()
        self.width_ref = ctypes.byref(self.width)
        self.glyphs_unknown = not _is_embedded(address)

    def check_glyphs(self, text: str) -> None:
        """Raise `_GlyphsMissing` when this machine has no glyph for `text` in the font."""
        self.glyphs_unknown = False
        if not _glyph_path_of(self.pointer, ord(text), 1.0):
            raise _GlyphsMissing(self.name)


class _Style:
    """Characters as pdfminer sees them in one font, size and text matrix: size on the page,
    whether the glyphs stand upright, and the scale from text space to the page."""

    def __init__(self, font: _Font, text_size: float, a: float, b: float, c: float, d: float):
        # pdfminer: the height is the font size through the text matrix; upright when the
        # matrix neither mirrors nor rotates the glyphs.
        scale = d if b == 0 else (c**2 + d**2) ** 0.5
        self.font = font
        self.name = font.name
        self.size = abs(text_size * scale)
        self.descent = font.descent
        self.lift = font.descent * self.size  # the bottom's height above the baseline
        self.upright = a * d > 0 and b * c <= 0
        self._text_size, self._horizontal = _float(text_size), a
        self.advances: dict[str, float | None] = {}  # by character, once known

    def advance(self, text: str) -> float | None:
        """The character's advance on the page; None when the font has no code for it. Asked
        once per character and style (half a page's characters are new on it: a Chinese
        page's characters are many)."""
        font = self.font
        if font.glyphs_unknown and IDEOGRAPH.match(text):
            font.check_glyphs(text)
        found = _glyph_width_of(font.pointer, ord(text), self._text_size, font.width_ref)
        advance = self.advances[text] = font.width.value * self._horizontal if found else None
        return advance


class _Styles:
    """The style of each text object of a page, shared by the objects alike (a writer such
    as WPS puts every character in its own text object)."""

    def __init__(self):
        self.by_object: dict[int, _Style] = {}
        self.alike: dict[tuple[int, bytes], _Style] = {}  # by font and `key`
        self._fonts: dict[int, _Font] = {}
        # The font size, then FS_MATRIX's six floats (a, b, c, d, e, f), in one buffer: the
        # size and a-d, as bytes (`key`), tell the styles apart (e and f, the position, do not).
        self._values = (_float * 7)()
        self.key = memoryview(self._values).cast("B")[: 5 * ctypes.sizeof(_float)]
        self.size_address = ctypes.addressof(self._values)
        self.matrix_ref = ctypes.byref(self._values, ctypes.sizeof(_float))

    def new(self, font_address: int) -> _Style:
        """The style of the font, size and matrix in the buffer, not met before (then in
        `alike`)."""
        font = self._fonts.get(font_address)
        if font is None:
            font = self._fonts[font_address] = _Font(font_address)
        size, a, b, c, d = self._values[:5]
        style = self.alike[(font_address, bytes(self.key))] = _Style(font, size, a, b, c, d)
        return style


def _loose_width(handle, index: int) -> float:
    box = raw.FS_RECTF()
    raw.FPDFText_GetLooseCharBox(handle, index, box)
    return box.right - box.left


# --- paths -----------------------------------------------------------------------------------


def _shapes(
    page_handle: int, frame, number: int, keep_paint=None, texts: Container[int] = ()
) -> Iterator[tuple[str, dict]]:
    """The page's shapes; `texts`, text objects known to be such, need no asking (a writer
    such as WPS puts each character in its own text object)."""
    buffers = _PathBuffers()
    for obj, outer in _path_objects(page_handle, buffers, texts):
        yield from _path_shapes(obj, outer, frame, number, buffers, keep_paint)


class _PathBuffers:
    """The out-parameters of the path functions, made once per page."""

    def __init__(self):
        self.matrix = raw.FS_MATRIX()
        self.matrix_address = ctypes.addressof(self.matrix)
        self.modes = _Out(ctypes.c_int, 2)
        self.rgba = _Out(ctypes.c_uint, 4)
        self.point = _Out(ctypes.c_float, 2)
        self.width = _Out(ctypes.c_float, 1)
        self._kept: dict[tuple, bool] = {}  # by paint: a page paints most paths alike

    def keeps(self, paint: dict, keep_paint: Callable[[dict], bool]) -> bool:
        key = tuple(paint.values())
        kept = self._kept.get(key)
        if kept is None:
            kept = self._kept[key] = keep_paint(paint)
        return kept


def _path_objects(
    page_handle: int, buffers: _PathBuffers, texts: Container[int]
) -> Iterator[tuple[int, Matrix]]:
    """Every path object of the page, in forms too, with the matrix of the forms around it
    (to page space), in the content's order."""
    page = ctypes.c_void_p(page_handle)
    for i in range(_count_objects(page_handle)):
        obj = _object_of(page, i)
        if obj in texts:
            continue
        kind = _type_of(obj)
        if kind == PATH:
            yield obj, IDENTITY
        elif kind == FORM:
            yield from _form_paths(obj, IDENTITY, buffers)


def _form_paths(form: int, outer: Matrix, buffers: _PathBuffers) -> Iterator[tuple[int, Matrix]]:
    stack = [(form, outer)]
    while stack:
        obj, outer = stack.pop()
        kind = _type_of(obj)
        if kind == PATH:
            yield obj, outer
        elif kind == FORM:
            inner = _compose(_matrix(obj, buffers), outer)
            count = _count_form_objects(obj)
            stack.extend((_form_object_of(obj, i), inner) for i in reversed(range(count)))


def _matrix(obj: int, buffers: _PathBuffers) -> Matrix:
    if not _matrix_of(obj, buffers.matrix_address):
        return IDENTITY
    m = buffers.matrix
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _path_shapes(
    obj: int, outer: Matrix, frame, number: int, buffers: _PathBuffers, keep_paint=None
) -> Iterator[tuple[str, dict]]:
    pointer = ctypes.c_void_p(obj)
    _draw_mode_of(pointer, *buffers.modes.refs)
    fill_mode, stroke = buffers.modes.values
    paint = {
        "stroke": bool(stroke.value),
        "fill": bool(fill_mode.value),
        "stroking_color": _colour(_stroke_colour_of, pointer, buffers.rgba),
        "non_stroking_color": _colour(_fill_colour_of, pointer, buffers.rgba),
    }
    if keep_paint is not None and not buffers.keeps(paint, keep_paint):
        return  # left out before its segments are read (a white box behind each text line)
    paint["linewidth"] = _stroke_width(obj, buffers.width)
    matrix = _compose(_matrix(obj, buffers), outer)
    operators, points = _segments(obj, matrix, buffers.point)
    shape = "".join(operators)
    if shape[:1] != "m":
        return
    for sub in SUBPATH.finditer(shape):
        found = _classify(shape[sub.start() : sub.end()], points[sub.start() : sub.end()])
        if found is not None:
            kind, pts = found
            yield kind, _shape(kind, pts, paint, frame, number)


def _segments(
    obj: int, matrix: Matrix, point_out: _Out
) -> tuple[list[str], list[tuple[float, float]]]:
    """The path as pdfminer's operators (m, l, c, h) with each one's end point in page space;
    `h` (close) ends at the subpath's start."""
    operators: list[str] = []
    points: list[tuple[float, float]] = []
    x, y = point_out.values
    x_address, y_address = point_out.addresses
    start = (0.0, 0.0)
    pending_bezier = 0
    for i in range(_count_segments(obj)):
        segment = _segment_of(obj, i)
        kind = _segment_type(segment)
        _segment_point(segment, x_address, y_address)
        point = _apply(matrix, x.value, y.value)
        if kind == BEZIER:  # three segments (two control points and the end) are one `c`
            pending_bezier += 1
            if pending_bezier < 3:
                continue
            pending_bezier = 0
            operators.append("c")
        else:
            operators.append("m" if kind == MOVE else "l")
        points.append(point)
        if kind == MOVE:
            start = point
        if _segment_closes(segment) and (kind != BEZIER or not pending_bezier):
            operators.append("h")
            points.append(start)
    return operators, points


def _apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return (a * x + c * y + e, b * x + d * y + f)


def _classify(shape: str, pts: list[tuple[float, float]]):
    """pdfminer's `paint_path`: (kind, points) of one subpath."""
    pts = list(pts)
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    if shape in {"mlh", "ml"}:
        return "line", pts[:2]
    if shape in {"mlllh", "mllll"}:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if pts[0] == pts[4] and square:
            return "rect", [pts[0], pts[2]]
    return "curve", pts


def _shape(kind: str, pts, paint: dict, frame, number: int) -> dict[str, Any]:
    left, bottom, height = frame
    pts = [(x - left, y - bottom) for x, y in pts]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    shape = {
        "object_type": kind,
        "page_number": number,
        **paint,
        "x0": x0,
        "x1": x1,
        "y0": y0,
        "y1": y1,
        "top": height - y1,
        "bottom": height - y0,
        "doctop": height - y1,
        "width": x1 - x0,
        "height": y1 - y0,
    }
    if kind != "rect":
        shape["pts"] = [(x, height - y) for x, y in pts]
    return shape


def _colour(getter, pointer: ctypes.c_void_p, rgba: _Out) -> tuple[float, ...]:
    if not getter(pointer, *rgba.refs):
        return ()
    r, g, b, _ = rgba.values
    return (r.value / 255, g.value / 255, b.value / 255)


def _stroke_width(obj: int, width: _Out) -> float:
    return width.values[0].value if _stroke_width_of(obj, width.addresses[0]) else 0.0
