"""The published forms of a generated report, and the truth each form changes.

A form (`forms.yaml`) is a way a report is published: the classic renderings of each format
(`txt`, `md`, `html`, `docx`, `pdf`) and the new ones (government page, Word-pasted markup,
bare fragment, crawler copy, Word with merged or nested tables, PDF with tables split across
pages). `with_form` gives the report as that form prints it: the form's noise drawn from a
random stream of its own (so the classic forms, and the reports themselves, stay byte for
byte what they were), blank cells nulled in the truth cells, and the sub-headings of 总体情况
reworded in the sections, sentences and claims.
"""

from __future__ import annotations

import dataclasses
import random
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml

from nlp.corpus.document import SECTION_ORDER, heading
from nlp.corpus.generate import GeneratedReport
from nlp.corpus.tables import applicant_cols, outcome_rows

NARRATIVE_SECTIONS = ("overall", "problems", "other")


@cache
def forms_spec() -> dict[str, Any]:
    text = resources.files("nlp.corpus").joinpath("forms.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def form_names() -> tuple[str, ...]:
    return tuple(forms_spec()["forms"])


def form_format(form: str) -> str:
    """The file format (txt, md, html, docx, pdf) a form is written in."""
    spec = forms_spec()["forms"].get(form)
    if spec is None:
        raise ValueError(f"unknown form {form!r}; choose from {', '.join(form_names())}")
    return spec["format"]


def needs_ocr(form: str) -> bool:
    """A scanned form: reading it takes the `ocr` extra and seconds per page."""
    return bool(forms_spec()["forms"][form].get("scan"))


def is_classic(form: str) -> bool:
    return bool(forms_spec()["forms"][form].get("classic"))


def form_of(report: GeneratedReport, fmt: str) -> str:
    """The form `report` is rendered in when asked for `fmt` (a format or a form name)."""
    return report.noise.get("form") or fmt


def with_form(report: GeneratedReport, form: str) -> GeneratedReport:
    """`report` as published in `form`: a copy with the form's noise, blank cells nulled and
    sub-headings reworded (the classic forms change nothing). Deterministic per report and form."""
    form_format(form)
    if report.noise.get("form") == form:
        return report
    if is_classic(form):
        return dataclasses.replace(report, noise={**report.noise, "form": form})
    rng = random.Random(f"form:{form}:{report.report_id}")
    noise = {**report.noise, **_draw_noise(form, rng), "form": form}
    cells, noise["blanks"] = _blank_cells(report, noise["blanks"], noise["blank_marker"])
    sections, sentences, claims = _reword_subheadings(report, noise["subheading_words"], rng)
    return dataclasses.replace(
        report, noise=noise, cells=cells, sections=sections, sentences=sentences, claims=claims
    )


def _draw_noise(form: str, rng: random.Random) -> dict[str, Any]:
    spec = forms_spec()["forms"][form]
    noise: dict[str, Any] = {}
    for key, option in forms_spec()["form_noise"].items():
        if isinstance(option, dict):
            noise[key] = rng.choices(list(option), weights=list(option.values()))[0]
        else:
            noise[key] = rng.random() < option
    content = spec.get("content", "clean")
    noise["content"] = rng.choice(content) if isinstance(content, list) else content
    noise["header_lines"] = int(noise["header_lines"])
    noise["bold_subheadings"] = noise["bold_subheadings"] or noise["subheading_words"] == "bare"
    noise["gbk_fragment"] = noise["gbk_fragment"] and spec.get("wrapper") == "fragment"
    noise["repeat_header"] = noise["repeat_header"] and bool(spec.get("split"))
    return noise


# --- blank cells -----------------------------------------------------------------------------


def _blank_cells(report: GeneratedReport, pattern: str, marker: str) -> tuple[pd.DataFrame, str]:
    """The truth cells with the pattern's cells null (raw: the printed marker). A legal-person
    blank needs those columns to be zero all through table 三 (a blank there means none); where
    they are not, the report gets no blanks."""
    cells = report.cells.copy()
    requests = cells["table"] == "requests"
    if pattern == "legal_blank":
        chosen = requests & cells["col"].isin(applicant_cols()[1:])
        if (cells.loc[chosen, "value"] != 0).any():
            return cells, "none"
    elif pattern == "total_blank":
        chosen = (
            requests & cells["row"].isin(outcome_rows(report.format)) & (cells["col"] == "total")
        )
    else:
        return cells, "none"
    cells.loc[chosen, "value"] = float("nan")
    cells.loc[chosen, "raw"] = marker
    return cells, pattern


# --- sub-headings of 总体情况 ----------------------------------------------------------------


def subheading_text(
    style: str, number: int, inline: bool, words: list[str], heading_style: str = "standard"
) -> str:
    """The printed sub-heading `number` (0-based) of 总体情况 in a wording style. Titled
    sub-headings are numbered （一） under 一、 and 第一部分, and 1. under sections numbered （一）."""
    numbers = forms_spec()["numbers"]
    key = style
    if style == "titled":
        key = "numeral" if heading_style == "paren" else "paren"
    prefix = numbers[key][number] if key in numbers else ""
    text = prefix + words[number]
    return text + "。" if inline or style == "yishi" else text


def _reword_subheadings(
    report: GeneratedReport, style: str, rng: random.Random
) -> tuple[dict[str, str], list[dict], list[dict]]:
    """Sections, sentences and claims with the sub-headings of 总体情况 in `style`; a 一是
    lead-in runs on into its paragraph. Offsets of every later sentence and claim move along."""
    words = _words(style, rng)
    if words is None:
        return dict(report.sections), list(report.sentences), list(report.claims)
    old = report.sections["overall"]
    text, moved, cursor, number = "", {}, 0, 0
    sentences = []
    for sentence in report.sentences:
        if sentence["section"] != "overall":
            sentences.append(sentence)
            continue
        text += old[cursor : sentence["start"]]
        cursor = sentence["end"]
        new_text = sentence["text"]
        if sentence["heading"]:
            inline = sentence["text"].endswith("。")
            new_text = subheading_text(
                style, number, inline, words, report.noise.get("heading_style", "standard")
            )
            number += 1
            if style == "yishi" and old[cursor : cursor + 1] == "\n":
                cursor += 1  # the lead-in opens its paragraph instead of standing alone
        moved[sentence["index"]] = len(text) - sentence["start"]
        sentences.append({**sentence, "text": new_text, "start": len(text)})
        text += new_text
        sentences[-1]["end"] = len(text)
    text += old[cursor:]
    claims = [
        {**c, "start": c["start"] + moved[c["sentence"]], "end": c["end"] + moved[c["sentence"]]}
        if c["sentence"] in moved
        else c
        for c in report.claims
    ]
    return {**report.sections, "overall": text}, sentences, claims


def _words(style: str, rng: random.Random) -> list[str] | None:
    bank = forms_spec()["subheading_words"]
    if style not in bank:
        return None  # the classic short wording stays
    words = bank[style]
    return rng.choice(words) if isinstance(words[0], list) else words


# --- section truth ---------------------------------------------------------------------------


def section_truth(report: GeneratedReport) -> list[dict[str, Any]]:
    """Each of the six sections: its printed heading, and for a narrative section its text and
    first and last sentences (a reader's section must start at the heading and hold them)."""
    rows = []
    for number, key in enumerate(SECTION_ORDER):
        said = [s["text"] for s in report.sentences if s["section"] == key]
        rows.append(
            {
                "report_id": report.report_id,
                "section": key,
                "number": number,
                "heading": heading(report, number, key),
                "text": report.sections.get(key),
                "first": said[0] if said else None,
                "last": said[-1] if said else None,
            }
        )
    return rows
