"""Bounded work: heavy jobs (OCR, PDF and DOCX rendering) in a child process with a time
and a memory limit, so one request cannot hold the machine's cores or memory for minutes.

``run(func, *args, limits=..., what=...)`` calls ``func(*args)`` in a child process made
by a forkserver (a clean, single-threaded process that has already imported the heavy
libraries: a job starts in milliseconds, and never inherits a lock held by another thread
of the web worker). The child's address space is capped (``RLIMIT_AS``); past the time
limit it is terminated, with the programs it started (tesseract, LibreOffice: see
``register_group``), and the caller gets a Spanish ``LimitExceeded`` (HTTP 422). A
domain error raised in the child (a page limit, an unreadable file) reaches the caller
as the same exception.
"""
from __future__ import annotations

import multiprocessing
import os
import resource
import signal
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from docsys.errors import DocsysError

# Modules the forkserver imports once, so that each job starts with them loaded.
PRELOAD = ["docsys.bounded", "docsys.rendering.pdf", "docsys.rendering.docx",
           "docsys.archive.extract"]
_GRACE_SECONDS = 3.0


class LimitExceeded(DocsysError):
    """The work went beyond a limit (pages, size, time, memory); ``code`` says which."""

    status = 422

    def __init__(self, message: str, code: str, **details):
        super().__init__(message, code=code, **details)
        self.code = code


@dataclass(frozen=True)
class Limits:
    seconds: float
    memory_mb: int = 0         # 0: no memory cap

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], seconds_key: str,
                      default_seconds: float) -> Limits:
        return cls(float(settings.get(seconds_key, default_seconds)),
                   int(settings.get("WORK_MEMORY_MB", 1536)))


_context: Any = None


def _forkserver():
    global _context
    if _context is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        _context = context
    return _context


# Process groups of the programs a job started (in the child): killed with the job.
_GROUPS: set[int] = set()


def register_group(pid: int) -> None:
    _GROUPS.add(pid)


def unregister_group(pid: int) -> None:
    _GROUPS.discard(pid)


def _terminated(_signum, _frame) -> None:
    for pid in list(_GROUPS):
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
    os._exit(1)


def _child(conn, limits: Limits, func: Callable, args: tuple) -> None:
    signal.signal(signal.SIGTERM, _terminated)
    if limits.memory_mb:
        cap = limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        outcome: tuple = ("ok", func(*args))
    except DocsysError as exc:
        outcome = ("domain", type(exc), exc.message, dict(exc.__dict__))
    except MemoryError:
        outcome = ("memory",)
    except Exception as exc:  # noqa: BLE001 - reported to the parent as it was
        outcome = ("error", f"{type(exc).__name__}: {exc}")
    conn.send(outcome)
    conn.close()


def _stop(process) -> None:
    if process.is_alive():
        process.terminate()                  # SIGTERM: the child kills its programs first
        process.join(_GRACE_SECONDS)
    if process.is_alive():
        process.kill()
    process.join()


def run(func: Callable, *args: Any, limits: Limits, what: str) -> Any:
    """``func(*args)`` in a bounded child process; ``what`` names the work in messages
    ("La generación del PDF", "La lectura del archivo")."""
    context = _forkserver()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, limits, func, args), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(limits.seconds):
            raise LimitExceeded(
                f"{what} superó el tiempo máximo de {limits.seconds:g} s y se canceló. "
                "Divida el documento en partes o simplifíquelo.", "timeout",
                limit_seconds=limits.seconds)
        try:
            outcome = receiver.recv()
        except EOFError:
            outcome = ("memory",)            # the child died: out of memory in a library
    finally:
        receiver.close()
        _stop(process)
    if outcome[0] == "ok":
        return outcome[1]
    if outcome[0] == "domain":
        _kind, cls, message, state = outcome
        error = cls.__new__(cls)
        Exception.__init__(error, message)
        error.__dict__.update(state)
        raise error
    if outcome[0] == "memory":
        raise LimitExceeded(f"{what} superó la memoria máxima de {limits.memory_mb} MB y se "
                            "canceló. Divida el documento en partes o simplifíquelo.",
                            "memory", limit_mb=limits.memory_mb)
    raise RuntimeError(f"{what} falló: {outcome[1]}")
