"""`xxgk` with a linter's manners: inputs as files, folders, globs and stdin; one bad file among
good ones; exit codes by the worst outcome; formats; rule selection; version and help."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

import nlp
from nlp.cli import app
from tests.test_cli_check import write_report

runner = CliRunner()
REVIEW_HEADING = "四、政府信息公开行政复议、行政诉讼情况\n"
REVIEW_ZEROS = "\t".join(["0"] * 15) + "\n"


def corpus(folder: Path) -> list[Path]:
    """Two agencies' reports, named so that file order is not agency-and-year order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [
        write_report(folder, "a.txt", claimed=5, printed=5),
        write_report(folder, "b.txt", claimed=9, printed=5),
    ]
    for path, (agency, year) in zip(paths, [("甲县某局", 2022), ("乙县某局", 2021)], strict=True):
        path.write_text(
            path.read_text(encoding="utf-8")
            .replace("某市某局2021年", f"{agency}{year}年")
            .replace("2021年，我局", f"{year}年，我局")
            .replace(REVIEW_HEADING, REVIEW_HEADING + REVIEW_ZEROS),
            encoding="utf-8",
        )
    return paths


def sources(stdout: str) -> list[str]:
    return [Path(json.loads(line)["source"]).name for line in stdout.strip().splitlines()]


def test_version_help_and_python_m():
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0 and nlp.__version__ in version.stdout
    helped = runner.invoke(app, ["check", "-h"])
    assert helped.exit_code == 0
    assert "--select" in helped.stdout and "<bool>" not in helped.stdout
    module = subprocess.run(
        [sys.executable, "-m", "nlp", "--version"], capture_output=True, text=True, check=False
    )
    assert module.returncode == 0 and nlp.__version__ in module.stdout


def test_folder_and_glob_are_expanded_and_ordered_by_agency_and_year(tmp_path):
    corpus(tmp_path / "in")
    by_folder = runner.invoke(app, ["check", str(tmp_path / "in"), "--json"])
    assert by_folder.exit_code == 1, by_folder.output  # b.txt says 9, its table 5
    assert sources(by_folder.stdout) == ["b.txt", "a.txt"]  # 乙县 (U+4E59) before 甲县
    by_glob = runner.invoke(app, ["parse", str(tmp_path / "in" / "*.txt"), "--json"])
    assert by_glob.exit_code == 0
    assert sources(by_glob.stdout) == ["b.txt", "a.txt"]


def test_stdin_is_read_for_a_dash(tmp_path):
    (path,) = corpus(tmp_path)[:1]
    result = runner.invoke(app, ["parse", "-", "--json"], input=path.read_bytes())
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["source"] == "<stdin>" and body["agency"] == "甲县某局"


def test_a_bad_file_is_reported_and_the_others_still_checked(tmp_path):
    good, bad_claim = corpus(tmp_path)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"not a pdf")
    result = runner.invoke(
        app, ["check", str(good), str(broken), str(bad_claim), str(tmp_path / "nothing*.md")]
    )
    assert result.exit_code == 2  # the worst outcome: an input could not be read
    assert "broken.pdf" in result.stderr and "nothing*.md" in result.stderr
    assert "claim.requests_new" in result.stdout  # b.txt was still checked
    parsed = runner.invoke(app, ["parse", str(broken), str(good), "--json"])
    assert parsed.exit_code == 2 and sources(parsed.stdout) == ["a.txt"]


def test_exit_codes_severity_and_exit_zero(tmp_path):
    good, bad_claim = corpus(tmp_path)
    assert runner.invoke(app, ["check", str(good)]).exit_code == 0
    assert runner.invoke(app, ["check", str(bad_claim)]).exit_code == 1
    assert runner.invoke(app, ["check", str(bad_claim), "--exit-zero"]).exit_code == 0
    ignored = runner.invoke(app, ["check", str(bad_claim), "--ignore", "claim", "--json"])
    assert ignored.exit_code == 0
    assert all(not f["rule"].startswith("claim") for f in json.loads(ignored.stdout)["findings"])


