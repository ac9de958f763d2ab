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
from docsys.models import Document, NumberSequence, Office
from search.numbers import number_key

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


def highest_in_archive(session: Session, doc_type: str, office_code: str, year: int) -> int:
    """The highest number of this type, office and year any stored norm already carries
    (imported norms included), read from their number keys ("RA-15-2026"); 0 if none."""
    prefix = number_key(doc_type, "1", year).rsplit("-", 2)[0]
    if not prefix:
        return 0
    rows = session.scalars(
        select(Document.number_key).join(Office, Office.id == Document.office_id).where(
            Document.number_key.like(f"{prefix}-%-{year}"), Office.code == office_code,
            Document.official_number.is_not(None)))
    highest = 0
    for key in rows:
        middle = (key or "")[len(prefix) + 1:-(len(str(year)) + 1)]
        if middle.isdigit():
            highest = max(highest, int(middle))
    return highest


def peek_next(session: Session, doc_type: str, office_code: str, year: int) -> int:
    """The number the next issue would take now (nothing locked or taken)."""
    last = session.scalar(select(NumberSequence.last_number).where(
        NumberSequence.doc_type == doc_type, NumberSequence.office_code == office_code,
        NumberSequence.year == year)) or 0
    return max(last, highest_in_archive(session, doc_type, office_code, year)) + 1


def take_next(session: Session, doc_type: str, office_code: str, year: int) -> int:
    """Lock the sequence row (creating it on first use) and return the next number: one
    after the last given, and after the highest already in the archive (one number space
    for imported and issued norms)."""
    values = {"doc_type": doc_type, "office_code": office_code, "year": year, "last_number": 0}
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(NumberSequence).values(**values).on_conflict_do_nothing(
        index_elements=["doc_type", "office_code", "year"]))
    # The row exists now: inserted above, or already there.
    row = session.scalars(select(NumberSequence).where(
        NumberSequence.doc_type == doc_type, NumberSequence.office_code == office_code,
        NumberSequence.year == year).with_for_update()).one()
    row.last_number = max(row.last_number,
                          highest_in_archive(session, doc_type, office_code, year)) + 1
    session.flush()
    return row.last_number
