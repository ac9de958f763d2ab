"""Keep the search index in step with the database through the outbox table.

The search outbox subscriber of the domain events (docsys.subscribers) calls
``enqueue(session, document_id)`` inside the transaction that changes a document: the
outbox row commits (or rolls back) with the change itself, so a failed or
unreachable index never loses or blocks a save. ``process_outbox`` later reads the rows,
loads the documents' current state through the application's ``load_docs`` and updates the
index; rows are deleted only once the backend has accepted the batch, otherwise they stay
(``attempts`` + 1) and the next run catches up. ``reindex_all`` rebuilds everything from
the database behind a progress bar.

Consumers never hold a database write lock while talking to the index: rows and documents
are read in a read-only transaction, the index is updated with no transaction open, and
the rows are deleted in a short transaction afterwards. One consumer runs at a time
(thread lock, plus a PostgreSQL advisory lock or a lock file next to a SQLite database), so
an older read can never overwrite a newer one in the index.

This is docsys' side of the index (its table, its transaction modes); the ``search`` package
holds the engines and imports nothing from docsys.
"""
from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, Sequence

from sqlalchemy import Engine, Row, delete, func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from docsys.db import read_only_transactions, transaction, write_transactions
from docsys.models.search import SearchOutbox
from search import SearchBackend
from search.base import SearchDoc, SearchUnavailable

log = logging.getLogger("docsys.search")

LoadDocs = Callable[[Session, Sequence[int]], Iterable[SearchDoc]]
IterDocs = Callable[[Session], Iterable[SearchDoc]]
OnError = Callable[[Exception, list[int]], Any]
Total = int | Callable[[Session], int] | None

# pg_advisory_lock(class, object) of the outbox consumer: this class, and the schema the
# tables live in (advisory locks are database-wide: installations sharing one database in
# separate schemas must not block each other).
_ADVISORY_CLASS = 735_120_411
REINDEX_WAIT = 60.0            # seconds reindex_all waits for a running consumer to finish
# One in-process lock per engine (per database): this process's consumers of one database
# take turns before the cross-process lock; those of another (a second app, a test's)
# never wait for them. Held weakly: an engine disposed of takes its lock along.
_local_locks: "weakref.WeakKeyDictionary[Engine, threading.Lock]" = weakref.WeakKeyDictionary()
_no_engine_lock = threading.Lock()
_local_locks_guard = threading.Lock()

# Domain events after which the index must show their document anew.
REINDEXING = frozenset({"create", "save", "restore", "transition", "issue", "publish",
                        "archive_import", "archive_confirm", "relation_confirm",
                        "relation_reject", "legal_status"})


def enqueue(session: Session, document_id: int, actor_id: int | None = None) -> None:
    """Ask for ``document_id`` to be (re)indexed once the caller's transaction commits
    (``actor_id``: the user whose change it is, whose searches wait for it)."""
    session.add(SearchOutbox(document_id=int(document_id), actor_id=actor_id))


def enqueue_many(session: Session, document_ids: Iterable[int]) -> None:
    session.add_all([SearchOutbox(document_id=int(i)) for i in document_ids])


def pending(session_factory: sessionmaker[Session]) -> int:
    """Rows waiting in the outbox."""
    with _read(session_factory) as session:
        return int(session.scalar(select(func.count()).select_from(SearchOutbox)) or 0)


