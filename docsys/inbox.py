"""Which documents a user sees, and which await them (the "Bandeja").

A document awaits a user when the next step of its state is theirs (docsys.policy's
``has_next_step``, written as SQL in ``policy.awaiting_condition``):

* borrador / observado: the drafters of its office (and its author);
* en revisión: every legal adviser, unless another adviser has it assigned; and the area
  head, until the area's visto bueno is on the current version;
* aprobado: the signing authority of the office that signs that type of norm;
* emitido: Secretaría General (the archive), which publishes it.

An assignment alone does not put a document in anybody's Bandeja: once approved it no
longer awaits the adviser it was assigned to, and a draft returned to its author awaits
the legal advisers again when re-sent.

The list of every document is searched, filtered (state, type, office, deadline), sorted by
last change either way and paged by keyset on ``(updated_at, id)`` (an index), so a page
costs the same at the first page and at the thousandth. Discarded drafts are not work:
they leave the Bandeja (and stay in the record).
"""
from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select, tuple_
from sqlalchemy.orm import Session, lazyload

from docsys import deadlines, policy
from docsys.models import Document, Office, User
from docsys.states import CLOSED, Origin, Status

PAGE_SIZE = 50
# A Bandeja row shows the office, the assignee and the state: the template (its definition is
# a large JSON) and the author (with their roles) are not loaded with every row.
_ROW_LOADING = (lazyload(Document.template_version), lazyload(Document.created_by))
MAX_QUERY = 200
SORTS = {"recientes": "Última modificación (recientes primero)",
         "antiguos": "Última modificación (antiguos primero)"}
DEADLINE_FILTERS = {"vencido": "Vencidos", "por_vencer": "Vencen hoy o mañana"}


def visible_documents_query(user: User):
    """The documents that are the user's work, within what they may see (docsys.policy)."""
    return select(Document).where(policy.visible_condition(policy.search_visibility(user)),
                                  policy.workspace_condition(user))


def awaiting_condition(session: Session, user: User):
    """The documents whose next step is this user's (see the module docstring)."""
    return policy.awaiting_condition(session, user)


def awaiting_documents(session: Session, user: User, limit: int = 100) -> list[Document]:
    """What awaits the user, oldest first (the longest-waiting file is handled first)."""
    return list(session.scalars(select(Document).where(awaiting_condition(session, user))
                                .options(*_ROW_LOADING)
                                .order_by(Document.updated_at.asc(), Document.id.asc())
                                .limit(limit)))


def awaiting_counts(session: Session, user: User) -> dict[str, int]:
    """How many documents await the user, per state, in the workflow's order."""
    rows = dict(session.execute(select(Document.status, func.count(Document.id))
                                .where(awaiting_condition(session, user))
                                .group_by(Document.status)).all())
    return {status.value: rows[status] for status in Status if rows.get(status)}


@dataclass
class InboxFilters:
    """What the Bandeja's form asks for; anything unknown is ignored, never an error."""
    q: str = ""
    status: str = ""
    doc_type: str = ""
    office: str = ""
    deadline: str = ""
    sort: str = "recientes"
    after: str = ""

    @classmethod
    def from_args(cls, args: Any) -> "InboxFilters":
        def get(name: str) -> str:
            value = args.get(name, "")
            return value.strip()[:MAX_QUERY] if isinstance(value, str) else ""
        filters = cls(q=get("q"), status=get("estado"), doc_type=get("tipo").upper(),
                      office=get("oficina").upper(), deadline=get("plazo"),
                      sort=get("orden") or "recientes", after=get("despues"))
        if filters.status not in {s.value for s in Status}:
            filters.status = ""
        if filters.deadline not in DEADLINE_FILTERS:
            filters.deadline = ""
        if filters.sort not in SORTS:
            filters.sort = "recientes"
        return filters

    def args(self, **changes: str) -> dict[str, str]:
        values = {"q": self.q, "estado": self.status, "tipo": self.doc_type,
                  "oficina": self.office, "plazo": self.deadline, "orden": self.sort}
        values.update(changes)
        return {key: value for key, value in values.items() if value}


