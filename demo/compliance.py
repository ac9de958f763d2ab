"""Demo data of compliance: an archive of earlier norms, analyzed, with relations confirmed.

``load_compliance_demo(session, settings)`` stores the norms of
``demo/data/compliance_norms.yaml`` as archived (imported) norms, analyzes the whole
archive (citations, proposed relations) and confirms, as the archivist, the relations the
demo norms state — so the demo shows norms modified, repealed and regulated, each norm's
page lists its links, and the reports of the demo drafts warn about what they cite.
Idempotent: a norm already in the archive (same number) is not stored again, and only
pending proposals of demo norms are confirmed.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from demo.loader import data
from docsys.archive.norms import ORIGIN, norm_content
from docsys.archive.service import INITIAL_LEGAL_STATUS, NORM_STATUS
from docsys.compliance.norms import analyze_archive, confirm_relation
from docsys import events
from docsys.models import Document, DocumentVersion, NormRelation, Office, User, UserRole
from docsys.models._common import utcnow
from docsys.drafting.structure import content_hash
from search.numbers import number_key


def store_archive_norm(session: Session, *, doc_type: str, number: str, date: str,
                       sumilla: str, paragraphs: list[str], office: Office,
                       author: User, analyze: bool = True) -> Document:
    """A norm as the import stores one (``norm_content``, status publicado, in force), its
    text as version 1; without an original file, as the demo's norms have none."""
    content = norm_content(doc_type, "\n".join(paragraphs), sumilla=sumilla, date=date,
                           number=number)
    document = Document(
        doc_type=doc_type, title=sumilla, status=NORM_STATUS, office_id=office.id,
        created_by_id=author.id, latest_version=1, official_number=number,
        number_key=number_key(doc_type, number, int(date[:4])) or None, issue_date=date,
        legal_status=INITIAL_LEGAL_STATUS, origin=ORIGIN, published_at=utcnow())
    session.add(document)
    session.flush()
    session.add(DocumentVersion(document_id=document.id, number=1, content=content,
                                content_hash=content_hash(content), author_id=author.id,
                                note="Norma del archivo"))
    session.flush()
    # As an import: audited, queued for the index and analysed by the event's subscribers.
    events.record(session, "archive_import", author, document.id,
                  payload={"text": "\n".join(paragraphs), "analyze": analyze},
                  source="demostración",
                  official_number=number)
    return document


def load_compliance_demo(session: Session, settings=None) -> dict:
    """Store, analyze and relate the demo archive (see the module docstring)."""
    archivist = session.scalar(select(User).join(UserRole, UserRole.user_id == User.id)
                               .where(UserRole.role == "archivist", User.active.is_(True))
                               .order_by(User.id))
    if archivist is None:
        return {"normas_archivo": 0, "relaciones_confirmadas": 0}
    offices = {o.code: o for o in session.scalars(select(Office))}
    ids, created = [], 0
    for spec in data("compliance_norms")["norms"]:
        key = number_key(spec["doc_type"], spec["number"], int(spec["date"][:4]))
        existing = session.scalar(select(Document).where(
            Document.number_key == key, Document.official_number.is_not(None))) if key else None
        if existing is None:
            existing = store_archive_norm(
                session, doc_type=spec["doc_type"], number=spec["number"], date=spec["date"],
                sumilla=spec["sumilla"], paragraphs=spec["text"],
                office=offices.get(spec["office"]) or archivist.office, author=archivist,
                analyze=False)  # analysed together below
            created += 1
        ids.append(existing.id)
    analyze_archive(session, ids)
    confirmed = 0
    for relation in session.scalars(select(NormRelation).where(
            NormRelation.source_document_id.in_(ids), NormRelation.status == "propuesta",
            NormRelation.target_document_id.is_not(None)).order_by(NormRelation.id)):
        confirm_relation(session, relation, archivist,
                         note="Verificado con el texto publicado (demostración).")
        confirmed += 1
    return {"normas_archivo": created, "relaciones_confirmadas": confirmed}

