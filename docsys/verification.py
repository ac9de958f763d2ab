"""Public verification of issued norms: by verification code, or by the PDF itself.

A file is authentic when its SHA-256 is that of a PDF docsys issued. Independently, every
signature in it is checked (intact, chains to the configured trust roots, certificate valid
when signing). A file that is not the issued one but carries an issued norm's verification
code is reported as altered, naming the norm it claims to be.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from docsys.models._common import iso_utc
from docsys import issuing
from docsys.errors import ValidationError
from docsys.models import Document, Issuance
from docsys.signing.pades import VerificationReport, verify_pdf
from docsys.states import Status

MAX_VERIFY_BYTES = 20 * 1024 * 1024
KEYWORD_PREFIX = "docsys-verificacion:"
_KEYWORD_CODE = re.compile(r"docsys-verificacion:\s*([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})")


def trust_roots(settings) -> list[bytes]:
    """PEM bytes of every trusted root: DOCSYS_TRUST_ROOTS files and the demo CA if any."""
    paths = [p for p in (settings.get("TRUST_ROOTS") or "").split(":") if p.strip()]
    demo = Path(settings.get("PKI_DIR") or "") / "ca.pem"
    if settings.get("PKI_DIR") and demo.exists():
        paths.append(str(demo))
    roots = []
    for path in paths:
        try:
            roots.append(Path(path).read_bytes())
        except OSError:
            continue  # a missing file is a configuration problem, not a verification error
    return roots


@dataclass
class Verification:
    report: VerificationReport
    issuance: Issuance | None       # the norm this file is (by hash) or claims to be (by code)
    document: Document | None
    authentic: bool                 # byte for byte the PDF docsys issued

    @property
    def verdict_text(self) -> str:
        if self.authentic and self.report.verdict == "VÁLIDO":
            return ("Documento auténtico: es el archivo emitido por la municipalidad y todas sus "
                    "firmas son válidas.")
        if self.authentic:
            return ("Es el archivo emitido por la municipalidad, pero no se pudo confirmar la "
                    "validez de todas sus firmas: " + self.report.summary)
        if self.issuance is not None:
            return ("ATENCIÓN: este archivo NO es el emitido. Dice ser "
                    f"«{self.issuance.official_number}», pero su contenido difiere del original "
                    "(fue modificado o reemplazado). " + self.report.summary)
        return ("Este archivo no corresponde a ninguna norma emitida por docsys. "
                + self.report.summary)


def _claimed_code(pdf_bytes: bytes) -> str:
    """The verification code written in the file's metadata (its Keywords)."""
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader
    try:
        info = PdfFileReader(BytesIO(pdf_bytes), strict=False).trailer_view["/Info"]
        keywords = str(info["/Keywords"])
    except Exception:  # an unreadable file simply claims nothing
        return ""
    match = _KEYWORD_CODE.search(keywords)
    return match.group(1) if match else ""


def verify_file(session: Session, settings, pdf_bytes: bytes) -> Verification:
    if not pdf_bytes:
        raise ValidationError("Adjunte el archivo PDF que desea verificar.")
    if len(pdf_bytes) > MAX_VERIFY_BYTES:
        raise ValidationError("El archivo supera el tamaño máximo de 20 MB.")
    if not pdf_bytes.lstrip()[:5].startswith(b"%PDF-"):
        raise ValidationError("El archivo no es un PDF.")
    digest = hashlib.sha256(pdf_bytes).hexdigest()
    issuance = issuing.by_sha256(session, digest)
    authentic = issuance is not None
    if issuance is None:
        issuance = issuing.by_code(session, _claimed_code(pdf_bytes))
    report = verify_pdf(pdf_bytes, trust_roots(settings),
                        expected_sha256=issuance.pdf_sha256 if issuance else None)
    document = session.get(Document, issuance.document_id) if issuance else None
    return Verification(report=report, issuance=issuance, document=document,
                        authentic=authentic)


def verify_code(session: Session, settings, code: str) -> Verification | None:
    """The stored PDF of the norm with this code, verified now (None: unknown code)."""
    issuance = issuing.by_code(session, code)
    if issuance is None:
        return None
    pdf = issuing.signed_pdf(settings, issuance)
    report = verify_pdf(pdf, trust_roots(settings), expected_sha256=issuance.pdf_sha256)
    return Verification(report=report, issuance=issuance,
                        document=session.get(Document, issuance.document_id),
                        authentic=report.matches_issued is True)


def report_json(v: Verification) -> dict:
    """The JSON shape of ``POST /api/v1/verify`` and ``docsys verify --json``."""
    r = v.report
    return {
        "authentic": v.authentic,
        "verdict": r.verdict,
        "message": v.verdict_text,
        "summary": r.summary,
        "sha256": r.sha256,
        "size": r.size,
        "altered_after_signing": r.altered_after_signing,
        "norm": None if v.issuance is None else {
            "number": v.issuance.official_number,
            "type": v.issuance.doc_type,
            "year": v.issuance.year,
            "sequence": v.issuance.sequence,
            "issue_date": v.issuance.issue_date,
            "verification_code": v.issuance.verification_code,
            "status": v.document.legal_status if v.document else None,
            "published": bool(v.document and v.document.status == Status.PUBLISHED),
        },
        "signatures": [{
            "field": s.field_name, "kind": s.kind, "signer": s.signer_name,
            "position": s.signer_position, "organization": s.signer_organization,
            "issuer": s.issuer, "certificate_serial": s.certificate_serial,
            "reason": s.reason, "location": s.location,
            "signing_time": iso_utc(s.signing_time),
            "timestamp_time": iso_utc(s.timestamp_time),
            "intact": s.intact, "signature_valid": s.signature_valid, "trusted": s.trusted,
            "certificate_valid_at_signing": s.certificate_valid_at_signing,
            "modified_after": s.modified_after, "later_changes": s.later_changes,
            "verdict": s.verdict, "explanation": s.explanation,
        } for s in r.signatures],
    }
