"""Narrative sections from the phrase banks, with the truth about every sentence and claim.

A template of `phrases.yaml` is filled with the report's printed table values, so each number
slot becomes a claim whose cell and true value are known. A `Twist` asks for one planted
inconsistency (a wrong number, a false negation, parts that do not add up); the sentence that
carries it is drawn from the same pool as the true ones, so its phrasing gives nothing away.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

from nlp.corpus.inject import (
    cells_above_zero,
    cells_total,
    matching_cells,
    wrong_count,
    wrong_parts,
)
from nlp.corpus.numerals import express
from nlp.report import THEME_KEYS

SLOT = re.compile(r"\{(\w+)(?:\.(\w+))?\}")
CHOICE_AWKWARD = 0.15
CHOICE_QUALIFIED = 0.15


@cache
def bank() -> dict[str, Any]:
    text = resources.files("nlp.corpus").joinpath("phrases.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@dataclass
class Twist:
    """One planted inconsistency: kind is claim, negation or narrative; or, when asked for,
    statement, scope, change or combined (metric: the entry of `statement_errors`,
    `scope_statements`, `change_statements` or `combined_statements`) or shape."""

    kind: str
    metric: str | None = None
    done: bool = False


@dataclass
class Context:
    agency: str
    self_ref: str
    place: str
    year: int
    fmt: str
    values: dict[tuple[str, str, str], float]
    rng: random.Random
    twist: Twist | None = None
    subheadings: str = "line"  # line, inline or none
    errors: list[dict[str, Any]] = field(default_factory=list)
    quantities: dict[str, float] = field(default_factory=dict)  # one figure per thing a report
    previous: dict[tuple[str, str, str], float] | None = None  # last year's printed values
    truths: bool = False  # say true statements of the extra kinds (inject.EXTRA_KINDS truth)

    def cell(self, metric: str) -> str:
        spec = bank()["metrics"][metric]["cell"]
        return spec[self.fmt] if isinstance(spec, dict) else spec

    def value(self, metric: str) -> float:
        table, row, col = self.cell(metric).split("/")
        return float(self.values[(table, row, col)])


@dataclass
class Section:
    """Text of one section being written, with its sentences and claims (offsets in the text)."""

    key: str
    first_index: int
    text: str = ""
    sentences: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)

    def paragraph(self) -> None:
        if self.text and not self.text.endswith("\n"):
            self.text += "\n"

    def add(self, text: str, theme: str, function: str, claims=(), **flags) -> int:
        index = self.first_index + len(self.sentences)
        start = len(self.text)
        self.text += text
        self.sentences.append(
            {
                "section": self.key,
                "index": index,
                "text": text,
                "theme": theme,
                "function": function,
                "start": start,
                "end": len(self.text),
                "awkward": bool(flags.get("awkward")),
                "heading": bool(flags.get("heading")),
            }
        )
        for claim in claims:
            self.claims.append(
                {
                    **claim,
                    "sentence": index,
                    "section": self.key,
                    "start": start + claim["start"],
                    "end": start + claim["end"],
                }
            )
        return index


def write_narrative(ctx: Context) -> tuple[dict[str, str], list[dict], list[dict]]:
    """Sections preamble, overall, problems, other: their texts, sentences and claims."""
    sections: list[Section] = []
    for key, writer in (
        ("preamble", _preamble),
        ("overall", _overall),
        ("problems", _problems),
        ("other", _other),
    ):
        section = Section(key, sum(len(s.sentences) for s in sections))
        writer(ctx, section)
        sections.append(section)
    texts = {s.key: s.text for s in sections}
    return (
        texts,
        [x for s in sections for x in s.sentences],
        [c for s in sections for c in s.claims],
    )


def _preamble(ctx: Context, out: Section) -> None:
    framing = bank()["themes"]["general"]["framing"]
    for template in (framing[ctx.rng.randrange(4)], framing[4 + ctx.rng.randrange(2)]):
        _say(ctx, out, "general", "framing", template)
    if ctx.rng.random() < 0.5:
        _say(ctx, out, "general", "framing", framing[6 + ctx.rng.randrange(2)])


def _overall(ctx: Context, out: Section) -> None:
    _say(ctx, out, "general", "achievement", _pick(ctx, "general", "achievement"))
    wording = ctx.rng.randrange(len(bank()["aspects"][0]["headings"]))
    for number, aspect in enumerate(bank()["aspects"]):
        out.paragraph()
        heading = f"（{'一二三四五'[number]}）{aspect['headings'][wording]}"
        if ctx.subheadings == "line":
            out.add(heading, aspect["theme"], "framing", heading=True)
            out.paragraph()
        elif ctx.subheadings == "inline":
            out.add(heading + "。", aspect["theme"], "framing", heading=True)
        _aspect_sentences(ctx, out, aspect)


def _aspect_sentences(ctx: Context, out: Section, aspect: dict) -> None:
    theme = aspect["theme"]
    used: set[str] = set()
    if theme == "proactive" and _twisted(ctx, "shape"):
        _say(ctx, out, theme, "achievement", ctx.rng.choice(bank()["shape_templates"]))
    if theme == "on_request":
        _say_requests(ctx, out)
        pool = bank()["themes"]["on_request"]["achievement"]
        used.update(_text(t) for t in pool if _about_new_requests(t))
    for _ in range(ctx.rng.randint(1, 3)):
        _say(ctx, out, theme, "achievement", _pick(ctx, theme, "achievement", used))
    if aspect["extra"] and ctx.rng.random() < 0.6:
        _say(ctx, out, aspect["extra"], "achievement", _pick(ctx, aspect["extra"], "achievement"))


def _say_requests(ctx: Context, out: Section) -> None:
    """Every report states how many requests came in: with a number or a negation."""
    if _twisted(ctx, "scope"):
        _say_injected(ctx, out, "scope_statements")  # the year's total in another scope
        return
    pool = [t for t in bank()["themes"]["on_request"]["achievement"] if _about_new_requests(t)]
    _say(ctx, out, "on_request", "achievement", _pick_from(ctx, pool))
    for kind, entries in _INJECTED.items():
        if _twisted(ctx, kind):
            _say_injected(ctx, out, entries)
    if ctx.truths and ctx.twist is None:
        _say_truths(ctx, out)


_INJECTED = {
    "statement": "statement_errors",
    "change": "change_statements",
    "combined": "combined_statements",
}


def _say_truths(ctx: Context, out: Section) -> None:
    """True statements of the extra kinds (`true_statements`): each must yield no finding."""
    for entries in bank()["true_statements"]:
        names = [name for name in bank()[entries] if _true_now(ctx, entries, name)]
        if names and ctx.rng.random() < 0.5:
            _say_entry(ctx, out, entries, ctx.rng.choice(names), None)
    if ctx.rng.random() < 0.5:
        template = ctx.rng.choice(bank()["shape_templates"])
        index = out.first_index + len(out.sentences)
        _say(ctx, out, "proactive", "achievement", template)
        _record(ctx, "truth", "narrative.parts_sum", [], out, index, _text(template))


def _true_now(ctx: Context, entries: str, name: str) -> bool:
    """The entry's statement holds for the printed values (and says something)."""
    spec = bank()[entries][name]
    if entries == "statement_errors":
        return not cells_above_zero(ctx.values, spec["cells"])
    if not matching_cells(ctx.values, spec["cells"]):
        return False
    total = cells_total(ctx.values, spec["cells"])
    if entries == "change_statements":
        return ctx.previous is not None and total != cells_total(ctx.previous, spec["cells"])
    return total > 0


