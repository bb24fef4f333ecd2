"""Generated annual reports with the truth about them (issue 3), in their published forms.

    generate(n, seed=0, inject=0.0, years=range(2019, 2026)) -> list[GeneratedReport]
    with_form(report, form) -> GeneratedReport      (the report as `form` publishes it)
    render(report, fmt_or_form, rng) -> bytes
    write_corpus(out_dir, n, seed=0, formats=("txt",), inject=0.0, progress=None, forms=None)

The truth files are documented in docs/corpus.md.
"""

from nlp.corpus.forms import form_format, section_truth, with_form
from nlp.corpus.generate import GeneratedReport, generate
from nlp.corpus.render import FORMATS, FORMS, render
from nlp.corpus.write import sections_frame, truth_frames, write_corpus

__all__ = [
    "FORMATS",
    "FORMS",
    "GeneratedReport",
    "form_format",
    "generate",
    "render",
    "section_truth",
    "sections_frame",
    "truth_frames",
    "with_form",
    "write_corpus",
]
