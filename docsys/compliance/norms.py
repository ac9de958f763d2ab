"""Norms in the archive: their stored citations, and the relations between them.

When a norm is issued or imported, ``analyze_norm`` stores the norms its text cites and
proposes the relations its operative clauses state ("DERÓGUESE la Ordenanza ..."). The
archivist confirms or rejects each proposal; a confirmed repeal or modification sets the
affected norm's legal status (vigente → modificada → derogada) from its effective date,
re-queues it for the search index (where status is a filter) and is audited.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Callable, Iterable, cast
from zoneinfo import ZoneInfo

from sqlalchemy import (ColumnElement, Table, and_, delete, func, insert, or_, select, true,
                        update)
from sqlalchemy.orm import Session, lazyload

from docsys import events, policy
from docsys.archive.provenance import TextSource, source_of
from docsys.compliance import archive
from docsys.compliance.archive import (WHOLE_NORM_PART, ArchiveNorm, as_archive_norm,
                                      norm_canonical_id, whole_norm)
from docsys.compliance.citations import Citation, extract_citations
from docsys.compliance.relations import RelationMention, find_relations
from docsys.compliance.text import MAX_CHECK_CHARS, document_text
from docsys.compliance.titles import TitleIndex
from docsys.errors import Conflict, NotFound, ValidationError
from docsys.ids import MAX_ID, parse_id
from docsys.compliance.spij import may_hold_notes, source_relations, strip_notes
from docsys.models import (Document, DocumentVersion, NormCitation, NormRelation,
                           PendingAnalysis, SourceRelation, User)
from docsys.models._common import utcnow
from docsys.paging import Paging
from docsys.states import Status
from search.folding import fold

log = logging.getLogger("docsys.compliance")
LIMA = ZoneInfo("America/Lima")
# A rectified norm stays in force with its error corrected; a norm left without effect
# (revocación or nulidad de oficio of the act) is, like a repealed one, no longer in force.
STATUS_RANK = {"vigente": 0, "rectificada": 1, "modificada": 2, "derogada": 3, "sin_efecto": 3}
NOT_IN_FORCE = ("derogada", "sin_efecto")
RELATION_LABELS = {"deroga": "Deroga", "modifica": "Modifica", "reglamenta": "Reglamenta",
                   "rectifica": "Rectifica", "deja_sin_efecto": "Deja sin efecto"}
# Relations recorded, confirmed, when a norm issued to correct another is issued
# (docsys.corrections); their proposals are never made again by the analysis.
CORRECTION_RELATIONS = ("rectifica", "deja_sin_efecto", "modifica")
RELATION_STATUS_LABELS = {"propuesta": "Propuesta", "confirmada": "Confirmada",
                          "rechazada": "Rechazada"}
MAX_NOTE = 1000


def today_in_lima() -> dt.date:
    return dt.datetime.now(LIMA).date()


# --------------------------------------------------------------------------- analysis

@dataclass
class NormAnalysis:
    document_id: int
    citations: int
    proposed: list[NormRelation] = field(default_factory=list)
    linked: int = 0       # earlier proposals about this norm, now pointing at it


@dataclass(frozen=True)
class TextReading:
    """What a norm's text says, read without the database (most of an analysis's CPU):
    its source's notes, its citations and the relations its clauses state. Read outside
    the transaction that stores it (docsys.compliance.pending), so another process can
    write meanwhile; used only for the same text and the same own identity."""
    text: str
    own: str | None
    notes: list = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    mentions: list[RelationMention] = field(default_factory=list)


def read_norm_text(full_text: str, own: str | None,
                   titles: TitleIndex | None = None) -> TextReading:
    """A norm's text read as ``analyze_norm`` reads it; ``own`` its canonical id;
    ``titles`` the archive's norms by title as of the norm's date
    (``archive.title_index(session).until(date)``), for clauses naming one by title only."""
    notes = source_relations(full_text) if may_hold_notes(full_text) else []
    # SPIJ's notes tell what later norms did to this one: they are not its own clauses.
    text = (strip_notes(full_text) if notes else full_text)[:MAX_CHECK_CHARS]
    folded = fold(text)   # once for both readings
    citations = [c for c in extract_citations(text, folded) if c.canonical_id != own]
    # on a gazette page holding several norms, only the clauses under its own heading
    return TextReading(full_text, own, notes, citations,
                       find_relations(text, citations, own=own, folded=folded, titles=titles))


def analyze_norm(session: Session, document: Document, text: str | None = None, *,
                 actor: User | None = None, reading: TextReading | None = None,
                 proposed_before: bool | None = None) -> NormAnalysis:
    """Store the citations of a norm's text and propose the relations it states.

    ``text`` is the norm's full text (an importer passes what it extracted); by default
    the latest version as it prints. Runs again safely: citations are replaced, proposals
    already made (and the archivist's decisions on them) are kept, but an undecided one
    the text no longer states is withdrawn (``_propose_all``). Call it inside the
    transaction that issues or imports the norm. ``reading``: the text already read
    (``read_norm_text``), used only if it is still this norm's text and identity.
    ``proposed_before``: whether the norm has relations of its own stored, when the caller
    knows it for a whole group (None: looked up; False spares a text stating none the
    query).
    """
    if not document.official_number:
        raise ValidationError("Solo se analizan normas emitidas o importadas (con número "
                              "oficial).")
    if text is None:
        text = _stored_text(session, document)
    full_text = text or ""
    own = norm_canonical_id(document)
    if reading is None or reading.own != own or reading.text != full_text:
        reading = read_norm_text(full_text, own, norm_titles(session, document))
    _record_source_relations(session, document, reading.notes)
    citations = reading.citations
    now = utcnow()
    # (no object of these rows is looked for in the session: it holds none that matter)
    session.execute(delete(NormCitation).where(NormCitation.document_id == document.id)
                    .execution_options(synchronize_session=False))
    if citations:  # one bulk INSERT (of the table: no ORM object): a law cites hundreds
        session.connection().execute(insert(cast(Table, NormCitation.__table__)), [dict(
            document_id=document.id, canonical_id=c.canonical_id, archive_key=c.archive_key,
            kind=c.kind, label=c.canonical_label[:300], articles=list(c.articles),
            text=" ".join(c.text.split())[:500], start=c.start, created_at=now)
            for c in citations])
    proposed, withdrawn = (_propose_all(session, document, reading.mentions)
                           if reading.mentions or proposed_before is not False else ([], []))
    linked = _link_waiting(session, document, own)
    _link_source_notes(session, document)
    # Analysed now: no longer pending (docsys.compliance.pending), whoever asked.
    session.execute(delete(PendingAnalysis).where(PendingAnalysis.document_id == document.id)
                    .execution_options(synchronize_session=False))
    session.flush()
    if withdrawn:
        events.record(session, "relation_withdraw", actor, document.id, relations=withdrawn)
    if proposed:
        events.record(session, "relation_propose", actor, document.id,
                     relations=[{"id": r.id, "kind": r.kind, "target": r.target_label,
                                 "articles": r.articles} for r in proposed])
    return NormAnalysis(document.id, len(citations), proposed, linked)




def norm_titles(session: Session, document: Document) -> TitleIndex:
    """The archive's norms by title that ``document``'s text may name: those given up to
    its date (a name worn later by another norm is not the one it meant)."""
    return archive.title_index(session).until(document.issue_date)


@dataclass(frozen=True)
class SourceNotes:
    """The source's notes of a text, read ahead of the transaction that stores them
    (``read_source_notes``); used only for that same text."""
    text: str
    notes: list


def read_source_notes(text: str | None) -> SourceNotes:
    """The SPIJ notes of a norm's text (pure CPU: no database)."""
    text = text or ""
    return SourceNotes(text, source_relations(text) if may_hold_notes(text) else [])


def record_source_notes(session: Session, document: Document, text: str | None,
                        ahead: SourceNotes | None = None) -> int | None:
    """Only the relations the text's source records (see ``_record_source_relations``),
    and the earlier notes that name this norm: what a bulk import stores at once, the rest
    of the analysis being queued. ``ahead``: the notes already read, used only if read from
    this same text."""
    text = text or ""
    if ahead is None or ahead.text != text:
        ahead = read_source_notes(text)
    noted = _record_source_relations(session, document, ahead.notes)
    _link_source_notes(session, document)
    return noted


def _link_source_notes(session: Session, document: Document) -> None:
    """Source relations noted before this norm was in the archive now point at it."""
    if not document.number_key:
        return
    # Their columns first (usually none waits): only those that name it are loaded.
    me = [as_archive_norm(document)]
    for relation_id, canonical_id, key in session.execute(
            select(SourceRelation.id, SourceRelation.by_canonical_id,
                   SourceRelation.by_archive_key).where(
                SourceRelation.by_document_id.is_(None),
                SourceRelation.by_archive_key == document.number_key)).all():
        if archive.pick(canonical_id, key, me):
            session.get_one(SourceRelation, relation_id).by_document_id = document.id


def _record_source_relations(session: Session, document: Document, notes: list) -> int | None:
    """Store the relations the text's source records (SPIJ notes: "modificado por...",
    "derogado por...", read by ``source_relations``) as confirmed by the source, and let
    them set the norm's legal status. None when the text has no such notes."""
    if not notes:
        return None
    own = norm_canonical_id(document)
    seen = set(tuple(row) for row in session.execute(select(SourceRelation.kind, SourceRelation.by_canonical_id,
                                      SourceRelation.part)
                               .where(SourceRelation.document_id == document.id)).all())
    status = document.legal_status or "vigente"
    new = []
    for note in notes:
        row = (note.kind, note.by.canonical_id, _noted_part(note))
        if note.by.canonical_id == own or row in seen:
            continue
        seen.add(row)
        new.append((note, row[2]))
    matches = archive.find_norms(session, [note.by for note, _ in new]) if new else {}
    for note, part in new:
        by = note.by
        match = matches.get(by.canonical_id)
        session.add(SourceRelation(
            document_id=document.id, kind=note.kind, by_canonical_id=by.canonical_id,
            by_archive_key=by.archive_key, by_label=by.canonical_label[:300],
            by_document_id=match.document_id if match else None, part=part, note=note.note,
            effective_date=note.date))
        status = _stronger(status, _noted_status(note.kind, part))
    document.legal_status = status
    return len(seen)


def _noted_part(note) -> str:
    """The part a note changed, as stored: "(*) DEROGADO por ..." naming no part under the
    norm's heading (``note.opening``) repeals the whole norm."""
    part = note.part[:300]
    return WHOLE_NORM_PART if not part and note.opening and note.kind == "deroga" else part


def _stronger(*statuses: str) -> str:
    """The status that says most of ``statuses`` (derogada over modificada over vigente)."""
    return max(statuses, key=STATUS_RANK.__getitem__)


def _noted_status(kind: str, part: str) -> str:
    """The legal status a source's note gives its norm."""
    whole = whole_norm(part)
    return "derogada" if kind == "deroga" and whole else "modificada"


def _source_status(session: Session, document: Document) -> str:
    """The status the source's recorded notes give ``document`` (vigente without any)."""
    status = "vigente"
    for kind, part in session.execute(select(SourceRelation.kind, SourceRelation.part).where(
            SourceRelation.document_id == document.id)):
        status = _stronger(status, _noted_status(kind, part))
    return status


def _stored_text(session: Session, document: Document) -> str:
    if not document.latest_version:
        return ""
    version = session.scalar(select(DocumentVersion).where(
        DocumentVersion.document_id == document.id,
        DocumentVersion.number == document.latest_version))
    return document_text(document, version.content if version else {})


# The analysis reads columns only: loading a Document (or a relation's two Documents) with
# their joined office, users and template cost more than the rest of a norm's analysis.
_PLAIN = (lazyload("*"),)


def _propose_all(session: Session, source: Document, mentions: list[RelationMention]
                 ) -> tuple[list[NormRelation], list[dict]]:
    """Propose the relations ``mentions`` state, each (kind, target, articles) once and
    never again if already proposed (whatever the archivist decided on it), nor one that
    the confirmed correction this norm was issued for already records; and withdraw the
    undecided proposals the text, read again, no longer states (after an upgrade of the
    readers, "la Quinta Disposición Final de la Ley N° 28773" where the old ones read a
    repeal of the whole law: the archivist is not left a stale one to decide beside the
    new); an undecided one still stated takes the clause as the readers quote it now.
    Decided ones stay (a correction's relation is confirmed as it is recorded,
    docsys.corrections.flow.record_issued, so none is undecided). The source's relations
    are read in one query and the targets in another, for all its mentions. Returns the
    proposed relations and what was withdrawn (for the audit trail)."""
    stated = {(m.kind, m.target.canonical_id, ",".join(m.articles)[:200]): m.evidence
              for m in reversed(mentions)}   # the first mention's quote, as proposed
    made: set[tuple[str, str, str]] = set()
    corrected: set[str] = set()
    withdrawn: list[dict] = []
    for relation_id, kind, target_id, articles_key, status, label, articles, evidence in \
            session.execute(select(
                NormRelation.id, NormRelation.kind, NormRelation.target_canonical_id,
                NormRelation.articles_key, NormRelation.status, NormRelation.target_label,
                NormRelation.articles, NormRelation.evidence)
                .where(NormRelation.source_document_id == source.id)):
        clause = (kind, target_id, articles_key)
        if status == "propuesta" and clause not in stated:
            withdrawn.append({"id": relation_id, "kind": kind, "target": label,
                              "articles": articles})
            continue
        if status == "propuesta" and evidence != stated[clause]:
            # the readers now quote it otherwise (without an imported text's markup)
            session.execute(update(NormRelation).where(NormRelation.id == relation_id)
                            .values(evidence=stated[clause]))
        made.add(clause)
        if status == "confirmada" and kind in CORRECTION_RELATIONS:
            corrected.add(target_id)
    if withdrawn:
        # (rare: the session is kept in step, a relation it holds is not left behind)
        session.execute(delete(NormRelation).where(
            NormRelation.id.in_([w["id"] for w in withdrawn])))
    if not mentions:
        return [], withdrawn
    matches = archive.find_norms(session, [m.target for m in mentions])
    proposed = []
    for mention in mentions:
        target = mention.target
        articles_key = ",".join(mention.articles)[:200]
        clause = (mention.kind, target.canonical_id, articles_key)
        if clause in made or target.canonical_id in corrected:
            continue   # proposed before, or the correction this norm was issued for says it
        made.add(clause)
        match = matches.get(target.canonical_id)
        relation = NormRelation(
            source=source,
            target_document_id=(match.document_id if match and match.document_id != source.id
                                else None),
            target_canonical_id=target.canonical_id, target_archive_key=target.archive_key,
            target_label=target.canonical_label[:300], kind=mention.kind,
            articles=list(mention.articles), articles_key=articles_key,
            evidence=mention.evidence, effective_date=source.issue_date, status="propuesta",
            decision_note="")
        session.add(relation)
        proposed.append(relation)
    return proposed, withdrawn


def _link_waiting(session: Session, document: Document, own: str | None) -> int:
    """Proposals made before this norm was in the archive now point at it."""
    if not document.number_key:
        return 0
    me = as_archive_norm(document)
    # Their columns first (usually none waits): only those that name it are loaded.
    waiting = [relation_id for relation_id, canonical_id, key in session.execute(
        select(NormRelation.id, NormRelation.target_canonical_id, NormRelation.target_archive_key)
        .where(NormRelation.target_document_id.is_(None),
               NormRelation.target_archive_key == document.number_key,
               NormRelation.source_document_id != document.id))
        if archive.pick(canonical_id, key, [me])]
    for relation_id in waiting:
        relation = session.get_one(NormRelation, relation_id, options=_PLAIN)
        relation.target = document
    return len(waiting)


def analyze_archive(session: Session, document_ids: Iterable[int] | None = None,
                    progress: Callable[[int], object] | None = None,
                    text_of: Callable[[Session, Document], str] | None = None) -> dict:
    """Analyze every norm of the archive (or those given), oldest first, so a repeal is
    proposed against a norm already seen. Returns counts for the caller to print."""
    query = select(Document.id).where(Document.official_number.is_not(None))
    if document_ids is not None:
        query = query.where(Document.id.in_(list(document_ids)))
    ids = list(session.scalars(query.order_by(Document.issue_date, Document.id)))
    totals = {"normas": 0, "citas": 0, "relaciones_propuestas": 0}
    for document_id in ids:
        document = session.get_one(Document, document_id)
        text = text_of(session, document) if text_of else None
        result = analyze_norm(session, document, text)
        totals["normas"] += 1
        totals["citas"] += result.citations
        totals["relaciones_propuestas"] += len(result.proposed)
        if progress is not None:
            progress(1)
    return totals


# --------------------------------------------------------------------------- decisions

def get_relation(session: Session, relation_id) -> NormRelation:
    relation_id = parse_id(relation_id)
    relation = session.get(NormRelation, relation_id) if relation_id else None
    if relation is None:
        raise NotFound("La relación entre normas indicada no existe.")
    return relation


def get_norm(session: Session, document_id, user: User) -> Document:
    """A norm of the archive (a document with an official number) ``user`` may see."""
    document_id = parse_id(document_id)
    document = session.get(Document, document_id) if document_id else None
    if document is None or not document.official_number:
        raise NotFound("La norma solicitada no existe en el archivo normativo.")
    policy.require(user, policy.Action.VIEW, document, "No tiene permiso para ver esta norma.")
    return document


def can_decide(user: User) -> bool:
    return policy.allows(user, policy.Action.CONFIRM_RELATION)


def _parse_date(value) -> str | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ValidationError("La fecha de vigencia debe tener el formato AAAA-MM-DD.") from None


def _clean_note(note) -> str:
    note = " ".join(str(note or "").split())
    if len(note) > MAX_NOTE:
        raise ValidationError(f"La nota admite hasta {MAX_NOTE} caracteres.")
    return note


def mark_confirmed(relation: NormRelation, actor: User | None, effective: str | None,
                   note: str) -> None:
    """Record the decision on ``relation``: confirmed, in force from ``effective``, by whom,
    when and why. The one place a relation becomes "confirmada" (the archivist's
    confirmation, an issued correction)."""
    relation.status = "confirmada"
    relation.effective_date = effective
    relation.decided_by = actor
    relation.decided_at = utcnow()
    relation.decision_note = note


def confirm_relation(session: Session, relation: NormRelation, actor: User,
                     effective_date=None, note: str = "",
                     today: dt.date | None = None) -> NormRelation:
    """The archivist confirms a proposed relation; the affected norm's status follows."""
    policy.require(actor, policy.Action.CONFIRM_RELATION, None, "Solo el archivo (Secretaría General) confirma "
                                           "las relaciones entre normas.")
    given = _parse_date(effective_date)
    note = _clean_note(note)
    if relation.status == "confirmada":
        raise Conflict("La relación ya está confirmada.", current_status=relation.status)
    if relation.target_document_id is None:
        raise Conflict(f"{relation.target_label} no está en el archivo normativo: regístrela "
                       "o impórtela antes de confirmar la relación.")
    effective = (given or relation.effective_date
                 or (relation.source.issue_date if relation.source else None)
                 or (today or today_in_lima()).isoformat())
    mark_confirmed(relation, actor, effective, note)
    session.flush()
    target = relation.target
    assert target is not None, "target_document_id is set (checked above)"
    before, after = refresh_legal_status(session, target, today=today)
    events.record(session, "relation_confirm", actor, relation.target_document_id,
                 relation=relation.id, kind=relation.kind, source=relation.source.official_number,
                 target=target.official_number, articles=relation.articles,
                 effective_date=effective, legal_status_before=before,
                 legal_status_after=after)
    return relation


def reject_relation(session: Session, relation: NormRelation, actor: User,
                    note: str, today: dt.date | None = None) -> NormRelation:
    """The archivist rejects a proposal (or withdraws a confirmation), with a reason."""
    policy.require(actor, policy.Action.CONFIRM_RELATION, None, "Solo el archivo (Secretaría General) decide "
                                           "sobre las relaciones entre normas.")
    note = _clean_note(note)
    if len(note) < 3:
        raise ValidationError("Indique el motivo del rechazo.")
    if relation.status == "rechazada":
        raise Conflict("La relación ya fue rechazada.", current_status=relation.status)
    was_confirmed = relation.status == "confirmada"
    relation.status = "rechazada"
    relation.decided_by = actor
    relation.decided_at = utcnow()
    relation.decision_note = note
    session.flush()
    before = after = relation.target.legal_status if relation.target else None
    if was_confirmed and relation.target is not None:
        before, after = refresh_legal_status(session, relation.target, today=today,
                                             recompute=True)
    events.record(session, "relation_reject", actor, relation.target_document_id or
                 relation.source_document_id, relation=relation.id, kind=relation.kind,
                 source=relation.source.official_number, target=relation.target_label,
                 note=note, was_confirmed=was_confirmed, legal_status_before=before,
                 legal_status_after=after)
    return relation


# --------------------------------------------------------------------------- legal status

def status_from(relations: Iterable[NormRelation], today: dt.date) -> str:
    """The status the confirmed relations in force on ``today`` give a norm."""
    day = today.isoformat()
    effective = [r for r in relations if r.status == "confirmada"
                 and r.kind in ("deroga", "modifica", "rectifica", "deja_sin_efecto")
                 and (not r.effective_date or r.effective_date <= day)]
    if any(r.kind == "deroga" and not r.articles for r in effective):
        return "derogada"
    if any(r.kind == "deja_sin_efecto" and not r.articles for r in effective):
        return "sin_efecto"
    if any(r.kind in ("deroga", "modifica", "deja_sin_efecto") for r in effective):
        return "modificada"
    return "rectificada" if effective else "vigente"


def refresh_legal_status(session: Session, document: Document, *, today: dt.date | None = None,
                         recompute: bool = False) -> tuple[str, str]:
    """Bring a norm's legal status in line with its confirmed relations. Relations only
    raise the status (a status recorded at import stays unless a relation says more);
    ``recompute`` (after a confirmation is withdrawn) sets it from the relations and the
    source's notes alone.
    The norm is re-queued for the search index when its status changes."""
    relations = session.scalars(select(NormRelation).where(
        NormRelation.target_document_id == document.id))
    derived = status_from(relations, today or today_in_lima())
    before = document.legal_status or "vigente"
    # recomputed, the status still counts what the source's notes record (SPIJ: confirmed)
    floor = _source_status(session, document) if recompute else before
    after = _stronger(floor, derived)
    if after != before:
        document.legal_status = after  # the caller's event re-queues it for the index
        session.flush()
    return before, after


def refresh_statuses(session: Session, today: dt.date | None = None) -> int:
    """Apply the relations whose effective date has come (run daily). Returns how many
    norms changed status."""
    today = today or today_in_lima()
    ids = list(session.scalars(select(NormRelation.target_document_id).where(
        NormRelation.status == "confirmada", NormRelation.target_document_id.is_not(None))
        .distinct()))
    changed = 0
    for document_id in ids:
        document = session.get_one(Document, document_id)
        before, after = refresh_legal_status(session, document, today=today)
        if before != after:
            changed += 1
            events.record(session, "legal_status", None, document.id, before=before,
                         after=after, reason="vigencia de relaciones confirmadas")
    return changed


# --------------------------------------------------------------------------- reading

def list_relations(session: Session, status: str | None = "propuesta", limit: int | str = 200,
                   offset: int | str = 0, visibility=None) -> list[NormRelation]:
    """Relations newest first (all statuses when ``status`` is None); with ``visibility``,
    only those whose norms the reader may see (a target not in the archive is only a
    label of the source's text)."""
    try:
        limit, offset = int(limit), int(offset)
    except (TypeError, ValueError):
        raise ValidationError("«limit» y «offset» deben ser números enteros.") from None
    query = select(NormRelation)
    if status:
        if status not in RELATION_STATUS_LABELS:
            raise ValidationError("El estado debe ser propuesta, confirmada o rechazada.")
        query = query.where(NormRelation.status == status)
    visible = archive.visible_documents(visibility)
    if visible is not None:
        query = query.where(NormRelation.source_document_id.in_(visible),
                            or_(NormRelation.target_document_id.is_(None),
                                NormRelation.target_document_id.in_(visible)))
    return list(session.scalars(query.order_by(NormRelation.proposed_at.desc(),
                                               NormRelation.id.desc())
                                .offset(min(max(0, offset), MAX_ID))
                                .limit(min(max(1, limit), 500))))


QUEUE_PAGE = 50


def relation_queue(session: Session, status: str, page: int = 1
                   ) -> tuple[list[NormRelation], Paging, int]:
    """The archive's page of relations of ``status``, newest first, QUEUE_PAGE at a time;
    among the proposed, those the archive can decide (their target is in it) first: a
    national import proposes many repeals of norms it never imported, which wait for them.
    Also how many proposed ones have no target in the archive (0 for the decided)."""
    paging = Paging.clamped(count_relations(session, status), page, QUEUE_PAGE)
    waiting = 0
    order: list[ColumnElement] = [NormRelation.proposed_at.desc(), NormRelation.id.desc()]
    if status == "propuesta":   # a decided relation always has its target
        waiting = int(session.scalar(select(func.count()).select_from(NormRelation).where(
            NormRelation.status == status, NormRelation.target_document_id.is_(None))) or 0)
        order.insert(0, NormRelation.target_document_id.is_(None))  # false (decidable) first
    rows = session.scalars(select(NormRelation).where(NormRelation.status == status)
                           .order_by(*order).offset(paging.offset).limit(paging.size))
    return list(rows), paging, waiting


def _noted_by_source() -> ColumnElement[bool]:
    """A relation the notes of its target's imported text record too (the same norm, the
    same act): SPIJ or LP already says so."""
    return select(SourceRelation.id).where(
        SourceRelation.document_id == NormRelation.target_document_id,
        SourceRelation.by_document_id == NormRelation.source_document_id,
        SourceRelation.kind == NormRelation.kind).exists()


def noted_by_source(session: Session, relations: Iterable[NormRelation]) -> set[int]:
    """Which of ``relations`` their source's notes record, shown so beside the clause."""
    ids = [r.id for r in relations if r.target_document_id is not None]
    if not ids:
        return set()
    return set(session.scalars(select(NormRelation.id).where(NormRelation.id.in_(ids),
                                                             _noted_by_source())))


def count_noted_proposals(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(NormRelation).where(
        NormRelation.status == "propuesta", _noted_by_source())) or 0)


