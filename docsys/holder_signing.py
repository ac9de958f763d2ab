"""Every signature made by its holder, when they act (issue 12, item 2).

The flow, explained in the README ("Firmas"):

1. **A signing copy per version.** At the first visto bueno on a version, docsys renders
   that version's final layout once: the verification code is reserved now, and the
   number, the place-date line and the signer's name and position are *empty PDF text
   fields* (NUMERO, FECHA, FIRMANTE_NOMBRE, FIRMANTE_CARGO), next to the signature fields
   VB_1 (legal), VB_2 (area) and FIRMA. It is stored (``signing_copies``).
2. **Each V°B° is signed when given**, by its holder, on the current copy: an incremental
   update that fills VB_1 or VB_2 (in either order). The holder proves control with a
   secret only they know: the «clave de firma» that unseals their stored certificate
   (DKS2, docsys.signing.keystore), or their .p12 presented with its passphrase. The V°B°
   record and its signature are one act: no record without the signature.
3. **The authority signs at issuing** (docsys.issuing): in one revision its signature fills
   the number, the date and its own name and position, and signs FIRMA. For the earlier
   signatures that is form filling, which an approval signature allows: all stay valid.

Rendering and signing happen with no write lock held (issue 16): the service reads, then
renders and signs, then records in a short write transaction that checks nothing moved in
between (the copy is still the one signed on, the version still the latest); a race
gives one success and one Spanish 409, never a lost signature.
"""
from __future__ import annotations

import base64
import datetime as dt
import io
import secrets
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

import qrcode
import qrcode.image.svg

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from docsys import blobs, events, policy, workflow
from docsys.compliance.finished import unfinished
from docsys.drafting.structure import clone
from docsys.errors import Conflict, PermissionDenied, ValidationError
from docsys.models import Document, SigningCopy, User, VistoBueno
from docsys.models._common import utcnow
from docsys.policy import template_definition
from docsys.rendering import build_meta, render_pdf
from docsys.rendering.layout import RenderMeta, place_date_text
from docsys.rendering.metrics import text_width
from docsys.signing import credentials, identity, numbering, pades
from docsys.signing.keystore import Credential
from docsys.states import Status
from docsys.versions import get_version

LIMA = ZoneInfo("America/Lima")
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand
VB_FIELDS = {"legal": "VB_1", "area": "VB_2"}   # stamps left to right, then FIRMA
NUMBER_FIELD, DATE_FIELD = "NUMERO", "FECHA"
NAME_FIELD, POSITION_FIELD = "FIRMANTE_NOMBRE", "FIRMANTE_CARGO"
FILL_STYLES = {NUMBER_FIELD: pades.TextStyle(bold=True),
               DATE_FIELD: pades.TextStyle(align="right"),
               NAME_FIELD: pades.TextStyle(bold=True, align="center"),
               POSITION_FIELD: pades.TextStyle(align="center")}
# Between the page's bottom margin (2.4 cm) and the stamp grid (GRID_BOTTOM), plus air.
STAMP_CLEARANCE_PT = 14.0
_HEADING_PT = 12.0   # static/css/document.css .doc-heading


