"""The archivist's review: the queue of norms whose metadata was not read with confidence,
and the confirmation (or correction) of type, number, year, office, date and sumilla.

Confirming writes the values on the document (official number, number key, issue date,
title), a new immutable version whose fields carry them, and an audit entry with what
changed; the search index follows through the outbox.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from docsys import events, policy
from docsys.archive.metadata import FIELDS
from docsys.archive.norms import (ORIGIN, TYPE_NAMES, compose_official_number, norm_content,
                                  number_conflicts, parse_label, single_norm_number)
from docsys.errors import Conflict, NotFound, ValidationError, VersionConflict
from docsys.ids import parse_id
from docsys.models import ArchivedNorm, Document, DocumentVersion, Office, User
from docsys.models._common import utcnow
from docsys.drafting.structure import content_hash
from docsys.versions import latest_version
from search.numbers import number_key
from search.registry import registry

MAX_SUMILLA = 1000
# The Republic's first norms (1821): the national framework reaches back to them (the open
# dataset's oldest are of 1825).
FIRST_YEAR = 1821
FORM_FIELDS = FIELDS  # the form confirms each guessed field


def can_review(user: User) -> bool:
    return policy.allows(user, policy.Action.REVIEW_METADATA)


def review_queue(session: Session, page: int = 1, per_page: int = 50) -> tuple[list[ArchivedNorm], int]:
    """Norms awaiting the archivist, oldest import first; and how many there are."""
    query = select(ArchivedNorm).where(ArchivedNorm.needs_review.is_(True))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(ArchivedNorm.imported_at, ArchivedNorm.id)
                           .offset((max(page, 1) - 1) * per_page).limit(per_page))
    return list(rows), total


def next_to_review(session: Session) -> ArchivedNorm | None:
    """The first norm of the queue (where a confirmation leads next), or None."""
    return session.scalar(select(ArchivedNorm).where(ArchivedNorm.needs_review.is_(True))
                          .order_by(ArchivedNorm.imported_at, ArchivedNorm.id).limit(1))


def get_archived(session: Session, document_id, user: User) -> ArchivedNorm:
    """The archived norm of a document the user may see (404 for anything else)."""
    document_id = parse_id(document_id)
    norm = None if document_id is None else session.scalar(
        select(ArchivedNorm).where(ArchivedNorm.document_id == document_id))
    if norm is None:
        raise NotFound("La norma solicitada no existe en el archivo importado.")
    policy.require(user, policy.Action.VIEW, norm.document, "No tiene permiso para ver esta norma.")
    return norm


def get_norm_page(session: Session, document_id, user: User) -> tuple[Document, ArchivedNorm | None]:
    """An archive norm the user may see, with its import record when it has one: norms
    loaded without an original file (the demo's, a framework loaded as text) have none,
    and must open all the same (404 for anything that is not an archive norm)."""
    document_id = parse_id(document_id)
    document = None if document_id is None else session.get(Document, document_id)
    if document is None or document.origin != ORIGIN:
        raise NotFound("La norma solicitada no existe en el archivo importado.")
    policy.require(user, policy.Action.VIEW, document, "No tiene permiso para ver esta norma.")
    return document, archived_norm_of(session, document)


def download_original(session: Session, settings, document_id, user: User,
                      **details) -> tuple[ArchivedNorm, bytes, str]:
    """An archived norm's original file, for a user who may see it; the download is
    audited. Returns the norm, the bytes and the name to offer (without folders)."""
    from docsys import blobs
    norm = get_archived(session, document_id, user)
    data = blobs.get(settings["BLOB_DIR"], norm.original_sha256)
    events.record(session, "download", user, norm.document_id, format="original",
                 file=norm.original_filename, **details)
    return norm, data, download_name(norm.original_filename)


def download_name(filename: str) -> str:
    """The original's name without its folders (a name from a folder import keeps them)."""
    return filename.replace("\\", "/").rsplit("/", 1)[-1] or "original"


def form_values(norm: ArchivedNorm) -> dict[str, str]:
    """What the review form shows: the confirmed values, else the guesses."""
    document = norm.document
    guessed = (norm.guessed or {}).get("values", {})
    number = ""
    if document.official_number and "N°" in document.official_number:
        number = document.official_number.split("N°", 1)[1].strip()
    elif guessed.get("number_label"):
        number = guessed["number_label"]
    elif guessed.get("number"):
        number = str(guessed["number"])
    year = guessed.get("year") or (document.issue_date or "")[:4]
    if document.official_number:
        parsed = parse_label(number)
        year = parsed[1] if parsed and parsed[1] else year
    return {
        "doc_type": document.doc_type if document.doc_type in TYPE_NAMES else "",
        "number": number,
        "year": str(year or ""),
        "office": document.office.code if document.office else "",
        "date": document.issue_date or guessed.get("date") or "",
        "sumilla": document.title or "",
    }


@dataclass(frozen=True)
class Confirmed:
    doc_type: str
    number: int | None   # None for the types given without a number (the Constitution, a TUO)
    label: str
    year: int
    office: Office
    date: str | None
    sumilla: str


def _validate(session: Session, values: dict) -> Confirmed:
    def text(name: str) -> str:
        value = values.get(name)
        return value.strip() if isinstance(value, str) else str(value or "").strip()

    doc_type = text("doc_type")
    if doc_type not in TYPE_NAMES:
        raise ValidationError("Elija el tipo de norma.")
    try:
        year = int(text("year"))
    except ValueError:
        raise ValidationError("Indique el año de la norma con cuatro cifras (p. ej. 2024).") from None
    if not FIRST_YEAR <= year <= dt.date.today().year + 1:
        raise ValidationError(f"El año {year} no es válido para una norma del archivo.")
    label = " ".join(text("number").split())
    if label.upper().startswith(("N°", "Nº", "NO.", "NRO")):
        label = label.split(None, 1)[1] if " " in label else ""
    number: int | None = None
    if registry()[doc_type].unnumbered:   # the Constitution, a TUO
        if label:
            raise ValidationError(f"Una norma de tipo «{TYPE_NAMES[doc_type]}» no lleva número: "
                                  "deje el número en blanco.")
    else:
        parsed = parse_label(label)
        if not parsed or parsed[0] <= 0 or len(label) > 100:
            raise ValidationError("El número debe empezar con cifras, como figura en la norma "
                                  "(p. ej. «045-2024-GM-MDM», «45» o «D000045-2024-GM-MDM»).")
        if parsed[1] is not None and parsed[1] != year:
            raise ValidationError(f"El número indica el año {parsed[1]}, pero el año elegido es "
                                  f"{year}. Corrija uno de los dos.")
        number = parsed[0]
    office = session.scalar(select(Office).where(Office.code == text("office")))
    if office is None:
        raise ValidationError("Elija la oficina que emitió la norma.")
    date = text("date") or None
    if date:
        try:
            parsed_date = dt.date.fromisoformat(date)
        except ValueError:
            raise ValidationError("La fecha debe tener el formato AAAA-MM-DD.") from None
        if parsed_date > dt.date.today():
            raise ValidationError("La fecha de la norma no puede ser futura.")
        if parsed_date.year < FIRST_YEAR:
            raise ValidationError(f"La fecha {date} no es válida para una norma del archivo.")
    sumilla = " ".join(text("sumilla").split())
    if not sumilla:
        raise ValidationError("Escriba la sumilla: de qué trata la norma.")
    if len(sumilla) > MAX_SUMILLA:
        raise ValidationError(f"La sumilla supera los {MAX_SUMILLA} caracteres.")
    return Confirmed(doc_type, number, label, year, office, date, sumilla)


def confirm_metadata(session: Session, norm: ArchivedNorm, values: dict, actor: User,
                     base_version, muni_code: str = "MDM") -> Document:
    """The archivist confirms or corrects the norm's metadata (refused if somebody else
    changed the norm since ``base_version`` was shown, or if the number is taken)."""
    policy.require(actor, policy.Action.REVIEW_METADATA, None, "Solo el archivo (Secretaría General) confirma los "
                                           "datos de las normas importadas.")
    document = norm.document
    if document.origin != ORIGIN:
        raise Conflict("Solo se corrigen aquí los datos de las normas importadas del archivo.")
    base = parse_id(base_version)
    if base is None:
        raise ValidationError("Falta la versión de la norma sobre la que trabajó.")
    data = _validate(session, values)
    official = key = None
    clash = None
    single = single_norm_number(data.doc_type, data.year)
    if single is not None:
        official, key = single
        clash = number_conflicts(session, official, key, data.office.id,
                                 exclude_id=document.id)
    elif data.number is not None:
        official = compose_official_number(data.doc_type, data.label, data.number, data.year,
                                           data.office.code, muni_code)
        key = number_key(data.doc_type, official, data.year)
        clash = number_conflicts(session, official, key, data.office.id,
                                 exclude_id=document.id)
    if clash and clash.exact:
        raise Conflict(f"El número «{official}» ya lo tiene el documento {clash.document_id}. "
                       "Revise el número; si es la misma norma importada dos veces, avise al "
                       "administrador.")
    before = _audited(document)
    previous = latest_version(session, document)
    content = norm_content(data.doc_type, "", sumilla=data.sumilla, date=data.date or "",
                           place=previous.content.get("fields", {}).get("lugar", ""),
                           number=official or "", sections=previous.content.get("sections"))
    now = utcnow()
    result = session.execute(
        update(Document).where(Document.id == document.id, Document.latest_version == base)
        .values(latest_version=base + 1, doc_type=data.doc_type, title=data.sumilla,
                office_id=data.office.id, official_number=official, number_key=key or None,
                issue_date=data.date, updated_at=now)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult
        raise VersionConflict("Otra persona modificó esta norma mientras usted la revisaba. "
                              "Recargue la página para ver sus datos actuales.",
                              current_version=document.latest_version, base_version=base)
    session.add(DocumentVersion(document_id=document.id, number=base + 1, content=content,
                                content_hash=content_hash(content), author_id=actor.id,
                                note="Datos confirmados por el archivo"))
    norm.needs_review = False
    norm.reviewed_by_id = actor.id
    norm.reviewed_at = now
    session.flush()
    session.refresh(document)
    after = _audited(document)
    events.record(session, "archive_confirm", actor, document.id, version=base + 1,
                 changes={k: [before[k], after[k]] for k in before if before[k] != after[k]})
    return document


def _audited(document: Document) -> dict:
    """The values a confirmation may change, as its audit entry compares them."""
    return {"doc_type": document.doc_type, "official_number": document.official_number,
            "office": document.office.code, "issue_date": document.issue_date,
            "title": document.title}


def archived_norm_of(session: Session, document: Document) -> ArchivedNorm | None:
    """The archive record (original file, how it was read) of an imported norm, if any."""
    return session.scalar(select(ArchivedNorm).where(ArchivedNorm.document_id == document.id))
