"""Repetition (雷同): narrative copied from the agency's previous report, or shared with others.

Sentences are compared after normalisation (NFKC, no whitespace, numbers replaced by `#`), so a
sentence that only updates its year and figures still counts as repeated. A sentence is a
near-duplicate when its rapidfuzz ratio with a sentence of the previous report reaches the
threshold of compare.yaml.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from nlp.compare.source import Batch, Tables, as_tables, settings, with_report_keys

_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(
    r"[0-9]+(?:\.[0-9]+)?|[零〇一二三四五六七八九十百千万两]+(?=[件条篇次人个项家余多年月日%])"
)
_REPORT_COLUMNS = ["agency", "agency_key", "year"]


def normalise(text: str) -> str:
    """A sentence reduced to its wording: NFKC, no whitespace, every number `#`."""
    return _NUMBER.sub("#", _SPACE.sub("", unicodedata.normalize("NFKC", text)))


def repetition(batch: Batch, matches: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per report: narrative `sentences`, those repeating the agency's latest earlier
    report (`exact`, `near`), `share` of sentences and `char_share` of characters repeated,
    `flagged` when `share` exceeds the threshold (null shares: no earlier report).
    `matches` is `repeated_sentences(batch)` when the caller already has it."""
    tables = as_tables(batch)
    narrative = narrative_sentences(tables)
    matches = repeated_sentences(tables) if matches is None else matches
    per_report = narrative.assign(chars=narrative["norm"].str.len()).groupby("report_id")
    per_report = per_report.agg(sentences=("norm", "size"), chars=("chars", "sum"))
    frame = _report_pairs(tables).join(per_report, how="left").fillna({"sentences": 0, "chars": 0})
    matched = matches.assign(chars=matches["norm"].str.len()).groupby("report_id")
    for kind in ("exact", "near"):
        counts = matches["match"].eq(kind).groupby(matches["report_id"]).sum()
        frame[kind] = counts.reindex(frame.index, fill_value=0).astype(int)
    has_previous = frame["previous_report_id"].notna() & (frame["sentences"] > 0)
    frame["share"] = ((frame["exact"] + frame["near"]) / frame["sentences"]).where(has_previous)
    repeated_chars = matched["chars"].sum().reindex(frame.index, fill_value=0)
    frame["char_share"] = (repeated_chars / frame["chars"]).where(has_previous)
    frame["flagged"] = frame["share"].gt(settings()["repetition"]["flag_share"])
    frame[["sentences", "chars"]] = frame[["sentences", "chars"]].astype(int)
    return frame.reset_index().sort_values(["agency", "year", "report_id"], ignore_index=True)


def repeated_sentences(batch: Batch) -> pd.DataFrame:
    """The evidence: each narrative sentence found again in the agency's latest earlier report,
    with `previous_report_id`, `previous_text`, `similarity` (0–100), `match` (`exact`/`near`)."""
    tables = as_tables(batch)
    narrative = narrative_sentences(tables)
    norms = narrative["norm"].to_numpy()
    rows_of = narrative.groupby("report_id").indices
    pairs = _report_pairs(tables)["previous_report_id"].dropna()
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for report_id, previous_ids in pairs.items():
        before = [rows_of[p] for p in previous_ids.split("+") if p in rows_of]
        if report_id in rows_of and before:
            found.append(_match(norms, rows_of[report_id], np.concatenate(before)))
    current, previous, similarity = (
        (np.concatenate(parts) for parts in zip(*found, strict=True))
        if found
        else (np.array([], dtype=int),) * 2 + (np.array([]),)
    )
    frame = narrative.iloc[current].reset_index(drop=True)
    frame["previous_report_id"] = narrative["report_id"].array[previous]  # str, 0 rows or many
    frame["previous_text"] = narrative["text"].array[previous]
    frame["similarity"] = similarity.round(1)
    frame["match"] = np.where(similarity >= 100, "exact", "near")
    return frame


