"""Official numbers: per document type, issuing office and calendar year; gap-free.

``take_next`` must run in the same transaction that records the signed PDF: the
sequence row stays locked until that transaction ends (SELECT ... FOR UPDATE on
PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers), so a failed signing
rolls the number back and concurrent issues get consecutive numbers.
"""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from docsys.errors import ValidationError
from docsys.models import NumberSequence

_FIELD = re.compile(r"\{(\w+)(?::[^}]*)?\}")
ALLOWED_KEYS = {"seq", "year", "muni", "oficina"}


def check_pattern(pattern: str) -> None:
    unknown = set(_FIELD.findall(pattern)) - ALLOWED_KEYS
    if unknown or "seq" not in _FIELD.findall(pattern):
        raise ValidationError("El formato de numeración debe incluir {seq} y solo puede usar "
                              "{seq}, {year}, {muni} y {oficina}.")


def format_number(pattern: str, seq: int, year: int, muni: str, office: str) -> str:
    check_pattern(pattern)
    return pattern.format(seq=seq, year=year, muni=muni, oficina=office)


def official_number(heading: str, pattern: str, seq: int, year: int, muni: str, office: str) -> str:
    """"RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0045-2024-GM-MDM" from the template's heading."""
    number = format_number(pattern, seq, year, muni, office)
    return heading.replace("{numero}", number) if "{numero}" in heading else f"{heading} {number}"


def take_next(session: Session, doc_type: str, office_code: str, year: int) -> int:
    """Lock the sequence row (creating it on first use) and return the next number."""
    values = {"doc_type": doc_type, "office_code": office_code, "year": year, "last_number": 0}
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(NumberSequence).values(**values).on_conflict_do_nothing(
        index_elements=["doc_type", "office_code", "year"]))
    # The row exists now: inserted above, or already there.
    row = session.scalars(select(NumberSequence).where(
        NumberSequence.doc_type == doc_type, NumberSequence.office_code == office_code,
        NumberSequence.year == year).with_for_update()).one()
    row.last_number += 1
    session.flush()
    return row.last_number
