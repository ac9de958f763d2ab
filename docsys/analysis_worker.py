"""The analysis queue drained by a process of its own while a bulk import runs.

A bulk import queues each norm's citation and relation analysis (docsys.compliance.pending)
and the analysis costs more CPU than the import. On a machine with two cores, ``flask
docsys import`` therefore starts this worker before importing: it analyses what each of
the import's groups committed while the import reads the next files, and after the
import's last commit it drains the rest. The queue stays the truth:

* the worker reads each group's texts in a read-only transaction and takes the write lock
  only to store them (SQLite: WAL, one writer at a time, both sides waiting their turn
  with the busy timeout; PostgreSQL: rows taken with SKIP LOCKED);
* a row is deleted in the transaction that stores its analysis, so an analysis is never
  stored twice, and a worker that dies (killed, crashed, no database) leaves its rows
  queued: ``finish`` reports the failure and the caller analyses what is left itself.

The worker is a spawned process (no state is inherited from the caller's threads or
connections); it opens its own engine on the same database with the same audit key.
"""
from __future__ import annotations

import json
import logging
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker

from docsys.checkpoints import SETTINGS as CHECKPOINT_SETTINGS
from docsys.db import AUDIT_KEY, WRITE_POLL_SECONDS  # how often it tries for the write lock

if TYPE_CHECKING:
    from docsys.compliance.titles import NamedNorm

log = logging.getLogger("docsys.compliance")
POLL_SECONDS = 0.05   # how often an idle worker looks at the queue again
HEAD_BYTES = 16_384   # of each file: its front matter and heading (coming_titles)


@dataclass(frozen=True)
class WorkerSpec:
    """What the worker needs to open the same database as its caller (picklable)."""

    url: str
    busy_timeout: float = 30.0
    audit_key: bytes | None = None
    # for the audit checkpoints: only the settings they read (checkpoints.SETTINGS), never
    # the caller's secrets (SECRET_KEY, signing keys' passphrases...)
    settings: dict[str, Any] = field(default_factory=dict)
    # the files the import is storing: the norms they hold are named by title (see
    # coming_titles) before the import reaches them
    files: tuple[str, ...] = ()


@dataclass
class WorkerResult:
    totals: dict[str, int]
    error: str | None = None      # why the worker did not finish (Spanish), or None
    cpu_seconds: float = 0.0      # the worker process's CPU time (user + system)


def spec_for(session_factory: sessionmaker, settings: Mapping[str, Any] | None = None,
             files: Iterable[str] = ()) -> WorkerSpec | None:
    """The spec of ``session_factory``'s database, or None when another process cannot
    open it (an in-memory SQLite database)."""
    engine: Engine = session_factory.kw["bind"]
    url = make_url(engine.url)
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None
    settings = dict(settings or {})
    return WorkerSpec(url=url.render_as_string(hide_password=False),
                      busy_timeout=float(settings.get("DATABASE_BUSY_TIMEOUT", 30)),
                      audit_key=session_factory.kw.get("info", {}).get(AUDIT_KEY),
                      settings={k: settings[k] for k in CHECKPOINT_SETTINGS
                                if isinstance(settings.get(k), (str, int, float, bool))},
                      files=tuple(str(f) for f in files))


