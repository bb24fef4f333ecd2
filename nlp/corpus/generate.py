"""Whole generated reports: agencies over consecutive years, tables, narrative, noise, errors."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from nlp.corpus.inject import (
    EXTRA_KINDS,
    NEEDS_PREVIOUS,
    TABLE_RULES,
    TRUTH,
    break_chain,
    break_table,
    false_statements,
    matching_cells,
    true_scopes,
)
from nlp.corpus.narrative import Context, Twist, bank, write_narrative
from nlp.corpus.tables import Stock, build_tables, cells_frame, settings, stock_of

# Kinds of planted error and their weights (cross_year only where a previous year exists).
ERROR_KINDS = {"table": 0.3, "claim": 0.25, "negation": 0.15, "narrative": 0.15, "cross_year": 0.15}
CLAIM_METRICS = (
    "requests_new",
    "requests_handled",
    "requests_granted",
    "normative_issued",
    "normative_in_force",
    "licensing",
    "penalty",
)

# Layout noise, each drawn per report: option → weight.
NOISE = {
    "subheadings": {"line": 0.5, "inline": 0.25, "none": 0.25},
    "heading_style": {"standard": 0.75, "paren": 0.125, "part": 0.125},
    "title_style": {"agency_first": 0.6, "year_first": 0.25, "two_lines": 0.15},
}
NOISE_FLAGS = {"spaced_headings": 0.1, "footers": 0.35, "oneline": 0.08, "gbk": 0.3}


@dataclass
class Agency:
    name: str
    place: str
    level: str  # city, county, district
    kind: str  # government, office, department
    self_ref: str
    demand: float


@dataclass
class GeneratedReport:
    """One generated report and the truth about it (see docs/corpus.md)."""

    report_id: str
    agency: str
    level: str
    year: int
    format: str  # "2019" (trial) or "2021" (revised)
    sections: dict[str, str]
    cells: pd.DataFrame
    sentences: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    errors: list[dict[str, Any]]
    kind: str = "department"
    noise: dict[str, Any] = field(default_factory=dict)


_PLAIN_NAME_ATTEMPTS = 50


def table_format(year: int) -> str:
    return "2019" if year <= 2020 else "2021"


def generate(
    n: int,
    seed: int = 0,
    inject: float = 0.0,
    years: Iterable[int] = range(2019, 2026),
    extra_kinds: Iterable[str] = (),
) -> list[GeneratedReport]:
    """`n` reports of agencies followed over consecutive years; deterministic for a seed.

    `extra_kinds`: kinds of inject.EXTRA_KINDS drawn beside ERROR_KINDS (none by default, so
    that a seed writes what it always wrote)."""
    unknown = [k for k in extra_kinds if k not in EXTRA_KINDS]
    if unknown:
        raise ValueError(f"extra_kinds must be among {', '.join(EXTRA_KINDS)}; got {unknown}")
    weights = {**ERROR_KINDS, **{k: EXTRA_KINDS[k] for k in extra_kinds}}
    years = sorted(years)
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    reports: list[GeneratedReport] = []
    names: set[str] = set()
    while len(reports) < n:
        agency = _agency(rng, nrng, names)
        run = min(n - len(reports), rng.randint(min(3, len(years)), len(years)))
        start = rng.randint(0, len(years) - run)
        reports.extend(
            _agency_reports(
                agency, years[start : start + run], rng, nrng, (inject, weights), len(names)
            )
        )
    return reports


def _agency(rng: random.Random, nrng: np.random.Generator, taken: set[str]) -> Agency:
    conf = settings()
    for attempt in itertools.count():
        level = rng.choice(list(conf["places"]))
        place = rng.choice(conf["places"][level])
        if attempt >= _PLAIN_NAME_ATTEMPTS and level != "city":
            # Large corpora exhaust the plain names: name the county or district with its city.
            place = rng.choice(conf["places"]["city"]) + place
        kinds = conf["body_weights"]
        kind = rng.choices(list(kinds), weights=list(kinds.values()))[0]
        body = rng.choice([b for b in conf["bodies"] if b["kind"] == kind])
        name = place + body["name"]
        if name not in taken:
            taken.add(name)
            break
    demand_spec = conf["demand"][body["demand"]]
    factor = conf["level_factor"][level] if kind == "government" else 1.0
    demand = demand_spec["median"] * factor * float(np.exp(nrng.normal(0, demand_spec["sigma"])))
    self_ref = body["self"] or conf["government_self"][level]
    return Agency(name, place, level, kind, self_ref, demand)


def _agency_reports(
    agency: Agency,
    years: list[int],
    rng: random.Random,
    nrng: np.random.Generator,
    inject: tuple[float, dict[str, float]],
    number: int,
) -> list[GeneratedReport]:
    reports, stock, printed = [], None, None
    for year in years:
        report, stock, printed = _one_report(
            agency, year, rng, nrng, inject, stock, f"a{number:04d}_{year}", printed
        )
        reports.append(report)
    return reports


def _one_report(
    agency: Agency,
    year: int,
    rng: random.Random,
    nrng: np.random.Generator,
    inject: tuple[float, dict[str, float]],
    previous: Stock | None,
    report_id: str,
    printed: dict | None = None,
) -> tuple[GeneratedReport, Stock, dict]:
    """`printed`: last year's printed values (for the change statements of extra kinds)."""
    fmt = table_format(year)
    values, stock = build_tables(nrng, fmt, agency.demand, agency.kind, previous)
    errors: list[dict[str, Any]] = []
    kind = _error_kind(rng, inject, has_previous=previous is not None)
    if kind == "table":
        errors.append(break_table(values, fmt, rng, rng.choice(TABLE_RULES)))
    elif kind == "cross_year":
        errors.append(break_chain(values, rng))
    noise = _noise(rng)
    ctx = Context(
        agency.name,
        agency.self_ref,
        agency.place,
        year,
        fmt,
        values,
        rng,
        twist=_twist(kind, values, fmt, rng, printed),
        subheadings=noise["subheadings"],
        previous=printed,
        truths=TRUTH in inject[1],
    )
    sections, sentences, claims = write_narrative(ctx)
    errors.extend(ctx.errors)
    stock.carried_forward = stock_of(values)  # next year continues from the printed table
    report = GeneratedReport(
        report_id,
        agency.name,
        agency.level,
        year,
        fmt,
        sections,
        cells_frame(values, fmt),
        sentences,
        claims,
        errors,
        agency.kind,
        noise,
    )
    return report, stock, values


