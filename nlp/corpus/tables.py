"""The three statistical tables of one generated report, correct by construction.

Values live in a flat dict keyed by (table, row, col) with the canonical keys of
`nlp.report.table_keys`. Requests are drawn per applicant column, outcomes are drawn out of
the requests actually handled, and every total is a sum, so all rules of report-format.md hold
until `inject.py` breaks one on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from nlp.report import layouts, table_keys

Key = tuple[str, str, str]
Values = dict[Key, float]

REQUEST_ROW_FLOWS = ("new", "carried_over", "handled_total", "carried_forward")


@cache
def settings() -> dict:
    text = resources.files("nlp.corpus").joinpath("agencies.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def applicant_cols() -> list[str]:
    return [c for c in layouts()["tables"]["requests"]["cols"] if c != "total"]


def outcome_rows(fmt: str) -> list[str]:
    prefixes = tuple(layouts()["tables"]["requests"]["outcome_prefixes"])
    rows = dict.fromkeys(r for r, _ in table_keys("requests", fmt))
    return [r for r in rows if r.startswith(prefixes)]


def review_parts() -> list[str]:
    return [c for c in layouts()["tables"]["review"]["cols"] if c != "total"]


@dataclass
class Stock:
    """What one year hands to the next: open requests and the running totals of table 二."""

    carried_forward: dict[str, int]
    active: dict[str, float]


def build_tables(
    rng: np.random.Generator, fmt: str, demand: float, kind: str, previous: Stock | None
) -> tuple[Values, Stock]:
    """Every cell of tables 二, 三 and 四 for one year of one agency."""
    values: Values = {}
    active_stock = _active(values, rng, fmt, kind, previous.active if previous else {})
    carried_over = previous.carried_forward if previous else _first_carry_over(rng, demand)
    requests_new = _requests(values, rng, fmt, demand, carried_over)
    _review(values, rng, requests_new)
    forward = {c: int(values[("requests", "carried_forward", c)]) for c in applicant_cols()}
    return values, Stock(carried_forward=forward, active=active_stock)


def stock_of(values: Values) -> dict[str, int]:
    """The carried_forward row of printed values (what next year's carried_over must equal)."""
    return {c: int(values[("requests", "carried_forward", c)]) for c in applicant_cols()}


def _lognormal_count(rng: np.random.Generator, median: float, sigma: float = 1.0) -> int:
    return int(round(median * float(np.exp(rng.normal(0.0, sigma)))))


def _maybe_count(rng: np.random.Generator, p_zero: float, median: float) -> int:
    return 0 if rng.random() < p_zero else max(1, _lognormal_count(rng, median))


def _split(rng: np.random.Generator, total: int, weights: list[float]) -> list[int]:
    p = np.asarray(weights, dtype=float)
    return [int(x) for x in rng.multinomial(total, p / p.sum())]


def _first_carry_over(rng: np.random.Generator, demand: float) -> dict[str, int]:
    total = int(rng.binomial(max(int(demand), 0), settings()["carry_forward_rate"]))
    weights = [settings()["applicant_weights"][c] for c in applicant_cols()]
    return dict(zip(applicant_cols(), _split(rng, total, weights), strict=True))


def _requests(
    values: Values,
    rng: np.random.Generator,
    fmt: str,
    demand: float,
    carried_over: dict[str, int],
) -> int:
    cols = applicant_cols()
    conf = settings()
    new_total = _lognormal_count(rng, demand, conf["year_sigma"])
    new = dict(
        zip(cols, _split(rng, new_total, [conf["applicant_weights"][c] for c in cols]), strict=True)
    )
    rows = outcome_rows(fmt)
    weights = _outcome_weights(fmt, rows)
    for col in cols:
        open_requests = new[col] + carried_over.get(col, 0)
        forward = int(rng.binomial(open_requests, conf["carry_forward_rate"]))
        handled = open_requests - forward
        for row, count in zip(rows, _split(rng, handled, weights), strict=True):
            values[("requests", row, col)] = count
        values[("requests", "new", col)] = new[col]
        values[("requests", "carried_over", col)] = carried_over.get(col, 0)
        values[("requests", "handled_total", col)] = handled
        values[("requests", "carried_forward", col)] = forward
    for row in [*REQUEST_ROW_FLOWS, *rows]:
        values[("requests", row, "total")] = sum(values[("requests", row, c)] for c in cols)
    return new_total


def _outcome_weights(fmt: str, rows: list[str]) -> list[float]:
    weights = settings()["outcome_weights"]
    folded = sum(w for r, w in weights.items() if r.startswith("other."))
    return [weights.get(r, folded) for r in rows]


def _review(values: Values, rng: np.random.Generator, requests_new: int) -> None:
    conf = settings()
    parts = review_parts()
    shares = [conf["review_outcome_weights"][p] for p in parts]
    for row, rate in conf["review_rate"].items():
        cases = int(rng.poisson(rate * requests_new))
        for part, count in zip(parts, _split(rng, cases, shares), strict=True):
            values[("review", row, part)] = count
        values[("review", row, "total")] = cases


def _active(
    values: Values, rng: np.random.Generator, fmt: str, kind: str, stock: dict[str, float]
) -> dict[str, float]:
    conf = settings()["active"]
    fill = _ACTIVE_FILLERS[fmt]
    next_stock: dict[str, float] = {}
    for row in dict.fromkeys(r for r, _ in table_keys("active", fmt)):
        spec = conf[row]
        issues = kind in spec.get("issuers", [kind])
        cells = fill(rng, spec if issues else {**spec, "p_zero": 1.0}, stock.get(row))
        for col, value in cells.items():
            values[("active", row, col)] = value
        next_stock[row] = _stock_after(cells)
    return next_stock


def _stock_after(cells: dict[str, float]) -> float:
    for col in ("in_force", "total_published"):
        if col in cells:
            return cells[col]
    if "prev_items" in cells:
        return cells["prev_items"] + cells["change"]
    return 0.0


def _fill_revised(rng: np.random.Generator, spec: dict, stock: float | None) -> dict[str, float]:
    if "stock_median" in spec:
        before = (
            stock if stock is not None else _maybe_count(rng, spec["p_zero"], spec["stock_median"])
        )
        issued = _maybe_count(rng, spec["p_zero"], spec["median"])
        repealed = min(int(before), _maybe_count(rng, 0.7, 1))
        return {"issued": issued, "repealed": repealed, "in_force": before + issued - repealed}
    if isinstance(spec["median"], float):
        amount = (
            0.0
            if rng.random() < spec["p_zero"]
            else float(np.exp(rng.normal(np.log(spec["median"]), 1.0)))
        )
        return {"amount": round(amount, 2)}
    return {"decisions": _maybe_count(rng, spec["p_zero"], spec["median"])}


def _fill_trial(rng: np.random.Generator, spec: dict, stock: float | None) -> dict[str, float]:
    if "stock_median" in spec:
        before = (
            stock if stock is not None else _maybe_count(rng, spec["p_zero"], spec["stock_median"])
        )
        made = _maybe_count(rng, spec["p_zero"], spec["median"])
        return {"made": made, "published": made, "total_published": before + made}
    if "amount_median" in spec:
        items = _maybe_count(rng, spec["p_zero"], spec["median"])
        amount = float(np.exp(rng.normal(np.log(spec["amount_median"]), 1.0))) if items else 0.0
        return {"items": items, "amount": round(amount, 2)}
    before = stock if stock is not None else _maybe_count(rng, spec["p_zero"], 8)
    change = int(rng.integers(-1, 2)) if before else int(rng.integers(0, 2))
    cells = {"prev_items": before, "change": change}
    if isinstance(spec["median"], float):
        return cells
    return {**cells, "decisions": _maybe_count(rng, spec["p_zero"], spec["median"])}


_ACTIVE_FILLERS = {"2021": _fill_revised, "2019": _fill_trial}


def printed(value: float, col: str) -> str:
    """How a cell prints: amounts with two decimals (zero as 0), counts as integers."""
    if col in layouts()["tables"]["active"]["decimal_cols"]:
        return "0" if value == 0 else f"{value:.2f}"
    return str(int(value))


def cells_frame(values: Values, fmt: str) -> pd.DataFrame:
    """Tidy cells in printed order: table, row, col, value, raw."""
    keys = [(t, r, c) for t in ("active", "requests", "review") for r, c in table_keys(t, fmt)]
    columns = list(zip(*keys, strict=True))
    return pd.DataFrame(
        {
            "table": pd.array(columns[0], dtype="string"),
            "row": pd.array(columns[1], dtype="string"),
            "col": pd.array(columns[2], dtype="string"),
            "value": [float(values[k]) for k in keys],
            "raw": pd.array([printed(values[k], k[2]) for k in keys], dtype="string"),
        }
    )
