"""A small mixed corpus for batch tests: generated reports (several years of a few agencies)
next to files that cannot be read. `tests/conftest.py` makes it the `mixed_corpus` fixture."""

from __future__ import annotations

from pathlib import Path

from nlp.corpus import write_corpus

BAD_FILES = {
    "empty.txt": b"",
    "binary.txt": bytes(range(256)) * 8,
    "truncated.pdf": b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog",
    "legacy.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
}


def write_mixed_corpus(root: Path) -> Path:
    write_corpus(root / "good", 14, seed=23, formats=("txt", "md", "html"), inject=0.4)
    (root / "bad").mkdir()
    for name, data in BAD_FILES.items():
        (root / "bad" / name).write_bytes(data)
    return root


def good_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "good").iterdir() if p.is_file())