def test_select_keeps_only_rules_with_the_prefix(tmp_path):
    _, bad_claim = corpus(tmp_path)
    everything = json.loads(runner.invoke(app, ["check", str(bad_claim), "--json"]).stdout)
    selected = runner.invoke(app, ["check", str(bad_claim), "--select", "claim.", "--json"])
    rules = [f["rule"] for f in json.loads(selected.stdout)["findings"]]
    assert rules and all(r.startswith("claim.") for r in rules)
    assert len(rules) < len(everything["findings"])  # the reading's own findings left out


def test_statistics_counts_per_rule(tmp_path):
    _, bad_claim = corpus(tmp_path)
    result = runner.invoke(app, ["check", str(bad_claim), "--statistics", "-f", "jsonl"])
    rows = [json.loads(line) for line in result.stdout.strip().splitlines()]
    claim = next(r for r in rows if r["rule"] == "claim.requests_new")
    assert (claim["severity"], claim["count"]) == ("error", 1)
    table = runner.invoke(app, ["check", str(bad_claim), "--statistics"]).stdout
    assert "claim.requests_new" in table and "本年新收" not in table  # counts, not findings


def test_json_is_one_document_and_jsonl_one_line_per_report(tmp_path):
    corpus(tmp_path)
    document = runner.invoke(app, ["parse", str(tmp_path), "--format", "json"])
    assert [r["agency"] for r in json.loads(document.stdout)] == ["乙县某局", "甲县某局"]
    lines = runner.invoke(app, ["themes", str(tmp_path), "-f", "jsonl"])
    assert lines.exit_code == 0, lines.output
    assert sources(lines.stdout) == ["b.txt", "a.txt"]


def test_csv_has_a_bom_and_label_columns(tmp_path):
    _, bad_claim = corpus(tmp_path)
    result = runner.invoke(app, ["check", str(bad_claim), "--format", "csv"])
    raw = result.stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    claim = next(r for r in rows if r["rule"] == "claim.requests_new")
    assert "本年新收政府信息公开申请数量" in claim["cells"] and claim["message_en"]
    assert len(claim["fingerprint"]) == 40
    cells = runner.invoke(app, ["parse", str(bad_claim), "-f", "csv"]).stdout_bytes
    table = list(csv.DictReader(io.StringIO(cells.decode("utf-8-sig"))))
    new = next(r for r in table if (r["table"], r["row"], r["col"]) == ("requests", "new", "total"))
    assert (new["table_label"], new["row_label"], new["col_label"]) == (
        "表三",
        "本年新收政府信息公开申请数量",
        "总计",
    )


def test_every_finding_shows_its_cells_and_fingerprint(tmp_path):
    _, bad_claim = corpus(tmp_path)
    body = json.loads(runner.invoke(app, ["check", str(bad_claim), "--json"]).stdout)
    (finding,) = [f for f in body["findings"] if f["rule"] == "claim.requests_new"]
    shown = runner.invoke(app, ["check", str(bad_claim)]).stdout
    assert finding["fingerprint"] in shown
    assert "requests/new/total" in shown and "本年新收政府信息公开申请数量" in shown


def test_lang_en_gives_english_messages_and_labels(tmp_path):
    _, bad_claim = corpus(tmp_path)
    shown = runner.invoke(app, ["check", str(bad_claim), "--lang", "en"]).stdout
    assert "the narrative says 9" in shown
    body = json.loads(runner.invoke(app, ["check", str(bad_claim), "--json"]).stdout)
    (finding,) = [f for f in body["findings"] if f["rule"] == "claim.requests_new"]
    assert "叙述" in finding["message"] or "9" in finding["message"]
    assert finding["message_en"].startswith("the narrative says 9")


def test_a_reader_crash_on_one_file_does_not_lose_the_others(tmp_path, monkeypatch):
    good, crashing = corpus(tmp_path)
    real_read = nlp.read

    def read(path, *args, **kwargs):
        if str(path) == str(crashing):
            raise RuntimeError("a bug")
        return real_read(path, *args, **kwargs)

    monkeypatch.setattr(nlp, "read", read)
    result = runner.invoke(app, ["parse", str(good), str(crashing), "--json"])
    assert result.exit_code == 2
    assert "RuntimeError: a bug" in result.stderr and sources(result.stdout) == ["a.txt"]
