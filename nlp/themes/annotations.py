"""Hand annotations of real sentences, stored as references, never as text.

`corpora/annotations/real_sentences.csv` has one row per narrative sentence of an annotated real
report: file (relative to the real corpus root), section, start, end (offsets into
`nlp.read(file).sections[section]`, of the sentences of `Report.sentences`), sha1 of the sentence text, theme, function. `load` re-reads
the corpus, cuts the sentences and checks every hash, so a changed reader or corpus is noticed.

To annotate: `python -m nlp.themes.annotations FILE…` prints every narrative sentence with its
section, offsets and hash (the columns of the CSV, to be completed with the two labels).
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from nlp.report import ReadError
from nlp.themes.features import sentence_frame, within_sections

REPO = Path(__file__).resolve().parents[2]
ANNOTATIONS = REPO / "corpora" / "annotations" / "real_sentences.csv"
COLUMNS = ("file", "section", "start", "end", "sha1", "theme", "function")


def real_corpus_root() -> Path:
    """`$XXGK_REAL_CORPUS`, else `../shared/corpus/real` next to the repository."""
    return Path(os.environ.get("XXGK_REAL_CORPUS", REPO.parent / "shared" / "corpus" / "real"))


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def read_references(path: Path = ANNOTATIONS) -> pd.DataFrame:
    """The annotation rows as stored (no text)."""
    return pd.read_csv(path, dtype={"start": int, "end": int})


@dataclass
class Annotated:
    """Annotated sentences with their text and features; `problems` lists rows that failed."""

    frame: pd.DataFrame
    problems: list[str] = field(default_factory=list)


def load(root: Path | None = None, path: Path = ANNOTATIONS) -> Annotated:
    """The annotated sentences as a sentence frame plus `file`, `theme`, `function`.

    Every row is matched to a sentence of the re-read report by offsets and its hash checked;
    a missing file, a mismatching hash or a sentence left without a row is reported in
    `problems`, not silently dropped.
    """
    root = root or real_corpus_root()
    references = read_references(path)
    parts, problems = [], []
    for file, rows in references.groupby("file", sort=False):
        frame, problem = _sentences_of(root, file)
        if problem:
            problems.append(problem)
            continue
        merged = rows.merge(frame, on=["section", "start", "end"], how="left")
        matched = merged["text"].notna() & (merged["text"].map(_safe_sha1) == merged["sha1"])
        problems += [
            f"{file}: {r.section}[{r.start}:{r.end}] hash mismatch"
            for r in merged[~matched].itertuples()
        ]
        problems += _unannotated(file, frame, rows)
        parts.append(merged[matched])
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return Annotated(frame, problems)


def _unannotated(file: str, frame: pd.DataFrame, rows: pd.DataFrame) -> list[str]:
    """A sentence of an annotated report with no row: every narrative sentence is annotated,
    so a sentence the reader now cuts anew (joined lines, a new section span) is noticed."""
    keys = ["section", "start", "end"]
    missing = frame[keys].merge(rows[keys], on=keys, how="left", indicator=True)
    missing = missing[missing["_merge"] == "left_only"]
    return [f"{file}: {r.section}[{r.start}:{r.end}] not annotated" for r in missing.itertuples()]


def _sentences_of(root: Path, file: str) -> tuple[pd.DataFrame, str | None]:
    import nlp

    try:
        report = nlp.read(root / file)
    except ReadError as error:
        return pd.DataFrame(), f"{file}: {error.reason}"
    return within_sections(sentence_frame(report), report), None


def _safe_sha1(text) -> str:
    return sha1(text) if isinstance(text, str) else ""


def print_sentences(file: str, root: Path | None = None) -> None:
    """Print the narrative sentences of one real report, for annotating it."""
    root = root or real_corpus_root()
    frame, problem = _sentences_of(root, file)
    if problem:
        raise SystemExit(problem)
    for row in frame.itertuples():
        print(f"{row.section}\t{row.start}\t{row.end}\t{sha1(row.text)}\t{row.text}")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print_sentences(name)
