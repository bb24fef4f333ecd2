"""xxgk-nlp: text mining for 政府信息公开工作年度报告 (government information disclosure annual reports).

The public surface grows with the pipeline: file → `Report` → sentences → themes and claims →
findings → frames and HTML. Entry points are imported on first use, so `import nlp` stays cheap
(a batch worker that only reads does not load spaCy).
"""

from importlib import import_module

from nlp.report import (
    ParseWarning,
    ReadError,
    Report,
    ReportFileError,
    ReportIsADirectoryError,
    ReportNotFoundError,
)

_LAZY = {
    "read": "nlp.reader",
    "analyse": "nlp.analysis",
    "analyse_many": "nlp.analysis",
    "check": "nlp.analysis",
    "claims_frame": "nlp.analysis",
    "sentences_frame": "nlp.analysis",
    "themes": "nlp.themes.api",
}

__all__ = [
    "ParseWarning",
    "ReadError",
    "Report",
    "ReportFileError",
    "ReportIsADirectoryError",
    "ReportNotFoundError",
    *_LAZY,
]
__version__ = "0.1.0"


def __dir__() -> list[str]:
    """The public names, lazy ones included (tab completion and `dir(nlp)` show `read` …)."""
    return sorted({*__all__, "__version__"})


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'nlp' has no attribute {name!r}")