def new_verification_code() -> str:
    """12 characters (60 bits) in three groups, e.g. "K7QX-M3PA-9RZD"."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def verification_url(settings, code: str) -> str:
    return settings["PUBLIC_BASE_URL"].rstrip("/") + "/verificar/" + code


def qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=1,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def today_in_lima() -> dt.date:
    return dt.datetime.now(LIMA).date()


def number_pattern(document: Document) -> str:
    return template_definition(document).get("number_pattern") or "{seq:03d}-{year}-{muni}"


def issued_meta(settings, document: Document, content: dict, number: str, code: str,
                signature_space: float = 0.0):
    """The layout settings of an issued norm: its number, and the verification footer."""
    url = verification_url(settings, code)
    meta = build_meta(settings, template_definition(document), content, number=number,
                      office_code=document.office.code, office_name=document.office.name)
    return replace(meta, verification_code=code, verification_url=url,
                   qr_data_uri=qr_data_uri(url), signature_space=signature_space)


def location(settings) -> str:
    return f"{settings.get('MUNICIPALITY_PLACE') or 'Camisea'}, Perú"


def signing_copy(session: Session, document: Document, version: int) -> SigningCopy | None:
    return session.scalar(select(SigningCopy).where(SigningCopy.document_id == document.id,
                                                    SigningCopy.version_number == version))


# ---- the signing copy -----------------------------------------------------------------------

@dataclass(frozen=True)
class CopyLayout:
    """What a new signing copy prints, read from the database before rendering."""

    content: dict
    meta: RenderMeta
    code: str
    year: int


def copy_layout(session: Session, settings, document: Document, version_number: int,
                today: dt.date, code: str) -> CopyLayout:
    """The final layout of a version with its number, date and signer left as fields."""
    version = get_version(session, document, version_number)
    content = clone(version.content)
    # The year of the letterhead's year name and of the number; not printed as a date.
    content.setdefault("fields", {})["fecha"] = today.isoformat()
    office = policy.numbering_office(document)
    seq = numbering.peek_next(session, document.doc_type, office, today.year)
    sample = numbering.format_number(number_pattern(document), seq, today.year,
                                     settings["MUNICIPALITY_CODE"], office)
    slots = pades.default_slots(len(VB_FIELDS))
    meta = issued_meta(settings, document, content, "", code,
                       signature_space=pades.signature_area_height(len(slots))
                       + STAMP_CLEARANCE_PT)
    meta = replace(meta, form_fields=True,
                   number_width=text_width(sample, _HEADING_PT, bold=True) + 6.0)
    return CopyLayout(content, meta, code, today.year)


def render_copy(layout: CopyLayout) -> bytes:
    """The unsigned signing copy: text fields from the layout, then the signature fields."""
    pdf = render_pdf(layout.content, layout.meta)
    return pades.prepare_signature_fields(pdf, pades.default_slots(len(VB_FIELDS)))


def fill_values(settings, document: Document, content: dict, signer: User,
                number: str, date: dt.date) -> dict[str, str]:
    """What the authority's signature writes into the copy's text fields."""
    meta = build_meta(settings, template_definition(document), content, number=number,
                      office_code=document.office.code)
    return {NUMBER_FIELD: number, DATE_FIELD: place_date_text(content, meta, date.isoformat()),
            NAME_FIELD: signer.full_name, POSITION_FIELD: signer.position or ""}


# ---- the holder's credential ----------------------------------------------------------------

def open_holder_credential(session: Session, settings, user: User, secret: str | None,
                           presented: Credential | None) -> Credential:
    """The holder's certificate, opened with what only they know: a presented .p12 (opened
    with its passphrase already), or their stored one with their «clave de firma». A
    certificate stored without a clave de firma is refused. Then it must be theirs (DNI),
    trusted, not revoked and valid now."""
    if presented is not None:
        credential = presented
    else:
        if not secret:
            raise ValidationError("Escriba su clave de firma (o adjunte su certificado .p12 "
                                  "con su contraseña).")
        credential = credentials.load_credential(session, settings, user, holder_secret=secret)
    identity.accept(settings, user, credential.cert, credential.chain)
    return credential


# ---- a visto bueno, signed when given --------------------------------------------------------

@dataclass(frozen=True)
class VistoStep:
    """A V°B° ready to sign: who, on which version and copy (``base`` None: a new copy
    rendered from ``layout``), with which certificate."""

    document_id: int
    version_number: int
    kind: str
    field: str
    base_sha256: str | None
    base_pdf: bytes | None
    layout: CopyLayout | None
    credential: Credential
    signer_name: str
    signer_position: str


def check_visto_bueno(session: Session, document: Document, actor: User) -> str:
    """The kind of V°B° ``actor`` gives now ("legal" or "area"), or the Spanish refusal."""
    refusal = "Solo Asesoría Jurídica o el jefe del área pueden dar visto bueno."
    if not policy.role_allows(actor, policy.Action.VISTO_BUENO, document):
        raise PermissionDenied(refusal)
    policy.require(actor, policy.Action.VISTO_BUENO, document, refusal,
                   state_message="El visto bueno se da cuando el documento está en revisión.")
    kind = policy.visto_bueno_kind(actor, document)
    assert kind is not None
    if kind in workflow.current_vistos(session, document):
        raise Conflict("Ya se dio ese visto bueno sobre la versión actual: ya está firmado, "
                       "no se firmó de nuevo.")
    left = unfinished(document, get_version(session, document, document.latest_version).content)
    if left:   # nothing unfinished is signed
        raise Conflict("No se firma un visto bueno sobre un texto sin terminar; corríjalo "
                       "primero: " + " ".join(left), problems=left)
    return kind


def prepare_visto_bueno(session: Session, settings, document: Document, actor: User,
                        secret: str | None = None, presented: Credential | None = None,
                        today: dt.date | None = None) -> VistoStep:
    """Read what signing a V°B° needs (nothing is written): the checks, the holder's
    certificate opened with their secret, and the current signing copy (or its layout)."""
    kind = check_visto_bueno(session, document, actor)
    credential = open_holder_credential(session, settings, actor, secret, presented)
    version = document.latest_version
    copy = signing_copy(session, document, version)
    base_pdf = blobs.get(settings["BLOB_DIR"], copy.pdf_sha256) if copy is not None else None
    layout = None if copy is not None else copy_layout(
        session, settings, document, version, today or today_in_lima(), new_verification_code())
    return VistoStep(document.id, version, kind, VB_FIELDS[kind],
                     copy.pdf_sha256 if copy is not None else None, base_pdf, layout,
                     credential, actor.full_name,
                     actor.position or credential.info.position)


def sign_visto_bueno(settings, step: VistoStep) -> bytes:
    """Render the copy when new, then sign the V°B° field on it (no database needed)."""
    if step.base_pdf is not None:
        pdf = step.base_pdf
    else:
        assert step.layout is not None   # no copy yet: its layout was read
        pdf = render_copy(step.layout)
    return pades.sign_pdf_with_credential(
        pdf, step.field, step.credential, pades.REASON_VISTO_BUENO, location=location(settings),
        signer_label=pades.SignerLabel(step.credential.info.common_name, step.signer_position),
        timestamp_url=settings.get("TSA_URL") or None)


_RACE = ("Otra persona firmó este documento al mismo tiempo; su visto bueno no se registró "
         "ni se firmó. Intente nuevamente.")


def record_visto_bueno(session: Session, settings, document: Document, actor: User,
                       step: VistoStep, signed: bytes) -> VistoBueno:
    """Store the signed copy and the V°B° record together, if nothing moved since
    ``step`` was read (same version, same copy); otherwise a Spanish 409."""
    if document.latest_version != step.version_number or document.status != Status.IN_REVIEW:
        raise Conflict("El documento cambió mientras firmaba (nueva versión o nuevo estado); "
                       "su visto bueno no se registró. Recargue la página.")
    blob = blobs.put(session, settings["BLOB_DIR"], signed, "application/pdf")
    if step.base_sha256 is None:
        assert step.layout is not None
        try:
            with session.begin_nested():   # a copy made meanwhile hits the unique key
                session.add(SigningCopy(document_id=document.id,
                                        version_number=step.version_number,
                                        verification_code=step.layout.code,
                                        year=step.layout.year, pdf_sha256=blob.sha256))
        except IntegrityError:
            raise Conflict(_RACE) from None
    else:
        moved = session.execute(
            update(SigningCopy).where(SigningCopy.document_id == document.id,
                                      SigningCopy.version_number == step.version_number,
                                      SigningCopy.pdf_sha256 == step.base_sha256)
            .values(pdf_sha256=blob.sha256, updated_at=utcnow())
            .execution_options(synchronize_session=False))
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(_RACE)
    row = workflow.give_visto_bueno(session, document, actor)
    events.record(session, "sign", actor, document.id, reason=pades.REASON_VISTO_BUENO,
                  field=step.field, certificate=step.credential.info.serial_number,
                  version=step.version_number, sha256=blob.sha256)
    return row


def give_visto_bueno(session: Session, settings, document: Document, actor: User,
                     secret: str | None = None, presented: Credential | None = None,
                     today: dt.date | None = None) -> VistoBueno:
    """The whole act in the caller's transaction (demo data, tests): read, sign, record.
    docsys.services splits it so that no write lock is held while rendering and signing."""
    step = prepare_visto_bueno(session, settings, document, actor, secret, presented, today)
    return record_visto_bueno(session, settings, document, actor, step,
                              sign_visto_bueno(settings, step))


# ---- at issuing: the copy and its vistos buenos, checked ------------------------------------

def checked_copy(session: Session, settings, document: Document,
                 version: int) -> tuple[SigningCopy, bytes]:
    """The approved version's signing copy, its vistos buenos signed by the officials
    recorded for them (their DNI), intact and trusted; FIRMA still empty."""
    copy = signing_copy(session, document, version)
    if copy is None:
        raise Conflict("La versión aprobada no tiene vistos buenos firmados; devuelva el "
                       "documento a revisión para que se den de nuevo.")
    pdf = blobs.get(settings["BLOB_DIR"], copy.pdf_sha256)
    vistos = workflow.current_vistos(session, document)
    report = pades.verify_pdf(pdf, identity.trust_roots(settings),
                              crls=identity.local_crls(settings),
                              allow_fetching=identity.fetches_revocation(settings))
    by_field = {sig.field_name: sig for sig in report.signatures}
    for kind, field in VB_FIELDS.items():
        row, sig = vistos.get(kind), by_field.get(field)
        of_whom = "de Asesoría Jurídica" if kind == "legal" else "del jefe del área"
        if row is None or sig is None:
            raise Conflict(f"Falta el visto bueno firmado {of_whom} sobre la versión "
                           f"{version}; devuelva el documento a revisión.")
        if not row.user.dni or sig.signer_dni != row.user.dni:
            raise Conflict(f"El visto bueno {of_whom} ({field}) no está firmado por "
                           f"{row.user.full_name}, quien lo registró; no se emite.")
        if sig.verdict != pades.VALID:
            raise Conflict(f"La firma del visto bueno {of_whom} ({field}) no es válida: "
                           f"{sig.explanation} Devuelva el documento a revisión para que se "
                           "dé de nuevo; no se tomó ningún número.")
    if pades.FINAL_FIELD not in report.unsigned_fields:
        raise Conflict("La copia de firma ya tiene la firma final; no se firma de nuevo.")
    return copy, pdf


def visto_signers(session: Session, document: Document) -> list[User]:
    """The holders of the current vistos buenos, VB_1 then VB_2."""
    vistos = workflow.current_vistos(session, document)
    return [vistos[kind].user for kind in VB_FIELDS if kind in vistos]
