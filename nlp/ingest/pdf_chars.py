"""Duplicate characters removed as pdfplumber's `dedupe_chars` removes them, in linear time.

Writers draw a bold heading twice (or more) a fraction of a point apart; pdfplumber keeps one
character of each group with the same text, font and size within 1 point. Its last step puts
the kept characters back in page order with `list.index`, which compares dicts and is
quadratic in the characters of the page (a third of a page's reading time); here the order is
looked up by identity, and the clusters are made without pdfplumber's general machinery (the
same clusters: `_clusters`). The groups and the character kept are pdfplumber's own.
"""

from __future__ import annotations

import itertools
from operator import itemgetter

from pdfplumber.page import FilteredPage

TOLERANCE = 1  # points, pdfplumber's default
GROUP = itemgetter("upright", "text", "fontname", "size")
POSITION = itemgetter("doctop", "x0")
DOCTOP, X0 = itemgetter("doctop"), itemgetter("x0")


def deduped(page) -> FilteredPage:
    """`page.dedupe_chars()`, the same characters in the same order."""
    result = FilteredPage(page, lambda obj: True)
    result._objects = dict(page.objects)
    result._objects["char"] = dedupe_chars(page.chars)
    return result


def dedupe_chars(chars: list[dict]) -> list[dict]:
    order = {id(char): i for i, char in reversed(list(enumerate(chars)))}
    kept = []
    for _, group in itertools.groupby(sorted(chars, key=GROUP), key=GROUP):
        group = list(group)
        if len(group) == 1:  # most characters: nothing to cluster
            kept.append(group[0])
            continue
        for row in _clusters(group, DOCTOP):
            for cluster in _clusters(row, X0):
                kept.append(min(cluster, key=POSITION))
    # pdfplumber orders by the first character equal to each kept one; equal characters sit
    # at the same position, so the kept one is that first one.
    return sorted(kept, key=lambda char: order[id(char)])


def _clusters(chars: list[dict], key) -> list[list[dict]]:
    """pdfplumber's `cluster_objects(chars, key, TOLERANCE)`: the distinct values in order,
    a value within the tolerance of the one before joining its cluster; the characters by
    cluster, in their order within each."""
    if len(chars) == 1:
        return [chars]
    cluster_of: dict[float, int] = {}
    cluster, last = 0, None
    for value in sorted({key(char) for char in chars}):
        if last is not None and value > last + TOLERANCE:
            cluster += 1
        cluster_of[value] = cluster
        last = value
    clusters: list[list[dict]] = [[] for _ in range(cluster + 1)]
    for char in chars:
        clusters[cluster_of[key(char)]].append(char)
    return clusters
