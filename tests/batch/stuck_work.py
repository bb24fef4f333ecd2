"""Functions that overrun on purpose, run in a bounded child by tests/batch/test_limits.py."""

from __future__ import annotations

import os
import time


def sleep_forever() -> None:
    while True:
        time.sleep(1)


def backtrack_forever() -> None:
    import re

    re.match(r"(\s*)*x", " " * 64)  # exponential: a C loop that holds the interpreter


def grow_forever() -> None:
    held = []
    while True:
        block = bytearray(16 * 2**20)
        block[::4096] = b"x" * len(block[::4096])  # touched, so it is resident
        held.append(block)


def end_abruptly() -> None:
    os._exit(3)


def echo(value):
    return value


def raise_it(error: Exception) -> None:
    raise error
