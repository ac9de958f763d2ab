"""Starting a correction (the authority's act, checked by the policy) and, when the
correcting norm is issued, recording its confirmed relation to the corrected norm."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from docsys import events, policy
from docsys.compliance.archive import as_archive_norm
from docsys.compliance.norms import NOT_IN_FORCE, mark_confirmed, refresh_legal_status
from docsys.corrections.text import KINDS, draft_content, parse_kind
from docsys.drafting.service import latest_template_version
from docsys.drafting.structure import content_hash
from docsys.errors import Conflict, ValidationError
from docsys.models import (Document, DocumentTemplate, DocumentVersion, NormCorrection,
                           NormRelation, User)
from docsys.models._common import utcnow
from docsys.states import SIGNED, Status, label

MAX_REASON = 500
MIN_REASON = 5


def clean_reason(raw) -> str:
    reason = " ".join(raw.split()) if isinstance(raw, str) else ""
    if len(reason) < MIN_REASON:
        raise ValidationError("Indique brevemente el motivo de la corrección (al menos "
                              f"{MIN_REASON} caracteres).")
    if len(reason) > MAX_REASON:
        raise ValidationError(f"El motivo admite hasta {MAX_REASON} caracteres.")
    return reason


# ---- reading ------------------------------------------------------------------------------

def correction_of(session: Session, document: Document) -> NormCorrection | None:
    """What ``document`` (a correcting draft or norm) corrects, if it is one."""
    return session.scalar(select(NormCorrection).where(NormCorrection.document_id == document.id))


def corrections_of(session: Session, norm: Document) -> list[NormCorrection]:
    """The corrections started on ``norm``, oldest first (drafts, discarded and issued)."""
    return list(session.scalars(select(NormCorrection).where(
        NormCorrection.corrected_document_id == norm.id).order_by(NormCorrection.id)))


def open_correction(session: Session, norm: Document) -> NormCorrection | None:
    """A correction of ``norm`` still in its drafting or review (neither issued nor
    discarded)."""
    for correction in corrections_of(session, norm):
        if correction.document.status not in (*SIGNED, Status.DISCARDED):
            return correction
    return None


def may_start(user: User, norm: Document) -> bool:
    return policy.allows(user, policy.Action.START_CORRECTION, norm)


# ---- starting a correction ----------------------------------------------------------------

def _state_message(norm: Document) -> str:
    if norm.status == Status.DISCARDED:
        return "El documento fue descartado: no es una norma que se pueda corregir."
    return (f"El documento aún no se ha emitido (estado «{label(norm.status)}»): se corrige "
            "en su propio trámite, editándolo; solo una norma emitida se corrige con otra "
            "norma.")


def _check_correctable(session: Session, norm: Document, actor: User) -> None:
    policy.require(actor, policy.Action.START_CORRECTION, norm,
                   "Solo la autoridad que firma este tipo de norma "
                   f"({policy.signer_office(norm)}) puede iniciar su corrección.",
                   state_message=_state_message(norm))
    if not norm.official_number:
        raise Conflict(_state_message(norm), current_status=norm.status)
    if norm.legal_status in NOT_IN_FORCE:
        by = session.scalar(select(NormRelation).where(
            NormRelation.target_document_id == norm.id, NormRelation.status == "confirmada",
            NormRelation.kind.in_(("deroga", "deja_sin_efecto")), NormRelation.articles_key == "")
            .order_by(NormRelation.id.desc()))
        what = "fue dejada sin efecto" if norm.legal_status == "sin_efecto" else "está derogada"
        source = f" por {by.source.official_number}" if by is not None and by.source else ""
        raise Conflict(f"{norm.official_number} {what}{source}: una norma que ya no está "
                       "vigente no se corrige.", legal_status=norm.legal_status)
    pending = open_correction(session, norm)
    if pending is not None:
        raise Conflict(f"Ya hay una corrección en curso de {norm.official_number}: el "
                       f"documento {pending.document_id} («{pending.document.title}»). "
                       "Complétela o descártela antes de iniciar otra.",
                       document_id=pending.document_id)


def _template_version(session: Session, norm: Document):
    """The latest version of the template the norm came from (or of its type)."""
    template = None
    if norm.template_version is not None:
        template = session.get(DocumentTemplate, norm.template_version.template_id)
    if template is None:
        template = session.scalar(select(DocumentTemplate).where(
            DocumentTemplate.doc_type == norm.doc_type).order_by(DocumentTemplate.id))
    if template is None:
        raise Conflict(f"No hay una plantilla para las normas de tipo {norm.doc_type}: "
                       "un administrador debe cargarla antes de iniciar la corrección.")
    return latest_template_version(session, template)


def start_correction(session: Session, norm: Document, actor: User, kind,
                     reason) -> NormCorrection:
    """The authority starts the correction of an issued norm: a new draft of its template,
    in its office, pre-filled; the norm itself is not touched. Refusals change nothing."""
    _check_correctable(session, norm, actor)
    kind = parse_kind(kind)
    reason = clean_reason(reason)
    tversion = _template_version(session, norm)
    content = draft_content(session, norm, tversion.definition, kind)
    document = Document(doc_type=tversion.definition["doc_type"],
                        title=content["fields"]["sumilla"], status=Status.DRAFT,
                        office_id=norm.office_id, created_by_id=actor.id,
                        template_version_id=tversion.id, latest_version=1)
    session.add(document)
    session.flush()
    session.add(DocumentVersion(
        document_id=document.id, number=1, content=content, content_hash=content_hash(content),
        author_id=actor.id,
        note=f"Corrección de {norm.official_number} ({kind.label.lower()}): {reason}"[:500]))
    correction = NormCorrection(document_id=document.id, corrected_document_id=norm.id,
                                kind=kind.key, reason=reason, started_by_id=actor.id,
                                started_at=utcnow())
    session.add(correction)
    session.flush()
    events.record(session, "create", actor, document.id, template=tversion.template.key,
                  template_version=tversion.number, corrects=norm.official_number)
    events.record(session, "correction_start", actor, norm.id, draft=document.id,
                  kind=kind.key, reason=reason, number=norm.official_number)
    return correction


# ---- when the correcting norm is issued -----------------------------------------------------

def record_issued(session: Session, document: Document, actor: User | None) -> NormRelation | None:
    """The correcting norm ``document`` was just issued: record the confirmed relation to
    the norm it corrects (a proposal the analysis of its text made for the same pair is
    taken over, not duplicated) and bring that norm's legal status in line."""
    correction = correction_of(session, document)
    if correction is None or correction.relation_id is not None:
        return None
    kind = KINDS[correction.kind]
    target = correction.corrected
    proposals = list(session.scalars(select(NormRelation).where(
        NormRelation.source_document_id == document.id,
        NormRelation.target_document_id == target.id, NormRelation.status == "propuesta")))
    # Rectification is retroactive (Art. 212); the others apply from the new norm's date.
    effective = target.issue_date if kind.relation == "rectifica" else document.issue_date
    taken = [r for r in proposals if (r.kind == kind.relation) or
             (kind.relation == "deja_sin_efecto" and r.kind == "deroga" and not r.articles)]
    if kind.relation != "modifica":
        taken = [r for r in taken if not r.articles][:1]
    if not taken:
        archived = as_archive_norm(target)
        relation = NormRelation(
            source=document, target=target,
            target_canonical_id=archived.canonical_id or target.number_key or str(target.id),
            target_archive_key=target.number_key,
            target_label=(archived.label or target.official_number or "")[:300],
            kind=kind.relation, articles=[], articles_key="",
            evidence=f"{document.title}. Motivo: {correction.reason}"[:600])
        session.add(relation)
        taken = [relation]
    note = f"Corrección emitida ({kind.label.lower()}): {correction.reason}"[:1000]
    for relation in taken:
        relation.kind = kind.relation
        mark_confirmed(relation, actor, effective, note)
    session.flush()
    correction.relation_id = taken[0].id
    before, after = refresh_legal_status(session, target)
    for relation in taken:
        events.record(session, "relation_confirm", actor, target.id, relation=relation.id,
                      kind=relation.kind, source=document.official_number,
                      target=target.official_number, articles=relation.articles,
                      effective_date=effective, legal_status_before=before,
                      legal_status_after=after, correction=correction.id)
    return taken[0]

__all__ = ["MAX_REASON", "MIN_REASON", "clean_reason", "correction_of", "corrections_of",
           "open_correction", "may_start", "start_correction", "record_issued"]
