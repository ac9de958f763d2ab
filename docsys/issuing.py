"""Issuing a norm: official number, the authority's signature, publication.

The vistos buenos were signed by their holders when given, on the version's signing copy
(docsys.holder_signing). ``issue`` does the rest in the caller's transaction: it checks the
copy (both vistos buenos signed by the officials recorded for them), takes the number (the
sequence row stays locked), and in one revision the authority's signature fills the
number, the date and the signer's name and position and signs FIRMA; then the signed PDF
is stored. Only the authority's key is opened, with their own secret. If anything fails the
transaction rolls back and the number is given to the next document: numbers never repeat
or skip.
"""
from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from docsys import blobs, events, holder_signing, policy
from docsys.compliance.finished import unfinished
from docsys.drafting.structure import clone
from docsys.errors import Conflict, ImmutableError, NotFound, ValidationError
from docsys.holder_signing import issued_meta, today_in_lima
from docsys.policy import template_definition
from docsys.states import Status
from docsys.models import Document, DocumentVersion, Issuance, PreparedSignature, User, VistoBueno
from docsys.models._common import utcnow
from docsys.signing import credentials, identity, numbering, pades
from docsys.signing.keystore import Credential
from docsys.workflow import move
from search.numbers import number_key
from docsys.versions import get_version
from docsys.versions import latest_version

VISTO_BUENO_ORDER = tuple(holder_signing.VB_FIELDS)   # legal (VB_1), area (VB_2)
__all__ = ["issued_meta"]   # for the portal's pages

# One process issues one document at a time: the requests queue on this lock instead of
# holding a database connection each while they wait (for SQLite's write lock, or for the
# sequence row that PostgreSQL keeps locked until the signed PDF is committed). Across
# processes the database lock orders them. Callers end their current transaction first.
_issue_lock = threading.Lock()


def issue_lock():
    """Hold around the whole unit of work that calls ``issue`` (see above)."""
    return _issue_lock


numbering_office = policy.numbering_office
signer_office = policy.signer_office


def can_issue(user: User, document: Document) -> bool:
    return policy.role_allows(user, policy.Action.ISSUE, document)


def normalize_code(code: str) -> str:
    cleaned = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(cleaned) != 12:
        return ""
    return f"{cleaned[:4]}-{cleaned[4:8]}-{cleaned[8:]}"


def _final_content(document: Document, content: dict, actor: User, date: dt.date) -> dict:
    """The approved text with the issue date, and the signature block of the signer's
    user record (never free text: the name printed is the name that signs)."""
    final = clone(content)
    fields = final.setdefault("fields", {})
    fields["fecha"] = date.isoformat()
    fields["firmante_nombre"] = actor.full_name
    if actor.position:
        fields["firmante_cargo"] = actor.position
    return final


def issued_content(session: Session, issuance: Issuance) -> dict:
    """The text that was signed: the approved version with the issue date and signer."""
    document = session.get_one(Document, issuance.document_id)
    version = get_version(session, document, issuance.version_number)
    return _final_content(document, version.content, issuance.signer,
                          dt.date.fromisoformat(issuance.issue_date))


_number_pattern = holder_signing.number_pattern


def short_number(settings, document: Document, issuance: Issuance) -> str:
    """"0045-2026-GM-MDM": the number without the heading, as the template writes it."""
    return numbering.format_number(_number_pattern(document), issuance.sequence, issuance.year,
                                   settings["MUNICIPALITY_CODE"], issuance.office_code)


@dataclass
class _Plan:
    """What an issue prints: the version, date, number and verification code."""

    version: DocumentVersion
    date: dt.date
    office: str
    seq: int
    number: str
    official: str
    code: str


def check_issuable(session: Session, document: Document, actor: User) -> DocumentVersion:
    if document.official_number:
        raise ImmutableError("El documento ya fue emitido como "
                             f"«{document.official_number}»; no se puede volver a numerar.")
    policy.require(actor, policy.Action.ISSUE, document,
                   "Solo la autoridad que firma este tipo de norma "
                   f"({signer_office(document)}) puede emitirla.",
                   state_message="Solo se emite un documento aprobado (con los vistos buenos).")
    version = latest_version(session, document)
    left = unfinished(document, version.content)
    if left:
        raise Conflict("No se emite un texto sin terminar; corrija y vuelva a revisarlo: "
                       + " ".join(left), problems=left)
    return version