def _twisted(ctx: Context, kind: str) -> bool:
    return ctx.twist is not None and not ctx.twist.done and ctx.twist.kind == kind


def _say_injected(ctx: Context, out: Section, entries: str) -> None:
    """A sentence of `statement_errors`, `scope_statements`, `change_statements` or
    `combined_statements` for the pending twist, recorded with its rule."""
    twist = ctx.twist
    _say_entry(ctx, out, entries, twist.metric, twist)
    twist.done = True


def _say_entry(ctx: Context, out: Section, entries: str, name: str, twist: Twist | None) -> None:
    """One sentence of an entry: {total} the sum of its cells, {delta} and {word} its change
    since last year (增加/减少). A change or combined twist makes its number wrong; without a
    twist the sentence is true and recorded as kind `truth`."""
    spec = bank()[entries][name]
    total = cells_total(ctx.values, spec["cells"])
    delta = total - cells_total(ctx.previous, spec["cells"]) if ctx.previous else 0.0
    falsify = twist is not None and twist.kind in ("change", "combined")
    if falsify and twist.kind == "change":
        delta = _wrong_change(ctx.rng, delta, _other_changes(ctx, spec))
    elif falsify:
        total = wrong_count(ctx.rng, total)
    numbers = {"total": total, "delta": abs(delta)}
    words = {"word": "增加" if delta >= 0 else "减少"}
    text, claims = "", []
    pieces = re.split(r"(\{(?:total|delta|word)\})", ctx.rng.choice(spec["texts"]))
    for piece in pieces:
        slot = piece[1:-1] if piece.startswith("{") and piece[1:-1] in (*numbers, *words) else None
        if slot in words:
            text += words[slot]
        elif slot:
            said = express(numbers[slot], "件", ctx.rng, bank()["qualifiers"], style="arabic")
            value = -said.value if slot == "delta" and delta < 0 else said.value
            # A total of several cells or a change: no single cell is its truth (metric None).
            claim = {**_claim(said, "件", None, numbers[slot]), "value": value}
            claims.append({**claim, "start": len(text), "end": len(text) + len(said.text)})
            text += said.text
        else:
            text += _fill(ctx, piece, None)[0]
    index = out.add(text, "on_request", "achievement", claims)
    kind = twist.kind if twist is not None else "truth"
    if entries == "statement_errors":
        cells = cells_above_zero(ctx.values, spec["cells"])  # the cells that make it false
    else:
        cells = ["/".join(key) for key in matching_cells(ctx.values, spec["cells"])]
    _record(ctx, kind, spec["rule"], cells, out, index, f"{name}: {text}")


