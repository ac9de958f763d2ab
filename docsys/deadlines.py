"""Deadlines in business days (días hábiles): how long each state may wait for its next step.

A document waits from its last change (``updated_at``: a move, a derivation, a save). Its
deadline is that day plus the state's number of business days, skipping Saturdays, Sundays,
Peru's public holidays (the maintained ``holidays`` package) and the local holidays an
administrator adds (``LocalHoliday``). Days are counted in Lima's calendar.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays as public_holidays
from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import Session

from docsys import events, policy
from docsys.errors import Conflict, ValidationError
from docsys.models import Document, LocalHoliday, User
from docsys.states import Status

LIMA = ZoneInfo("America/Lima")
# Business days a document may wait in each state before it is overdue (a draft has none:
# nobody is waiting for it yet).
DEFAULT_DAYS: dict[str, int] = {Status.IN_REVIEW: 5, Status.OBSERVED: 3, Status.APPROVED: 3,
                                Status.ISSUED: 2}
SOON_DAYS = 1  # "por vencer": due today or on the next business day


def local_day(moment: datetime) -> date:
    if moment.tzinfo is None:  # SQLite gives back the stored UTC time without its zone
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(LIMA).date()


@dataclass(frozen=True)
class Calendar:
    """The non-working days of some years: Peru's public holidays and the local ones."""
    holidays: dict[date, str]

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def add_business_days(self, start: date, days: int) -> date:
        """The ``days``-th business day after ``start``."""
        day, left = start, days
        while left > 0:
            day += timedelta(days=1)
            if self.is_business_day(day):
                left -= 1
        return day

    def business_days_between(self, start: date, end: date) -> int:
        """Business days after ``start`` up to ``end`` (0 when ``end`` is not later)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_business_day(day)
        return count


@lru_cache(maxsize=16)
def _national(years: tuple[int, ...]) -> dict[date, str]:
    """Peru's public holidays of those years (computing them takes ~15 ms: kept)."""
    return dict(public_holidays.Peru(years=list(years), language="es").items())


def calendar(session: Session, years: range | None = None) -> Calendar:
    today = date.today()
    years = years or range(today.year - 1, today.year + 2)
    days = dict(_national(tuple(years)))
    for row in session.scalars(select(LocalHoliday)):
        days[row.day] = row.name
    return Calendar(days)


def deadline_days(settings: dict | None) -> dict[str, int]:
    days = dict(DEFAULT_DAYS)
    days.update((settings or {}).get("DEADLINE_DAYS") or {})
    return days


@dataclass(frozen=True)
class Deadline:
    due: date
    overdue: bool
    soon: bool


def deadline_of(document: Document, cal: Calendar, days: dict[str, int],
                today: date) -> Deadline | None:
    """When the document's current step is due, or None when its state has no deadline."""
    limit = days.get(document.status)
    if not limit:
        return None
    due = cal.add_business_days(local_day(document.updated_at), limit)
    return Deadline(due=due, overdue=due < today,
                    soon=today <= due and cal.business_days_between(today, due) <= SOON_DAYS)


def _latest_start(cal: Calendar, limit: int, today: date, overdue: bool) -> date:
    """The last day a document may have started waiting and be overdue today (or, with
    ``overdue=False``, be due by the next business day)."""
    day = today
    if overdue:
        while cal.add_business_days(day, limit) >= today:
            day -= timedelta(days=1)
    else:
        horizon = cal.add_business_days(today, SOON_DAYS)
        while cal.add_business_days(day, limit) > horizon:
            day -= timedelta(days=1)
    return day


def deadline_condition(cal: Calendar, days: dict[str, int], today: date, which: str):
    """SQL: documents overdue today ("vencido") or due by the next business day
    ("por_vencer", overdue ones included)."""
    conditions = []
    for status, limit in days.items():
        if not limit:
            continue
        last = _latest_start(cal, limit, today, overdue=which == "vencido")
        cutoff = datetime.combine(last + timedelta(days=1), time(0), tzinfo=LIMA)
        cutoff = cutoff.astimezone(timezone.utc)  # stored times are UTC (SQLite keeps no zone)
        conditions.append(and_(Document.status == status, Document.updated_at < cutoff))
    return or_(*conditions) if conditions else false()


def add_local_holiday(session: Session, actor: User, day, name) -> LocalHoliday:
    """An administrator declares a local non-working day."""
    policy.require(actor, policy.Action.ADMINISTER, None,
                   "Solo un administrador registra feriados locales.")
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day.strip())
        except ValueError:
            raise ValidationError("Indique la fecha del feriado (dd/mm/aaaa).") from None
    if not isinstance(day, date):
        raise ValidationError("Indique la fecha del feriado (dd/mm/aaaa).")
    name = (name or "").strip() if isinstance(name, str) else ""
    if not name or len(name) > 200:
        raise ValidationError("Indique el nombre del feriado (hasta 200 caracteres).")
    if session.scalar(select(LocalHoliday).where(LocalHoliday.day == day)) is not None:
        raise Conflict(f"El {day:%d/%m/%Y} ya figura como feriado local.")
    row = LocalHoliday(day=day, name=name)
    session.add(row)
    session.flush()
    events.record(session, "holiday_add", actor, None, day=day.isoformat(), holiday=name)
    return row


def local_holidays(session: Session) -> list[LocalHoliday]:
    return list(session.scalars(select(LocalHoliday).order_by(LocalHoliday.day)))
