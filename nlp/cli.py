"""The `xxgk` command: composes the library, no logic of its own."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

import nlp
from nlp.data import SAMPLE_CORPUS
from nlp.report import ReadError, Report, json_safe

# Each command imports the modules of its own work when it runs (pandas, the views, the checks,
# the theme model), so that `xxgk --help` and `xxgk parse --json` start in a fraction of a
# second; `python -X importtime -m nlp parse FILE --json` shows what a command loads.

# The copy of the dismissals a batch ran with, kept in its output folder for `compare`/`export`.
BATCH_DISMISSED = "dismissed.yaml"

CONTEXT = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(
    help="xxgk-nlp: 政府信息公开工作年度报告 text mining.",
    no_args_is_help=True,
    context_settings=CONTEXT,
    rich_markup_mode=None,  # plain click help: no `<bool>` type column, no `{files}...`
)
out = Console()
err = Console(stderr=True)

REPORT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}
STDIN = "-"
# Exit codes by the worst outcome, as linters have them.
EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class Lang(StrEnum):
    zh = "zh"
    en = "en"


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


Inputs = Annotated[
    list[str],
    typer.Argument(
        help="Report files, folders, globs ('reports/**/*.pdf'), or - for standard input.",
        metavar="INPUT",
        show_default=False,
    ),
]
FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        metavar="table|json|jsonl|csv",
        help="table (for people), json (one document), jsonl (an object per report), "
        "csv (UTF-8 with BOM, opens in Excel/WPS).",
        show_default=False,
    ),
]
JsonOption = Annotated[
    bool,
    typer.Option(
        "--json",
        help="JSON: one object for one report, JSON Lines for several (= --format jsonl).",
        show_default=False,
    ),
]
LangOption = Annotated[
    Lang, typer.Option("--lang", metavar="zh|en", help="Language of labels and messages.")
]
TimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        help="Stop reading a file after this many seconds: it is then an unreadable input "
        "(stage timeout) and the others go on. Default: no limit.",
        show_default=False,
    ),
]
MaxMemoryOption = Annotated[
    int | None,
    typer.Option(
        "--max-memory",
        metavar="MB",
        help="Stop reading a file that needs more memory than this (stage memory). "
        "Default: no limit.",
        show_default=False,
    ),
]


def _version(value: bool) -> None:
    if value:
        out.print(f"xxgk {nlp.__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", help="Print the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """xxgk-nlp: 政府信息公开工作年度报告 text mining."""


def _format(fmt: Format | None, as_json: bool) -> Format:
    if fmt and as_json and fmt is not Format.jsonl:
        err.print(f"[red]error[/red] --json and --format {fmt.value} exclude each other")
        raise typer.Exit(EXIT_INPUT)
    return fmt or (Format.jsonl if as_json else Format.table)


def _emit_json(objects: list[dict], fmt: Format = Format.jsonl) -> None:
    """Strict JSON (never NaN or Infinity, which JSON parsers other than Python's refuse)."""
    objects = json_safe(objects)
    if fmt is Format.json:
        document = objects[0] if len(objects) == 1 else objects
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False))
        sys.stdout.write("\n")
        return
    for obj in objects:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False, allow_nan=False) + "\n")


def _read_inputs(
    arguments: list[str], timeout: float | None = None, max_memory_mb: int | None = None
) -> tuple[list[Report], int]:
    """Every report the arguments name, in agency and year order, and how many inputs failed.

    A file that cannot be read, or an argument that names nothing, is reported on stderr and
    counted; the others are still read. With `timeout` or `max_memory_mb` each file is read in
    a child process stopped at those limits (`nlp.read`'s)."""
    limits = {"timeout": timeout, "max_memory": max_memory_mb and max_memory_mb * 2**20}
    from nlp.batch.inputs import expand

    reports, failed = [], 0
    for argument in arguments:
        if argument == STDIN:
            paths: list[str] = [STDIN]
        else:
            found = expand([argument])
            paths = found.files
            if not paths:
                err.print(
                    f"[red]error[/red] {argument}: no such file, folder or match", highlight=False
                )
                failed += 1
        for path in paths:
            try:
                reports.append(_read(path, limits))
            except ReadError as error:  # escaped: its detail is in brackets, as markup is
                err.print(f"[red]error[/red] {escape(str(error))}", highlight=False)
                failed += 1
            except Exception as error:  # a reader's bug on one file must not lose the others
                err.print(
                    f"[red]error[/red] {path}: the reader failed "
                    f"({type(error).__name__}: {error}); please report it",
                    highlight=False,
                )
                failed += 1
    return sorted(reports, key=_report_order), failed


