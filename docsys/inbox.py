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
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from docsys import policy
from docsys.models import Document, User
from docsys.states import Origin, Status


def visible_documents_query(user: User):
    """The documents that are the user's work, within what they may see (docsys.policy)."""
    return select(Document).where(policy.visible_condition(policy.search_visibility(user)),
                                  policy.workspace_condition(user))


def awaiting_condition(session: Session, user: User):
    """The documents whose next step is this user's (see the module docstring)."""
    return policy.awaiting_condition(session, user)


def awaiting_documents(session: Session, user: User, limit: int = 200) -> list[Document]:
    """What awaits the user, oldest first (the longest-waiting file is handled first)."""
    return list(session.scalars(select(Document).where(awaiting_condition(session, user))
                                .order_by(Document.updated_at.asc(), Document.id.asc())
                                .limit(limit)))


def awaiting_counts(session: Session, user: User) -> dict[str, int]:
    """How many documents await the user, per state, in the workflow's order."""
    rows = dict(session.execute(select(Document.status, func.count(Document.id))
                                .where(awaiting_condition(session, user))
                                .group_by(Document.status)).all())
    return {status.value: rows[status] for status in Status if rows.get(status)}


def inbox_documents(session: Session, user: User, status: str | None = None, limit: int = 200):
    # Norms imported from the old archive are not work in progress: they live in search and
    # the archive pages, else thousands of them would bury the drafts.
    query = visible_documents_query(user).where(Document.origin != Origin.IMPORTED)
    if status in set(Status):
        query = query.where(Document.status == status)
    return list(session.scalars(query.order_by(Document.updated_at.desc()).limit(limit)))
