"""Jinja filters for the web pages."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

from docsys.compliance.archive import relation_scope
from docsys.models import ROLE_LABELS
from search.registry import registry

# Peru keeps UTC-5 all year (no daylight saving time).
PERU_TZ = timezone(timedelta(hours=-5), "PET")


def localtime(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(PERU_TZ).strftime("%d/%m/%Y %H:%M")


def dmy(value) -> str:
    """A date as the municipality writes it, dd/mm/yyyy (from a date or an ISO string);
    anything else is shown as it is."""
    if isinstance(value, datetime):
        return localtime(value)[:10]
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10]).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return "" if value is None else str(value)


def readable(details) -> str:
    """An audit entry's details for people: «clave: valor» pairs with accents as written
    (no JSON escapes such as \\u00d3); escaped by the template like any text."""
    if not isinstance(details, dict):
        return json.dumps(details, ensure_ascii=False)
    parts = []
    for key, value in details.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}: {shown}")
    return " · ".join(parts)


def role_labels(roles) -> str:
    return ", ".join(ROLE_LABELS.get(r, r) for r in sorted(roles))


def issuer(doc_type: str) -> str:
    """Who gives a norm of a type the municipality does not (a Ley: «Congreso de la
    República»), from the registry of types; "" for a municipal type, whose office is
    shown instead (a national norm's office is only the one that filed it)."""
    found = registry().get(doc_type)
    return found.body if found is not None and not found.municipal else ""


def register_filters(app) -> None:
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.filters["role_labels"] = role_labels
    app.jinja_env.filters["dmy"] = dmy
    app.jinja_env.filters["readable"] = readable
    app.jinja_env.filters["relation_scope"] = relation_scope
    app.jinja_env.filters["issuer"] = issuer