def _read(path: str, limits: dict) -> Report:
    if path == STDIN:
        return nlp.read(sys.stdin.buffer.read(), name="<stdin>", **limits)
    return nlp.read(path, **limits)


def _report_order(report: Report) -> tuple:
    return (report.agency is None, report.agency or "", report.year or 0, report.source)


@app.command()
def parse(
    files: Inputs,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Lang.zh,
    timeout: TimeoutOption = None,
    max_memory: MaxMemoryOption = None,
) -> None:
    """Sections and tidy table cells of reports.

    Exit 0 when every input was read, 2 when some could not be (the others are still shown).
    """
    fmt = _format(fmt, as_json)
    reports, failed = _read_inputs(files, timeout, max_memory)
    if fmt is Format.table:
        from nlp.console import report_view

        for report in reports:
            out.print(report_view(report, lang=lang.value))
    elif fmt is Format.csv:
        from nlp.export import cells_table, write_csv

        write_csv(cells_table(reports, lang.value))
    elif reports:
        _emit_json([r.to_dict() for r in reports], fmt)
    if failed:
        raise typer.Exit(EXIT_INPUT)


@app.command()
def check(
    files: Inputs,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    select: Annotated[
        list[str] | None,
        typer.Option(
            metavar="PREFIX",
            help="Only rules whose id starts so (claim, table.requests_…); repeatable, "
            "or comma-separated.",
            show_default=False,
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            metavar="PREFIX",
            help="Leave out rules whose id starts so; repeatable, or comma-separated.",
            show_default=False,
        ),
    ] = None,
    severity: Annotated[
        Severity | None,
        typer.Option(
            metavar="error|warning|info",
            help="Show findings of this severity and above, and exit 1 when there are any "
            "(default: all shown, exit 1 on errors).",
            show_default=False,
        ),
    ] = None,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Counts per rule instead of the findings.")
    ] = False,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings.")
    ] = False,
    dismissed_files: Annotated[
        list[Path] | None,
        typer.Option(
            "--dismissed",
            metavar="FILE",
            help="Dismissals file (YAML or CSV) whose findings are left out and counted "
            "(default: xxgk-dismissed.yaml beside the inputs).",
            show_default=False,
        ),
    ] = None,
    add_dismissed: Annotated[
        Path | None,
        typer.Option(
            "--add-dismissed",
            metavar="FILE",
            help="Append the findings shown to this dismissals file (created when missing).",
            show_default=False,
        ),
    ] = None,
    show_dismissed: Annotated[
        bool, typer.Option("--show-dismissed", help="Show dismissed findings too, marked.")
    ] = False,
    lang: LangOption = Lang.zh,
    timeout: TimeoutOption = None,
    max_memory: MaxMemoryOption = None,
) -> None:
    """Findings (inconsistencies) of reports; with several, across years too.

    Each file's header gives how well it was read (confidence, warnings, a fragment's missing
    parts). Exit 0 when no finding is an error (or at --severity), 1 when some are, 2 when an
    input cannot be read or is not recognisably a report (its reason is printed; the other
    files are still checked).
    """
    from nlp.analysis import check_findings
    from nlp.checks.dismissed import DismissedFileError
    from nlp.checks.dismissed import add_dismissed as append
    from nlp.checks.findings import SEVERITIES
    from nlp.checks.reading import reading_of

    fmt = _format(fmt, as_json)
    try:
        dismissals = _dismissals(dismissed_files, files)
    except DismissedFileError as error:
        err.print(f"[red]error[/red] {error}", highlight=False)
        raise typer.Exit(EXIT_INPUT) from error
    read, failed = _read_inputs(files, timeout, max_memory)
    readings = {r.source: reading_of(r) for r in read}
    reports = [r for r in read if not readings[r.source].rejected]
    findings = _selected(check_findings(reports), select, ignore, severity)
    kept, dismissed = dismissals.split(findings)
    if add_dismissed is not None:
        added = append(add_dismissed, kept)
        err.print(f"{added} findings added to {add_dismissed}", highlight=False)
        raise typer.Exit(EXIT_INPUT if failed else EXIT_CLEAN)
    shown = kept + dismissed if show_dismissed else kept
    _show_findings(read, readings, shown, dismissed, fmt, statistics, lang.value)
    for report in read:
        if readings[report.source].rejected:
            failed += 1
            err.print(
                f"[red]error[/red] {report.source}: {readings[report.source].rejected}",
                highlight=False,
            )
    if dismissed:
        err.print(
            f"{len(dismissed)} dismissed findings left out "
            f"({', '.join(map(str, dismissals.files))})"
            + ("" if show_dismissed else "; --show-dismissed shows them"),
            highlight=False,
        )
    if failed:
        raise typer.Exit(EXIT_INPUT)
    failing = ("error",) if severity is None else SEVERITIES[: SEVERITIES.index(severity) + 1]
    if not exit_zero and any(f.severity in failing for f in kept):
        raise typer.Exit(EXIT_FINDINGS)


