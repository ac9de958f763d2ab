"""Which documents a user sees, and which await them (the "Bandeja").

A document awaits a user when the next step of its state is theirs (docsys.workflow's
``can_act_in``, written here as SQL):

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

from sqlalchemy import and_, exists, false, func, or_, select
from sqlalchemy.orm import Session

from docsys.models import Document, Office, TemplateVersion, User, UserRole, VistoBueno
from docsys.permissions import READ_ALL_ROLES
from docsys.workflow import STATES as STATUS_LABELS


def visible_documents_query(user: User):
    query = select(Document)
    if not user.has_role(*READ_ALL_ROLES):
        query = query.where(or_(Document.office_id == user.office_id,
                                Document.created_by_id == user.id))
    return query


def _signed_by_office(session: Session, user: User):
    """Approved documents whose signing authority is the user's office.

    The signer's office is the template's ``signer_office``, else its ``issuing_office``,
    else the drafting office: the rule of ``docsys.issuing.signer_office``, applied to
    every template version at once (tests/domain/test_inbox.py keeps the two in step)."""
    if user.office is None:
        return false()
    own, defaulted = [], []
    for version_id, definition in session.execute(select(TemplateVersion.id,
                                                         TemplateVersion.definition)):
        office = (definition or {}).get("signer_office") or (definition or {}).get("issuing_office")
        if office == user.office.code:
            own.append(version_id)
        elif not office:
            defaulted.append(version_id)
    by_drafting_office = and_(Document.office_id == user.office_id,
                              or_(Document.template_version_id.is_(None),
                                  Document.template_version_id.in_(defaulted)))
    return or_(Document.template_version_id.in_(own), by_drafting_office)


def awaiting_condition(session: Session, user: User):
    """The documents whose next step is this user's (see the module docstring)."""
    if not user.active:
        return false()
    conditions = []
    if user.has_role("drafter"):
        conditions.append(and_(Document.status.in_(("borrador", "observado")),
                               or_(Document.office_id == user.office_id,
                                   Document.created_by_id == user.id)))
    if user.has_role("legal"):
        other_adviser = select(UserRole.user_id).where(UserRole.role == "legal",
                                                       UserRole.user_id != user.id)
        conditions.append(and_(Document.status == "en_revision",
                               or_(Document.assignee_id.is_(None),
                                   Document.assignee_id.not_in(other_adviser))))
    headed = select(Office.id).where(Office.head_id == user.id)
    heads_office = Document.office_id.in_(headed)
    if user.has_role("signer"):  # the signer of an office without a designated head
        headless = select(Office.id).where(Office.head_id.is_(None))
        heads_office = or_(heads_office, and_(Document.office_id == user.office_id,
                                              Document.office_id.in_(headless)))
    area_visto_given = exists().where(VistoBueno.document_id == Document.id,
                                      VistoBueno.version_number == Document.latest_version,
                                      VistoBueno.kind == "area")
    conditions.append(and_(Document.status == "en_revision", heads_office, ~area_visto_given))
    if user.has_role("signer"):
        conditions.append(and_(Document.status == "aprobado", _signed_by_office(session, user)))
    if user.has_role("archivist"):
        conditions.append(Document.status == "emitido")
    return or_(*conditions)


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
    return {status: rows[status] for status in STATUS_LABELS if rows.get(status)}


def inbox_documents(session: Session, user: User, status: str | None = None, limit: int = 200):
    # Norms imported from the old archive are not work in progress: they live in search and
    # the archive pages, else thousands of them would bury the drafts.
    query = visible_documents_query(user).where(Document.origin != "importado")
    if status in STATUS_LABELS:
        query = query.where(Document.status == status)
    return list(session.scalars(query.order_by(Document.updated_at.desc()).limit(limit)))