NOTED_NOTE = "Confirmada con las demás que registran las notas del texto de la norma afectada."


def confirm_noted_proposals(session: Session, actor: User) -> int:
    """Confirm every proposed relation the notes of its target's imported text record (an
    import of national norms proposes hundreds, most of which SPIJ notes): each as
    ``confirm_relation`` does one, audited; their effective date the source's."""
    noted = list(session.scalars(select(NormRelation).where(
        NormRelation.status == "propuesta", _noted_by_source()).order_by(NormRelation.id)))
    for relation in noted:
        confirm_relation(session, relation, actor, note=NOTED_NOTE)
    return len(noted)


def count_relations(session: Session, status: str = "propuesta") -> int:
    return int(session.scalar(select(func.count()).select_from(NormRelation)
                              .where(NormRelation.status == status)) or 0)


@dataclass
class CitedNorm:
    canonical_id: str
    label: str
    articles: list[str]
    mentions: int
    match: ArchiveNorm | None


@dataclass
class NormLinks:
    """A norm's place in the archive: what it cites, what cites it, what changed it."""

    norm: ArchiveNorm
    cites: list[CitedNorm]
    cited_by: CitedBy
    affected_by: list[NormRelation]     # relations that repeal / modify / regulate it
    affects: list[NormRelation]         # relations it states about other norms
    # what the source of its imported text records (SPIJ's notes), kept apart; a note's
    # norm (``by_document_id``) is linked only when the reader may see it
    noted_by: list[SourceRelation] = field(default_factory=list)
    noted_visible: set[int] = field(default_factory=set)
    # where its imported text was taken from (SPIJ, LP...): the notes are that source's
    source: TextSource | None = None