def _wrong_change(rng: random.Random, delta: float, others: set[float]) -> float:
    """A stated change the two tables contradict: another size, or the other direction; never
    the change of another scope the total is often given in (that is no contradiction)."""
    wrong = delta
    while wrong == delta or wrong in others:
        wrong = wrong_count(rng, abs(delta)) * (1 if delta >= 0 else -1)
        wrong = -wrong if rng.random() < 0.2 and wrong else wrong
    return wrong


def _other_changes(ctx: Context, spec: dict) -> set[float]:
    """The changes since last year of the entry's `other_scopes` (收到 = 新收 + 上年结转)."""
    previous = ctx.previous or {}
    return {
        cells_total(ctx.values, cells) - cells_total(previous, cells)
        for cells in spec.get("other_scopes", [])
    }


def _record(ctx: Context, kind: str, rule: str, cells, out: Section, index: int, what: str):
    ctx.errors.append(
        {
            "kind": kind,
            "rule": rule,
            "cells": cells,
            "sentence": index,
            "section": out.key,
            "description": f"{kind} {what}",
        }
    )


def _about_new_requests(template: Any) -> bool:
    text = _text(template)
    return "{m.requests_new}" in text or _opt(template, "negates") == "requests_new"


# Themes an agency admits problems in (no one admits a problem of 总述, fees or proposals).
PROBLEM_THEMES = [t for t in THEME_KEYS if t not in {"proposals", "fees", "general"}]


def _problems(ctx: Context, out: Section) -> None:
    chosen = ctx.rng.sample(PROBLEM_THEMES, ctx.rng.randint(2, 4))
    enumerate_items = ctx.rng.random() < 0.5
    _say(ctx, out, "general", "framing", ctx.rng.choice(bank()["problems_lead"]))
    for i, theme in enumerate(chosen):
        prefix = bank()["enumerators"][i] if enumerate_items else ""
        _say(ctx, out, theme, "problem", _pick(ctx, theme, "problem"), prefix=prefix)
    out.paragraph()
    _say(ctx, out, "general", "framing", ctx.rng.choice(bank()["measures_lead"]))
    for i, theme in enumerate(ctx.rng.sample(chosen, len(chosen))):
        prefix = bank()["enumerators"][i] if enumerate_items else ""
        _say(ctx, out, theme, "measure", _pick(ctx, theme, "measure"), prefix=prefix)


def _other(ctx: Context, out: Section) -> None:
    _say(ctx, out, "fees", "achievement", _pick(ctx, "fees", "achievement"))
    out.paragraph()
    used: set[str] = set()
    for _ in range(ctx.rng.randint(1, 2)):
        _say(ctx, out, "proposals", "achievement", _pick(ctx, "proposals", "achievement", used))
    if ctx.rng.random() < 0.7:
        out.paragraph()
        _say(ctx, out, "general", "measure", _pick(ctx, "general", "measure"))


# --- choosing templates -------------------------------------------------------------------


def _text(template: Any) -> str:
    return template if isinstance(template, str) else template["text"]


def _opt(template: Any, key: str, default: Any = None) -> Any:
    return default if isinstance(template, str) else template.get(key, default)


def _pick(ctx: Context, theme: str, function: str, used: set[str] | None = None) -> Any:
    pool = [t for t in bank()["themes"][theme][function] if used is None or _text(t) not in used]
    template = _pick_from(ctx, pool)
    if used is not None:
        used.add(_text(template))
    return template


