"""Each fuzz input read in a bounded child and its outcome classified (issue 18).

Outcomes: `ok` (read), `error` (refused with a `ReadError`: a clean refusal in words),
`crash` (any other exception, or the reading process died), `hang` (more than
`HANG_CPU_SECONDS` of CPU), `memory` (a peak over `MAX_PEAK_BYTES` resident), `leak` (an XXE
input whose secret reached the report's text). Time is CPU time of the reading process, not
wall time, so a loaded machine does not make hangs; peak memory is the process's resident
high-water mark, reset before each input (Linux `clear_refs`).
"""

from __future__ import annotations

import hashlib
import os
import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from nlp.fuzz.families import XXE_SECRET, FuzzInput
from nlp.ingest.bounded import BoundedWorker, LimitExceeded, Limits, shared_worker

OUTCOMES = ("ok", "error", "crash", "hang", "memory", "leak")
HANG_CPU_SECONDS = 5.0
MAX_PEAK_BYTES = 2**30
# The child is stopped past the bounds (an input between a bound and its kill limit finishes
# and is still a hang or memory outcome); the wall-clock limit only ends a child blocked
# without using CPU.
KILL_LIMITS = Limits(
    timeout=300.0, max_memory=MAX_PEAK_BYTES * 5 // 4, cpu_time=2 * HANG_CPU_SECONDS
)
PRELOAD = ("nlp", "nlp.fuzz.runner")
_STAGE_OUTCOME = {"timeout": "hang", "memory": "memory", "crash": "crash"}


@dataclass(frozen=True)
class Measured:
    """One read as the child saw it."""

    outcome: str  # ok, error, crash or leak
    detail: str
    cpu: float  # seconds
    peak: int | None  # bytes resident at most; None where it cannot be measured
    fingerprint: str  # of the text and cells read (the same input must read the same)


@dataclass(frozen=True)
class Outcome:
    key: str  # family/number
    family: str
    outcome: str
    detail: str
    cpu: float | None  # None: stopped before it ended
    peak: int | None


def measured_read(data: bytes, name: str, analyse: bool = False) -> Measured:
    """Read (and with `analyse`, analyse) one input in this process, measured. Runs in the
    bounded child."""
    import nlp
    from nlp.report import ReadError

    _reset_peak()
    started = time.process_time()
    fingerprint = ""
    try:
        report = nlp.read(data, name=name)
        if analyse:
            nlp.analyse(report)
        fingerprint = _fingerprint(report)
        leaked = XXE_SECRET in report.text
        outcome, detail = ("leak", "the XXE file's secret") if leaked else ("ok", "")
    except ReadError as refused:
        outcome, detail = "error", str(refused)
    except Exception as error:  # noqa: BLE001 - every other exception is the finding
        outcome, detail = "crash", _where(error)
    return Measured(outcome, detail, time.process_time() - started, _peak(), fingerprint)


def run(
    items: Iterable[FuzzInput], analyse: bool = False, limits: Limits = KILL_LIMITS, jobs: int = 1
) -> Iterator[Outcome]:
    """Each input read in a bounded child (replaced when it is stopped), classified; `jobs`
    children at once (outcomes in input order). CPU time and peak memory are each child's
    own, so the figures do not depend on `jobs`."""
    if jobs == 1:
        with BoundedWorker(limits, preload=PRELOAD) as worker:
            for item in items:
                yield _classified(item, worker, analyse)
        return
    with ThreadPoolExecutor(jobs) as pool:
        pending: deque = deque()
        for item in items:
            pending.append(pool.submit(_classified_here, item, limits, analyse))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _classified_here(item: FuzzInput, limits: Limits, analyse: bool) -> Outcome:
    """In a pool thread: with that thread's own child."""
    return _classified(item, shared_worker(limits, PRELOAD), analyse)


def _classified(item: FuzzInput, worker: BoundedWorker, analyse: bool) -> Outcome:
    try:
        measured = worker.call(f"{__name__}:measured_read", item.data, item.name, analyse)
    except LimitExceeded as stopped:
        return Outcome(
            item.key, item.family, _STAGE_OUTCOME[stopped.stage], str(stopped), None, None
        )
    outcome = measured.outcome
    if measured.cpu > HANG_CPU_SECONDS:
        outcome = "hang"
    elif measured.peak is not None and measured.peak > MAX_PEAK_BYTES:
        outcome = "memory"
    return Outcome(item.key, item.family, outcome, measured.detail, measured.cpu, measured.peak)


def _fingerprint(report) -> str:
    digest = hashlib.sha256(report.text.encode("utf-8", "surrogatepass"))
    digest.update(report.cells.to_csv(index=False).encode())
    return digest.hexdigest()[:16]


def _where(error: Exception) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    last = frames[-1] if frames else None
    place = f" at {os.path.basename(last.filename)}:{last.lineno}" if last else ""
    return f"{type(error).__name__}: {str(error)[:200]}{place}"


_CLEAR_REFS = "/proc/self/clear_refs"


def _reset_peak() -> None:
    try:
        with open(_CLEAR_REFS, "w") as clear:
            clear.write("5")  # resets the resident high-water mark (VmHWM), Linux ≥ 4.0
    except OSError:
        pass


def _peak() -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None