# The norms that cite one, a page at a time: the Constitution is cited by most norms of an
# archive, a law such as Ley 27444 by hundreds.
CITED_BY_PAGE = 50


@dataclass
class CitedBy:
    """One page of the norms that cite a norm, newest first."""

    norms: list[ArchiveNorm]
    paging: Paging

    def __iter__(self):
        return iter(self.norms)

    def __bool__(self) -> bool:
        return bool(self.norms)


def norm_links(session: Session, document: Document, visibility=None, *,
               cited_by_page: int = 1, published_only: bool = False) -> NormLinks:
    """What ``document`` cites, what cites it (page ``cited_by_page`` of them) and the
    relations between them; with ``visibility``, no norm the reader may not see is named
    (a cited one is left as the citation's label, the others are left out).
    ``published_only``: only published norms are counted among those that cite it (the
    portal's)."""
    norm = as_archive_norm(document)
    rows = list(session.scalars(select(NormCitation).where(
        NormCitation.document_id == document.id).order_by(NormCitation.start)))
    grouped: dict[str, CitedNorm] = {}
    for row in rows:
        item = grouped.setdefault(row.canonical_id, CitedNorm(row.canonical_id, row.label, [],
                                                              0, None))
        item.mentions += 1
        item.articles.extend(a for a in row.articles if a not in item.articles)
    candidates = archive.candidates_by_key(session, {r.archive_key for r in rows})
    for row in rows:
        item = grouped[row.canonical_id]
        if item.match is None:
            item.match = archive.pick(row.canonical_id, row.archive_key,
                                      candidates.get(row.archive_key, []) if row.archive_key
                                      else [])
    visible = archive.visible_ids(session, (c.match.document_id for c in grouped.values()
                                            if c.match), visibility)
    for item in grouped.values():
        if item.match and item.match.document_id not in visible:
            item.match = None
    shown = archive.visible_documents(visibility)
    noted = archive.source_notes(session, [document.id]).get(document.id, [])
    return NormLinks(
        norm, list(grouped.values()),
        _cited_by(session, document, norm, shown, cited_by_page, published_only),
        _relations(session, NormRelation.target_document_id == document.id,
                   NormRelation.source_document_id.in_(shown) if shown is not None else None),
        _relations(session, NormRelation.source_document_id == document.id,
                   or_(NormRelation.target_document_id.is_(None),
                       NormRelation.target_document_id.in_(shown))
                   if shown is not None else None),
        noted, archive.visible_ids(session, (n.by_document_id for n in noted
                                            if n.by_document_id is not None), visibility),
        source_of(session, document.id))