def _dismissals(files: list[Path] | None, inputs: list[str]):
    from nlp.checks.dismissed import find_dismissed, load_dismissed

    return load_dismissed(*(files if files else find_dismissed(inputs)))


def _prefixes(options: list[str] | None) -> tuple[str, ...]:
    return tuple(p.strip() for option in options or () for p in option.split(",") if p.strip())


def _selected(findings: list, select, ignore, severity: Severity | None) -> list:
    from nlp.checks.findings import SEVERITIES

    chosen, left_out = _prefixes(select), _prefixes(ignore)
    floor = SEVERITIES.index(severity) if severity else len(SEVERITIES)
    return [
        f
        for f in findings
        if (not chosen or f.rule.startswith(chosen))
        and not (left_out and f.rule.startswith(left_out))
        and SEVERITIES.index(f.severity) <= floor
    ]


def _show_findings(reports, readings, findings, dismissed, fmt, statistics, lang) -> None:
    from nlp.console import findings_view, rule_statistics, statistics_view
    from nlp.export import findings_table, write_csv

    dismissed_prints = {f.fingerprint for f in dismissed}
    if statistics:
        frame = rule_statistics(findings, lang)
        if fmt is Format.table:
            out.print(statistics_view(frame))
        elif fmt is Format.csv:
            write_csv(frame)
        else:
            _emit_json(frame.to_dict(orient="records"), fmt)
        return
    if fmt is Format.csv:
        write_csv(findings_table(findings, dismissed_prints, lang))
        return
    by_source = {r.source: [f for f in findings if f.source == r.source] for r in reports}
    if fmt is Format.table:
        for report in reports:
            if not readings[report.source].rejected:
                view = findings_view(
                    report.source,
                    by_source[report.source],
                    reading=readings[report.source],
                    dismissed=dismissed_prints,
                    lang=lang,
                )
                out.print(view)
        return
    objects = [
        _check_object(report, readings[report.source], by_source[report.source], dismissed, lang)
        for report in reports
    ]
    _emit_json(objects, fmt)


def _check_object(report, reading, findings: list, dismissed: list, lang: str) -> dict:
    """One file of `check --json`: its reading, and its findings or why it was not checked;
    the fingerprints of its dismissed findings."""
    body = {
        "source": report.source,
        "agency": report.agency,
        "year": report.year,
        "reading": reading.to_dict(),
    }
    if reading.rejected:
        return body | {"error": reading.rejected}
    dismissed_prints = {f.fingerprint for f in dismissed}
    return body | {
        "findings": [
            _finding_json(f, lang) for f in findings if f.fingerprint not in dismissed_prints
        ],
        "dismissed": [f.fingerprint for f in dismissed if f.source == report.source],
    }


