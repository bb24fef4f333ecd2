"""A corpus on disk: one file per report and the truth as Parquet tables keyed by report_id."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from nlp.corpus.forms import form_format, forms_spec, section_truth, with_form
from nlp.corpus.generate import GeneratedReport, generate
from nlp.corpus.render import FORMATS, FORMS, encoding_for, has_footers, is_oneline, render

SECTION_COLUMNS = {
    "report_id": "string",
    "section": "string",
    "number": "int64",
    "heading": "string",
    "text": "string",
    "first": "string",
    "last": "string",
}
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
    forms: Iterable[str] | None = None,
    extra_kinds: Iterable[str] = (),
) -> Path:
    """Generate `n` reports, write `{report_id}.{ext}` files and `truth/*.parquet`; returns out_dir.

    Each report is written in one of `formats` (their classic forms), or, when `forms` is given,
    in one of `forms` (any of `forms.yaml`, classic ones included; `formats` is then unused).
    Naming forms adds the form columns to `reports.parquet` and writes `sections.parquet`; without
    them the files and truth are byte for byte what the classic generator wrote. `extra_kinds`
    (inject.EXTRA_KINDS, none by default) adds kinds of injection, see `generate`."""
    if n < 1:
        raise ValueError(f"n must be at least 1; got {n}")
    choices = (
        _checked(formats, FORMATS, "formats") if forms is None else _checked(forms, FORMS, "forms")
    )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    reports = generate(n, seed=seed, inject=inject, extra_kinds=tuple(extra_kinds))
    choose = random.Random(f"formats:{seed}")
    rows, published = [], []
    for done, report in enumerate(reports, start=1):
        form = choose.choice(choices)
        report = with_form(report, form)
        name = f"{report.report_id}.{form_format(form)}"
        (out / name).write_bytes(render(report, form, random.Random(f"{seed}:{report.report_id}")))
        row = _report_row(report, name, form)
        rows.append(row if forms is None else {**row, **_form_row(report, form)})
        published.append(report)
        if progress:
            progress(done, len(reports))
    write_truth(out / "truth", published, pd.DataFrame(rows), sections=forms is not None)
    return out


def _checked(chosen: Iterable[str], known: tuple[str, ...], what: str) -> tuple[str, ...]:
    chosen = tuple(chosen)
    unknown = [f for f in chosen if f not in known]
    if not chosen or unknown:
        raise ValueError(
            f"{what} must be among {', '.join(known)}; got {', '.join(unknown) or 'none'}"
        )
    return chosen


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
        "input_format": form_format(fmt),
        "encoding": encoding_for(report, fmt),
        "oneline": is_oneline(report, fmt),
        "footers": has_footers(report, fmt),
        "heading_style": noise["heading_style"],
        "spaced_headings": bool(noise["spaced_headings"]),
        "subheadings": noise["subheadings"],
        "title_style": noise["title_style"],
        "n_errors": len(report.errors),
    }


def _form_row(report: GeneratedReport, form: str) -> dict:
    """The form and the noise it drew (classic forms: the classic values)."""
    noise = report.noise
    return {
        "form": form,
        "content": noise.get("content"),
        "blanks": noise.get("blanks", "none"),
        "header_lines": int(noise.get("header_lines", 3)),
        "subheading_words": noise.get("subheading_words", "short"),
        "bold_subheadings": bool(noise.get("bold_subheadings")),
        "vertical_headers": bool(noise.get("vertical_headers")),
        "table_split": _table_split(report, form),
    }


def _table_split(report: GeneratedReport, form: str) -> str:
    if not forms_spec()["forms"][form].get("split"):
        return "none"
    return "repeat_header" if report.noise.get("repeat_header") else "no_header"


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


def write_truth(
    truth_dir: Path,
    reports: list[GeneratedReport],
    report_rows: pd.DataFrame,
    sections: bool = False,
) -> None:
    truth_dir.mkdir(parents=True, exist_ok=True)
    report_rows.to_parquet(truth_dir / "reports.parquet", index=False)
    for name, frame in truth_frames(reports).items():
        frame.to_parquet(truth_dir / f"{name}.parquet", index=False)
    if sections:
        sections_frame(reports).to_parquet(truth_dir / "sections.parquet", index=False)


def sections_frame(reports: list[GeneratedReport]) -> pd.DataFrame:
    """The six sections of every report: heading as printed, text, first and last sentence."""
    records = [row for report in reports for row in section_truth(report)]
    return pd.DataFrame(records, columns=list(SECTION_COLUMNS)).astype(SECTION_COLUMNS)
