"""A PDF's compressed streams measured before any engine inflates them.

PDFium and pdfminer inflate a page's content stream whole and then build an object per drawing
operator: a content stream of a few hundred kilobytes that inflates to gigabytes (a compression
bomb) takes the process past any memory cap before a page limit can act. So the Flate streams
are inflated here first, in bounded chunks whose output is counted and dropped, and a file
whose streams inflate past `StreamLimits` is refused in words.

Image streams are left out: they are decoded only when a scanned page is rendered for OCR,
which bounds its pixels itself. Encrypted streams do not inflate and are skipped.

Inflating every stream costs more than PDFium's whole reading of a small file, and most streams
cannot be bombs: Deflate gives at most 1032 bytes per input byte, so a stream whose input is
small enough is counted at that bound without inflating it. Only when the bounds leave a doubt
(a stream's bound over its cap, or the bounds' sum over the total) are the streams inflated and
counted exactly, as before.
"""

from __future__ import annotations

import base64
import re
import zlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from nlp.report import ReadError

# "stream" at the end of a stream dictionary, then its first byte of data.
STREAM_START = re.compile(rb">>\s{0,10}stream\r?\n")
# How far back from "stream" its dictionary is looked for.
DICT_WINDOW = 2048
# "endstream" right after a stream's /Length bytes: the length is the stream's, and the engines
# inflate those bytes only.
LENGTH = re.compile(rb"/Length\s{1,10}(\d{1,12})(?!\d)(?!\s{1,10}\d{1,10}\s{1,10}R)")
STREAM_END = re.compile(rb"\s{0,4}endstream")
MAX_INFLATE_RATIO = 1032  # Deflate's limit: a 258-byte match coded in 2 bits
# Input bytes an inflater may hold undecoded (its bit buffer), with a match under way.
INFLATER_HOLD = 16
CHUNK = 1 << 16
BOMB_REASON = "the PDF is a compression bomb: its content would inflate to more than {limit} MB"


@dataclass(frozen=True)
class StreamLimits:
    """A report's page content inflates to kilobytes or a few megabytes, a whole embedded CJK
    font to some tens of megabytes; past these a stream is no report's."""

    content_stream: int = 32 << 20
    font_stream: int = 96 << 20
    total: int = 256 << 20


DEFAULT_STREAM_LIMITS = StreamLimits()


def check_stream_sizes(data: bytes, source: str, limits: StreamLimits = DEFAULT_STREAM_LIMITS):
    """ReadError when a Flate stream of `data` (not an image) inflates past `limits`."""
    streams = list(_flate_streams(data, limits))
    if _within_bounds(data, streams, limits):
        return
    total = 0
    for match, dictionary, cap in streams:
        stream, start = _flate_input(data, match.end(), dictionary)
        size = _inflated_size(stream, start, min(cap, limits.total - total) + 1)
        total += size
        if size > cap or total > limits.total:
            limit = (cap if size > cap else limits.total) >> 20
            raise ReadError(
                source,
                BOMB_REASON.format(limit=limit),
                detail=f"a Flate stream at byte {match.end()} inflates past {limit} MB",
            )


def _flate_streams(data: bytes, limits: StreamLimits):
    """(match of the stream's start, its dictionary, its cap) of each Flate stream but images."""
    for match in STREAM_START.finditer(data):
        dictionary = _dictionary(data, match.start())
        if b"/FlateDecode" not in dictionary or b"/Image" in dictionary:
            continue
        cap = limits.font_stream if _is_font(dictionary) else limits.content_stream
        yield match, dictionary, cap


def _within_bounds(data: bytes, streams, limits: StreamLimits) -> bool:
    """Every stream below its cap and all together below the total, each stream counted at
    Deflate's bound; the streams whose bound leaves a doubt (over their cap, or the largest
    while the sum is over the total) inflated and counted exactly."""
    bounds = [_inflated_bound(data, match.end(), dictionary) for match, dictionary, _ in streams]
    sizes = list(bounds)
    doubtful = [i for i, (_, _, cap) in enumerate(streams) if bounds[i] > cap]
    by_bound = sorted(range(len(streams)), key=bounds.__getitem__, reverse=True)
    measured: set[int] = set()
    while doubtful or sum(sizes) > limits.total:
        i = doubtful.pop() if doubtful else next((i for i in by_bound if i not in measured), None)
        if i is None:
            return False
        measured.add(i)
        match, dictionary, cap = streams[i]
        enough = min(cap, limits.total - (sum(sizes) - sizes[i]))
        sizes[i] = _inflated_bound_within(data, match.end(), dictionary, enough, cap + 1)
        if sizes[i] > cap:
            return False
    return True


