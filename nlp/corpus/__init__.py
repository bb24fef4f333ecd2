"""Generated annual reports with the truth about them (issue 3).

    generate(n, seed=0, inject=0.0, years=range(2019, 2026)) -> list[GeneratedReport]
    render(report, fmt, rng) -> bytes
    write_corpus(out_dir, n, seed=0, formats=("txt",), inject=0.0, progress=None) -> Path

The truth files are documented in docs/corpus.md.
"""

from nlp.corpus.generate import GeneratedReport, generate
from nlp.corpus.render import FORMATS, render
from nlp.corpus.write import truth_frames, write_corpus

__all__ = ["FORMATS", "GeneratedReport", "generate", "render", "truth_frames", "write_corpus"]
