"""Throttling of password and second-factor attempts, per account and per address.

The attempts live in the database (``login_attempts``), so every worker process (gunicorn
runs several) sees the same count. The wait grows in steps with the failures since the
account's last success (within a day): from the 5th failure, 1, 2, 4, 8... up to 60
minutes after the latest one. One address (IP) gets more room (20 failures within an hour,
for many people behind one router) and then the same steps. A locked attempt is refused
without checking the password and without counting, so a lock cannot be made longer by
hammering it, nor an account locked longer than an hour by strangers.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from docsys.errors import TooManyAttempts
from docsys.models import LoginAttempt
from docsys.models._common import as_utc, utcnow

ACCOUNT_FREE_FAILURES = 5
ACCOUNT_WINDOW = timedelta(hours=24)
ADDRESS_FREE_FAILURES = 20
ADDRESS_WINDOW = timedelta(hours=1)
MAX_WAIT = timedelta(minutes=60)
KEEP = timedelta(days=2)


@dataclass(frozen=True)
class _Failures:
    count: int
    latest: datetime | None


def _wait(failures: _Failures, free: int, now: datetime) -> int:
    """Seconds still to wait after ``failures`` (0: free to try)."""
    if failures.count < free or failures.latest is None:
        return 0
    wait = min(MAX_WAIT, timedelta(minutes=2 ** (failures.count - free)))
    return max(0, math.ceil((as_utc(failures.latest) + wait - now).total_seconds()))


def _account_failures(session: Session, kind: str, username: str, now: datetime) -> _Failures:
    since = now - ACCOUNT_WINDOW
    last_success = session.scalar(select(func.max(LoginAttempt.at)).where(
        LoginAttempt.username == username, LoginAttempt.kind == kind,
        LoginAttempt.succeeded.is_(True), LoginAttempt.at > since))
    count, latest = session.execute(select(func.count(), func.max(LoginAttempt.at)).where(
        LoginAttempt.username == username, LoginAttempt.kind == kind,
        LoginAttempt.succeeded.is_(False),
        LoginAttempt.at > (as_utc(last_success) if last_success else since))).one()
    return _Failures(count, latest)


def _address_failures(session: Session, kind: str, ip: str, now: datetime) -> _Failures:
    count, latest = session.execute(select(func.count(), func.max(LoginAttempt.at)).where(
        LoginAttempt.ip == ip, LoginAttempt.kind == kind, LoginAttempt.succeeded.is_(False),
        LoginAttempt.at > now - ADDRESS_WINDOW)).one()
    return _Failures(count, latest)


def check(session: Session, kind: str, username: str, ip: str,
          now: datetime | None = None) -> None:
    """Raise TooManyAttempts while the account or the address must wait."""
    now = now or utcnow()
    username = (username or "").strip().lower()[:80]
    wait = _wait(_account_failures(session, kind, username, now), ACCOUNT_FREE_FAILURES, now)
    if ip:
        wait = max(wait, _wait(_address_failures(session, kind, ip[:64], now),
                               ADDRESS_FREE_FAILURES, now))
    if wait:
        raise TooManyAttempts(wait)


def record(session: Session, kind: str, username: str, ip: str, succeeded: bool,
           now: datetime | None = None) -> None:
    """Keep one attempt (and forget those older than two days)."""
    now = now or utcnow()
    session.add(LoginAttempt(kind=kind, username=(username or "").strip().lower()[:80],
                             ip=(ip or "")[:64], succeeded=succeeded, at=now))
    if not succeeded:
        session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP))
    session.flush()