def _inflated_bound_within(
    data: bytes, start: int, dictionary: bytes, enough: int, stop_after: int
) -> int:
    """A bound of what the stream at `start` inflates to, from inflating it until the bytes
    out so far plus Deflate's bound of the input left (as `_inflated_bound` counts the input)
    come to `enough` or less; exact (as `_inflated_size` counts, up to `stop_after`) when
    they never do. A stream a little over its doubt is decided in a part of its input."""
    stream, position = _flate_input(data, start, dictionary)
    end = start + _stated_length(data, start, dictionary) if stream is data else len(stream)
    size = 0
    for size, consumed in _inflation(stream, position, stop_after):
        bound = size + MAX_INFLATE_RATIO * (max(0, end - consumed) + INFLATER_HOLD)
        if bound <= enough:
            return bound
    return size


def _inflated_bound(data: bytes, start: int, dictionary: bytes) -> int:
    """The most the stream at `start` can inflate to: Deflate's ratio times its input, which
    is the decoded text of an ASCII85 or hex stream (4 bytes per ASCII85 "z", 4 per 5 other
    characters, 1 per 2 hex digits), else the bytes up to the end of the file, or the stream's
    /Length when "endstream" follows them."""
    for name, end_mark, _ in TEXT_FILTERS:
        if name in dictionary:
            end = data.find(end_mark, start)
            encoded = data[start : end if end >= 0 else len(data)]
            if name == b"/ASCIIHexDecode":
                decoded = len(encoded) // 2 + 1
            else:
                decoded = len(encoded) * 4 // 5 + 4 * encoded.count(b"z") + 4
            return MAX_INFLATE_RATIO * (decoded + 1)
    return MAX_INFLATE_RATIO * (_stated_length(data, start, dictionary) + 1)


def _stated_length(data: bytes, start: int, dictionary: bytes) -> int:
    length = LENGTH.search(dictionary)
    if length is not None:
        size = int(length.group(1))
        if STREAM_END.match(data, start + size):
            return size
    return len(data) - start


def _dictionary(data: bytes, end: int) -> bytes:
    window = data[max(0, end - DICT_WINDOW) : end]
    start = window.rfind(b"obj")
    return window[start:] if start >= 0 else window


def _flate_input(data: bytes, start: int, dictionary: bytes) -> tuple[bytes, int]:
    """The Flate data of the stream at `start`: ASCII85 or hex text (a filter before Flate,
    as reportlab and others write) decoded first."""
    for name, end_mark, decode in TEXT_FILTERS:
        if name in dictionary:
            end = data.find(end_mark, start)
            encoded = data[start : end if end >= 0 else len(data)]
            try:
                return decode(encoded), 0
            except ValueError:
                return b"", 0
    return data, start


def _a85(encoded: bytes) -> bytes:
    return base64.a85decode(encoded.removeprefix(b"<~"), ignorechars=b" \t\n\r\v")


def _hex(encoded: bytes) -> bytes:
    digits = bytes(c for c in encoded if c not in b" \t\n\r\v")
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii", "replace"))


TEXT_FILTERS = ((b"/ASCII85Decode", b"~>", _a85), (b"/ASCIIHexDecode", b">", _hex))


def _is_font(dictionary: bytes) -> bool:
    return b"/Length1" in dictionary or b"/Length2" in dictionary or b"/Subtype" in dictionary


def _inflated_size(data: bytes, start: int, stop_after: int) -> int:
    """Bytes the Flate stream at `start` inflates to, counted up to `stop_after`."""
    last = deque(_inflation(data, start, stop_after), maxlen=1)  # only the count at the end
    return last[0][0] if last else 0


def _inflation(stream: bytes, position: int, stop_after: int) -> Iterator[tuple[int, int]]:
    """After each step of inflating the Flate data at `position`: the bytes out so far and
    where the input not yet taken in begins. Ends with the data, past `stop_after` bytes out,
    or at damaged or encrypted data (which the engine decides about)."""
    inflater = zlib.decompressobj()
    size = 0
    try:
        while position < len(stream) and not inflater.eof and size < stop_after:
            pending = stream[position : position + CHUNK]
            position += len(pending)
            while pending and size < stop_after and not inflater.eof:
                inflated = len(inflater.decompress(pending, CHUNK))
                if not inflated and len(inflater.unconsumed_tail) == len(pending):
                    break  # no progress: the stream cannot go on
                size += inflated
                pending = inflater.unconsumed_tail
                yield size, position - len(pending)
    except zlib.error:
        return
