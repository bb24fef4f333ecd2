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
from nlp.console import findings_view, report_view, summary_table
from nlp.report import ReadError

app = typer.Typer(
    help="xxgk-nlp: 政府信息公开工作年度报告 text mining.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)

SAMPLE_CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "sample"
MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
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


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="Report files (txt, md, html, docx, pdf).")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON: one object per file.")] = False,
) -> None:
    """Findings (inconsistencies) of one or more reports; with several, across years too.

    Exit 0 when no finding is an error, 1 when some are, 2 when a file cannot be read.
    """
    from nlp.analysis import check_findings

    reports = []
    for path in files:
        try:
            reports.append(nlp.read(path))
        except ReadError as error:
            err.print(f"[red]error[/red] {error}")
            raise typer.Exit(2) from error
    findings = check_findings(reports)
    by_source = {r.source: [f for f in findings if f.source == r.source] for r in reports}
    if as_json:
        _emit_json(
            [{"source": s, "findings": [f.to_dict() for f in fs]} for s, fs in by_source.items()]
        )
    else:
        for source, source_findings in by_source.items():
            out.print(findings_view(source, source_findings))
    if any(f.severity == "error" for f in findings):
        raise typer.Exit(1)


@app.command()
def batch(
    inputs: Annotated[list[str], typer.Argument(help="Report files, folders or globs.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder of the Parquet tables.")],
    workers: Annotated[
        int | None, typer.Option(help="Local Dask workers (default: one per core).", min=1)
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Address of a running Dask scheduler (tcp://host:8786).")
    ] = None,
) -> None:
    """The whole analysis over a corpus, written as Parquet tables (docs/batch.md).

    Resumable: what the output already holds is skipped. Exit 0 when every input was
    analysed, 1 when some could not be (they are rows of the `errors` table).
    """
    from nlp.batch import run_batch
    from nlp.batch.view import BatchProgressView, summary_view

    if workers and scheduler:
        err.print("[red]error[/red] --workers and --scheduler exclude each other")
        raise typer.Exit(2)
    with BatchProgressView(err) as view:
        summary = run_batch(inputs, out_dir, workers=workers, scheduler=scheduler, on_progress=view)
    err.print(summary_view(summary))
    for error in summary.errors[:20]:
        err.print(
            f"[red]{error['stage']}[/red] {error['file']}: {error['reason']}", highlight=False
        )
    if len(summary.errors) > 20:
        err.print(f"… and {len(summary.errors) - 20} more in {out_dir / 'errors'}")
    if summary.errors:
        raise typer.Exit(1)


def report_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in REPORT_SUFFIXES)


@app.command()
def demo(
    corpus: Annotated[Path, typer.Option(help="Folder of reports to run on.")] = SAMPLE_CORPUS,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder of the batch tables and report.html.")
    ] = Path("xxgk-demo"),
    workers: Annotated[int | None, typer.Option(help="Local Dask workers.", min=1)] = None,
) -> None:
    """The whole analysis on the bundled sample corpus: batch tables, a summary, report.html."""
    from nlp.batch import load, run_batch
    from nlp.batch.view import BatchProgressView
    from nlp.compare import write_html

    if not report_files(corpus):
        err.print(f"[red]error[/red] no reports found in {corpus}")
        raise typer.Exit(2)
    with BatchProgressView(err) as view:
        summary = run_batch([corpus], out_dir, workers=workers, on_progress=view)
    tables = load(out_dir)
    html = write_html(tables, out_dir / "report.html", title=f"xxgk demo · {corpus.name}")
    out.print(summary_table(_summary_rows(tables, corpus), title=f"xxgk demo · {corpus}"))
    findings = tables["findings"]
    out.print(
        f"{len(tables['reports'])} reports analysed, {len(summary.errors)} unreadable; "
        f"{len(tables['sentences'])} sentences, {len(tables['claims'])} claims, "
        f"{(findings['severity'] == 'error').sum()} error and "
        f"{(findings['severity'] == 'warning').sum()} warning findings",
        highlight=False,
    )
    out.print(f"tables: {out_dir}/  ·  comparative report: {html}", highlight=False)


