"""Jinja filters for the web pages."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from docsys.models import ROLE_LABELS

# Peru keeps UTC-5 all year (no daylight saving time).
PERU_TZ = timezone(timedelta(hours=-5), "PET")


def localtime(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(PERU_TZ).strftime("%d/%m/%Y %H:%M")


def role_labels(roles) -> str:
    return ", ".join(ROLE_LABELS.get(r, r) for r in sorted(roles))


def register_filters(app) -> None:
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.filters["role_labels"] = role_labels
