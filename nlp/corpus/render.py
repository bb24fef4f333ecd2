"""One generated report as the bytes of a file in one input format."""

from __future__ import annotations

import random

from nlp.corpus.document import blocks
from nlp.corpus.generate import GeneratedReport
from nlp.corpus.render_docx import to_docx
from nlp.corpus.render_html import to_html
from nlp.corpus.render_pdf import to_pdf
from nlp.corpus.render_text import to_markdown, to_oneline, to_txt

FORMATS = ("txt", "md", "html", "docx", "pdf")


def encoding_for(report: GeneratedReport, fmt: str) -> str | None:
    """The text encoding of the rendered file (None for binary formats)."""
    if fmt == "txt":
        return "gbk" if report.noise.get("gbk") else "utf-8"
    return "utf-8" if fmt in ("md", "html") else None


def is_oneline(report: GeneratedReport, fmt: str) -> bool:
    return fmt == "txt" and bool(report.noise.get("oneline"))


def render(report: GeneratedReport, fmt: str, rng: random.Random) -> bytes:
    """The file for `report` in `fmt` (txt, md, html, docx, pdf); layout noise from report.noise."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    parts = blocks(report)
    footers = bool(report.noise.get("footers"))
    if fmt == "docx":
        return to_docx(parts)
    if fmt == "pdf":
        return to_pdf(parts, footers)
    if fmt == "html":
        text = to_html(parts, report.agency)
    elif fmt == "md":
        text = to_markdown(parts, footers, rng)
    else:
        text = to_oneline(parts) if is_oneline(report, fmt) else to_txt(parts, footers, rng)
    return text.encode(encoding_for(report, fmt))
