"""Duplicate characters removed as pdfplumber's `dedupe_chars` removes them, in linear time.

Writers draw a bold heading twice (or more) a fraction of a point apart; pdfplumber keeps one
character of each group with the same text, font and size within 1 point. Its last step puts
the kept characters back in page order with `list.index`, which compares dicts and is
quadratic in the characters of the page (a third of a page's reading time); here the order is
kept by index, and the clusters are made in one sort of the characters by group and height
(the same clusters as pdfplumber's `cluster_objects`). The groups and the character kept are
pdfplumber's own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from operator import itemgetter

from pdfplumber.page import FilteredPage
from pdfplumber.utils.text import DEFAULT_X_TOLERANCE as X_TOLERANCE
from pdfplumber.utils.text import DEFAULT_Y_TOLERANCE as Y_TOLERANCE
from pdfplumber.utils.text import LIGATURES

TOLERANCE = 1  # points, pdfplumber's default
GROUP = itemgetter("upright", "text", "fontname", "size")
POSITION = itemgetter("doctop", "x0")
TOP, X0 = itemgetter("top"), itemgetter("x0")
X1, BOTTOM, TEXT = itemgetter("x1"), itemgetter("bottom"), itemgetter("text")
UPRIGHT = itemgetter("upright")
LIGATURE_CHARS = frozenset("".join(LIGATURES))


def deduped(page, keep_shape: Callable[[dict], bool] | None = None) -> FilteredPage:
    """`page.dedupe_chars()`, the same characters in the same order; with `keep_shape`, the
    page's other objects filtered by it (as `.filter(keep_shape)` would, for a predicate true
    of every character, without calling it once per character)."""
    result = FilteredPage(page, lambda obj: True)
    objects = dict(page.objects)
    if keep_shape is not None:
        objects = {
            kind: [o for o in found if keep_shape(o)]
            for kind, found in objects.items()
            if kind != "char"
        }
    objects["char"] = dedupe_chars(page.chars)
    result._objects = objects
    return result


def dedupe_chars(chars: list[dict]) -> list[dict]:
    """The characters kept, in page order: of each group of the same text, font and size
    whose heights and then left edges lie within the tolerance of the next, the first by
    height and left edge (pdfplumber's `cluster_objects` on the sorted values, twice)."""
    groups: defaultdict[tuple, list[int]] = defaultdict(list)
    for i, char in enumerate(chars):
        groups[GROUP(char)].append(i)
    if len(groups) == len(chars):  # no two characters alike: none to drop
        return list(chars)
    kept: list[int] = []
    for group in groups.values():
        # A group whose left edges are all farther apart than the tolerance has no two
        # characters in one cluster of left edges, whatever their heights: all are kept.
        if len(group) == 1 or _apart([chars[i]["x0"] for i in group]):
            kept.extend(group)
            continue
        by_height = sorted((chars[i]["doctop"], i) for i in group)
        row = [by_height[0][1]]
        for (previous, _), (doctop, i) in zip(by_height, by_height[1:], strict=False):
            if doctop > previous + TOLERANCE:
                kept.extend(row if len(row) == 1 else _first_of_each_cluster(chars, row))
                row = []
            row.append(i)
        kept.extend(row if len(row) == 1 else _first_of_each_cluster(chars, row))
    if len(kept) == len(chars):  # none dropped
        return list(chars)
    kept.sort()
    return [chars[i] for i in kept]


def _apart(values: list[float]) -> bool:
    """Each of the values lies beyond the tolerance of the next (sorted): each is its own
    cluster."""
    values.sort()
    value = values[0]
    for following in values[1:]:  # a loop, not `all` over pairs: this runs once per group
        if not following > value + TOLERANCE:
            return False
        value = following
    return True


def _first_of_each_cluster(chars: list[dict], row: list[int]) -> list[int]:
    """Of a line's characters of one group, clustered by left edge, the first of each cluster
    by height, left edge and page order."""
    if len(row) == 1:
        return row
    by_x = sorted((chars[i]["x0"], i) for i in row)
    kept = []
    cluster = [by_x[0][1]]
    for (previous, _), (x0, i) in zip(by_x, by_x[1:], strict=False):
        if x0 > previous + TOLERANCE:
            kept.append(_first(chars, cluster))
            cluster = []
        cluster.append(i)
    kept.append(_first(chars, cluster))
    return kept


def _first(chars: list[dict], cluster: list[int]) -> int:
    if len(cluster) == 1:
        return cluster[0]
    return min(cluster, key=lambda j: (*POSITION(chars[j]), j))


# --- words -----------------------------------------------------------------------------------


def upright_words(chars: list[dict]) -> list[dict] | None:
    """pdfplumber's `extract_words(chars)` with its default settings, for upright characters
    (None when one is not upright; pdfplumber reads those): the characters clustered into
    lines by their tops (`clusters`, as pdfplumber), each line left to right, a word
    ending at a blank, at a gap wider than the x tolerance, at a character left of the one
    before or more than the y tolerance above or below it. The same words at a fifth of the
    cost: pdfplumber runs generators and builds a dictionary per word with more keys."""
    if not all(map(UPRIGHT, chars)):
        return None
    words: list[dict] = []
    for line in clusters(chars, TOP, Y_TOLERANCE):
        word: list[dict] = []
        for char in sorted(line, key=X0):
            text = char["text"]
            if text.isspace():
                _flush(word, words)
                word = []
            elif not text:  # pdfplumber's `text in ""`: an empty character is its own word
                _flush(word, words)
                _flush([char], words)
                word = []
            elif word and (  # left of the character before, apart from it, or off its line
                char["x0"] < (previous := word[-1])["x0"]
                or char["x0"] > previous["x1"] + X_TOLERANCE
                or abs(char["top"] - previous["top"]) > Y_TOLERANCE
            ):
                _flush(word, words)
                word = [char]
            else:
                word.append(char)
        _flush(word, words)
    return words


def _flush(word: list[dict], words: list[dict]) -> None:
    """pdfplumber's `merge_chars` of a word's characters (the keys the reader uses)."""
    if not word:
        return
    first = word[0]
    top = min(map(TOP, word))
    text = "".join(map(TEXT, word))
    if not LIGATURE_CHARS.isdisjoint(text):  # spelled out, as pdfplumber does per character
        text = "".join(LIGATURES.get(char["text"], char["text"] or "") for char in word)
    words.append(
        {
            "text": text,
            "x0": min(map(X0, word)),
            "x1": max(map(X1, word)),
            "top": top,
            "doctop": top + (first["doctop"] - first["top"]),
            "bottom": max(map(BOTTOM, word)),
            "upright": first["upright"],
        }
    )


def upright_text(chars: list[dict]) -> str | None:
    """pdfplumber's `extract_text(chars)` (no layout) for upright characters: the words'
    lines (clustered again by their tops) joined by newlines, a line's words by spaces; None
    when a character is not upright."""
    words = upright_words(chars)
    if words is None:
        return None
    lines = clusters(words, TOP, Y_TOLERANCE)
    return "\n".join(" ".join(word["text"] for word in line) for line in lines)


def clusters(objects: list[dict], key: Callable[[dict], float], tolerance: float) -> list[list]:
    """pdfplumber's `cluster_objects(objects, key, tolerance)`: the distinct values sorted, a
    value within the tolerance of the one before in its cluster, and the objects of each
    cluster in their order, the clusters in the order of their values. The same lists with
    a pass over the objects instead of a sort of (object, cluster) pairs and a `groupby`."""
    cluster_of: dict[float, int] = {}
    count, last = 0, None
    for value in sorted(set(map(key, objects))):
        if last is not None and value <= last + tolerance:  # pdfplumber's `cluster_list`
            cluster_of[value] = count - 1
        else:
            cluster_of[value] = count
            count += 1
        last = value
    grouped: list[list] = [[] for _ in range(count)]
    for obj in objects:
        grouped[cluster_of[key(obj)]].append(obj)
    return grouped