def _error_kind(
    rng: random.Random, inject: tuple[float, dict[str, float]], has_previous: bool
) -> str | None:
    probability, weights = inject
    if probability <= 0 or rng.random() >= probability:
        return None
    kinds = {k: w for k, w in weights.items() if has_previous or k not in NEEDS_PREVIOUS}
    return rng.choices(list(kinds), weights=list(kinds.values()))[0]


def _twist(
    kind: str | None, values, fmt: str, rng: random.Random, printed: dict | None = None
) -> Twist | None:
    if kind == "claim":
        return Twist("claim", rng.choice(CLAIM_METRICS))
    if kind == "negation":
        probe = Context("", "", "", 0, fmt, values, rng)
        nonzero = [m for m in ("requests_new", "review_total") if probe.value(m) != 0]
        return Twist("negation", rng.choice(nonzero)) if nonzero else Twist("claim", "requests_new")
    if kind == "narrative":
        return Twist("narrative")
    if kind == "statement":
        false = false_statements(values, bank()["statement_errors"])
        return Twist("statement", rng.choice(false)) if false else Twist("claim", "requests_new")
    if kind == "scope":
        scopes = true_scopes(values, bank()["scope_statements"])
        return Twist("scope", rng.choice(scopes)) if scopes else None
    if kind in ("change", "combined"):
        entries = bank()[f"{kind}_statements"]
        usable = [m for m, spec in entries.items() if matching_cells(values, spec["cells"])]
        if kind == "change" and printed is None:
            usable = []  # drawn only after a first year; kept for safety
        return Twist(kind, rng.choice(usable)) if usable else None
    if kind == "shape":
        return Twist("shape")
    return None


def _noise(rng: random.Random) -> dict[str, Any]:
    noise = {
        k: rng.choices(list(opts), weights=list(opts.values()))[0] for k, opts in NOISE.items()
    }
    noise.update({flag: rng.random() < p for flag, p in NOISE_FLAGS.items()})
    return noise


__all__ = ["GeneratedReport", "generate", "table_format", "bank"]
