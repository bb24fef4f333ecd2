"""Theme profiles: what each report talks about, against its peers and its own past."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from nlp.compare.source import Batch, as_tables, settings, with_report_keys

PEER_KEYS = ["level", "agency_kind", "year"]
_REPORT_COLUMNS = ["agency", "agency_key", "year", "level", "agency_kind"]


def theme_profiles(batch: Batch, dimension: str = "theme") -> pd.DataFrame:
    """One row per report × theme (or function): `n` sentences, `share` of the report's sentences,
    `peer_share` (mean over reports of other agencies with the same level, kind and year) and
    `peers`, `previous_year` and `previous_share` (the agency's latest earlier report)."""
    tables = as_tables(batch)
    shares = _share_matrix(tables, dimension)
    keys = with_report_keys(shares.index.to_frame(index=False), tables, _REPORT_COLUMNS)
    keys = keys.set_index("report_id").fillna({"level": "", "agency_kind": ""})
    peer_share, peers = _peer_means(shares, keys)
    previous_share, previous_year = _previous(shares, keys)
    frame = (
        _long(shares, "share")
        .merge(_long(_counts(tables, dimension), "n"), how="left")
        .merge(_long(peer_share, "peer_share"), how="left")
        .merge(_long(previous_share, "previous_share"), how="left")
    )
    frame["peers"] = frame["report_id"].map(peers).fillna(0).astype(int)  # no year: no peers
    frame["previous_year"] = frame["report_id"].map(previous_year).astype("Int64")
    frame = frame.merge(keys.reset_index(), on="report_id", how="left")
    frame = frame.rename(columns={"label": dimension})
    frame["n"] = frame["n"].fillna(0).astype(int)
    return frame.sort_values(["agency", "year", "report_id", dimension], ignore_index=True)


def theme_distribution(
    batch: Batch, by: Sequence[str] = ("level",), dimension: str = "theme"
) -> pd.DataFrame:
    """Sentences per group × theme (or function): `n` and `share` of the group's sentences.
    `by` names columns of the sentences or reports tables (level, agency_kind, year, section …)."""
    tables = as_tables(batch)
    sentences = _sentences(tables)
    groups = list(by)
    counts = sentences.groupby([*groups, dimension], dropna=False).size().rename("n")
    totals = counts.groupby(level=groups, dropna=False).transform("sum") if groups else counts.sum()
    frame = counts.to_frame().assign(share=counts / totals).reset_index()
    return frame.sort_values([*groups, dimension], ignore_index=True)


def achievement_vs_problem(batch: Batch, by: Sequence[str] = ()) -> pd.DataFrame:
    """Per theme (and group): sentences claiming `achievement`, admitting a `problem`, promising
    a `measure`, and `problem_share` = problem / (achievement + problem)."""
    sentences = _sentences(as_tables(batch))
    functions = [f for f in settings()["labels"]["function"] if f != "framing"]
    groups = [*by, "theme"]
    counts = sentences.groupby([*groups, "function"], dropna=False).size().unstack(fill_value=0)
    counts = counts.reindex(columns=functions, fill_value=0)
    weighed = counts["achievement"] + counts["problem"]
    counts["problem_share"] = (counts["problem"] / weighed).where(weighed > 0)
    counts.columns.name = None
    return counts.reset_index()


def _sentences(tables) -> pd.DataFrame:
    sentences = tables["sentences"][["report_id", "section", "theme", "function"]]
    columns = ["agency", "agency_key", "year", "level", "agency_kind"]
    return with_report_keys(sentences, tables, columns)


def _counts(tables, dimension: str) -> pd.DataFrame:
    sentences = tables["sentences"]
    counts = sentences.groupby(["report_id", dimension]).size().unstack(fill_value=0)
    vocabulary = list(settings()["labels"][dimension])
    extra = [c for c in counts.columns if c not in vocabulary]
    return counts.reindex(columns=vocabulary + extra, fill_value=0)


def _share_matrix(tables, dimension: str) -> pd.DataFrame:
    counts = _counts(tables, dimension)
    return counts.div(counts.sum(axis=1), axis=0)


def _peer_means(shares: pd.DataFrame, keys: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Mean share of the peer group, leaving out the agency's own reports."""
    frame = shares.join(keys[[*PEER_KEYS, "agency_key"]])
    group_sum = frame.groupby(PEER_KEYS)[list(shares.columns)].transform("sum")
    group_n = frame.groupby(PEER_KEYS)["agency_key"].transform("size")
    own_sum = frame.groupby([*PEER_KEYS, "agency_key"])[list(shares.columns)].transform("sum")
    own_n = frame.groupby([*PEER_KEYS, "agency_key"])["agency_key"].transform("size")
    peers = group_n - own_n
    means = (group_sum - own_sum).div(peers.where(peers > 0), axis=0)
    return means, peers


def _previous(shares: pd.DataFrame, keys: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Each report's agency's latest earlier year: that year and its (mean) shares."""
    dated = keys[keys["agency_key"].ne("") & keys["year"].notna()]
    by_year = shares.loc[dated.index].groupby([dated["agency_key"], dated["year"]]).mean()
    years = by_year.index.to_frame(index=False)
    years["previous_year"] = years.groupby("agency_key")["year"].shift()
    years = years.set_index(["agency_key", "year"])["previous_year"]
    previous_year = (
        pd.Series(
            years.reindex(pd.MultiIndex.from_frame(dated[["agency_key", "year"]])).to_numpy(),
            index=dated.index,
        )
        .dropna()
        .astype(int)
    )
    wanted = pd.MultiIndex.from_arrays(
        [dated.loc[previous_year.index, "agency_key"], previous_year]
    )
    previous = by_year.reindex(wanted).set_axis(previous_year.index)
    return previous, previous_year


def _long(matrix: pd.DataFrame, name: str) -> pd.DataFrame:
    frame = matrix.copy()
    frame.index.name = "report_id"
    frame.columns.name = "label"
    return frame.stack().rename(name).reset_index()