def _check_year(copy, date: dt.date) -> None:
    """The copy prints its year (letterhead's year name, the number's year)."""
    if copy.year != date.year:
        raise Conflict(f"Los vistos buenos se firmaron sobre una copia de {copy.year} (membrete "
                       f"y número de ese año) y hoy es {date.year}: devuelva el documento a "
                       "revisión para que se den de nuevo los vistos buenos. No se tomó ningún "
                       "número.")


def _plan(session: Session, settings, document: Document, version: DocumentVersion,
          date: dt.date, seq: int, code: str) -> _Plan:
    """The number ``seq`` as printed; a 409 when a stored norm already has it."""
    office = numbering_office(document)
    muni = settings["MUNICIPALITY_CODE"]
    pattern = _number_pattern(document)
    number = numbering.format_number(pattern, seq, date.year, muni, office)
    heading = template_definition(document).get("heading") or document.doc_type + " N° {numero}"
    official = numbering.official_number(heading, pattern, seq, date.year, muni, office)
    clash = session.scalar(select(Document.id).where(Document.official_number == official,
                                                     Document.id != document.id))
    if clash is not None:
        raise Conflict(f"El número «{official}» ya lo tiene el documento {clash} del archivo; "
                       "no se tomó ningún número. Revise el número de la norma importada.")
    return _Plan(version, date, office, seq, number, official, code)


def _fill(settings, document: Document, actor: User, plan: _Plan) -> dict[str, str]:
    return holder_signing.fill_values(settings, document, plan.version.content, actor,
                                      plan.number, plan.date)


def _record(session: Session, settings, document: Document, actor: User, plan: _Plan,
            pdf: bytes, final_serial: str) -> Issuance:
    """Store the signed PDF and the issuance; the document becomes "emitido"."""
    blob = blobs.put(session, settings["BLOB_DIR"], pdf, "application/pdf")
    issuance = Issuance(document_id=document.id, version_number=plan.version.number,
                        doc_type=document.doc_type, office_code=plan.office,
                        year=plan.date.year, sequence=plan.seq, official_number=plan.official,
                        issue_date=plan.date.isoformat(), verification_code=plan.code,
                        pdf_sha256=blob.sha256, signer_id=actor.id)
    session.add(issuance)
    document.official_number = plan.official
    document.number_key = number_key(document.doc_type, str(plan.seq), plan.date.year)
    document.issue_date = plan.date.isoformat()
    document.legal_status = "vigente"
    try:
        session.flush()
    except IntegrityError as exc:  # a number or code taken meanwhile: "not now", not a 500
        raise Conflict("El número o el código de verificación ya están en uso; no se emitió "
                       "el documento. Intente nuevamente.") from exc
    move(session, document, Status.ISSUED, actor, "emitir", expected=(Status.APPROVED,))
    for leftover in session.scalars(select(PreparedSignature).where(
            PreparedSignature.document_id == document.id)):
        session.delete(leftover)   # a PDF prepared for signing elsewhere, not used
    # The vistos buenos were recorded as signed when given; this is the authority's.
    events.record(session, "sign", actor, document.id, reason=pades.REASON_AUTHOR,
                  field=pades.FINAL_FIELD, certificate=final_serial,
                  version=plan.version.number)
    # Subscribers: audit, search index, and the compliance analysis of its citations.
    events.record(session, "issue", actor, document.id, number=plan.official,
                  sha256=blob.sha256, verification_code=plan.code,
                  version=plan.version.number)
    return issuance


def open_authority_credential(session: Session, settings, actor: User,
                              presented: Credential | None = None,
                              secret: str | None = None) -> Credential:
    """The authority's certificate, opened with their own secret (or presented), and
    accepted: theirs (DNI), trusted, not revoked, valid now."""
    return holder_signing.open_holder_credential(session, settings, actor, secret, presented)


@dataclass(frozen=True)
class Ready:
    """What an issue needs that is slow and does not change once approved, found before
    the issue lock: the authority's key opened with their secret, and the signing copy
    whose vistos buenos were checked (by its SHA-256)."""

    credential: Credential
    copy_sha256: str


def get_ready(session: Session, settings, document: Document, actor: User,
              presented: Credential | None = None, secret: str | None = None) -> Ready:
    version = check_issuable(session, document, actor)
    copy, _ = holder_signing.checked_copy(session, settings, document, version.number)
    return Ready(open_authority_credential(session, settings, actor, presented, secret),
                 copy.pdf_sha256)