class AnalysisWorker:
    """``start`` before the import, ``finish`` after its last commit (``stop`` if it was
    interrupted: the worker ends after its current group, the rest stays queued).

    The worker is ``python -m docsys.analysis_worker``: its spec comes on its standard
    input (never on the command line: it holds the audit key), then "done" or "stop"; it
    answers on its standard output, a line per group committed and a last "ok"."""

    def __init__(self, spec: WorkerSpec):
        self._cpu_before = _children_cpu()
        # the same docsys as the caller's, whatever the working directory
        source = str(Path(__file__).resolve().parent.parent)
        path = os.environ.get("PYTHONPATH")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "docsys.analysis_worker"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1,
            env={**os.environ, "PYTHONPATH": source + (os.pathsep + path if path else "")})
        self._handled = 0
        self._failed = 0
        self._shown = 0   # of _handled, told to a progress callback
        self._outcome: tuple[str, str] | None = None
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, name="analysis-worker-reader",
                                        daemon=True)
        self._reader.start()
        self._say(json.dumps({**asdict(spec), "audit_key": spec.audit_key.hex()
                              if spec.audit_key else None}))

    @classmethod
    def start(cls, session_factory: sessionmaker,
              settings: Mapping[str, Any] | None = None,
              files: Iterable[str] = ()) -> "AnalysisWorker | None":
        """The worker for the import of ``files`` (their paths), or None when no other
        process can open the database."""
        spec = spec_for(session_factory, settings, files)
        if spec is None:
            return None
        try:
            return cls(spec)
        except OSError as exc:  # no process to be had (memory, limits): analyse here after
            log.warning("No se pudo iniciar el análisis en paralelo (%s); se hará al final "
                        "de la importación.", exc)
            return None

    @property
    def analysed(self) -> int:
        """Queued norms handled so far (their group committed; failures included)."""
        with self._lock:
            return self._handled

    def finish(self, progress: Callable[[int], object] | None = None,
               timeout: float | None = None,
               helper: sessionmaker | None = None) -> WorkerResult:
        """Tell the worker that the import is over, wait until it has drained the queue
        (``progress(n)`` as norms are analysed, from the worker's first: the ``n`` add up
        to all it and the helper analysed) and return what it did (with the help's).

        ``helper``: the caller's session factory, to analyse from the newest end of the
        queue meanwhile, on the core the import no longer uses, until the worker ends."""
        self._say("done")
        helped = {"analizadas": 0, "fallidas": 0}
        if helper is not None:
            from docsys.compliance import pending

            def shown(rows: int) -> None:
                self._flush(progress)
                if progress is not None:
                    progress(rows)
            try:
                helped = pending.process(helper, newest_first=True, progress=shown,
                                         until=lambda: self.process.poll() is not None)
            except Exception:   # noqa: BLE001 - the worker and the queue still have it all
                log.exception("Helping the analysis worker failed")
        result = self._wait(progress, timeout)
        result.totals = {k: result.totals[k] + helped[k] for k in result.totals}
        return result

    def stop(self, timeout: float = 30.0) -> WorkerResult:
        """End the worker after its current group; what it did not analyse stays queued."""
        self._say("stop")
        return self._wait(None, timeout)

    def _say(self, line: str) -> None:
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(line + "\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            pass   # it already ended: _wait tells why

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            word, _, rest = line.rstrip("\n").partition(" ")
            with self._lock:
                if word == "group":
                    rows, failed = (int(n) for n in rest.split())
                    self._handled += rows
                    self._failed += failed
                elif word in ("ok", "error"):
                    self._outcome = (word, rest)

    def _flush(self, progress) -> None:
        """Tell ``progress`` what the worker analysed since last told."""
        done = self.analysed
        if progress is not None and done > self._shown:
            progress(done - self._shown)
        self._shown = done

    def _wait(self, progress, timeout) -> WorkerResult:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.process.poll() is None:
            try:
                self.process.wait(0.1)
            except subprocess.TimeoutExpired:
                pass
            self._flush(progress)
            if deadline is not None and time.monotonic() > deadline:
                self.process.terminate()   # its open transaction rolls back
                self.process.wait()
        self._reader.join(5)
        if self.process.stdin is not None:
            try:
                self.process.stdin.close()
            except OSError:
                pass
        self._flush(progress)
        with self._lock:
            totals = {"analizadas": self._handled - self._failed, "fallidas": self._failed}
            outcome = self._outcome
        cpu = _children_cpu() - self._cpu_before
        code = self.process.returncode
        if outcome is not None and outcome[0] == "ok" and code == 0:
            return WorkerResult(totals, None, cpu)
        reason = outcome[1] if outcome is not None and outcome[0] == "error" else _exit_reason(code)
        log.error("The analysis worker failed: %s", reason)
        return WorkerResult(totals, reason, cpu)


def _exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        return f"el proceso de análisis terminó por la señal {name}"
    return f"el proceso de análisis terminó con el código {code}"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    """The worker process: drain the queue until the caller says the import is over
    ("done") and nothing is left, or until it says "stop" (or goes away)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the caller's to handle
    out = sys.stdout

    def say(line: str) -> None:
        out.write(line + "\n")
        out.flush()

    try:
        raw = json.loads(sys.stdin.readline())
        spec = WorkerSpec(**{**raw, "audit_key": bytes.fromhex(raw["audit_key"])
                             if raw.get("audit_key") else None,
                             "files": tuple(raw.get("files") or ())})
        done, stop = threading.Event(), threading.Event()

        def listen() -> None:
            for line in sys.stdin:
                word = line.strip()
                if word == "stop":
                    stop.set()
                if word in ("done", "stop"):
                    done.set()
            if not done.is_set():   # its input closed before "done": the caller went away
                stop.set()
            done.set()
        threading.Thread(target=listen, daemon=True).start()
        drain(spec, done, stop, lambda rows, failed: say(f"group {rows} {failed}"))
        say("ok")
        return 0
    except BaseException as exc:  # noqa: BLE001 - reported to the caller, which drains
        say("error " + " ".join(f"{type(exc).__name__}: {exc}".split())[:500])
        return 1


def drain(spec: WorkerSpec, done: threading.Event, stop: threading.Event,
          report: Callable[[int, int], object]) -> None:
    """Analyse the queue as the import fills it; after ``done``, what is left, once."""
    from docsys import checkpoints, events
    from docsys.compliance import pending
    from docsys.db import make_engine, make_session_factory

    engine = make_engine(spec.url, busy_timeout=spec.busy_timeout,
                         write_poll=WRITE_POLL_SECONDS)
    factory = make_session_factory(engine, audit_key=spec.audit_key)
    if spec.settings.get("INSTANCE_DIR"):
        events.install(factory, checkpoints.after_commit(factory, spec.settings))
    passed: set[int] = set()   # rows failed here (retried by the next run) or taken
    coming = coming_titles(spec.files)
    try:
        while not stop.is_set():
            over = done.is_set()   # read first: all that the import queued is committed

            def group(rows: int) -> None:   # a group committed: say it at once
                report(rows, 0)

            totals = pending.process(factory, passed=passed, until=stop.is_set,
                                     progress=group, coming=coming)
            if totals["fallidas"]:
                report(0, totals["fallidas"])
            if over:
                break
            if not any(totals.values()):
                done.wait(POLL_SECONDS)
    finally:
        engine.dispose()


def coming_titles(paths: Iterable[str]) -> list[NamedNorm]:
    """The norms of an import's structured files by title, as the import will store them
    (the front matter's sumilla, number and date, and the number the heading prints).

    A norm analysed while the import runs finds, in its clauses, a norm named only by its
    title ("el Código de Procedimientos Penales") among these too: the relations read do
    not depend on the files' order, and are those an analysis after the import reads.
    Only each file's first ``HEAD_BYTES`` are read (the front matter and the heading)."""
    from docsys.archive.frontmatter import read_structured
    from docsys.compliance.citations import parse_norm_reference

    named = []
    for path in paths:
        try:
            with open(path, "rb") as handle:
                head = handle.read(HEAD_BYTES)
        except OSError:
            continue   # the import reports it
        structured = read_structured(head.decode("utf-8", "ignore"))
        if structured is None or not structured.official_number:
            continue
        meta = structured.metadata
        reference = parse_norm_reference(structured.official_number, meta.doc_type)
        if reference is None:
            continue
        named.append((meta.sumilla or structured.official_number, reference,
                      meta.stored_date()))
    return named


if __name__ == "__main__":
    sys.exit(main())
