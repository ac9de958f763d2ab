"""Server-side sessions: the browser's cookie carries only a random key; the session row
says whose it is, since when, from where, and whether it has ended.

A session is valid while not ended, used within the idle timeout and younger than the
absolute timeout. ``last_seen_at`` is written at most once a minute (``TOUCH_EVERY``), so
reading pages does not write on every request.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any, Callable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from docsys.errors import NotFound
from docsys.models import User, UserSession
from docsys.models._common import as_utc, utcnow

TOUCH_EVERY = timedelta(minutes=1)

# Why a session ended (ended_reason), as shown to people.
ENDED = {
    "logout": "Cerró sesión",
    "owner": "Cerrada por el usuario",
    "admin": "Cerrada por un administrador",
    "password": "Cambio de contraseña",
    "deactivated": "Usuario desactivado",
    "idle": "Inactividad",
    "expired": "Duración máxima",
}


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def start(session: Session, user: User, ip: str = "", user_agent: str = "") -> str:
    """A new session for ``user``: returns the key for the cookie (only its hash is kept)."""
    key = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(UserSession(key_hash=_hash(key), user_id=user.id, created_at=now,
                            last_seen_at=now, ip=(ip or "")[:64],
                            user_agent=(user_agent or "")[:300]))
    session.flush()
    return key



def expiry_reason(row: UserSession, idle: timedelta, maximum: timedelta,
                  now: datetime) -> str | None:
    """Why a session that has not been ended is no longer valid (or None)."""
    if now - as_utc(row.created_at) >= maximum:
        return "expired"
    if now - as_utc(row.last_seen_at) >= idle:
        return "idle"
    return None


def current(session: Session, later: Callable[[Any], None] | None, key: str, user_id: int,
            idle: timedelta, maximum: timedelta, now: datetime | None = None) -> UserSession | None:
    """The open session with this key for this user, or None (unknown, ended, timed out).

    A timed-out session is ended, and a stale ``last_seen_at`` refreshed, by a statement
    handed to ``later`` (the web layer runs it after the request, so a read-only request
    stays read-only), or else executed in ``session``."""
    if not key:
        return None
    now = now or utcnow()
    row = session.scalar(select(UserSession).where(UserSession.key_hash == _hash(key)))
    if row is None or row.user_id != user_id or row.ended_at is not None:
        return None
    reason = expiry_reason(row, idle, maximum, now)
    if reason is not None:
        _write(session, later, row.id, ended_at=now, ended_reason=reason)
        return None
    if now - as_utc(row.last_seen_at) >= TOUCH_EVERY:
        _write(session, later, row.id, last_seen_at=now)
    return row


def _write(session: Session, later: Callable[[Any], None] | None, row_id: int,
           **values) -> None:
    statement = update(UserSession).where(UserSession.id == row_id,
                                          UserSession.ended_at.is_(None)).values(**values)
    if later is None:
        session.execute(statement)
    else:
        later(statement)


def end(session: Session, row: UserSession, reason: str) -> None:
    if row.ended_at is None:
        row.ended_at = utcnow()
        row.ended_reason = reason
        session.flush()


def end_by_key(session: Session, key: str, reason: str = "logout") -> None:
    row = session.scalar(select(UserSession).where(UserSession.key_hash == _hash(key or "")))
    if row is not None:
        end(session, row, reason)


def end_all(session: Session, user: User, reason: str, keep_key: str | None = None) -> int:
    """End every open session of ``user`` (but the one with ``keep_key``); how many ended."""
    statement = update(UserSession).where(UserSession.user_id == user.id,
                                          UserSession.ended_at.is_(None))
    if keep_key:
        statement = statement.where(UserSession.key_hash != _hash(keep_key))
    result = session.execute(statement.values(ended_at=utcnow(), ended_reason=reason))
    return int(getattr(result, "rowcount", 0) or 0)


def open_sessions(session: Session, user: User, idle: timedelta, maximum: timedelta,
                  now: datetime | None = None) -> list[UserSession]:
    """The user's sessions that are still valid, the most recently used first."""
    now = now or utcnow()
    rows = session.scalars(select(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None),
        UserSession.created_at > now - maximum, UserSession.last_seen_at > now - idle,
    ).order_by(UserSession.last_seen_at.desc()))
    return list(rows)


def get_session(session: Session, session_id: int) -> UserSession:
    row = session.get(UserSession, session_id)
    if row is None:
        raise NotFound("La sesión no existe.")
    return row


def is_current(row: UserSession, key: str | None) -> bool:
    return bool(key) and row.key_hash == _hash(key or "")
