"""Scans with truth: a generated PDF printed, stamped and scanned back into an image-only PDF.

Each page is rasterised with pypdfium2 at 150, 200 or 300 dpi, then given what a scanner and
a stamp add (`scan.yaml`): uneven light, a shadow at an edge, a red seal (公章) over the end of
the report where the signature and date stand, a small rotation, blur and JPEG artefacts. The
pages are wrapped back into a PDF with no text layer, so the truth of the PDF they came from is
the truth of the scan. Needs the `ocr` extra (pypdfium2, numpy, Pillow).
"""

from __future__ import annotations

import io
import math
import random
import time
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import yaml
from PIL import Image, ImageDraw, ImageFilter

MM_PER_INCH = 25.4
INK_LEVEL = 128  # grey below this is print when the seal's place is sought
FIXED_DATE = time.gmtime(946684800)  # 2000-01-01
BODY_BOTTOM = 0.9  # share of the page height above which the body ends (the footer below)


@cache
def scan_spec() -> dict[str, Any]:
    raw = resources.files("nlp.corpus").joinpath("scan.yaml").read_text("utf-8")
    return yaml.safe_load(raw)


@dataclass(frozen=True)
class ScanSettings:
    dpi: int
    noise: str
    # Pages fed into the scanner turned by this many degrees (counter-clockwise): 0, 90, 180 or
    # 270. Which pages: every `turn_every`-th, from the first (1: all of them).
    turn: int = 0
    turn_every: int = 1


def draw_settings(rng: random.Random) -> ScanSettings:
    """The dpi and noise level of one report's scan."""
    spec = scan_spec()
    dpi = rng.choices(list(spec["dpi"]), weights=list(spec["dpi"].values()))[0]
    noise = rng.choices(list(spec["noise"]), weights=list(spec["noise"].values()))[0]
    return ScanSettings(int(dpi), str(noise))


def to_scan(pdf: bytes, rng: random.Random, settings: ScanSettings | None = None) -> bytes:
    """`pdf` scanned: every page an image at the settings' dpi with their noise, the seal on
    the last page; an image-only PDF."""
    import pypdfium2 as pdfium

    settings = settings or draw_settings(rng)
    level = scan_spec()["levels"][settings.noise]
    document = pdfium.PdfDocument(pdf)
    try:
        pages = [page.render(scale=settings.dpi / 72).to_pil().convert("RGB") for page in document]
    finally:
        document.close()
    pages[-1] = stamp_seal(pages[-1], settings.dpi, rng)
    scanned = [_scanner(page, settings.dpi, level, rng) for page in pages]
    scanned = [
        page.rotate(settings.turn, expand=True)
        if settings.turn and i % settings.turn_every == 0
        else page
        for i, page in enumerate(scanned)
    ]
    out = io.BytesIO()
    scanned[0].save(
        out,
        "PDF",
        save_all=True,
        append_images=scanned[1:],
        resolution=settings.dpi,
        creationDate=FIXED_DATE,  # the same report scans to the same bytes
        modDate=FIXED_DATE,
    )
    return out.getvalue()


