"""A scanned page as pixels: paper brought to white, the red seal dropped, the page deskewed,
and the ruling lines of its tables turned into grids of cell boxes (OpenCV morphology).

A table's grid comes from its rules: horizontal and vertical runs of ink longer than any glyph
(`ocr.yaml` `ruling`). The rule positions give the columns and rows of the finest grid; two
neighbouring positions are one merged cell where no rule is drawn between them, so merged
cells come out as row and column spans, as a PDF or Word table has them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

POINTS_PER_INCH = 72.0
# A run of inked rows lower than this share of a cell's tallest is part of a line, not a line.
LINE_HEIGHT_SHARE = 0.5
# Such a run belongs to its neighbouring line only when this close (a share of the tallest run).
DETACHED_GAP_SHARE = 0.3


@dataclass(frozen=True)
class CellBox:
    """A merged cell of a table grid: its first row and column, spans, and pixel box."""

    row: int
    col: int
    rowspan: int
    colspan: int
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 inside the rules


@dataclass(frozen=True)
class TableGrid:
    """A ruled table on the page: its pixel box, rows × columns and merged cells."""

    box: tuple[int, int, int, int]
    n_rows: int
    n_cols: int
    cells: tuple[CellBox, ...]


def pixels(points: float, dpi: float) -> int:
    return max(1, round(points * dpi / POINTS_PER_INCH))


# --- the page --------------------------------------------------------------------------------


def clean_page(rgb: np.ndarray, dpi: float, spec: dict[str, Any]) -> np.ndarray:
    """The page in grey with white paper: red ink dropped, uneven light and shadows divided
    out, then deskewed."""
    return straightened(flattened(rgb, dpi, spec), dpi, spec)


def flattened(rgb: np.ndarray, dpi: float, spec: dict[str, Any]) -> np.ndarray:
    """The page in grey, red ink dropped, uneven light and shadows divided out."""
    gray = rgb[:, :, 0] if spec["drop_red_seal"] else cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    window = pixels(spec["background_window_pt"], dpi) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (window, window))
    background = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, kernel)
    background = cv2.blur(background, (window, window))
    return cv2.divide(gray, np.maximum(background, 1), scale=255)


def straightened(flat: np.ndarray, dpi: float, spec: dict[str, Any]) -> np.ndarray:
    """The flattened page deskewed, its edges blanked."""
    upright = deskew(flat, spec)
    # The scanner's edges (a shadow, the dark corner a rotated page leaves) are no print: a
    # report's margins are wider than this band.
    edge = pixels(spec["edge_pt"], dpi)
    upright[:edge], upright[-edge:], upright[:, :edge], upright[:, -edge:] = 255, 255, 255, 255
    return upright


def lies_sideways(gray: np.ndarray, spec: dict[str, Any]) -> bool:
    """True when the page's lines of print run up and down (a page turned a quarter): its
    columns of ink, at their most even over the skew range, are more evenly banded than its
    rows at theirs. Each is measured at its best angle (the coarse deskew steps), as a skew of
    a degree or two smears a whole-page profile: a page of a few lines and a seal, measured
    unturned, can have its columns (page edges, table walls) look more even than its rows."""
    ink = _probe_ink(gray, spec)
    limit, coarse = spec["skew_range_deg"], spec["skew_coarse_deg"]
    turns = [
        _rotated(ink, angle, cv2.INTER_NEAREST, border=0)
        for angle in np.arange(-limit, limit + coarse / 2, coarse)
    ]
    rows = max(_evenness(turned) for turned in turns)
    columns = max(_evenness(turned.T) for turned in turns)
    return columns > spec["sideways_ratio"] * rows


def line_samples(gray: np.ndarray, dpi: float, spec: dict[str, Any]) -> list[np.ndarray]:
    """Pieces of the page's longest lines of print, each about four line heights wide from
    where its ink begins (what the angle classifier takes): to tell upright from upside down."""
    ink = gray < spec["ink_threshold"]
    edge = pixels(spec["edge_pt"], dpi)
    ink[:edge], ink[-edge:], ink[:, :edge], ink[:, -edge:] = False, False, False, False
    least = pixels(spec["orientation_line_pt"], dpi)
    runs = [(top, bottom) for top, bottom in _runs(ink.any(axis=1)) if bottom - top >= least]
    if not runs:
        return []
    # Lines of body text: a run far taller than the typical one is a table or a shadow.
    typical = float(np.median([bottom - top for top, bottom in runs]))
    lines = [(t, b) for t, b in runs if typical / 2 <= b - t <= typical * 2]
    longest = sorted(lines, key=lambda line: -int(ink[line[0] : line[1]].sum()))
    count = spec["orientation_samples"]
    samples = []
    for top, bottom in longest[:count]:
        columns = np.flatnonzero(ink[top:bottom].any(axis=0))
        if len(columns):
            left = columns[0]
            samples.append(gray[top:bottom, left : left + 4 * (bottom - top)])
    return samples


def _probe_ink(gray: np.ndarray, spec: dict[str, Any]) -> np.ndarray:
    scale = min(1.0, spec["skew_probe_width"] / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return (small < spec["ink_threshold"]).astype(np.float32)


def deskew(gray: np.ndarray, spec: dict[str, Any]) -> np.ndarray:
    """The page rotated by the angle that makes its rows of ink most even (text lines and rules
    run level then: the row profile is most peaked)."""
    angle = skew_angle(gray, spec)
    if abs(angle) < spec["skew_step_deg"] / 2:
        return gray
    return _rotated(gray, angle, cv2.INTER_LINEAR)


def skew_angle(gray: np.ndarray, spec: dict[str, Any]) -> float:
    scale = min(1.0, spec["skew_probe_width"] / gray.shape[1])
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = (small < spec["ink_threshold"]).astype(np.float32)
    limit, step, coarse = spec["skew_range_deg"], spec["skew_step_deg"], spec["skew_coarse_deg"]
    # Coarse steps over the range, then fine steps around the best: the evenness rises
    # smoothly to its peak, so a third of the rotations find the same angle.
    best = _most_even(ink, np.arange(-limit, limit + coarse / 2, coarse))
    return _most_even(ink, np.arange(best - coarse, best + coarse + step / 2, step))


def _most_even(ink: np.ndarray, angles: np.ndarray) -> float:
    scores = [_evenness(_rotated(ink, angle, cv2.INTER_NEAREST, border=0)) for angle in angles]
    return float(angles[int(np.argmax(scores))])


def _evenness(ink: np.ndarray) -> float:
    profile = ink.sum(axis=1)
    return float(np.square(np.diff(profile)).sum())


def _rotated(image: np.ndarray, angle: float, interpolation: int, border: int = 255):
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), flags=interpolation, borderValue=border)


# --- rules and grids -------------------------------------------------------------------------


def ruling(gray: np.ndarray, dpi: float, spec: dict[str, Any], ink_threshold: int):
    """Masks (uint8, 255 = rule) of the horizontal and vertical rules of the page."""
    ink = np.where(gray < ink_threshold, 255, 0).astype(np.uint8)
    horizontal = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, np.ones((1, pixels(spec["horizontal_min_pt"], dpi)), np.uint8)
    )
    vertical = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, np.ones((pixels(spec["vertical_min_pt"], dpi), 1), np.uint8)
    )
    return horizontal, vertical


def table_grids(
    horizontal: np.ndarray, vertical: np.ndarray, dpi: float, spec: dict[str, Any]
) -> list[TableGrid]:
    """The ruled tables of the page, top to bottom: connected rules with enough horizontal and
    vertical lines to make rows and columns."""
    joined = cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    grids = []
    for label in range(1, count):
        x, y, w, h, _ = stats[label]
        grid = _grid(horizontal[y : y + h, x : x + w], vertical[y : y + h, x : x + w], dpi, spec)
        if grid is not None:
            grids.append(_moved(grid, x, y))
    return sorted(grids, key=lambda g: g.box[1])


def _grid(h: np.ndarray, v: np.ndarray, dpi: float, spec: dict[str, Any]) -> TableGrid | None:
    merge = pixels(spec["line_merge_pt"], dpi)
    ys = _positions(h.sum(axis=1) / 255 >= pixels(spec["horizontal_min_pt"], dpi), merge)
    if len(ys) < spec["min_rules"]:
        return None
    # Only between the first and the last rule: a large glyph just above or below the table
    # (a heading) touches its rules but draws no column.
    inside = v[ys[0] : ys[-1] + 1]
    xs = _positions(inside.sum(axis=0) / 255 >= pixels(spec["vertical_min_pt"], dpi), merge)
    if len(ys) < spec["min_rules"] or len(xs) < spec["min_rules"] + 1:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    walls = _Walls(h, v, xs, ys, merge, spec["wall_share"])
    margin = pixels(spec["cell_margin_pt"], dpi)
    cells = [
        CellBox(r0, c0, r1 - r0 + 1, c1 - c0 + 1, _inside(xs, ys, r0, c0, r1, c1, margin))
        for r0, c0, r1, c1 in _merged_cells(n_rows, n_cols, walls)
    ]
    return TableGrid((xs[0], ys[0], xs[-1], ys[-1]), n_rows, n_cols, tuple(cells))


def _positions(mask: np.ndarray, merge: int) -> list[int]:
    """Centres of runs of True, runs closer than `merge` joined."""
    indices = np.flatnonzero(mask)
    if not len(indices):
        return []
    groups: list[list[int]] = [[int(indices[0])]]
    for index in indices[1:]:
        if index - groups[-1][-1] <= merge:
            groups[-1].append(int(index))
        else:
            groups.append([int(index)])
    return [round((g[0] + g[-1]) / 2) for g in groups]


@dataclass(frozen=True)
class _Walls:
    """Whether a rule is drawn on a boundary of the finest grid."""

    h: np.ndarray
    v: np.ndarray
    xs: Sequence[int]
    ys: Sequence[int]
    reach: int
    share: float

    def right_of(self, r: int, c: int) -> bool:
        x, top, bottom = self.xs[c + 1], self.ys[r] + self.reach, self.ys[r + 1] - self.reach
        band = self.v[
            max(top, 0) : max(bottom, top + 1), max(x - self.reach, 0) : x + self.reach + 1
        ]
        return bool(band.size) and band.any(axis=1).mean() >= self.share

    def below(self, r: int, c: int) -> bool:
        y, left, right = self.ys[r + 1], self.xs[c] + self.reach, self.xs[c + 1] - self.reach
        band = self.h[
            max(y - self.reach, 0) : y + self.reach + 1, max(left, 0) : max(right, left + 1)
        ]
        return bool(band.size) and band.any(axis=0).mean() >= self.share


def _merged_cells(n_rows: int, n_cols: int, walls: _Walls) -> list[tuple[int, int, int, int]]:
    """(first row, first col, last row, last col) of each merged cell, in reading order:
    positions of the finest grid joined where no rule separates them."""
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not walls.right_of(r, c):
                parent[find(r * n_cols + c + 1)] = find(r * n_cols + c)
            if r + 1 < n_rows and not walls.below(r, c):
                parent[find((r + 1) * n_cols + c)] = find(r * n_cols + c)
    extents: dict[int, list[int]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            e = extents.setdefault(find(r * n_cols + c), [r, c, r, c])
            e[0], e[1], e[2], e[3] = min(e[0], r), min(e[1], c), max(e[2], r), max(e[3], c)
    return sorted((tuple(e) for e in extents.values()), key=lambda e: (e[0], e[1]))  # type: ignore[misc]


def _inside(xs, ys, r0: int, c0: int, r1: int, c1: int, margin: int) -> tuple[int, int, int, int]:
    return (xs[c0] + margin, ys[r0] + margin, xs[c1 + 1] - margin, ys[r1 + 1] - margin)


def _moved(grid: TableGrid, dx: int, dy: int) -> TableGrid:
    x0, y0, x1, y1 = grid.box
    cells = tuple(
        CellBox(
            c.row,
            c.col,
            c.rowspan,
            c.colspan,
            (c.box[0] + dx, c.box[1] + dy, c.box[2] + dx, c.box[3] + dy),
        )
        for c in grid.cells
    )
    return TableGrid((x0 + dx, y0 + dy, x1 + dx, y1 + dy), grid.n_rows, grid.n_cols, cells)


# --- text inside a cell ----------------------------------------------------------------------


def without_rules(
    gray: np.ndarray, horizontal: np.ndarray, vertical: np.ndarray, grids: Sequence[TableGrid]
) -> np.ndarray:
    """The page with the rules of its tables painted white (so a cell crop holds its text
    alone). Only inside tables: outside, a long stroke of a large glyph is no rule."""
    rules = cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8))
    text = gray.copy()
    for x0, y0, x1, y1 in (grid.box for grid in grids):
        box = (slice(max(y0 - 2, 0), y1 + 3), slice(max(x0 - 2, 0), x1 + 3))
        text[box][rules[box] > 0] = 255
    return text


def without_tables(text: np.ndarray, grids: Sequence[TableGrid]) -> np.ndarray:
    """The page with its tables painted white: the print outside them."""
    outside = text.copy()
    for x0, y0, x1, y1 in (grid.box for grid in grids):
        outside[max(y0, 0) : y1 + 1, max(x0, 0) : x1 + 1] = 255
    return outside


def text_strips(
    text: np.ndarray,
    box: tuple[int, int, int, int],
    thresholds: tuple[int, int],
    min_ink: int,
    pad: int,
) -> list[np.ndarray]:
    """The lines of text inside `box`, top to bottom, each cut to its ink with `pad` white
    around; none for a blank cell. `thresholds`: grey below the first is ink (a line holds at
    least `min_ink` such pixels); below the second, faint ink, which a line reaches to — the
    thin stem of a 7 scanned light is part of its digit, not a line of its own."""
    x0, y0, x1, y1 = box
    crop = text[max(y0, 0) : max(y1, y0), max(x0, 0) : max(x1, x0)]
    if crop.size == 0:
        return []
    ink_threshold, faint_threshold = thresholds
    ink, faint = crop < ink_threshold, crop < faint_threshold
    strips = []
    # A cell holds one size of print: a low run far from its text is a speck or seal remnant.
    for top, bottom in _lines_of_ink(faint.any(axis=1), keep_small=False):
        if ink[top:bottom].sum() < min_ink:
            continue
        columns = np.flatnonzero(faint[top:bottom].any(axis=0))
        left, right = columns[0], columns[-1] + 1
        # The margin is cut from the page, not added white: a glyph's faint strokes (the thin
        # top bar of a 5) lie just outside the ink threshold's reach.
        margin = pad // 2
        piece = crop[max(top - margin, 0) : bottom + margin, max(left - margin, 0) : right + margin]
        strips.append(cv2.copyMakeBorder(piece, pad, pad, pad, pad, cv2.BORDER_REPLICATE))
    return strips


def is_dash(strip: np.ndarray, ink_threshold: int, max_height: int, min_ratio: float) -> bool:
    """Whether a cell's strip holds one short level stroke (the "—" of a blank cell): the
    recognition model reads it as "1" or "一"."""
    ink = strip < ink_threshold
    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not len(rows):
        return False
    height, width = rows[-1] - rows[0] + 1, columns[-1] - columns[0] + 1
    return height <= max_height and width >= min_ratio * height


def is_slash(strip: np.ndarray, ink_threshold: int, spec: dict[str, Any]) -> bool:
    """Whether a cell's strip holds one straight stroke leaning right (the "/" of a blank
    cell): the recognition model reads a faint or broken one as "1". A printed 1 stands
    upright (its flag and foot keep its ink's main axis within a degree or two of vertical);
    a line of text lies level."""
    ys, xs = np.nonzero(strip < ink_threshold)
    if len(xs) < 3:
        return False
    weights = (ink_threshold - strip[ys, xs]).astype(np.float64)
    covariance = np.cov(np.vstack([xs, ys]), aweights=weights)
    spreads, axes = np.linalg.eigh(covariance)
    along, across = spreads[1], max(spreads[0], 1e-6)
    dx, dy = axes[:, 1]
    # Image rows run down: a stroke whose top is to the right has x falling as y rises.
    lean = np.degrees(np.arctan2(abs(dx), abs(dy)))
    return bool(
        dx * dy < 0
        and spec["min_lean_deg"] <= lean <= spec["max_lean_deg"]
        and along / across >= spec["min_elongation"]
    )


@dataclass(frozen=True)
class Segment:
    """A piece of a line of text outside tables (a line, or a column of an unruled row), its
    pixel box and its image for recognition."""

    box: tuple[int, int, int, int]
    image: np.ndarray
    line: int  # the index of its line on the page


def text_segments(
    text: np.ndarray,
    grids: Sequence[TableGrid],
    thresholds: tuple[int, int],
    min_ink: int,
    pad: int,
    gap_lines: float,
) -> list[Segment]:
    """The lines of text outside the tables, top to bottom, each split where a gap wider than
    `gap_lines` line heights parts it (the columns of an unruled table row). `thresholds`:
    grey below the first is ink, which finds the lines; below the second, faint ink, which a
    line reaches to sideways (the thin strokes of 一 and 二 scanned light are its first
    characters)."""
    ink_threshold, faint_threshold = thresholds
    ink, faint = text < ink_threshold, text < faint_threshold
    for x0, y0, x1, y1 in (grid.box for grid in grids):
        ink[max(y0 - pad, 0) : y1 + pad, max(x0 - pad, 0) : x1 + pad] = False
        faint[max(y0 - pad, 0) : y1 + pad, max(x0 - pad, 0) : x1 + pad] = False
    segments: list[Segment] = []
    for index, (top, bottom) in enumerate(_lines_of_ink(ink.any(axis=1))):
        band = ink[top:bottom]
        if band.sum() < min_ink:
            continue
        gap = max(1, round(gap_lines * (bottom - top)))
        for left, right in _runs_joined(faint[top:bottom].any(axis=0), gap):
            if band[:, left:right].sum() < min_ink:
                continue
            piece = text[top:bottom, left:right]
            image = cv2.copyMakeBorder(piece, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
            segments.append(Segment((left, top, right, bottom), image, index))
    return segments


def _runs_joined(mask: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """Runs of True with gaps narrower than `gap` bridged."""
    runs: list[list[int]] = []
    for start, end in _runs(mask):
        if runs and start - runs[-1][1] < gap:
            runs[-1][1] = end
        else:
            runs.append([start, end])
    return [(start, end) for start, end in runs]


def _lines_of_ink(rows: np.ndarray, keep_small: bool = True) -> list[tuple[int, int]]:
    """[top, bottom) of each line of text: runs of inked rows, a run much lower than the
    tallest (a detached stroke, the dot of a glyph, a speck) joined to its nearest line."""
    runs = _runs(rows)
    if len(runs) < 2:
        return runs
    tallest = max(bottom - top for top, bottom in runs)
    lines = [list(run) for run in runs if run[1] - run[0] >= tallest * LINE_HEIGHT_SHARE]
    for top, bottom in runs:
        if bottom - top >= tallest * LINE_HEIGHT_SHARE:
            continue
        nearest = min(lines, key=lambda line: _gap(line, top, bottom))
        if _gap(nearest, top, bottom) <= tallest * DETACHED_GAP_SHARE:
            nearest[0], nearest[1] = min(nearest[0], top), max(nearest[1], bottom)
        elif keep_small:  # a line of small print of its own (a page number, a note)
            lines.append([top, bottom])
    return sorted((top, bottom) for top, bottom in lines)


def _gap(line: list[int], top: int, bottom: int) -> int:
    return max(top - line[1], line[0] - bottom, 0)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of the runs of True."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))