def issue(session: Session, settings, document: Document, actor: User,
          presented: Credential | None = None, date: dt.date | None = None,
          secret: str | None = None, ready: Ready | None = None) -> Issuance:
    """Number and sign an approved document's signing copy; it becomes "emitido".

    The authority's certificate is ``presented`` (a .p12 opened with its passphrase) or
    their stored one opened with ``secret``; or both it and the checked copy come
    ``ready`` (found before the issue lock). No other key is opened."""
    version = check_issuable(session, document, actor)
    if ready is None:
        ready = get_ready(session, settings, document, actor, presented, secret)
    copy = holder_signing.signing_copy(session, document, version.number)
    if copy is None or copy.pdf_sha256 != ready.copy_sha256:
        raise Conflict("Los vistos buenos cambiaron mientras emitía; no se tomó ningún "
                       "número. Intente nuevamente.")
    pdf = blobs.get(settings["BLOB_DIR"], copy.pdf_sha256)
    credential = ready.credential
    date = date or today_in_lima()
    _check_year(copy, date)
    seq = numbering.take_next(session, document.doc_type, numbering_office(document), date.year)
    plan = _plan(session, settings, document, version, date, seq, copy.verification_code)
    signed = pades.sign_pdf_with_credential(
        pdf, pades.FINAL_FIELD, credential, pades.REASON_AUTHOR,
        location=holder_signing.location(settings),
        signer_label=pades.SignerLabel(credential.info.common_name,
                                       actor.position or credential.info.position),
        timestamp_url=settings.get("TSA_URL") or None,
        fill=_fill(settings, document, actor, plan), fill_styles=holder_signing.FILL_STYLES)
    return _record(session, settings, document, actor, plan, signed,
                   credential.info.serial_number)


def next_number(session: Session, settings, document: Document) -> str:
    """The official number issuing would take now (shown before the act; nothing taken)."""
    date = today_in_lima()
    office = numbering_office(document)
    seq = numbering.peek_next(session, document.doc_type, office, date.year)
    heading = template_definition(document).get("heading") or document.doc_type + " N° {numero}"
    return numbering.official_number(heading, _number_pattern(document), seq, date.year,
                                     settings["MUNICIPALITY_CODE"], office)


# ---- "Firmar con mi propio programa" -------------------------------------------------------

def prepare_external(session: Session, settings, document: Document,
                     actor: User) -> tuple[PreparedSignature, bytes]:
    """The PDF the authority signs with their own software: the signing copy with its
    vistos buenos, the number the next issue will take, today's date and the authority's
    name and position filled (an unsigned revision), the field FIRMA empty. No number is
    taken; preparing again replaces the previous file."""
    version = check_issuable(session, document, actor)
    copy, pdf = holder_signing.checked_copy(session, settings, document, version.number)
    date = today_in_lima()
    _check_year(copy, date)
    office = numbering_office(document)
    seq = numbering.peek_next(session, document.doc_type, office, date.year)
    plan = _plan(session, settings, document, version, date, seq, copy.verification_code)
    pdf = pades.fill_text_revision(pdf, _fill(settings, document, actor, plan),
                                   holder_signing.FILL_STYLES)
    blob = blobs.put(session, settings["BLOB_DIR"], pdf, "application/pdf")
    previous = session.scalar(select(PreparedSignature).where(
        PreparedSignature.document_id == document.id))
    if previous is not None:
        session.delete(previous)
        session.flush()
    prepared = PreparedSignature(
        document_id=document.id, version_number=version.number, signer_id=actor.id,
        year=date.year, sequence=seq, issue_date=date.isoformat(), official_number=plan.official,
        verification_code=plan.code, pdf_sha256=blob.sha256)
    session.add(prepared)
    session.flush()
    events.record(session, "sign_prepare", actor, document.id, number=plan.official,
                  sha256=blob.sha256, version=version.number)
    return prepared, pdf


