"""What a batch reads: INPUT arguments (files, folders, globs) expanded to files, each hashed.

A folder is walked for report files (the formats the reader knows, and legacy office documents
so that they are reported as errors rather than passed over); a file named outright is always
taken. What was passed over is counted, never dropped without a word.
"""

from __future__ import annotations

import glob
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nlp.ingest.sniff import EXTENSION_KINDS

LEGACY_DOCUMENTS = (".doc", ".wps", ".rtf")
REPORT_SUFFIXES = frozenset(EXTENSION_KINDS) | frozenset(LEGACY_DOCUMENTS)
_GLOB_CHARS = frozenset("*?[")
_HASH_CHUNK = 1 << 20


@dataclass
class Inputs:
    """Files found (in a stable order), arguments that matched nothing, files passed over."""

    files: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    passed_over: int = 0


def expand(arguments: Iterable[str | os.PathLike[str]]) -> Inputs:
    """Every file the arguments name, each once, in the order given (folders sorted)."""
    found = Inputs()
    seen: set[str] = set()
    for argument in map(str, arguments):
        paths, passed_over = _paths(argument)
        found.passed_over += passed_over
        if not paths:
            found.unmatched.append(argument)
        for path in paths:
            key = os.path.normpath(os.path.abspath(path))
            if key not in seen:
                seen.add(key)
                found.files.append(path)
    return found


def _paths(argument: str) -> tuple[list[str], int]:
    if _GLOB_CHARS & set(argument):
        matches = sorted(glob.glob(argument, recursive=True))
        return _walk_all(matches)
    path = Path(argument)
    if path.is_dir():
        return _walk(path)
    return ([argument] if path.exists() else []), 0


def _walk_all(matches: list[str]) -> tuple[list[str], int]:
    files, passed_over = [], 0
    for match in matches:
        if Path(match).is_dir():
            inside, skipped = _walk(Path(match))
            files += inside
            passed_over += skipped
        else:
            files.append(match)
    return files, passed_over


def _walk(folder: Path) -> tuple[list[str], int]:
    files, passed_over = [], 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix.lower() in REPORT_SUFFIXES and not path.name.startswith("."):
            files.append(str(path))
        else:
            passed_over += 1
    return files, passed_over


def content_id(path: str | os.PathLike[str]) -> str:
    """The report's identity: the first 16 hex digits of the SHA-256 of its bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()[:16]
