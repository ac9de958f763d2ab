"""The institution as data: the official name of each year, kept in the database and
editable by an administrator (the documents of a year carry that year's name; the
``YEAR_NAME`` setting only serves a year without one)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from docsys import events, policy
from docsys.errors import ValidationError
from docsys.models import User, YearName

MAX_NAME = 300


def year_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(YearName.year, YearName.name)).tuples().all())


def with_year_names(session: Session, settings: Any) -> dict:
    """The rendering settings plus ``YEAR_NAMES`` (year -> official name), which
    ``rendering.layout.build_meta`` prefers to the single ``YEAR_NAME``."""
    return {**dict(settings or {}), "YEAR_NAMES": year_names(session)}


def set_year_name(session: Session, actor: User, year: Any, name: Any) -> YearName:
    policy.require(actor, policy.Action.ADMINISTER, None,
                   "Solo un administrador registra la denominación del año.")
    try:
        year = int(str(year).strip())
    except ValueError:
        raise ValidationError("Indique el año con cuatro cifras.") from None
    if not 1900 <= year <= 2200:
        raise ValidationError("Indique el año con cuatro cifras.")
    name = " ".join(name.split()) if isinstance(name, str) else ""
    if not name or len(name) > MAX_NAME:
        raise ValidationError(f"Indique la denominación (hasta {MAX_NAME} caracteres).")
    row = session.get(YearName, year)
    if row is None:
        row = YearName(year=year, name=name)
        session.add(row)
    else:
        row.name = name
    session.flush()
    events.record(session, "year_name", actor, None, year=year, year_name=name)
    return row
