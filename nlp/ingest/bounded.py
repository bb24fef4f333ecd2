"""Work on one untrusted file under a time budget and a memory cap, enforced.

A file can make a reader run for hours (a pattern that backtracks, a library that never
returns) or inflate to gigabytes (a compression bomb). Noticing is not enough: a regular
expression in C holds the interpreter until it ends, and memory once taken is not given back
in time. So the work runs in a child process that is killed when it overruns — a plain
`python -m nlp.ingest.bounded` started with `subprocess` (Dask worker processes are daemons and
may not use `multiprocessing`; forking a process with threads may deadlock the child).

The child stays alive between files, so its imports are paid once; it is replaced only after it
was killed. The time budget is wall-clock time watched by the parent; the memory cap is the
child's resident memory, polled by the parent, with the child's address-space limit
(`RLIMIT_AS`) as a backstop against allocations quicker than the polling. A CPU-time limit
(`RLIMIT_CPU`) makes a child whose parent died end on its own.
"""

from __future__ import annotations

import importlib
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, replace
from typing import Any

import psutil

from nlp.report import ReadError

DEFAULT_TIMEOUT = 60.0
# A scanned page's OCR takes 3–6 s of CPU, and a table page took 38 s of wall clock on a machine
# loaded five times over its cores; twenty times the CPU time is no page.
DEFAULT_OCR_PAGE_TIMEOUT = 120.0
DEFAULT_MAX_MEMORY = 1536 * 2**20
STARTUP_TIMEOUT = 300.0  # imports on a loaded machine; not part of any file's budget
POLL_SECONDS = 0.02
CPU_SLACK_SECONDS = 30  # the CPU limit only ends orphans; the wall-clock budget comes first
_FRAME = struct.Struct("<Q")


@dataclass(frozen=True)
class Limits:
    """What one file may take: `timeout` seconds (wall clock), `max_memory` bytes resident and,
    when set, `cpu_time` seconds of CPU (a budget that does not depend on how loaded the machine
    is, as a fuzz run needs). `None` lifts that limit.

    A batch reads each page of a scanned PDF by OCR as its own task, apart from its file:
    `ocr_page_timeout` seconds (wall clock) a page, under the same memory cap.
    """

    timeout: float | None = DEFAULT_TIMEOUT
    max_memory: int | None = DEFAULT_MAX_MEMORY
    cpu_time: float | None = None
    ocr_page_timeout: float | None = DEFAULT_OCR_PAGE_TIMEOUT

    def for_ocr_page(self) -> Limits:
        """The limits of one page's OCR: its own time budget in place of the file's."""
        return replace(self, timeout=self.ocr_page_timeout)


DEFAULT_LIMITS = Limits()


class LimitExceeded(Exception):
    """The work was stopped: `stage` is `timeout`, `memory` or `crash`; `reason` says why."""

    def __init__(self, stage: str, reason: str) -> None:
        super().__init__(stage, reason)
        self.stage = stage
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


class ReadStopped(ReadError):
    """A read stopped at its limits (`nlp.read(..., timeout=...)`, `xxgk --timeout`): `stage` is
    `timeout`, `memory` or `crash`, as in a batch's `errors` table."""

    def __init__(self, source: str, stage: str, reason: str) -> None:
        super().__init__(source, reason, f"stage {stage}")
        self.stage = stage

    def __reduce__(self):
        return type(self), (self.source, self.stage, self.reason)


class BoundedWorker:
    """A child process that runs `module:function` calls, each under `limits`.

    `call` returns the function's result or raises its exception (both travel by pickle);
    an overrun raises `LimitExceeded` and the child is replaced at the next call.
    """

    def __init__(self, limits: Limits, preload: tuple[str, ...] = ()) -> None:
        self.limits = limits
        self.preload = preload
        self._process: subprocess.Popen | None = None
        self._ready = False  # the child said it has imported `preload`

    def call(self, target: str, *args: Any) -> Any:
        process = self._started()
        try:
            _send(process.stdin, (target, args, self.limits))
            outcome, value = self._receive(process)
        except BrokenPipeError as error:
            self._kill()
            raise LimitExceeded(
                "crash", "stopped: the reading process ended unexpectedly"
            ) from error
        except LimitExceeded:
            self._kill()
            raise
        if outcome == "ok":
            return value
        if outcome == "memory":
            self._kill()  # a process that ran out of memory may be left in any state
            raise LimitExceeded("memory", _memory_reason(self.limits.max_memory))
        raise value

    @property
    def pid(self) -> int | None:
        """The child's process id (None before it starts): another one is another child, which
        holds nothing of what the one before kept."""
        return None if self._process is None else self._process.pid

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.stdin.close()
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()

    def __enter__(self) -> BoundedWorker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the child without waiting for it: its imports go on while the caller works."""
        if self._process is not None and self._process.poll() is None:
            return
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__, *self.preload],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._ready = False

    def _started(self) -> subprocess.Popen:
        self.start()
        if not self._ready:
            deadline = time.monotonic() + STARTUP_TIMEOUT
            reply = _read_frame(self._process, deadline, lambda: None)
            if reply != ("ready", None):
                self._kill()
                raise RuntimeError(f"the bounded worker did not start: {reply!r}")
            self._ready = True
        return self._process

    def _receive(self, process: subprocess.Popen) -> tuple[str, Any]:
        timeout = self.limits.timeout
        deadline = None if timeout is None else time.monotonic() + timeout
        watch = _watch(process.pid, self.limits)
        return _read_frame(process, deadline, watch)

    def _kill(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.kill()
        process.wait()
        process.stdin.close()
        process.stdout.close()


def _watch(pid: int, limits: Limits):
    """A check of the child's resident memory and CPU time (since now) against `limits`."""
    max_memory, cpu_time = limits.max_memory, limits.cpu_time
    if max_memory is None and cpu_time is None:
        return lambda: None
    child = psutil.Process(pid)
    cpu_at_start = _cpu_seconds(child) if cpu_time is not None else 0.0

    def check() -> None:
        try:
            if max_memory is not None and child.memory_info().rss > max_memory:
                raise LimitExceeded("memory", _memory_reason(max_memory))
            if cpu_time is not None and _cpu_seconds(child) - cpu_at_start > cpu_time:
                raise LimitExceeded(
                    "timeout", f"stopped: the file took more than {cpu_time:g} s of CPU (cpu_time)"
                )
        except psutil.Error:
            return  # the child just ended; reading its pipe says how

    return check


