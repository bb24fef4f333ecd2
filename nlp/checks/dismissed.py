"""Dismissed findings as a file: the baseline a user keeps beside their reports.

A row per dismissed finding — fingerprint, rule, reason, who, when (and the agency, year and
message, so a person reading the file knows what was dismissed) — in YAML or CSV, chosen by the
file's suffix. `xxgk check`, `batch` and `compare` take it with `--dismissed FILE` and look for
`xxgk-dismissed.yaml` (or `.csv`) beside their inputs when not told; `xxgk check
--add-dismissed FILE` appends the current findings (ruff's `--add-noqa`). A dismissed finding is
counted and can be shown; it is never silently lost.

    dismissals = load_dismissed("xxgk-dismissed.yaml")
    kept, dismissed = dismissals.split(findings)
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_NAMES: tuple[str, ...] = ("xxgk-dismissed.yaml", "xxgk-dismissed.yml", "xxgk-dismissed.csv")
FIELDS: tuple[str, ...] = (
    "fingerprint",
    "rule",
    "reason",
    "who",
    "when",
    "agency",
    "year",
    "message",
)


class DismissedFileError(ValueError):
    """A dismissals file that cannot be used: the message names the file and the reason."""


@dataclass
class Dismissals:
    """Dismissed findings by fingerprint; `files` are the files they were read from."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    def __contains__(self, fingerprint: object) -> bool:
        return fingerprint in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def fingerprints(self) -> frozenset[str]:
        return frozenset(self.entries)

    def split(self, findings: Iterable[Any]) -> tuple[list[Any], list[Any]]:
        """(kept, dismissed) findings: objects with a `fingerprint` attribute, or dicts."""
        kept, dismissed = [], []
        for finding in findings:
            (dismissed if _fingerprint(finding) in self.entries else kept).append(finding)
        return kept, dismissed

    def reason(self, fingerprint: str) -> str:
        return str(self.entries.get(fingerprint, {}).get("reason") or "")


def _fingerprint(finding: Any) -> str:
    return finding["fingerprint"] if isinstance(finding, dict) else finding.fingerprint


def load_dismissed(*paths: str | os.PathLike[str]) -> Dismissals:
    """The dismissals of one or more files (later files add to earlier ones)."""
    out = Dismissals()
    for path in map(Path, paths):
        for entry in _read_entries(path):
            out.entries.setdefault(entry["fingerprint"], entry)
        out.files.append(path)
    return out


def _read_entries(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise DismissedFileError(f"{path}: dismissals file not found") from error
    if path.suffix.lower() == ".csv":
        rows = list(csv.DictReader(io.StringIO(text)))
    else:
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as error:
            raise DismissedFileError(f"{path}: not valid YAML ({error})") from error
        rows = data.get("dismissed", []) if isinstance(data, dict) else data
    entries = []
    for number, row in enumerate(rows or [], start=1):
        if not isinstance(row, dict) or not str(row.get("fingerprint") or "").strip():
            raise DismissedFileError(f"{path}: entry {number} has no fingerprint")
        entries.append({k: row.get(k) for k in FIELDS} | {"fingerprint": str(row["fingerprint"])})
    return entries


def find_dismissed(inputs: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Dismissals files beside the inputs: in each folder named, or the folder of each file."""
    found: list[Path] = []
    for argument in map(str, inputs):
        if argument == "-":
            continue
        path = Path(argument.split("*", 1)[0] or ".")
        folder = path if path.is_dir() else path.parent
        for name in DEFAULT_NAMES:
            candidate = folder / name
            if candidate.is_file() and candidate.resolve() not in {f.resolve() for f in found}:
                found.append(candidate)
                break
    return found


def entry_for(finding: Any, reason: str = "", who: str | None = None) -> dict[str, Any]:
    """The file's row for dismissing `finding` (a Finding or its dict)."""
    get = finding.get if isinstance(finding, dict) else lambda k: getattr(finding, k, None)
    return {
        "fingerprint": get("fingerprint"),
        "rule": get("rule"),
        "reason": reason,
        "who": who if who is not None else _user(),
        "when": dt.date.today().isoformat(),
        "agency": get("agency"),
        "year": get("year"),
        "message": get("message"),
    }


def add_dismissed(path: str | os.PathLike[str], findings: Iterable[Any], reason: str = "") -> int:
    """Append the findings not yet in the file at `path` (created when missing); how many."""
    path = Path(path)
    existing = load_dismissed(path) if path.exists() else Dismissals()
    new = []
    for finding in findings:
        if _fingerprint(finding) not in existing and _fingerprint(finding) not in {
            e["fingerprint"] for e in new
        }:
            new.append(entry_for(finding, reason))
    if new:
        write_dismissed(path, [*existing.entries.values(), *new])
    return len(new)


def write_dismissed(path: str | os.PathLike[str], entries: Iterable[dict[str, Any]]) -> Path:
    """Write dismissal entries (rows of FIELDS) to `path`, YAML or CSV by its suffix."""
    path, entries = Path(path), list(entries)
    if path.suffix.lower() == ".csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(FIELDS))
        writer.writeheader()
        writer.writerows({k: "" if e.get(k) is None else e[k] for k in FIELDS} for e in entries)
        path.write_text(buffer.getvalue(), encoding="utf-8-sig")  # BOM: opens in Excel
        return path
    header = (
        "# Findings dismissed on purpose: xxgk check/batch/compare leave them out and count them.\n"
        "# Write a reason; fingerprints come from `xxgk check` (or --add-dismissed).\n"
    )
    body = yaml.safe_dump({"dismissed": entries}, allow_unicode=True, sort_keys=False)
    path.write_text(header + body, encoding="utf-8")
    return path


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
