"""Engine and session setup: SQLite in WAL mode by default, PostgreSQL when configured."""
from __future__ import annotations

import os
import sqlite3
import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import orjson
from sqlalchemy import create_engine, event, make_url
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


class Base(DeclarativeBase):
    pass


# On SQLite, transactions take the write lock up front (BEGIN IMMEDIATE) so concurrent
# writers queue instead of failing halfway; read-only work (GET requests) opts out so
# that readers never wait for a writer.
_sqlite_read_only: ContextVar[bool] = ContextVar("sqlite_read_only", default=False)


def set_read_only(value: bool):
    """Mark the current context's SQLite transactions as read-only (deferred BEGIN)."""
    return _sqlite_read_only.set(value)


def reset_read_only(token) -> None:
    """Undo a ``set_read_only`` (the token it returned)."""
    _sqlite_read_only.reset(token)


@contextmanager
def read_only_transactions():
    """Inside, SQLite transactions are deferred: plain reads that never wait for a writer."""
    token = _sqlite_read_only.set(True)
    try:
        yield
    finally:
        _sqlite_read_only.reset(token)


# SQLite write transactions begun in a context that set this poll for the write lock every
# so many seconds (``polling_writes``) instead of relying on SQLite's busy handler.
_sqlite_write_poll: ContextVar[float | None] = ContextVar("sqlite_write_poll", default=None)
WRITE_POLL_SECONDS = 0.002


@contextmanager
def polling_writes(poll: float = WRITE_POLL_SECONDS):
    """Inside, SQLite write transactions try for the lock every ``poll`` seconds (see
    ``_begin_polling``): a bulk import writing alongside the analysis worker takes the
    lock as soon as the worker's group commits, not up to 100 ms later."""
    token = _sqlite_write_poll.set(poll)
    try:
        yield
    finally:
        _sqlite_write_poll.reset(token)


@contextmanager
def write_transactions():
    """Inside, SQLite transactions take the write lock up front again (after a request that
    began read-only, see ``docsys.web.queues_for_writing``)."""
    token = _sqlite_read_only.set(False)
    try:
        yield
    finally:
        _sqlite_read_only.reset(token)


def _owner_only_sqlite_file(url: str) -> None:
    """Create a new SQLite database file readable by its owner only (SQLite would create it
    with the process umask; its -wal and -shm files take the database file's mode)."""
    database = make_url(url).database
    if database and database != ":memory:" and not os.path.exists(database):
        try:
            os.close(os.open(database, os.O_WRONLY | os.O_CREAT, 0o600))
        except OSError:
            pass  # a missing folder: SQLite says so when it connects


def make_engine(url: str, busy_timeout: float = 30.0, write_poll: float | None = None) -> Engine:
    """``busy_timeout``: how long a SQLite write waits for the lock before giving up (the
    user then reads a 503 "try again", never "database is locked"). ``write_poll``: try
    for the write lock every so many seconds (see ``_begin_polling``) instead of SQLite's
    busy handler."""
    if url.startswith("sqlite"):
        _owner_only_sqlite_file(url)
        engine = create_engine(url, connect_args={"timeout": busy_timeout,
                                                  "check_same_thread": False},
                               json_deserializer=orjson.loads)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            # Let SQLAlchemy own transactions; WAL lets readers work while one writer writes.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            if _sqlite_read_only.get():
                # A deferred BEGIN takes no lock and reads nothing (it cannot fail busy):
                # straight to the driver, not through a statement's whole execution, as it
                # opens every read-only request (a good part of a short API request's time).
                conn.connection.driver_connection.execute("BEGIN")
            elif poll := write_poll or _sqlite_write_poll.get():
                _begin_polling(conn, busy_timeout, poll)
            else:
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                         json_deserializer=orjson.loads)


