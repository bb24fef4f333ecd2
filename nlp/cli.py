"""The `xxgk` command: composes the library, no logic of its own."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

import nlp
from nlp.console import report_view, summary_table
from nlp.report import ReadError

app = typer.Typer(
    help="xxgk-nlp: 政府信息公开工作年度报告 text mining.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)

SAMPLE_CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "sample"
REPORT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}


def _emit_json(objects: list[dict]) -> None:
    for obj in objects:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(help="Report files (txt, md, html, docx, pdf).")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON: one object per file.")] = False,
) -> None:
    """Sections and tidy table cells of one or more reports."""
    failed = False
    results = []
    for path in files:
        try:
            report = nlp.read(path)
        except ReadError as error:
            err.print(f"[red]error[/red] {error}")
            failed = True
            continue
        if as_json:
            results.append(report.to_dict())
        else:
            out.print(report_view(report))
    _emit_json(results)
    if failed:
        raise typer.Exit(2)


def report_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in REPORT_SUFFIXES)


@app.command()
def demo(
    corpus: Annotated[Path, typer.Option(help="Folder of reports to run on.")] = SAMPLE_CORPUS,
) -> None:
    """Run the analysis on the bundled sample corpus and show a summary."""
    files = report_files(corpus)
    if not files:
        err.print(f"[red]error[/red] no reports found in {corpus}")
        raise typer.Exit(2)
    rows = []
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("reading", total=len(files))
        for path in files:
            rows.append(_summary_row(path, corpus))
            progress.advance(task)
    out.print(summary_table(rows, title=f"xxgk demo · {corpus}"))
    read_ok = sum(1 for r in rows if r["cells"] != "error")
    out.print(f"{read_ok}/{len(rows)} reports read")


def _summary_row(path: Path, root: Path) -> dict:
    name = str(path.relative_to(root))
    try:
        report = nlp.read(path)
    except ReadError as error:
        return {"file": name, "agency": error.reason, "cells": "error"}
    return {
        "file": name,
        "agency": report.agency,
        "year": report.year,
        "format": report.format,
        "cells": len(report.cells),
        "warnings": len(report.warnings),
        "confidence": f"{report.confidence:.2f}",
    }


if __name__ == "__main__":
    app()