def _pick_from(ctx: Context, pool: list[Any]) -> Any:
    """A template the printed values make true (or the one the pending twist needs)."""
    twisted = [t for t in pool if _serves_twist(ctx, t)]
    if twisted:
        return ctx.rng.choice(twisted)
    fitting = [t for t in pool if _fits(ctx, t)] or [
        t for t in pool if not _metrics_in(t) and not _opt(t, "negates")
    ]
    awkward = [t for t in fitting if _opt(t, "awkward")]
    if awkward and ctx.rng.random() < CHOICE_AWKWARD:
        return ctx.rng.choice(awkward)
    plain = [t for t in fitting if not _opt(t, "awkward")] or fitting
    return ctx.rng.choice(plain)


def _metrics_in(template: Any) -> list[str]:
    return [name for kind, name in SLOT.findall(_text(template)) if kind == "m"]


def _fits(ctx: Context, template: Any, ignore: str | None = None) -> bool:
    metrics = bank()["metrics"]
    for name in _metrics_in(template):
        if name != ignore and not metrics[name].get("allow_zero") and ctx.value(name) == 0:
            return False
    negated = _opt(template, "negates")
    if negated and negated != ignore and ctx.value(negated) != 0:
        return False
    for name, state in (_opt(template, "when") or {}).items():
        if (ctx.value(name) == 0) != (state == "zero"):
            return False
    return True


def _serves_twist(ctx: Context, template: Any) -> bool:
    twist = ctx.twist
    if twist is None or twist.done:
        return False
    if twist.kind == "negation":
        return _opt(template, "negates") == twist.metric and _fits(ctx, template, twist.metric)
    if twist.kind == "claim":
        return twist.metric in _metrics_in(template) and _fits(ctx, template, twist.metric)
    return twist.kind in ("narrative", "shape") and "{sum." in _text(template)


# --- filling templates --------------------------------------------------------------------


def _say(
    ctx: Context, out: Section, theme: str, function: str, template: Any, prefix: str = ""
) -> None:
    twist = ctx.twist if _serves_twist(ctx, template) else None
    text, claims = _fill(ctx, _text(template), twist)
    negated = _opt(template, "negates")
    if negated:
        claims.append(_negation_claim(ctx, text, template))
    if prefix:
        claims = [
            {**c, "start": c["start"] + len(prefix), "end": c["end"] + len(prefix)} for c in claims
        ]
    index = out.add(prefix + text, theme, function, claims, awkward=_opt(template, "awkward"))
    if twist is not None:
        twist.done = True
        _record_twist(ctx, twist, out.key, index, [c for c in claims if c.get("planted")])


def _negation_claim(ctx: Context, text: str, template: Any) -> dict[str, Any]:
    metric = template["negates"]
    start = text.index(template["span"])
    return {
        "text": template["span"],
        "start": start,
        "end": start + len(template["span"]),
        "value": 0.0,
        "unit": bank()["metrics"][metric]["unit"],
        "qualifier": "exact",
        "negated": True,
        "metric": ctx.cell(metric),
        "true_value": ctx.value(metric),
        "role": "single",
        "group": None,
        "planted": ctx.value(metric) != 0,
    }


def _fill(ctx: Context, template: str, twist: Twist | None) -> tuple[str, list[dict]]:
    words = {
        "self": ctx.self_ref,
        "agency": ctx.agency,
        "place": ctx.place,
        "year": str(ctx.year),
        "prev_year": str(ctx.year - 1),
        "next_year": str(ctx.year + 1),
    }
    parts = _draw_parts(ctx, template, twist)
    text, claims, position = "", [], 0
    for match in SLOT.finditer(template):
        text += template[position : match.start()]
        position = match.end()
        kind, name = match.groups()
        if name is None:
            text += words[kind]
            continue
        claim = _number_claim(ctx, kind, name, parts, twist)
        lead = len(claim["text"]) - len(claim["text"].lstrip())
        claims.append(
            {
                **claim,
                "text": claim["text"].strip(),
                "start": len(text) + lead,
                "end": len(text) + lead + len(claim["text"].strip()),
            }
        )
        text += claim["text"]
    return text + template[position:], claims