def issue_external(session: Session, settings, document: Document, actor: User,
                   signed: bytes) -> Issuance:
    """Accept the file the authority signed outside docsys, if it is exactly the prepared
    PDF plus one valid signature in FIRMA by this official's trusted certificate; then
    take the number (it must still be the one printed) and issue."""
    version = check_issuable(session, document, actor)
    prepared = session.scalar(select(PreparedSignature).where(
        PreparedSignature.document_id == document.id))
    if prepared is None or prepared.signer_id != actor.id:
        raise Conflict("Primero descargue el PDF preparado para su firma.")
    if prepared.version_number != version.number:
        raise Conflict("El documento cambió desde que se preparó el PDF; descárguelo de nuevo.")
    today = today_in_lima()
    if prepared.issue_date != today.isoformat():
        raise Conflict(f"El PDF preparado lleva la fecha {prepared.issue_date}; descárguelo de "
                       "nuevo para firmarlo con la fecha de hoy.")
    original = blobs.get(settings["BLOB_DIR"], prepared.pdf_sha256)
    cert, chain = pades.check_external_signature(
        original, signed, pades.FINAL_FIELD, identity.trust_roots(settings),
        crls=identity.local_crls(settings),
        allow_fetching=identity.fetches_revocation(settings))
    identity.accept(settings, actor, cert, chain)
    office = numbering_office(document)
    seq = numbering.take_next(session, document.doc_type, office, today.year)
    if seq != prepared.sequence:
        raise Conflict(f"El número {prepared.official_number} ya no es el siguiente (se emitió "
                       "otra norma); descargue de nuevo el PDF preparado y fírmelo.")
    plan = _plan(session, settings, document, version, today, seq, prepared.verification_code)
    session.delete(prepared)
    session.flush()
    return _record(session, settings, document, actor, plan, signed,
                   format(cert.serial_number, "X"))


def expected_signers(session: Session, issuance: Issuance) -> dict[str, User]:
    """The official recorded for each signature field of an issued norm: the vistos
    buenos given on the issued version (VB_1 legal, VB_2 area) and the authority."""
    rows = session.scalars(select(VistoBueno).where(
        VistoBueno.document_id == issuance.document_id,
        VistoBueno.version_number == issuance.version_number))
    by_kind = {row.kind: row.user for row in rows}
    expected = {field: by_kind[kind] for kind, field in holder_signing.VB_FIELDS.items()
                if kind in by_kind}
    expected[pades.FINAL_FIELD] = issuance.signer
    return expected


def can_publish(user: User, document: Document) -> bool:
    return policy.role_allows(user, policy.Action.PUBLISH, document)


def publish(session: Session, document: Document, actor: User) -> None:
    """Put an issued norm on the public portal (Secretaría General)."""
    policy.require(actor, policy.Action.PUBLISH, document,
                   "Solo Secretaría General publica las normas.",
                   state_message="Solo se publica una norma emitida y firmada.")
    move(session, document, Status.PUBLISHED, actor, "publicar", expected=(Status.ISSUED,))
    document.published_at = utcnow()
    session.flush()
    events.record(session, "publish", actor, document.id, number=document.official_number)


def issuance_of(session: Session, document: Document) -> Issuance | None:
    return session.scalar(select(Issuance).where(Issuance.document_id == document.id))


def by_code(session: Session, code: str) -> Issuance | None:
    code = normalize_code(code)
    if not code:
        return None
    return session.scalar(select(Issuance).where(Issuance.verification_code == code))


def by_sha256(session: Session, digest: str) -> Issuance | None:
    return session.scalar(select(Issuance).where(Issuance.pdf_sha256 == digest))


def signed_pdf(settings, issuance: Issuance) -> bytes:
    return blobs.get(settings["BLOB_DIR"], issuance.pdf_sha256)


def download_signed_pdf(session: Session, settings, document: Document, user: User,
                        **details) -> tuple[Issuance, bytes]:
    """The signed PDF of an issued norm, for a signed-in user; the download is audited."""
    issuance = get_issuance(session, document)
    data = signed_pdf(settings, issuance)
    events.record(session, "download", user, document.id, format="pdf-firmado",
                 sha256=issuance.pdf_sha256, **details)
    return issuance, data


def pdf_filename(issuance: Issuance) -> str:
    return f"{issuance.doc_type}-{issuance.sequence:04d}-{issuance.year}-{issuance.office_code}.pdf"


def get_issuance(session: Session, document: Document) -> Issuance:
    issuance = issuance_of(session, document)
    if issuance is None:
        raise NotFound("El documento no ha sido emitido.")
    return issuance


def check_presented(p12_bytes: bytes | None, passphrase: str | None) -> Credential | None:
    """A certificate presented with the request, if any (the file is needed; its
    passphrase may be empty)."""
    if not p12_bytes and not passphrase:
        return None
    if not p12_bytes:
        raise ValidationError("Adjunte el archivo de su certificado (.p12 o .pfx).")
    return credentials.open_presented(p12_bytes, passphrase or "")