def _cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def _memory_reason(max_memory: int | None) -> str:
    return f"stopped: the file needed more than {_megabytes(max_memory)} of memory (max_memory)"


def _megabytes(size: int | None) -> str:
    return "?" if size is None else f"{size / 2**20:.0f} MB"


def _read_frame(process: subprocess.Popen, deadline: float | None, check) -> Any:
    """One pickled message from the child, watching the deadline and `check` meanwhile."""
    fd = process.stdout.fileno()
    buffer = bytearray()
    needed = _FRAME.size
    header_done = False
    while True:
        while len(buffer) >= needed:
            if header_done:
                return pickle.loads(bytes(buffer[_FRAME.size : needed]))
            needed = _FRAME.size + _FRAME.unpack(buffer[: _FRAME.size])[0]
            header_done = True
        wait = POLL_SECONDS
        if deadline is not None:
            wait = min(wait, deadline - time.monotonic())
            if wait <= 0:
                raise LimitExceeded("timeout", "stopped: the file took too long (timeout)")
        check()
        ready, _, _ = select.select([fd], [], [], wait)
        if ready:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise LimitExceeded("crash", _ended_reason(process))
            buffer += chunk


def _ended_reason(process: subprocess.Popen) -> str:
    code = process.wait()
    how = f"signal {-code}" if code < 0 else f"exit code {code}"
    return f"stopped: the reading process ended unexpectedly ({how})"


def _send(stream, message: Any) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_FRAME.pack(len(payload)) + payload)
    stream.flush()


_shared = threading.local()


_ahead: dict[tuple, list[BoundedWorker]] = {}  # started, for threads yet to ask
_ahead_lock = threading.Lock()


def shared_worker(limits: Limits, preload: tuple[str, ...] = ()) -> BoundedWorker:
    """This thread's worker for these limits, kept for the next call (a Dask worker's files):
    one started ahead (`start_shared_workers`) if there is one."""
    workers = _shared.__dict__.setdefault("workers", {})
    key = (limits, preload)
    if key not in workers:
        with _ahead_lock:
            ahead = _ahead.get(key)
            workers[key] = ahead.pop() if ahead else BoundedWorker(limits, preload)
    return workers[key]


def start_shared_workers(limits: Limits, preload: tuple[str, ...], count: int) -> None:
    """Have `count` children starting for the next threads to ask `shared_worker` for them (a
    batch's Dask worker threads): their imports, a second or more, overlap the caller's own
    start instead of following it."""
    key = (limits, preload)
    with _ahead_lock:
        ahead = _ahead.setdefault(key, [])
        for _ in range(count - len(ahead)):
            worker = BoundedWorker(limits, preload)
            worker.start()
            ahead.append(worker)


def close_thread_workers() -> None:
    """End this thread's shared workers (a Dask worker thread's, before its cluster closes:
    the thread's children would live on as long as its process)."""
    for worker in _shared.__dict__.pop("workers", {}).values():
        worker.close()


def close_unasked_workers() -> None:
    """End the children started ahead that no thread asked for."""
    with _ahead_lock:
        unasked = [worker for ahead in _ahead.values() for worker in ahead]
        _ahead.clear()
    for worker in unasked:
        worker.close()


# --- the child ---------------------------------------------------------------------------


def _child_main(preload: list[str]) -> None:
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a library that prints must not corrupt the replies
    requests = sys.stdin.buffer
    for module in preload:
        importlib.import_module(module)
    _send(replies, ("ready", None))
    while (request := _receive_request(requests)) is not None:
        target, args, limits = request
        _set_limits(limits)
        _send(replies, _run(target, args))


def _receive_request(stream) -> Any:
    header = stream.read(_FRAME.size)
    if len(header) < _FRAME.size:
        return None
    return pickle.loads(stream.read(_FRAME.unpack(header)[0]))


def _run(target: str, args: tuple) -> tuple[str, Any]:
    module, _, name = target.partition(":")
    try:
        return "ok", getattr(importlib.import_module(module), name)(*args)
    except MemoryError:
        return "memory", None
    except Exception as error:  # noqa: BLE001 - the caller gets the exception itself
        return "error", _picklable(error)


def _picklable(error: Exception) -> Exception:
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:  # noqa: BLE001 - an exception that cannot travel travels as text
        return RuntimeError(f"{type(error).__name__}: {error}")


def _set_limits(limits: Limits) -> None:
    """Address-space and CPU limits for the next call (soft limits: they can be raised again)."""
    try:
        import resource
    except ImportError:  # not on this platform: the parent's watch still holds
        return
    me = psutil.Process()
    if limits.max_memory is not None:
        _set_soft(resource, resource.RLIMIT_AS, me.memory_info().vms + limits.max_memory)
    if limits.timeout is not None:
        used = sum(me.cpu_times()[:2])
        _set_soft(resource, resource.RLIMIT_CPU, int(used + limits.timeout) + CPU_SLACK_SECONDS)


def _set_soft(resource, which: int, value: int) -> None:
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, hard))


if __name__ == "__main__":
    _child_main(sys.argv[1:])