def _cited_by(session: Session, document: Document, norm: ArchiveNorm, shown=None,
              page: int = 1, published_only: bool = False) -> CitedBy:
    """Page ``page`` (from 1; past the last, the last) of the norms that cite ``document``."""
    if not document.number_key:
        return CitedBy([], Paging(0, size=CITED_BY_PAGE))
    same_key = int(session.scalar(select(func.count()).select_from(Document).where(
        Document.number_key == document.number_key,
        Document.official_number.is_not(None))) or 0)
    accepted = {norm.canonical_id}
    if same_key == 1:
        accepted.add(document.number_key)     # a citation without office or sector
    citing = select(NormCitation.document_id).where(
        NormCitation.archive_key == document.number_key,
        NormCitation.canonical_id.in_(sorted(a for a in accepted if a)),
        NormCitation.document_id != document.id)
    conditions: list[ColumnElement[bool]] = [Document.id.in_(citing)]
    if document.is_single_norm:
        conditions.append(_while_in_force(session, document))
    if shown is not None:
        conditions.append(Document.id.in_(shown))
    if published_only:
        conditions.append(Document.status == Status.PUBLISHED)
    condition = and_(*conditions)
    total = int(session.scalar(select(func.count()).select_from(Document).where(condition))
                or 0)
    paging = Paging.clamped(total, page, CITED_BY_PAGE)
    documents = session.scalars(select(Document).where(condition)
                                .order_by(Document.issue_date.desc(), Document.id.desc())
                                .offset(paging.offset).limit(paging.size))
    return CitedBy([as_archive_norm(d) for d in documents], paging)