def _begin_polling(conn: Connection, busy_timeout: float, poll: float) -> None:
    """BEGIN IMMEDIATE, tried again every ``poll`` seconds while another connection
    writes. SQLite's busy handler sleeps up to 100 ms between its tries, and so misses the
    short gaps between another writer's transactions (a bulk import's groups, some 70 ms
    apart): a second process writing alongside (docsys.analysis_worker) would wait for the
    whole import. Past ``busy_timeout`` it waits the usual way (and fails the usual way)."""
    driver = conn.connection.driver_connection
    assert driver is not None, "a connection in use has its driver connection"
    deadline = time.monotonic() + busy_timeout
    driver.execute("PRAGMA busy_timeout=0")
    try:
        while time.monotonic() < deadline:
            try:
                driver.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
            time.sleep(poll)
    finally:
        driver.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
    conn.exec_driver_sql("BEGIN IMMEDIATE")


_COMPILED: dict[tuple[str, Any], Any] = {}


def scalar(bind: Session | Connection, statement: Any, params: dict | None = None) -> Any:
    """The first column of the first row of ``statement`` (SQL text or a Core select),
    read in ``bind``: a session (its transaction, through SQLAlchemy), or a plain
    connection that has not begun one, where the driver runs it directly — a read that
    every request makes (the token generation, the search outbox) then costs a third as
    much. Each such read stands alone (SQLite: its own read transaction; PostgreSQL: the
    connection's, rolled back when it returns to the pool)."""
    if isinstance(bind, Session):
        return (bind.connection().exec_driver_sql(statement) if isinstance(statement, str)
                else bind.connection().execute(statement, params or {})).scalar()
    if bind.in_transaction():
        return (bind.exec_driver_sql(statement) if isinstance(statement, str)
                else bind.execute(statement, params or {})).scalar()
    dialect = bind.dialect
    if isinstance(statement, str):
        sql, args = statement, ()
    else:
        key = (dialect.name, statement)
        compiled = _COMPILED.get(key)
        if compiled is None:
            compiled = _COMPILED[key] = statement.compile(dialect=dialect)
        values = compiled.construct_params(params or {})
        sql = compiled.string
        args = (tuple(values[name] for name in compiled.positiontup)
                if compiled.positional else values)
    cursor = bind.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, args)
        row = cursor.fetchone()
    finally:
        cursor.close()
    return row[0] if row else None


def bookkeeping_write(engine: Engine, statements) -> bool:
    """Small writes that may be skipped (when a session or an API token was last used, a
    timed-out session's end): one short transaction of their own, run after the request's
    (so a request never holds two connections), that gives up after 0.2 s of waiting for
    a lock rather than delay anyone. False when skipped."""
    sqlite = engine.dialect.name == "sqlite"
    try:
        with read_only_transactions(), engine.connect() as conn:
            # the pooled connection's own timeout (DOCSYS_DATABASE_BUSY_TIMEOUT) comes back after
            usual = conn.exec_driver_sql("PRAGMA busy_timeout").scalar() if sqlite else None
            conn.exec_driver_sql("PRAGMA busy_timeout=200" if sqlite
                                 else "SET LOCAL lock_timeout = '200ms'")
            try:
                for statement in statements:
                    conn.execute(statement)
                conn.commit()
            finally:
                conn.rollback()
                if sqlite:
                    conn.exec_driver_sql(f"PRAGMA busy_timeout={int(usual or 0)}")
                    conn.commit()
        return True
    except DBAPIError:
        return False


AUDIT_KEY = "docsys.audit_key"


def make_session_factory(engine: Engine, audit_key: bytes | None = None) -> sessionmaker:
    """Sessions on ``engine``; ``audit_key`` (the secret that keys the audit chain, kept
    outside the database) travels in each session's ``info`` to the audit trail."""
    info = {AUDIT_KEY: audit_key} if audit_key else {}
    return sessionmaker(bind=engine, expire_on_commit=False, info=info)


@contextmanager
def transaction(session_factory: sessionmaker):
    """A unit of work: commit on success, roll back on any error."""
    session: Session = session_factory()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