def _summary_rows(tables: dict, root: Path) -> list[dict]:
    findings = tables["findings"].groupby("report_id")["severity"]
    errors = findings.apply(lambda s: int((s == "error").sum()))
    rows = []
    for report in tables["reports"].sort_values("source").itertuples():
        rows.append(
            {
                "file": str(Path(report.source).relative_to(root.resolve()))
                if Path(report.source).is_absolute()
                else Path(report.source).name,
                "agency": report.agency,
                "year": report.year,
                "format": report.format,
                "cells": int((tables["cells"]["report_id"] == report.report_id).sum()),
                "sentences": report.n_sentences,
                "errors": errors.get(report.report_id, 0),
                "confidence": f"{report.confidence:.2f}",
            }
        )
    for error in tables["errors"].itertuples():
        rows.append({"file": Path(error.file).name, "agency": error.reason, "cells": "error"})
    return rows


@app.command()
def compare(
    batch_dir: Annotated[Path, typer.Argument(help="Output folder of `xxgk batch`.")],
    out_html: Annotated[Path, typer.Option("--out", help="The HTML file to write.")],
    title: Annotated[str | None, typer.Option(help="Title of the report.")] = None,
) -> None:
    """The comparative report over a batch result: one self-contained HTML file."""
    from nlp.compare import write_html

    if not (batch_dir / "reports").is_dir():
        err.print(f"[red]error[/red] {batch_dir} is not an output folder of `xxgk batch`")
        raise typer.Exit(2)
    with err.status("writing the comparative report"):
        path = write_html(batch_dir, out_html, title=title)
    err.print(f"wrote {path} ({path.stat().st_size / 2**20:.1f} MB)", highlight=False)


@app.command()
def generate(
    n: Annotated[int, typer.Argument(help="How many reports.")],
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder to write reports and truth/ into.")
    ],
    seed: Annotated[
        int, typer.Option(help="Random seed: the same seed writes the same bytes.")
    ] = 0,
    formats: Annotated[str, typer.Option(help="Comma-separated: txt,md,html,docx,pdf.")] = "txt",
    inject: Annotated[float, typer.Option(help="Share of reports with an injected error.")] = 0.0,
    forms: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated published forms (gov_page,word_paste,fragment,crawler,"
            "docx_merged,docx_nested,pdf_split, or a format's classic form); replaces --formats."
        ),
    ] = None,
) -> None:
    """Write generated reports with their ground truth (truth/*.parquet)."""
    from nlp.corpus import write_corpus

    chosen = [f.strip() for f in formats.split(",") if f.strip()]
    chosen_forms = [f.strip() for f in forms.split(",") if f.strip()] if forms else None
    with _progress() as progress:
        task = progress.add_task("generating", total=n)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        try:
            write_corpus(
                out_dir,
                n,
                seed=seed,
                formats=chosen,
                inject=inject,
                progress=advance,
                forms=chosen_forms,
            )
        except ValueError as error:
            err.print(f"[red]error[/red] {error}")
            raise typer.Exit(2) from error
    out.print(f"{n} reports written to {out_dir} (truth in {out_dir / 'truth'})")


@app.command()
def themes(
    file: Annotated[Path, typer.Argument(help="One report file.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON: one object.")] = False,
) -> None:
    """Every narrative sentence with its theme and function."""
    from nlp.themes import themes as classify
    from nlp.themes import to_json

    try:
        report = nlp.read(file)
    except ReadError as error:
        err.print(f"[red]error[/red] {error}")
        raise typer.Exit(2) from error
    table = classify(report)
    if as_json:
        _emit_json([to_json(table, str(file))])
        return
    from nlp.themes.view import themes_table

    out.print(themes_table(table, title=f"themes · {file}"))


@app.command("train-themes")
def train_themes(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the model and its card.")] = (
        MODELS_DIR
    ),
) -> None:
    """Re-train the theme model (grouped CV on the real annotations) and write its card."""
    from nlp.themes import train

    try:
        meta = train(out_dir)
    except ValueError as error:
        err.print(f"[red]error[/red] {error}")
        raise typer.Exit(2) from error
    out.print(f"model {meta['version']} written to {out_dir}; macro-F1 {meta['macro_f1']}")


def _progress() -> Progress:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    return Progress(*columns, TimeElapsedColumn(), console=err, transient=True)


if __name__ == "__main__":
    app()
