"""A corpus on disk: one file per report and the truth as Parquet tables keyed by report_id."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from nlp.corpus.generate import GeneratedReport, generate
from nlp.corpus.render import FORMATS, encoding_for, is_oneline, render

TRUTH_COLUMNS = {
    "sentences": {
        "report_id": "string",
        "section": "string",
        "index": "int64",
        "text": "string",
        "theme": "string",
        "function": "string",
        "start": "int64",
        "end": "int64",
        "awkward": "bool",
        "heading": "bool",
    },
    "claims": {
        "report_id": "string",
        "sentence": "int64",
        "section": "string",
        "text": "string",
        "start": "int64",
        "end": "int64",
        "value": "float64",
        "unit": "string",
        "qualifier": "string",
        "negated": "bool",
        "metric": "string",
        "true_value": "float64",
        "role": "string",
        "group": "string",
        "planted": "bool",
    },
    "errors": {
        "report_id": "string",
        "kind": "string",
        "rule": "string",
        "cells": "object",
        "sentence": "Int64",
        "section": "string",
        "description": "string",
    },
}


def write_corpus(
    out_dir: str | Path,
    n: int,
    seed: int = 0,
    formats: Iterable[str] = ("txt",),
    inject: float = 0.0,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Generate `n` reports, write `{report_id}.{ext}` files and `truth/*.parquet`; returns out_dir."""
    if n < 1:
        raise ValueError(f"n must be at least 1; got {n}")
    formats = tuple(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if not formats or unknown:
        raise ValueError(
            f"formats must be among {', '.join(FORMATS)}; got {', '.join(unknown) or 'none'}"
        )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    reports = generate(n, seed=seed, inject=inject)
    choose = random.Random(f"formats:{seed}")
    rows = []
    for done, report in enumerate(reports, start=1):
        fmt = choose.choice(formats)
        name = f"{report.report_id}.{fmt}"
        (out / name).write_bytes(render(report, fmt, random.Random(f"{seed}:{report.report_id}")))
        rows.append(_report_row(report, name, fmt))
        if progress:
            progress(done, len(reports))
    write_truth(out / "truth", reports, pd.DataFrame(rows))
    return out


def _report_row(report: GeneratedReport, name: str, fmt: str) -> dict:
    noise = report.noise
    return {
        "report_id": report.report_id,
        "file": name,
        "agency": report.agency,
        "level": report.level,
        "kind": report.kind,
        "year": report.year,
        "format": report.format,
        "input_format": fmt,
        "encoding": encoding_for(report, fmt),
        "oneline": is_oneline(report, fmt),
        "footers": bool(noise["footers"]) and fmt in ("txt", "md", "pdf"),
        "heading_style": noise["heading_style"],
        "spaced_headings": bool(noise["spaced_headings"]),
        "subheadings": noise["subheadings"],
        "title_style": noise["title_style"],
        "n_errors": len(report.errors),
    }


def truth_frames(reports: list[GeneratedReport]) -> dict[str, pd.DataFrame]:
    """cells, sentences, claims and errors of many reports, each row keyed by report_id."""
    cells = [r.cells.assign(report_id=r.report_id) for r in reports]
    frames = {"cells": pd.concat(cells, ignore_index=True) if cells else pd.DataFrame()}
    frames["cells"] = frames["cells"][["report_id", "table", "row", "col", "value", "raw"]].astype(
        {"report_id": "string"}
    )
    for name, columns in TRUTH_COLUMNS.items():
        records = [{**item, "report_id": r.report_id} for r in reports for item in getattr(r, name)]
        frame = pd.DataFrame(records, columns=list(columns))
        frames[name] = frame.astype(columns)
    return frames


def write_truth(truth_dir: Path, reports: list[GeneratedReport], report_rows: pd.DataFrame) -> None:
    truth_dir.mkdir(parents=True, exist_ok=True)
    report_rows.to_parquet(truth_dir / "reports.parquet", index=False)
    for name, frame in truth_frames(reports).items():
        frame.to_parquet(truth_dir / f"{name}.parquet", index=False)