def _scanner(page: Image.Image, dpi: int, level: dict[str, Any], rng: random.Random) -> Image.Image:
    page = _uneven_light(page, level["light_falloff"], rng)
    if rng.random() < level["shadow"]:
        page = _edge_shadow(page, rng)
    angle = rng.uniform(-level["rotation_deg"], level["rotation_deg"])
    page = page.rotate(angle, resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    radius = rng.uniform(0, level["blur_pt"]) * dpi / 72
    if radius > 0.2:
        page = page.filter(ImageFilter.GaussianBlur(radius))
    return _jpeg(page, rng.randint(*level["jpeg_quality"]))


def _uneven_light(page: Image.Image, falloff: float, rng: random.Random) -> Image.Image:
    """Brightness falling linearly towards a random side, by at most `falloff`."""
    width, height = page.size
    theta = rng.uniform(0, 2 * math.pi)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    ramp = (xs / width - 0.5) * math.cos(theta) + (ys / height - 0.5) * math.sin(theta)
    factor = 1 - falloff * (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)
    return _scaled(page, factor)


def _edge_shadow(page: Image.Image, rng: random.Random) -> Image.Image:
    """The dark band a book fold or a lifted lid leaves at one edge."""
    spec = scan_spec()["shadow"]
    width, height = page.size
    edge = rng.choice(["left", "right", "top", "bottom"])
    along = width if edge in ("left", "right") else height
    band = max(1, int(rng.uniform(*spec["width_share"]) * along))
    darkness = rng.uniform(*spec["darkness"])
    ramp = np.ones(along, np.float32)
    ramp[:band] = darkness + (1 - darkness) * np.linspace(0, 1, band) ** 2
    if edge in ("right", "bottom"):
        ramp = ramp[::-1]
    factor = (
        np.tile(ramp, (height, 1))
        if edge in ("left", "right")
        else np.tile(ramp[:, None], (1, width))
    )
    return _scaled(page, factor)


def _scaled(page: Image.Image, factor: np.ndarray) -> Image.Image:
    pixels = np.asarray(page, np.float32) * factor[:, :, None]
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def _jpeg(page: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    page.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue()))


# --- the seal --------------------------------------------------------------------------------


def stamp_seal(page: Image.Image, dpi: int, rng: random.Random) -> Image.Image:
    """A red seal over the last lines of print (the signature and date of a report), blended
    as ink: print under it stays dark, paper turns red."""
    spec = scan_spec()["seal"]
    mm = dpi / MM_PER_INCH
    centre = _seal_centre(page, rng)
    mask = Image.new("L", page.size, 0)
    draw = ImageDraw.Draw(mask)
    radius = spec["diameter_mm"] * mm / 2
    x, y = centre
    draw.ellipse(
        (x - radius, y - radius, x + radius, y + radius),
        outline=255,
        width=max(1, round(spec["ring_mm"] * mm)),
    )
    draw.polygon(_star(centre, spec["star_mm"] * mm / 2), fill=255)
    for k in range(18):  # the arc of characters along the ring, as short strokes
        angle = math.pi * (0.85 + 1.3 * k / 17)
        inner, outer = radius * 0.62, radius * 0.85
        draw.line(
            (
                x + inner * math.cos(angle),
                y + inner * math.sin(angle),
                x + outer * math.cos(angle),
                y + outer * math.sin(angle),
            ),
            fill=255,
            width=max(1, round(0.8 * mm)),
        )
    opacity = rng.uniform(*spec["opacity"])
    alpha = np.asarray(mask, np.float32)[:, :, None] / 255 * opacity
    colour = np.array(spec["colour"], np.float32) / 255
    pixels = np.asarray(page, np.float32)
    inked = pixels * (1 - alpha) + pixels * colour * alpha  # multiply blend: ink over ink
    return Image.fromarray(np.clip(inked, 0, 255).astype(np.uint8))


def _seal_centre(page: Image.Image, rng: random.Random) -> tuple[float, float]:
    """Right of centre over the last printed line of the page (above its footer)."""
    grey = np.asarray(page.convert("L"))[: int(page.height * BODY_BOTTOM)]
    rows = np.flatnonzero((grey < INK_LEVEL).any(axis=1))
    bottom = float(rows[-1]) if len(rows) else page.height * 0.8
    return page.width * rng.uniform(0.6, 0.75), bottom - rng.uniform(0, 0.02) * page.height


def _star(centre: tuple[float, float], radius: float) -> list[tuple[float, float]]:
    x, y = centre
    points = []
    for k in range(10):
        r = radius if k % 2 == 0 else radius * 0.4
        angle = -math.pi / 2 + k * math.pi / 5
        points.append((x + r * math.cos(angle), y + r * math.sin(angle)))
    return points