def shared_text(batch: Batch) -> pd.DataFrame:
    """Pairs of reports of different agencies sharing narrative sentences that few agencies use:
    one row per pair × shared sentence (`text`, `other_text`), with the pair's `n_shared`."""
    tables = as_tables(batch)
    options = settings()["repetition"]
    narrative = narrative_sentences(tables)
    narrative = narrative[narrative["agency_key"].ne("")]
    spread = narrative.groupby("norm")["agency_key"].nunique()
    rare = spread[(spread >= 2) & (spread <= options["shared_max_agencies"])].index
    rows = []
    for _, group in narrative[narrative["norm"].isin(rare)].groupby("norm"):
        first = group.drop_duplicates("report_id").sort_values("report_id")
        for a, b in itertools.combinations(first.itertuples(index=False), 2):
            if a.agency_key != b.agency_key:
                rows.append(_shared_row(a, b))
    frame = pd.DataFrame(rows, columns=_SHARED_COLUMNS).astype(_SHARED_TYPES)  # 0 rows too
    frame["n_shared"] = frame.groupby(["report_id", "other_report_id"])["text"].transform("size")
    frame = frame[frame["n_shared"] >= options["shared_min_sentences"]]
    order = ["n_shared", "report_id", "other_report_id", "section", "index"]
    ascending = [False, True, True, True, True]
    return frame.sort_values(order, ascending=ascending, ignore_index=True)


def narrative_sentences(batch: Batch) -> pd.DataFrame:
    """Sentences that count for repetition (no headings or framing, long enough), with `norm`."""
    tables = as_tables(batch)
    options = settings()["narrative"]
    sentences = tables["sentences"]
    sentences = sentences[~sentences["function"].isin(options["exclude_functions"])]
    columns = ["report_id", "section", "index", "text"]
    frame = with_report_keys(sentences[columns], tables, _REPORT_COLUMNS)
    frame["norm"] = frame["text"].fillna("").map(normalise)
    heading = frame["norm"].str.lstrip("#").str.match(options["heading"])
    long_enough = frame["norm"].str.len() >= options["min_chars"]
    return frame[long_enough & ~heading].reset_index(drop=True)


def _report_pairs(tables: Tables) -> pd.DataFrame:
    """Per report: the agency's latest earlier year and its report ids (`+`-joined)."""
    keys = with_report_keys(tables["reports"][["report_id"]], tables, _REPORT_COLUMNS)
    dated = keys[keys["agency_key"].ne("") & keys["year"].notna()]
    ids = dated.groupby(["agency_key", "year"])["report_id"].agg(lambda s: "+".join(sorted(s)))
    ids = ids.reset_index()
    ids["previous_year"] = ids.groupby("agency_key")["year"].shift()
    ids["previous_report_id"] = ids.groupby("agency_key")["report_id"].shift()
    ids = ids.drop(columns="report_id")
    frame = keys.merge(ids, on=["agency_key", "year"], how="left")
    frame["previous_year"] = frame["previous_year"].astype("Int64")
    return frame.set_index("report_id")


def _match(norms: np.ndarray, current: np.ndarray, before: np.ndarray):
    """Rows of `current` whose best match in `before` reaches the threshold: (rows, matched
    rows, similarity)."""
    threshold = settings()["repetition"]["near_similarity"]
    scores = process.cdist(list(norms[current]), list(norms[before]), scorer=fuzz.ratio)
    best = scores.argmax(axis=1)
    similarity = scores.max(axis=1)
    keep = similarity >= threshold
    return current[keep], before[best[keep]], similarity[keep].astype(float)


_SHARED_COLUMNS = [
    "report_id",
    "agency",
    "year",
    "other_report_id",
    "other_agency",
    "other_year",
    "section",
    "index",
    "text",
    "other_text",
]


_INTEGERS = ("year", "other_year", "index")
_SHARED_TYPES = {c: "Int64" if c in _INTEGERS else "str" for c in _SHARED_COLUMNS}


def _shared_row(a, b) -> tuple:
    return (
        a.report_id,
        a.agency,
        a.year,
        b.report_id,
        b.agency,
        b.year,
        a.section,
        a.index,
        a.text,
        b.text,
    )