def _number_claim(ctx: Context, kind: str, name: str, parts: dict, twist: Twist | None) -> dict:
    rng, quals = ctx.rng, bank()["qualifiers"]
    if kind == "m":
        unit, true_value = bank()["metrics"][name]["unit"], ctx.value(name)
        planted = twist is not None and twist.kind == "claim" and twist.metric == name
        if planted:
            twist.metric = None  # only the first slot of that metric is falsified
            said = express(_wrong_claim(ctx, name, true_value), unit, rng, quals)
        else:
            qualifier = "exact"
            if rng.random() < CHOICE_QUALIFIED:
                qualifier = rng.choice(["at_least", "about", "at_most"])
            said = express(true_value, unit, rng, quals, qualifier)
        return _claim(said, unit, ctx.cell(name), true_value, planted=planted)
    if kind in ("sum", "part"):
        value, true_value, planted = parts[kind].pop(0)
        unit = bank()["quantities"][name]["unit"]
        said = express(value, unit, rng, quals, style="arabic" if rng.random() < 0.8 else None)
        return _claim(
            said,
            unit,
            None,
            true_value,
            role="whole" if kind == "sum" else "part",
            group=parts["group"],
            planted=planted,
        )
    quantity = bank()["quantities"][name]
    if name not in ctx.quantities or "fixed" in quantity:
        ctx.quantities[name] = _draw_quantity(rng, quantity)
    true_value = ctx.quantities[name]
    qualifier = rng.choice(["at_least", "about", "at_most"]) if rng.random() < 0.2 else "exact"
    said = express(true_value, quantity["unit"], rng, quals, qualifier)
    return _claim(said, quantity["unit"], None, true_value)


def _claim(said, unit, metric, true_value, role="single", group=None, planted=False) -> dict:
    return {
        "text": said.text,
        "value": said.value,
        "unit": unit,
        "qualifier": said.qualifier,
        "negated": False,
        "metric": metric,
        "true_value": float(true_value),
        "role": role,
        "group": group,
        "planted": planted,
    }


def _wrong_claim(ctx: Context, metric: str, true_value: float) -> float:
    """A wrong number for the metric, never the total of another scope it is often given in
    (收到 = 新收 + 上年结转, phrases.yaml metrics `other_scopes`): that would be a true statement."""
    scopes = bank()["metrics"][metric].get("other_scopes", [])
    others = {cells_total(ctx.values, cells) for cells in scopes}
    wrong = wrong_count(ctx.rng, true_value)
    while wrong in others:
        wrong = wrong_count(ctx.rng, true_value)
    return wrong


def _draw_quantity(rng: random.Random, quantity: dict) -> float:
    if "fixed" in quantity:
        return float(rng.choice(quantity["fixed"]))
    draw = np.exp(rng.gauss(np.log(quantity["median"]), quantity.get("sigma", 0.8)))
    return float(max(1, round(draw)))


def _draw_parts(ctx: Context, template: str, twist: Twist | None) -> dict:
    """Parts and their sum for 累计…其中… templates; a narrative twist nudges one part."""
    count = template.count("{part.")
    if not count:
        return {}
    name = re.search(r"\{part\.(\w+)\}", template).group(1)
    quantity = bank()["quantities"][name]
    parts = [_draw_quantity(ctx.rng, quantity) for _ in range(count)]
    whole = sum(parts)
    printed = [[p, p, False] for p in parts]
    if twist is not None and twist.kind in ("narrative", "shape"):
        victim = ctx.rng.randrange(count)
        printed[victim][0] = wrong_parts(ctx.rng, parts, victim, _closed(template))
        printed[victim][2] = True
    group = f"g{ctx.rng.randrange(10**6)}"
    return {"sum": [(whole, whole, False)], "part": [tuple(p) for p in printed], "group": group}


def _closed(template: str) -> bool:
    """The list names every part: its total comes after the parts, or it says how many."""
    return template.index("{sum.") > template.index("{part.") or any(
        word in template for word in bank()["closed_list_words"]
    )


def _record_twist(
    ctx: Context, twist: Twist, section: str, index: int, planted: list[dict]
) -> None:
    cells = [c["metric"] for c in planted if c["metric"]]
    if twist.kind == "negation":
        rule, what = "claim.negation", "a negation contradicts a nonzero cell"
    elif twist.kind == "claim":
        metric = _metric_name(ctx, cells[0])
        rule, what = f"claim.{metric}", "a narrative number contradicts its cell"
    else:
        rule, what = "narrative.parts_sum", "the parts of a 累计…其中… sentence do not add up"
    said = "; ".join(f"{c['text']} (true {c['true_value']:g})" for c in planted)
    ctx.errors.append(
        {
            "kind": twist.kind,
            "rule": rule,
            "cells": cells,
            "sentence": index,
            "section": section,
            "description": f"{what}: {said}",
        }
    )


def _metric_name(ctx: Context, cell: str) -> str:
    return next(name for name in bank()["metrics"] if ctx.cell(name) == cell)