@dataclass
class InboxRow:
    document: Document
    deadline: deadlines.Deadline | None


@dataclass
class InboxPage:
    rows: list[InboxRow]
    next_cursor: str = ""
    filters: InboxFilters = field(default_factory=InboxFilters)


def _encode_cursor(document: Document) -> str:
    raw = f"{document.updated_at.isoformat()}|{document.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, ident = raw.split("|")
        return datetime.fromisoformat(stamp), int(ident)
    except (ValueError, UnicodeDecodeError):
        return None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def inbox_page(session: Session, user: User, filters: InboxFilters, settings: dict | None = None,
               today: date | None = None, page_size: int = PAGE_SIZE) -> InboxPage:
    """One page of the user's documents, as ``filters`` ask (see the module docstring)."""
    today = today or deadlines.local_day(datetime.now(deadlines.LIMA))
    cal = deadlines.calendar(session)
    days = deadlines.deadline_days(settings)
    # Norms imported from the old archive are not work in progress: they live in search and
    # the archive pages, else thousands of them would bury the drafts.
    query = visible_documents_query(user).where(Document.origin != Origin.IMPORTED)
    if filters.status:
        query = query.where(Document.status == filters.status)
    else:
        query = query.where(Document.status.not_in(CLOSED))
    if filters.doc_type:
        query = query.where(Document.doc_type == filters.doc_type)
    if filters.office:
        query = query.where(Document.office_id.in_(
            select(Office.id).where(func.upper(Office.code) == filters.office)))
    if filters.q:
        pattern = _like(filters.q)
        query = query.where(or_(func.lower(Document.title).like(pattern, escape="\\"),
                                func.lower(Document.official_number).like(pattern, escape="\\")))
    if filters.deadline:
        query = query.where(deadlines.deadline_condition(cal, days, today, filters.deadline))
    newest_first = filters.sort != "antiguos"
    cursor = _decode_cursor(filters.after) if filters.after else None
    if cursor is not None:
        stamp, ident = cursor
        # a row-value comparison, so both databases seek in the (updated_at, id) index
        # instead of walking it from the top (an OR of two comparisons is only a filter)
        position = tuple_(Document.updated_at, Document.id)
        query = query.where(position < (stamp, ident) if newest_first
                            else position > (stamp, ident))
    order = ((Document.updated_at.desc(), Document.id.desc()) if newest_first
             else (Document.updated_at.asc(), Document.id.asc()))
    found = list(session.scalars(query.options(*_ROW_LOADING).order_by(*order)
                                 .limit(page_size + 1)))
    more = len(found) > page_size
    found = found[:page_size]
    rows = [InboxRow(d, deadlines.deadline_of(d, cal, days, today)) for d in found]
    return InboxPage(rows, _encode_cursor(found[-1]) if more else "", filters)


def inbox_documents(session: Session, user: User, status: str | None = None, limit: int = 200):
    """Every document of the user's (a state or all open ones), last changed first."""
    filters = InboxFilters(status=status if status in {s.value for s in Status} else "")
    return [row.document for row in
            inbox_page(session, user, filters, page_size=limit).rows]


def filter_choices(session: Session, user: User) -> dict[str, list[str]]:
    """The types and offices the filter lists offer."""
    types = sorted(t for t in session.scalars(select(Document.doc_type).distinct()) if t)
    offices = sorted(session.scalars(select(Office.code)))
    return {"types": types, "offices": offices}


def deadlines_for(session: Session, documents: list[Document], settings: dict | None = None,
                  today: date | None = None) -> dict[int, deadlines.Deadline | None]:
    today = today or deadlines.local_day(datetime.now(deadlines.LIMA))
    cal = deadlines.calendar(session)
    days = deadlines.deadline_days(settings)
    return {d.id: deadlines.deadline_of(d, cal, days, today) for d in documents}