def _finding_json(finding, lang: str) -> dict:
    from nlp.export import cells_in_words

    return finding.to_dict() | {
        "message_en": finding.message_en,
        "cells_text": cells_in_words(finding.cells, lang),
    }


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
    dismissed_files: Annotated[
        list[Path] | None,
        typer.Option(
            "--dismissed",
            metavar="FILE",
            help="Dismissals file (YAML or CSV), kept in the output for compare and export "
            "(default: xxgk-dismissed.yaml beside the inputs).",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            metavar="SECONDS",
            help="Time budget of one file's work; past it the file is an errors row "
            "(stage timeout). Default: nlp.ingest.bounded.DEFAULT_TIMEOUT (60 s).",
            show_default=False,
        ),
    ] = None,
    max_memory: Annotated[
        int | None,
        typer.Option(
            metavar="MB",
            help="Memory cap of one file's work; past it the file is an errors row "
            "(stage memory). Default: nlp.ingest.bounded.DEFAULT_MAX_MEMORY (1536 MB).",
            show_default=False,
        ),
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
        summary = run_batch(
            inputs,
            out_dir,
            workers=workers,
            scheduler=scheduler,
            on_progress=view,
            limits=_batch_limits(timeout, max_memory),
        )
    err.print(summary_view(summary))
    _keep_dismissals(out_dir, _dismissals(dismissed_files, inputs))
    for error in summary.errors[:20]:
        err.print(
            f"[red]{error['stage']}[/red] {error['file']}: {error['reason']}", highlight=False
        )
    if len(summary.errors) > 20:
        err.print(f"… and {len(summary.errors) - 20} more in {out_dir / 'errors'}")
    if summary.errors:
        raise typer.Exit(1)


def _batch_limits(timeout: float | None, max_memory_mb: int | None):
    from dataclasses import replace

    from nlp.ingest.bounded import DEFAULT_LIMITS

    limits = DEFAULT_LIMITS if timeout is None else replace(DEFAULT_LIMITS, timeout=timeout)
    if max_memory_mb is not None:
        limits = replace(limits, max_memory=max_memory_mb * 2**20)
    return limits


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
    from nlp.console import summary_table

    if not report_files(corpus):
        err.print(f"[red]error[/red] no reports found in {corpus}")
        raise typer.Exit(2)
    with BatchProgressView(err) as view:
        summary = run_batch([corpus], out_dir, workers=workers, on_progress=view)
    tables = load(out_dir)
    html = write_html(tables, out_dir / "report.html")
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
    dismissed_files: Annotated[
        list[Path] | None,
        typer.Option(
            "--dismissed",
            metavar="FILE",
            help="Dismissals file whose findings are left out and counted (default: the one "
            "the batch ran with, or xxgk-dismissed.yaml beside the folder).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """The comparative report over a batch result: one self-contained HTML file."""
    from nlp.compare import write_html

    if not (batch_dir / "reports").is_dir():
        err.print(f"[red]error[/red] {batch_dir} is not an output folder of `xxgk batch`")
        raise typer.Exit(2)
    tables = _without_dismissed(batch_dir, _batch_dismissals(batch_dir, dismissed_files))
    with err.status("writing the comparative report"):
        path = write_html(tables, out_html, title=title)
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
    files: Inputs,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Lang.zh,
    timeout: TimeoutOption = None,
    max_memory: MaxMemoryOption = None,
) -> None:
    """Every narrative sentence with its theme and function."""
    from nlp.themes import themes as classify
    from nlp.themes import to_json

    fmt = _format(fmt, as_json)
    reports, failed = _read_inputs(files, timeout, max_memory)
    if fmt is Format.table:
        _themes_view(reports)
    elif fmt is Format.csv:
        import pandas as pd

        from nlp.export import themes_table, write_csv

        frames = [themes_table(classify(r), lang.value) for r in reports]
        write_csv(pd.concat(frames, ignore_index=True) if frames else themes_table(classify([])))
    else:
        _emit_json([to_json(classify(r), r.source) for r in reports], fmt)
    if failed:
        raise typer.Exit(EXIT_INPUT)


def _themes_view(reports: list[Report]) -> None:
    """One Rich table per report, from the columns of its themes: the table shows the keys,
    not their labels, so it needs no frame (and no pandas, a third of a cold start)."""
    from nlp.themes.api import theme_columns
    from nlp.themes.view import themes_table

    for report in reports:
        out.print(themes_table(theme_columns(report), title=f"themes · {report.source}"))


@app.command()
def export(
    batch_dir: Annotated[Path, typer.Argument(help="Output folder of `xxgk batch`.")],
    xlsx: Annotated[Path, typer.Option("--xlsx", help="The Excel workbook to write.")],
    dismissed_files: Annotated[
        list[Path] | None,
        typer.Option(
            "--dismissed",
            metavar="FILE",
            help="Dismissals file (default: the batch's own, or one beside it).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """A batch output as one Excel workbook: a sheet per table with Chinese headers, a summary
    per agency, the findings with their evidence."""
    from nlp.batch.excel import to_excel

    if not (batch_dir / "reports").is_dir():
        err.print(f"[red]error[/red] {batch_dir} is not an output folder of `xxgk batch`")
        raise typer.Exit(EXIT_INPUT)
    dismissals = _batch_dismissals(batch_dir, dismissed_files)
    with err.status("writing the workbook"):
        path = to_excel(batch_dir, xlsx, dismissed=dismissals.fingerprints)
    err.print(f"wrote {path}", highlight=False)


def _batch_dismissals(batch_dir: Path, files: list[Path] | None):
    from nlp.checks.dismissed import load_dismissed

    own = batch_dir / BATCH_DISMISSED
    return load_dismissed(*(files or ([own] if own.is_file() else _beside(batch_dir))))


def _keep_dismissals(out_dir: Path, dismissals) -> None:
    """Keep the dismissals a batch ran with in its output, and say how many findings they hit."""
    from nlp.batch import read_table
    from nlp.checks.dismissed import write_dismissed

    if not dismissals:
        return
    write_dismissed(out_dir / BATCH_DISMISSED, dismissals.entries.values())
    prints = read_table(out_dir, "findings", columns=["fingerprint"])["fingerprint"]
    hit = int(prints.isin(dismissals.fingerprints).sum())
    err.print(
        f"{hit} findings dismissed by {', '.join(map(str, dismissals.files))} "
        f"(kept in the tables; compare and export leave them out or mark them)",
        highlight=False,
    )


def _without_dismissed(batch_dir: Path, dismissals) -> dict:
    """The batch tables with dismissed findings left out, and their number said."""
    from nlp.batch import load

    tables = dict(load(batch_dir))
    if dismissals:
        findings = tables["findings"]
        dismissed = findings["fingerprint"].isin(dismissals.fingerprints)
        tables["findings"] = findings[~dismissed].reset_index(drop=True)
        err.print(f"{int(dismissed.sum())} dismissed findings left out", highlight=False)
    return tables


def _beside(batch_dir: Path) -> list[Path]:
    from nlp.checks.dismissed import find_dismissed

    return find_dismissed([batch_dir])


@app.command("train-themes")
def train_themes(
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Folder for the model and its card (the shipped model is replaced only when "
            "this names its folder, nlp/models).",
        ),
    ] = Path("xxgk-model"),
) -> None:
    """Re-train the theme model (grouped CV on the real annotations) and write its card."""
    from nlp.themes import train

    try:
        meta = train(out_dir)
    except ValueError as error:
        err.print(f"[red]error[/red] {error}")
        raise typer.Exit(2) from error
    out.print(f"model {meta['version']} written to {out_dir}; macro-F1 {meta['macro_f1']}")


def _progress():
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    return Progress(*columns, TimeElapsedColumn(), console=err, transient=True)


if __name__ == "__main__":
    app()
