"""Which documents a user sees in their inbox."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from docsys.models import Document, User
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


def inbox_documents(session: Session, user: User, status: str | None = None, limit: int = 200):
    query = visible_documents_query(user)
    if status in STATUS_LABELS:
        query = query.where(Document.status == status)
    return list(session.scalars(query.order_by(Document.updated_at.desc()).limit(limit)))