@contextmanager
def _read(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A read-only unit of work (on SQLite a deferred BEGIN: it never waits for writers)."""
    with read_only_transactions():
        session = session_factory()
        try:
            yield session
        finally:
            session.rollback()
            session.close()


@contextmanager
def _write(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A short writing unit of work (on SQLite it takes the write lock up front, even when
    called while serving a read-only request)."""
    with write_transactions(), transaction(session_factory) as session:
        yield session


@contextmanager
def _consumer_lock(session_factory: sessionmaker[Session], wait: float = 0.0) -> Iterator[bool]:
    """Yield True if this call is the only outbox consumer now (waiting up to ``wait``
    seconds for another to finish), else False."""
    deadline = time.monotonic() + wait
    bind = session_factory.kw.get("bind")
    engine = bind if isinstance(bind, Engine) else None
    local = _local_lock(engine)
    acquired = local.acquire(timeout=wait) if wait > 0 else local.acquire(blocking=False)
    if not acquired:
        yield False
        return
    try:
        if engine is None:
            yield True
        elif engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                def attempt() -> bool:
                    return bool(conn.execute(text(
                        "SELECT pg_try_advisory_lock(:k, hashtext(current_schema()))"),
                        {"k": _ADVISORY_CLASS}).scalar())
                if not _retry(attempt, deadline):
                    yield False
                    return
                try:
                    yield True
                finally:
                    conn.execute(text(
                        "SELECT pg_advisory_unlock(:k, hashtext(current_schema()))"),
                        {"k": _ADVISORY_CLASS})
        elif engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
            import fcntl

            fd = os.open(f"{engine.url.database}.search-outbox.lock", os.O_RDWR | os.O_CREAT,
                         0o644)
            try:
                def attempt() -> bool:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        return True
                    except BlockingIOError:
                        return False
                if not _retry(attempt, deadline):
                    yield False
                    return
                try:
                    yield True
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        else:
            yield True
    finally:
        local.release()


def _local_lock(engine: Engine | None) -> threading.Lock:
    if engine is None:
        return _no_engine_lock
    with _local_locks_guard:
        return _local_locks.setdefault(engine, threading.Lock())


def _retry(attempt: Callable[[], bool], deadline: float) -> bool:
    while True:
        if attempt():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def _apply(backend: SearchBackend, document_ids: Sequence[int], docs: list[SearchDoc]) -> None:
    """Make the index match ``docs`` for ``document_ids``: documents not returned by the
    application (deleted, or not to be indexed) leave the index."""
    present = {int(d.document_id) for d in docs}
    missing = [i for i in document_ids if i not in present]
    if missing:
        backend.delete_documents(missing)
    if docs:
        backend.index(docs)


def _bump(session_factory: sessionmaker[Session], row_ids: Sequence[int]) -> None:
    try:
        with _write(session_factory) as session:
            for chunk in _chunks(list(row_ids), 500):
                session.execute(update(SearchOutbox).where(SearchOutbox.id.in_(chunk))
                                .values(attempts=SearchOutbox.attempts + 1))
    except Exception:  # reporting a failure must not fail in turn
        log.exception("No se pudo anotar el reintento de la cola de indexación.")


def _done(session_factory: sessionmaker[Session], row_ids: Sequence[int]) -> bool:
    """Delete completed rows. A failure only means they are indexed again next time."""
    try:
        with _write(session_factory) as session:
            for chunk in _chunks(list(row_ids), 500):
                session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(chunk)))
        return True
    except Exception:
        log.exception("No se pudieron retirar filas ya indexadas de la cola.")
        return False


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def process_outbox(session_factory: sessionmaker[Session], backend: SearchBackend,
                   load_docs: LoadDocs, batch_size: int = 500, *,
                   max_batches: int | None = None, on_error: OnError | None = None,
                   on_busy: Callable[[], None] | None = None) -> int:
    """Index what the outbox asks for. Returns the number of outbox rows completed.

    ``load_docs(session, document_ids)`` returns the SearchDocs to index for those
    documents; a document it leaves out is removed from the index. Errors are logged (and
    passed to ``on_error(exc, document_ids)``), never raised: the rows stay with
    ``attempts`` + 1. When the backend is unavailable the run stops at once; when one
    document fails, the others of its batch still go through. Rows that failed before are
    retried after fresh ones. Another consumer already running makes this call return 0
    (that one keeps going until the outbox is empty) and calls ``on_busy()``: a row
    committed just as that one found the outbox empty is left to this caller's next try.
    """
    done = 0
    with _consumer_lock(session_factory) as alone:
        if not alone:
            if on_busy is not None:
                on_busy()
            return 0
        batches = 0
        while max_batches is None or batches < max_batches:
            batches += 1
            rows: Sequence[Row[int, int]] = []
            row_ids: list[int] = []
            doc_ids: list[int] = []
            try:
                with _read(session_factory) as session:
                    rows = session.execute(
                        select(SearchOutbox.id, SearchOutbox.document_id)
                        .order_by(SearchOutbox.attempts, SearchOutbox.id).limit(batch_size)).all()
                    if not rows:
                        break
                    row_ids = [r.id for r in rows]
                    doc_ids = sorted({int(r.document_id) for r in rows})
                    docs = [SearchDoc.coerce(d) for d in load_docs(session, doc_ids)]
                _apply(backend, doc_ids, docs)
            except Exception as exc:
                if not rows:
                    log.exception("No se pudo leer la cola de indexación.")
                    break
                _report(exc, doc_ids, on_error)
                if isinstance(exc, SearchUnavailable) or len(doc_ids) == 1:
                    _bump(session_factory, row_ids)
                else:
                    done += _one_by_one(session_factory, backend, load_docs, rows, on_error)
                break
            if not _done(session_factory, row_ids):
                break
            done += len(row_ids)
            if len(rows) < batch_size:
                break
    return done