def _while_in_force(session: Session, document: Document):
    """For a Constitution (every one is filed under CONST): the norms dated while it was
    the one in force, from its date to the next one's; a norm without a date cites the
    newest."""
    later = session.scalar(select(func.min(Document.issue_date)).where(
        Document.number_key == document.number_key,
        Document.issue_date > (document.issue_date or "")))
    since = Document.issue_date >= document.issue_date if document.issue_date else true()
    if later is not None:
        return since & (Document.issue_date < later)
    return or_(since, Document.issue_date.is_(None))


def _relations(session: Session, condition, visible=None) -> list[NormRelation]:
    query = select(NormRelation).where(condition, NormRelation.status != "rechazada")
    if visible is not None:
        query = query.where(visible)
    return list(session.scalars(query.order_by(NormRelation.effective_date, NormRelation.id)))


__all__ = ["NOT_IN_FORCE", "CORRECTION_RELATIONS", "STATUS_RANK", "NormAnalysis", "analyze_norm",
           "record_source_notes", "read_source_notes", "SourceNotes", "analyze_archive", "confirm_relation",
           "reject_relation", "refresh_legal_status", "refresh_statuses", "status_from",
           "get_norm", "get_relation", "list_relations", "count_relations", "norm_links",
           "NormLinks", "CitedNorm", "can_decide"]
