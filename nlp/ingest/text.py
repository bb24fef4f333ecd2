"""Plain text: bytes → str (BOM, UTF-8, UTF-16, legacy Chinese encodings) and line cleaning.

Reports come from many generations of office software and web sites, so the encoding is
rarely declared. The order is: byte order mark, UTF-16 without BOM (NUL bytes at alternating
positions), UTF-8, then charset-normalizer restricted to GB18030 (superset of GBK/GB2312) and
Big5, and GB18030 with replacement as the last resort. Guesses and replacements are recorded
as warnings; text that is mostly unreadable is refused.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

from nlp.report import ParseWarning, ReadError

# Longest BOM first: the UTF-32 LE mark starts with the UTF-16 LE mark.
BYTE_ORDER_MARKS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
LEGACY_ENCODINGS: tuple[str, ...] = ("gb18030", "big5")
FALLBACK_ENCODING = "gb18030"
DETECTION_SAMPLE_BYTES = 2**20  # charset-normalizer is slow on whole 20 MB files
MAX_UNREADABLE_SHARE = 0.05
# A UTF-8 file with a few broken bytes is still UTF-8 when its valid multi-byte characters
# outnumber the broken ones by this factor (GBK bytes almost never form valid UTF-8).
UTF8_VALID_PER_ERROR = 10
UTF16_SAMPLE_BYTES = 4096
UTF16_MIN_NUL_SHARE = 0.02
UTF16_MIN_PARITY_SHARE = 0.6  # CJK code points U+xx00 put NULs on the other parity

REPLACEMENT = "\ufffd"
# Private-use code points are what random bytes become through GB18030.
_UNREADABLE = re.compile(r"[\ufffd\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_CHARS = dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0xFEFF])
_CONTROL_CHAR = re.compile("[" + "".join(re.escape(chr(c)) for c in _CONTROL_CHARS) + "]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_WRAPPED_SPACE = re.compile(r"[ \t\r\n\f\v\xa0]+")


def decode(data: bytes, source: str) -> tuple[str, list[ParseWarning]]:
    """Decode the bytes of a text file; raise ReadError when the result is mostly garbage."""
    text, warnings = _decode_any(data)
    _refuse_garbage(text, source)
    replaced = text.count(REPLACEMENT)
    if replaced:
        warnings.append(
            ParseWarning(
                "ingest.decode_errors",
                f"{replaced} characters could not be decoded and were replaced by U+FFFD",
            )
        )
    return text, warnings


def clean(text: str) -> str:
    """Unify line ends and drop control characters (tab and newline stay) and BOMs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # `translate` looks every character up in a dict; the search (in C) finds most texts clean.
    return text.translate(_CONTROL_CHARS) if _CONTROL_CHAR.search(text) else text


def join_wrapped(text: str) -> str:
    """Collapse whitespace to one space; a line break between wide (CJK) characters vanishes.

    Used for table cells and HTML source text, where line breaks are layout, not content.
    """
    if "\n" not in text and "\r" not in text:  # no line break: every run is one space, in C
        return _WRAPPED_SPACE.sub(" ", text).strip(" \u3000")
    return _WRAPPED_SPACE.sub(_wrap_replacement, text).strip(" \u3000")


def _wrap_replacement(match: re.Match[str]) -> str:
    if "\n" not in match.group() and "\r" not in match.group():
        return " "
    before = match.string[match.start() - 1] if match.start() else ""
    after = match.string[match.end()] if match.end() < len(match.string) else ""
    return "" if _is_wide(before) or _is_wide(after) else " "


def _is_wide(char: str) -> bool:
    return bool(char) and unicodedata.east_asian_width(char) in ("W", "F")


def _decode_any(data: bytes) -> tuple[str, list[ParseWarning]]:
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            text = _with_byte_order_mark(data[len(mark) :], encoding)
            if text is not None:
                return text, []
            text, warnings = _decode_any(data[len(mark) :])
            return text, [_lying_mark_warning(encoding), *warnings]
    utf16 = _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, errors="replace"), [
            _guess_warning(f"{utf16} (no byte order mark; NUL bytes at alternating positions)")
        ]
    utf8 = _as_utf8(data)
    if utf8 is not None:
        return utf8, []
    return _decode_legacy(data)


def _with_byte_order_mark(data: bytes, encoding: str) -> str | None:
    """The bytes in the encoding their mark names, unless the bytes say otherwise (an editor
    that put a UTF-8 mark before GBK text): then None, and the mark is ignored."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
    broken = text.count(REPLACEMENT)
    return text if broken <= MAX_UNREADABLE_SHARE * max(1, len(text)) else None


def _lying_mark_warning(encoding: str) -> ParseWarning:
    return ParseWarning(
        "ingest.bom_mismatch",
        f"the file starts with a {encoding} byte order mark but its bytes are not {encoding}; "
        "the mark was ignored",
    )


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:UTF16_SAMPLE_BYTES]
    # Counted by bytes.count (in C), not by a loop over the bytes: this runs on every text file.
    nuls = sample.count(0)
    if nuls < UTF16_MIN_NUL_SHARE * len(sample) or len(sample) < 4:
        return None
    odd = sample[1::2].count(0) / nuls
    if odd >= UTF16_MIN_PARITY_SHARE:
        return "utf-16-le"
    if odd <= 1 - UTF16_MIN_PARITY_SHARE:
        return "utf-16-be"
    return None


def _as_utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    errors = text.count(REPLACEMENT)
    valid_multibyte = len(_NON_ASCII.findall(text)) - errors
    return text if valid_multibyte >= UTF8_VALID_PER_ERROR * errors else None


def _decode_legacy(data: bytes) -> tuple[str, list[ParseWarning]]:
    best = charset_normalizer.from_bytes(_sample(data), cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is not None:
        encoding = best.encoding
        return data.decode(encoding, errors="replace"), [_guess_warning(encoding)]
    text = data.decode(FALLBACK_ENCODING, errors="replace")
    return text, [_guess_warning(f"{FALLBACK_ENCODING} (no candidate encoding fits cleanly)")]


def _sample(data: bytes) -> bytes:
    """The head of a large file, cut at a line end so no multi-byte character is split."""
    if len(data) <= DETECTION_SAMPLE_BYTES:
        return data
    cut = data.rfind(b"\n", 0, DETECTION_SAMPLE_BYTES)
    return data[: cut + 1] if cut > 0 else data[:DETECTION_SAMPLE_BYTES]


def _guess_warning(encoding: str) -> ParseWarning:
    return ParseWarning(
        "ingest.encoding_guess", f"not UTF-8: decoded with a guessed encoding, {encoding}"
    )


def _refuse_garbage(text: str, source: str) -> None:
    visible = len(text) - sum(text.count(space) for space in " \t\n\r\u3000")
    if not visible:
        return
    unreadable = len(_UNREADABLE.findall(text))
    share = unreadable / visible
    if share > MAX_UNREADABLE_SHARE:
        raise ReadError(
            source,
            f"not readable text: {share:.0%} of the decoded characters are unreadable "
            f"(binary data, or an encoding other than UTF-8/UTF-16/GB18030/Big5)",
        )
