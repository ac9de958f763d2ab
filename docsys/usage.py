"""Per-user limits on expensive work (downloads drawn as PDF/DOCX, compliance checks,
archive uploads): so many requests of a kind per window of seconds.

The count lives in the database (``usage_counters``, one row per user and kind, one
atomic upsert per request), so every gunicorn worker and every machine sees the same
count without any other server. Fixed windows: at most twice the limit can pass around a
window's edge, which is enough to keep one user from holding the cores.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from sqlalchemy import case
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from docsys.errors import TooManyRequests
from docsys.models import UsageCounter, User

KIND_LABELS = {"render": "descargas en PDF o DOCX", "compliance": "revisiones de cumplimiento",
               "import": "cargas al archivo"}


@dataclass(frozen=True)
class Rule:
    limit: int
    seconds: int


def parse_rules(text: str) -> dict[str, Rule]:
    """``"render=30/60,compliance=20/60"`` -> {"render": Rule(30, 60), ...}."""
    rules = {}
    for part in (text or "").split(","):
        if part.strip():
            kind, _, spec = part.partition("=")
            limit, _, seconds = spec.partition("/")
            rules[kind.strip()] = Rule(int(limit), int(seconds))
    return rules


def count(connection: Connection, user: User, kind: str, rule: Rule,
          now: float | None = None) -> None:
    """Count one request of ``kind`` by ``user`` in the connection's transaction; past the
    rule's limit, TooManyRequests (HTTP 429) with the seconds to wait."""
    now = time.time() if now is None else now
    window = int(now // rule.seconds)
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    values = insert(UsageCounter).values(key=f"{kind}:{user.id}", window_no=window, hits=1)
    upsert = values.on_conflict_do_update(
        index_elements=["key"],
        set_={"hits": case((UsageCounter.window_no == window, UsageCounter.hits + 1),
                           else_=1),
              "window_no": window},
    ).returning(UsageCounter.hits)
    hits = connection.execute(upsert).scalar_one()
    if hits > rule.limit:
        wait = max(1, int((window + 1) * rule.seconds - now + 0.999))
        raise TooManyRequests(
            f"Alcanzó el límite de {rule.limit} {KIND_LABELS.get(kind, 'solicitudes')} cada "
            f"{_span(rule.seconds)}. Espere {_span(wait)} e intente de nuevo.",
            retry_after=wait)


def _span(seconds: int) -> str:
    if seconds % 60 == 0 and seconds >= 60:
        minutes = seconds // 60
        return "1 minuto" if minutes == 1 else f"{minutes} minutos"
    return "1 segundo" if seconds == 1 else f"{seconds} segundos"


@contextmanager
def brief_lock_wait(bind: Engine | Connection,
                    milliseconds: int = 1000) -> Iterator[Connection]:
    """A connection of its own that waits at most ``milliseconds`` for SQLite's write lock
    (instead of the usual 30 s): a count must not stall a request that only reads while
    a long write (an import) holds the lock. PostgreSQL locks one row only."""
    engine = bind.engine
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection if engine.dialect.name == "sqlite" \
            else None
        if raw is not None:
            raw.execute(f"PRAGMA busy_timeout={int(milliseconds)}")
        try:
            yield connection
        finally:
            if raw is not None:
                raw.execute("PRAGMA busy_timeout=30000")
