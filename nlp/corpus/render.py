"""One generated report as the bytes of a file in one input format, in one published form."""

from __future__ import annotations

import random

from nlp.corpus.document import blocks
from nlp.corpus.forms import form_format, form_names, forms_spec, with_form
from nlp.corpus.generate import GeneratedReport
from nlp.corpus.render_docx import to_docx
from nlp.corpus.render_html import to_html
from nlp.corpus.render_pdf import to_pdf
from nlp.corpus.render_site import clean_content, site_html
from nlp.corpus.render_text import to_markdown, to_oneline, to_txt
from nlp.corpus.render_word import word_content

FORMATS = ("txt", "md", "html", "docx", "pdf")
FORMS = form_names()
# Page footers of the split-table PDFs, as WPS and Word exports print them.
SPLIT_FOOTER = "— {} —"


def encoding_for(report: GeneratedReport, fmt: str) -> str | None:
    """The text encoding of the rendered file (None for binary formats); `fmt` a format or form."""
    file_format = form_format(fmt)
    if file_format == "txt":
        return "gbk" if report.noise.get("gbk") else "utf-8"
    if file_format == "html" and report.noise.get("gbk_fragment") and fmt == "fragment":
        return "gbk"
    return "utf-8" if file_format in ("md", "html") else None


def is_oneline(report: GeneratedReport, fmt: str) -> bool:
    return fmt == "txt" and bool(report.noise.get("oneline"))


def has_footers(report: GeneratedReport, fmt: str) -> bool:
    """Page footers printed between blocks (txt, md, pdf; always in the split-table PDF)."""
    if fmt == "pdf_split":
        return True
    return bool(report.noise.get("footers")) and fmt in ("txt", "md", "pdf")


def render(report: GeneratedReport, fmt: str, rng: random.Random) -> bytes:
    """The file for `report` in `fmt`: a format (txt, md, html, docx, pdf: its classic form) or
    a form of `forms.yaml` (gov_page, word_paste, …). A form's own changes to the truth (blank
    cells, sub-heading wording) are applied here as `with_form(report, fmt)` applies them."""
    if fmt not in FORMS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMS)}")
    report = with_form(report, fmt)
    parts = blocks(report)
    file_format = form_format(fmt)
    if file_format == "docx":
        return _docx(report, fmt, parts)
    if file_format == "pdf":
        return _pdf(report, fmt, parts)
    if file_format == "html":
        text = _html(report, fmt, parts, rng)
    elif file_format == "md":
        text = to_markdown(parts, has_footers(report, fmt), rng)
    else:
        text = (
            to_oneline(parts)
            if is_oneline(report, fmt)
            else to_txt(parts, has_footers(report, fmt), rng)
        )
    return text.encode(encoding_for(report, fmt))


def _html(report: GeneratedReport, fmt: str, parts, rng: random.Random) -> str:
    if fmt == "html":
        return to_html(parts, report.agency)
    content = word_content if report.noise["content"] == "word" else clean_content
    return site_html(content(parts, report.noise, rng), parts, report, rng)


def _docx(report: GeneratedReport, fmt: str, parts) -> bytes:
    spec = forms_spec()["forms"][fmt]
    return to_docx(
        parts,
        nested=bool(spec.get("nested")),
        bold_leads=bool(report.noise.get("bold_subheadings")),
    )


def _pdf(report: GeneratedReport, fmt: str, parts) -> bytes:
    if fmt == "pdf":
        return to_pdf(parts, has_footers(report, fmt))
    if forms_spec()["forms"][fmt].get("scan"):
        from nlp.corpus.render_scan import to_scan  # needs the ocr extra (pypdfium2, numpy)

        return to_scan(to_pdf(parts, True), random.Random(f"scan:{report.report_id}"))
    split = bool(forms_spec()["forms"][fmt].get("split"))
    return to_pdf(
        parts,
        has_footers(report, fmt),
        split=random.Random(f"split:{report.report_id}") if split else None,
        repeat_header=bool(report.noise.get("repeat_header")),
        footer_format=SPLIT_FOOTER,
        bold_leads=bool(report.noise.get("bold_subheadings")),
    )
