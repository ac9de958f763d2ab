"""Which documents a user sees, and which await them (the "Bandeja")."""
from __future__ import annotations

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session

from docsys.models import Document, Office, User
from docsys.permissions import READ_ALL_ROLES

STATUS_LABELS = {
    "borrador": "Borrador",
    "en_revision": "En revisión",
    "observado": "Observado",
    "aprobado": "Aprobado",
    "emitido": "Emitido",
    "publicado": "Publicado",
}


def visible_documents_query(user: User):
    query = select(Document)
    if not user.has_role(*READ_ALL_ROLES):
        query = query.where(or_(Document.office_id == user.office_id,
                                Document.created_by_id == user.id))
    return query


def awaiting_condition(user: User):
    """The documents whose next step is this user's: by assignment, or by role."""
    conditions = [and_(Document.assignee_id == user.id,
                       Document.status.in_(("borrador", "en_revision", "observado", "aprobado")))]
    if user.has_role("drafter"):
        conditions.append(and_(Document.status.in_(("borrador", "observado")),
                               or_(Document.office_id == user.office_id,
                                   Document.created_by_id == user.id)))
    if user.has_role("legal"):
        conditions.append(and_(Document.status == "en_revision",
                               or_(Document.assignee_id.is_(None), Document.assignee_id == user.id)))
    if user.has_role("signer"):
        heads_office = or_(Document.office_id.in_(select(Office.id).where(Office.head_id == user.id)),
                           and_(Document.office_id == user.office_id,
                                Document.office_id.in_(select(Office.id).where(Office.head_id.is_(None)))))
        conditions.append(and_(Document.status == "en_revision", heads_office))
        conditions.append(Document.status == "aprobado")
    if user.has_role("archivist"):
        conditions.append(Document.status == "emitido")
    return or_(*conditions) if conditions else false()


def awaiting_documents(session: Session, user: User, limit: int = 200) -> list[Document]:
    """What awaits the user, oldest first (the longest-waiting file is handled first)."""
    return list(session.scalars(select(Document).where(awaiting_condition(user))
                                .order_by(Document.updated_at.asc()).limit(limit)))


def awaiting_counts(session: Session, user: User) -> dict[str, int]:
    rows = session.execute(select(Document.status, func.count(Document.id))
                           .where(awaiting_condition(user)).group_by(Document.status))
    return {status: count for status, count in rows}


def inbox_documents(session: Session, user: User, status: str | None = None, limit: int = 200):
    # Norms imported from the old archive are not work in progress: they live in search and
    # the archive pages, else thousands of them would bury the drafts.
    query = visible_documents_query(user).where(Document.origin != "importado")
    if status in STATUS_LABELS:
        query = query.where(Document.status == status)
    return list(session.scalars(query.order_by(Document.updated_at.desc()).limit(limit)))
