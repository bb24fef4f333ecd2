"""Line images → text with a confidence per character and the engine's second choices.

The PP-OCR recognition model of rapidocr-onnxruntime is run on our own batches: images of like
width together (rapidocr takes six at a time however their widths differ, padding all to the
widest), a batch as wide as its widest image but never narrower than the 320 pixels (at the
model's height of 48) the model was trained on, as narrower inputs make it drop or double
digits, and the widths rounded to a few buckets (the runtime plans each new input shape once).
The model's output per time step is decoded here too (CTC: repeats and blanks dropped),
keeping for each character its probability and, for digits, the next most probable digit: the
candidates the table arithmetic tests (nlp/tables/ocr_digits.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import cv2
import numpy as np

HEIGHT = 48  # the recognition model's input height
DIGITS = "0123456789"


@dataclass(frozen=True)
class Reading:
    """What the engine read in one line image.

    `chars` holds each character's probability; `alternatives` maps a character position to
    the next most probable digit there (digits only) and its probability. `as_digits` is the
    line decoded with digits alone allowed (for a cell that must hold a number and was read
    as letters: "D" for a faint 5)."""

    text: str
    chars: tuple[float, ...] = ()
    alternatives: dict[int, tuple[str, float]] = field(default_factory=dict)
    as_digits: Reading | None = None

    @property
    def confidence(self) -> float:
        """The least sure character's probability (1.0 for nothing read)."""
        return min(self.chars, default=1.0)

    @property
    def score(self) -> float:
        """The mean character probability (the engine's own score of a line)."""
        return float(np.mean(self.chars)) if self.chars else 0.0


def recognise(engine, images: Sequence[np.ndarray], spec: dict) -> list[Reading]:
    """Readings of grey line images, in their order."""
    if not images:
        return []
    recogniser = engine.text_rec
    characters = recogniser.postprocess_op.character
    widths = [_model_width(image) for image in images]
    order = np.argsort(widths, kind="stable")
    readings: list[Reading | None] = [None] * len(images)
    for batch in _batches([widths[i] for i in order], spec):
        indices = [int(order[i]) for i in batch]
        width = _bucket(max(widths[i] for i in indices), spec["width_bucket"], spec["min_width"])
        tensor = np.stack([_normalised(images[i], width) for i in indices])
        probabilities = recogniser.session(tensor)[0]
        for index, steps in zip(indices, probabilities, strict=True):
            reading = _decoded(steps, characters)
            readings[index] = replace(reading, as_digits=_decoded(steps, characters, DIGITS))
    return [r or Reading("") for r in readings]


def _model_width(image: np.ndarray) -> int:
    height, width = image.shape[:2]
    return max(1, math.ceil(HEIGHT * width / max(height, 1)))


def _bucket(width: int, bucket: int, least: int) -> int:
    return max(least, math.ceil(width / bucket) * bucket)


def _batches(sorted_widths: Sequence[int], spec: dict) -> list[list[int]]:
    """Runs of positions (in width order) whose padded size stays within the batch budget."""
    batches: list[list[int]] = []
    current: list[int] = []
    for position, width in enumerate(sorted_widths):
        padded = _bucket(width, spec["width_bucket"], spec["min_width"])
        if current and (
            padded * (len(current) + 1) > spec["batch_columns"]
            or len(current) >= spec["batch_size"]
        ):
            batches.append(current)
            current = []
        current.append(position)
    if current:
        batches.append(current)
    return batches


def _normalised(image: np.ndarray, width: int) -> np.ndarray:
    """The image as the model takes it: 3 × 48 × `width`, values in [-1, 1], padded right."""
    resized_width = min(width, _model_width(image))
    resized = cv2.resize(image, (resized_width, HEIGHT)).astype(np.float32)
    channels = resized[np.newaxis] if resized.ndim == 2 else resized.transpose(2, 0, 1)
    out = np.zeros((3, HEIGHT, width), np.float32)
    out[:, :, :resized_width] = channels / 127.5 - 1.0  # a grey image fills all three
    return out


def _decoded(steps: np.ndarray, characters: Sequence[str], allowed: str | None = None) -> Reading:
    """CTC decoding of one image's time steps (T × classes): a character per run of the same
    class, blanks (class 0) dropped; its probability the run's highest. `allowed`: only these
    characters (and the blank) are read."""
    digit_classes = [characters.index(d) for d in DIGITS if d in characters]
    if allowed is not None:
        kept = [0, *(characters.index(c) for c in allowed if c in characters)]
        best = np.asarray(kept)[steps[:, kept].argmax(axis=1)]
    else:
        best = steps.argmax(axis=1)
    text: list[str] = []
    chars: list[float] = []
    alternatives: dict[int, tuple[str, float]] = {}
    step = 0
    while step < len(best):
        cls = int(best[step])
        end = step
        while end + 1 < len(best) and best[end + 1] == cls:
            end += 1
        if cls != 0 and cls < len(characters):
            peak = step + int(np.argmax(steps[step : end + 1, cls]))
            char = characters[cls]
            if char in DIGITS:
                second = _second_digit(steps[peak], digit_classes, cls)
                if second is not None:
                    alternatives[len(text)] = (characters[second], float(steps[peak, second]))
            text.append(char)
            chars.append(float(steps[peak, cls]))
        step = end + 1
    return Reading("".join(text), tuple(chars), alternatives)


def _second_digit(probabilities: np.ndarray, digit_classes: list[int], best: int) -> int | None:
    others = [c for c in digit_classes if c != best]
    return max(others, key=lambda c: probabilities[c]) if others else None