def _one_by_one(session_factory: sessionmaker[Session], backend: SearchBackend,
                load_docs: LoadDocs, rows: Sequence[Row[int, int]],
                on_error: OnError | None) -> int:
    """After a batch failed for a reason other than the backend being down: try each
    document alone so one bad document does not hold back the rest."""
    by_doc: dict[int, list[int]] = {}
    for r in rows:
        by_doc.setdefault(int(r.document_id), []).append(r.id)
    items = list(by_doc.items())
    done = 0
    for pos, (doc_id, row_ids) in enumerate(items):
        try:
            with _read(session_factory) as session:
                docs = [SearchDoc.coerce(d) for d in load_docs(session, [doc_id])]
            _apply(backend, [doc_id], docs)
        except Exception as exc:
            _report(exc, [doc_id], on_error)
            if isinstance(exc, SearchUnavailable):  # down now: leave the rest for later
                _bump(session_factory, [rid for _, ids in items[pos:] for rid in ids])
                return done
            _bump(session_factory, row_ids)
            continue
        if _done(session_factory, row_ids):
            done += len(row_ids)
    return done


def _report(exc: Exception, doc_ids: list[int], on_error: OnError | None) -> None:
    log.warning("Indexación pendiente de %d documento(s) (%s): %s", len(doc_ids),
                ", ".join(map(str, doc_ids[:10])) + ("…" if len(doc_ids) > 10 else ""), exc)
    if on_error is not None:
        try:
            on_error(exc, list(doc_ids))
        except Exception:
            log.exception("on_error falló")


def reindex_all(session_factory: sessionmaker[Session], backend: SearchBackend,
                iter_docs: IterDocs, total: Total = None,
                progress: bool | Callable[[int], Any] = True,
                load_docs: LoadDocs | None = None) -> int:
    """Rebuild the whole index from the database and swap it in (searches keep working).

    ``iter_docs(session)`` yields every SearchDoc to index (stream it: ``yield_per``);
    ``total`` (a number, or a function of the session) sizes the progress bar;
    ``progress`` is True for a tqdm bar on stderr, False for none, or a callable receiving
    increments. Outbox rows present when the rebuild started are covered by it and are
    removed afterwards. No other consumer runs meanwhile: rows enqueued during the rebuild
    stay, and are processed right after the swap when ``load_docs`` is given (else by the
    next ``process_outbox``). Returns the number indexed.
    """
    # Hold the consumer lock throughout: changes saved during the rebuild wait in the
    # outbox and reach the new index right after the swap (nothing applied to the old
    # index only, then lost).
    with _consumer_lock(session_factory, wait=REINDEX_WAIT) as alone:
        if not alone:
            raise SearchUnavailable("La cola de indexación está ocupada; intente de nuevo.")
        count = _reindex(session_factory, backend, iter_docs, total, progress)
    if load_docs is not None:
        process_outbox(session_factory, backend, load_docs)
    return count


def _reindex(session_factory: sessionmaker[Session], backend: SearchBackend,
             iter_docs: IterDocs, total: Total, progress: bool | Callable[[int], Any]) -> int:
    with _read(session_factory) as session:
        covered = list(session.scalars(select(SearchOutbox.id)))
        n = total(session) if callable(total) else total
        bar = None
        if progress is True:
            from tqdm import tqdm

            bar = tqdm(total=n, unit="doc", desc="Reindexando búsqueda", dynamic_ncols=True)
            callback = bar.update
        elif callable(progress):
            callback = progress
        else:
            callback = None
        try:
            count = backend.rebuild(iter_docs(session), progress=callback)
        finally:
            if bar is not None:
                bar.close()
    if covered:
        _done(session_factory, covered)
    return count
