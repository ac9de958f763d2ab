"""Correcting an issued norm: only by another norm (issue 12, item 8).

A signed norm never changes (same PDF, same hash). When it holds a mistake, the authority
who signs that type of norm starts, from the norm's page, a new draft of the same template
in the norm's own office: a rectificación de error material (Art. 212 of the TUO of Ley
N° 27444: retroactive, the content and the decision stay), a "déjese sin efecto"
(revocación, Art. 214, or nulidad de oficio, Art. 213) or a modification. The draft is
pre-filled in Spanish (sumilla, a considerando citing the norm by number and date, the
operative articles) with bracketed prompts for what the drafter must complete, so it cannot
be approved or signed unfinished; it goes through review and vistos buenos as any draft.

When it is issued (the "issue" event, ``record_issued``), docsys records the confirmed
relation from the new norm to the corrected one ("rectifica", "deja sin efecto",
"modifica"), and the corrected norm's legal status follows (rectificada, sin efecto,
modificada) on its pages, in the search and in compliance reports.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from docsys import events, policy
from docsys.compliance.archive import as_archive_norm
from docsys.compliance.norms import NOT_IN_FORCE, refresh_legal_status
from docsys.drafting.service import latest_template_version
from docsys.drafting.structure import content_hash, normalize_content
from docsys.drafting.templates import instantiate
from docsys.errors import Conflict, ValidationError
from docsys.models import (Document, DocumentTemplate, DocumentVersion, NormCorrection,
                           NormRelation, User)
from docsys.models._common import utcnow
from docsys.rendering.ordinals import long_date
from docsys.states import SIGNED, Status, label
from docsys.versions import latest_version

MAX_REASON = 500
MIN_REASON = 5
# The doc types named with a masculine noun ("el Decreto de Alcaldía", "el presente acuerdo").
_MASCULINE = frozenset({"DA", "AC"})
_NOUNS = {"OM": "ordenanza", "AC": "acuerdo", "DA": "decreto", "RA": "resolución",
          "RGM": "resolución", "RG": "resolución"}
# Fields a correction asks again (its own file, session, vote and date), not copied over.
_FRESH_FIELDS = ("expediente", "informes", "fecha", "firmante_nombre", "sesion_tipo",
                 "sesion_fecha", "votacion", "dictamen")
# The usual closing articles of a template, kept after the correcting ones.
_TAIL_VERBS = ("ENCARGAR", "NOTIFICAR", "DISPONER", "PUBLICAR", "REMITIR")
_PROMPT_MARK = "["


@dataclass(frozen=True)
class CorrectionKind:
    key: str
    label: str           # as offered on the page
    relation: str        # the NormRelation kind recorded when the correction is issued
    sumilla: str         # "{norma}" is "la Resolución … N° …"
    denomination: str    # an ordinance's "ORDENANZA QUE …"


KINDS: dict[str, CorrectionKind] = {k.key: k for k in (
    CorrectionKind("rectificar", "Rectificar error material", "rectifica",
                   "Rectificar el error material incurrido en {norma}",
                   "RECTIFICA EL ERROR MATERIAL INCURRIDO EN {norma}"),
    CorrectionKind("dejar_sin_efecto", "Dejar sin efecto", "deja_sin_efecto",
                   "Dejar sin efecto {norma}", "DEJA SIN EFECTO {norma}"),
    CorrectionKind("modificar", "Modificar", "modifica",
                   "Modificar {norma}", "MODIFICA {norma}"),
)}


def parse_kind(raw) -> CorrectionKind:
    kind = KINDS.get(raw.strip().lower().replace("-", "_").replace(" ", "_")
                     if isinstance(raw, str) else "")
    if kind is None:
        raise ValidationError("Indique el tipo de corrección: rectificar (error material), "
                              "dejar_sin_efecto o modificar.")
    return kind


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

def _name(norm: Document) -> str:
    """"la Resolución de Gerencia Municipal N° 0045-2026-GM-MDM" (or "el Decreto …")."""
    archived = as_archive_norm(norm)
    text = archived.label or norm.official_number or norm.title
    return ("el " if norm.doc_type.upper() in _MASCULINE else "la ") + text


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


def _noun(doc_type: str) -> str:
    """"la presente resolución" / "el presente decreto"."""
    noun = _NOUNS.get(doc_type.upper(), "norma")
    return ("el presente " if doc_type.upper() in _MASCULINE else "la presente ") + noun


def _cited(doc_type: str) -> str:
    """"la citada resolución" / "el citado decreto"."""
    noun = _NOUNS.get(doc_type.upper(), "norma")
    return ("el citado " if doc_type.upper() in _MASCULINE else "la citada ") + noun


def _considerandos(norm: Document, kind: CorrectionKind) -> list[str]:
    name = _name(norm)
    date = long_date(norm.issue_date)
    cited = _cited(norm.doc_type)
    intro = (f"Que, mediante {name}, de fecha {date}, se dispuso: «{norm.title.rstrip('. ')}»;"
             if date else f"Que, mediante {name}, se dispuso: «{norm.title.rstrip('. ')}»;")
    tuo = ("del Texto Único Ordenado de la Ley N° 27444, Ley del Procedimiento Administrativo "
           "General, aprobado por Decreto Supremo N° 004-2019-JUS")
    if kind.key == "rectificar":
        return [
            intro,
            f"Que, en {cited} se ha incurrido en error material: en [indique el artículo, "
            "considerando o parte en que figura el error] se consignó «[texto erróneo]», "
            "cuando correspondía consignar «[texto correcto]»;",
            f"Que, el numeral 212.1 del artículo 212 {tuo}, establece que los errores "
            "material o aritmético en los actos administrativos pueden ser rectificados con "
            "efecto retroactivo, en cualquier momento, de oficio o a instancia de los "
            "administrados, siempre que no se altere lo sustancial de su contenido ni el "
            "sentido de la decisión; y el numeral 212.2 dispone que la rectificación adopta "
            "las formas y modalidades de comunicación o publicación que corresponda para el "
            "acto original;",
            "Que, la rectificación no altera lo sustancial del contenido ni el sentido de la "
            f"decisión adoptada en {cited}, por lo que corresponde rectificarla;",
        ]
    if kind.key == "dejar_sin_efecto":
        return [
            intro,
            f"Que, [exponga los hechos por los que corresponde dejar sin efecto {cited}];",
            f"Que, el numeral 213.1 del artículo 213 {tuo}, dispone que, en cualquiera de los "
            "casos enumerados en el artículo 10, puede declararse de oficio la nulidad de los "
            "actos administrativos, aun cuando hayan quedado firmes, siempre que agravien el "
            "interés público o lesionen derechos fundamentales; y el numeral 214.1 del "
            "artículo 214 establece los casos en que cabe la revocación de actos "
            "administrativos, con efectos a futuro;",
            "Que, [precise la causal que se aplica (nulidad de oficio, artículo 213, o "
            "revocación, artículo 214) y por qué concurre en el presente caso];",
        ]
    return [
        intro,
        f"Que, [exponga los hechos y el fundamento por los que corresponde modificar {cited}];",
    ]


def _articles(norm: Document, kind: CorrectionKind) -> list[str]:
    name = _name(norm)
    date = long_date(norm.issue_date)
    dated = f"{name}, de fecha {date}" if date else name
    if kind.key == "rectificar":
        return [f"RECTIFICAR el error material incurrido en [indique el artículo, considerando "
                f"o parte] de {dated}, en los términos siguientes: DICE: «[texto erróneo]»; "
                "DEBE DECIR: «[texto correcto]».",
                f"DEJAR SUBSISTENTE {name} en todo lo demás que contiene."]
    if kind.key == "dejar_sin_efecto":
        return [f"DEJAR SIN EFECTO {dated}, por los fundamentos expuestos en la parte "
                f"considerativa de {_noun(norm.doc_type)}.",
                "[Disponga lo que corresponda sobre los actos realizados o los efectos "
                "producidos en aplicación de la norma que se deja sin efecto.]"]
    return [f"MODIFICAR [indique el artículo o la parte] de {dated}, que queda redactado "
            "de la siguiente manera: «[nuevo texto]».",
            f"DEJAR SUBSISTENTE {name} en todo lo demás que contiene."]


def _fields(session: Session, norm: Document, definition: dict, kind: CorrectionKind) -> dict:
    """The new draft's fields: the norm's (office, delegation, place, position), a new
    sumilla, and its own file, date and signer left to complete."""
    old = dict((latest_version(session, norm).content or {}).get("fields") or {}) \
        if norm.latest_version else {}
    name = _name(norm)
    keys = {f["key"] for f in definition.get("fields") or []}
    values = {key: str(old.get(key) or "") for key in keys if key not in _FRESH_FIELDS}
    values["sumilla"] = kind.sumilla.format(norma=name)
    if "denominacion" in keys:
        values["denominacion"] = kind.denomination.format(norma=name.upper())
    return values


def _draft_content(session: Session, norm: Document, definition: dict,
                   kind: CorrectionKind) -> dict:
    """The template instantiated, its considerandos and operative articles rewritten for
    the correction (the template's legal bases first, the correction's facts and law, then
    the template's prompts for the reports; the correcting articles, then its closing
    ones)."""
    content = instantiate(definition, _fields(session, norm, definition, kind))
    sections = content.get("sections") or []
    considerando = next((s for s in sections if s.get("key") == "considerando"), None)
    operative = next((s for s in sections[sections.index(considerando) + 1:]
                      if s.get("kind") == "articles"), None) if considerando else None
    if considerando is None or operative is None:
        raise Conflict(f"La plantilla de {norm.doc_type} no tiene considerandos ni parte "
                       "resolutiva: este tipo de norma se corrige mediante la norma que la "
                       "aprobó.")
    bases = [i for i in considerando["items"] if _PROMPT_MARK not in i.get("text", "")]
    prompts = [i for i in considerando["items"] if _PROMPT_MARK in i.get("text", "")
               and "mediante [" in i.get("text", "")]
    considerando["items"] = (bases + [{"text": t} for t in _considerandos(norm, kind)]
                             + prompts)
    tail = [i for i in operative["items"]
            if i.get("text", "").split(" ", 1)[0].upper() in _TAIL_VERBS]
    operative["items"] = [{"text": t} for t in _articles(norm, kind)] + tail
    return normalize_content(content)


def start_correction(session: Session, norm: Document, actor: User, kind,
                     reason) -> NormCorrection:
    """The authority starts the correction of an issued norm: a new draft of its template,
    in its office, pre-filled; the norm itself is not touched. Refusals change nothing."""
    _check_correctable(session, norm, actor)
    kind = parse_kind(kind)
    reason = clean_reason(reason)
    tversion = _template_version(session, norm)
    content = _draft_content(session, norm, tversion.definition, kind)
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
        relation.status = "confirmada"
        relation.effective_date = effective
        relation.decided_by = actor
        relation.decided_at = utcnow()
        relation.decision_note = note
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


__all__ = ["KINDS", "CorrectionKind", "parse_kind", "clean_reason", "correction_of",
           "corrections_of", "open_correction", "may_start", "start_correction",
           "record_issued"]
