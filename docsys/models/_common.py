"""Column helpers shared by the models."""
from datetime import datetime, timezone

from sqlalchemy import DateTime, event

from docsys.errors import ImmutableError


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def iso_utc(value: datetime | None) -> str | None:
    """A moment as the API writes it: ISO 8601 / RFC 3339 in UTC with its offset
    ("2026-12-06T17:00:00.123456+00:00"). SQLite gives back naive values; they are UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat()


def as_utc(moment: datetime) -> datetime:
    """A stored UTC moment with its zone (SQLite hands datetimes back without one)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def UTCDateTime():
    return DateTime(timezone=True)


def make_immutable(model, label: str):
    """Refuse any UPDATE or DELETE of rows of ``model``: they are written once."""

    @event.listens_for(model, "before_update")
    def _no_update(_mapper, _connection, target):
        raise ImmutableError(f"{label} es inmutable: no se puede modificar.")

    @event.listens_for(model, "before_delete")
    def _no_delete(_mapper, _connection, target):
        raise ImmutableError(f"{label} es inmutable: no se puede eliminar.")
