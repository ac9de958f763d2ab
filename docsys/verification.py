"""Public verification of issued norms: by verification code, or by the PDF itself.

A file is authentic when its SHA-256 is that of a PDF docsys issued. Independently, every
signature in it is checked (intact, chains to the configured trust roots, certificate valid
when signing). A file that is not the issued one but carries an issued norm's verification
code is reported as altered, naming the norm it claims to be.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from docsys.models._common import iso_utc
from docsys import issuing
from docsys.errors import ValidationError
from docsys.models import Document, Issuance
from docsys.signing.identity import fetches_revocation, local_crls, trust_roots
from docsys.signing.pades import (INDETERMINATE, INVALID, VALID, VerificationReport,
                                  verify_pdf)
from docsys.states import Status

MAX_VERIFY_BYTES = 20 * 1024 * 1024
KEYWORD_PREFIX = "docsys-verificacion:"
_KEYWORD_CODE = re.compile(r"docsys-verificacion:\s*([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})")


@dataclass(frozen=True)
class ExpectedSigner:
    """The official recorded for one signature field of an act, and whether the
    certificate that signed it is theirs (their DNI)."""

    field_name: str
    name: str
    dni: str
    matches: bool


@dataclass
class Verification:
    report: VerificationReport
    issuance: Issuance | None       # the norm this file is (by hash) or claims to be (by code)
    document: Document | None
    authentic: bool                 # byte for byte the PDF docsys issued
    expected: dict[str, ExpectedSigner] = field(default_factory=dict)

    @property
    def wrong_signers(self) -> list[ExpectedSigner]:
        return [e for e in self.expected.values() if not e.matches]

    @property
    def verdict(self) -> str:
        """VÁLIDO only for the authentic issued file, every signature valid and made by
        the official recorded for it."""
        if self.authentic and not self.wrong_signers:
            return self.report.verdict
        if self.issuance is not None or self.wrong_signers:
            return INVALID
        return INDETERMINATE if self.report.verdict == VALID else self.report.verdict

    @property
    def verdict_text(self) -> str:
        if self.authentic and self.wrong_signers:
            wrong = self.wrong_signers[0]
            return (f"ATENCIÓN: la firma {wrong.field_name} no es de {wrong.name} (DNI "
                    f"{wrong.dni}), el funcionario registrado para este acto.")
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


def revocation(settings) -> dict:
    """How signatures' revocation is checked: the demo CA's CRL from disk (demo mode), and
    the sources other certificates name, fetched unless DOCSYS_FETCH_REVOCATION=0."""
    return {"crls": local_crls(settings), "allow_fetching": fetches_revocation(settings)}


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
                        expected_sha256=issuance.pdf_sha256 if issuance else None,
                        **revocation(settings))
    document = session.get(Document, issuance.document_id) if issuance else None
    return Verification(report=report, issuance=issuance, document=document,
                        authentic=authentic, expected=_expected(session, issuance, report))


def verify_code(session: Session, settings, code: str) -> Verification | None:
    """The stored PDF of the norm with this code, verified now (None: unknown code)."""
    issuance = issuing.by_code(session, code)
    if issuance is None:
        return None
    pdf = issuing.signed_pdf(settings, issuance)
    report = verify_pdf(pdf, trust_roots(settings), expected_sha256=issuance.pdf_sha256,
                        **revocation(settings))
    return Verification(report=report, issuance=issuance,
                        document=session.get(Document, issuance.document_id),
                        authentic=report.matches_issued is True,
                        expected=_expected(session, issuance, report))


def _expected(session: Session, issuance: Issuance | None,
              report: VerificationReport) -> dict[str, ExpectedSigner]:
    """Each signed field against the official docsys recorded for it (matched by DNI)."""
    if issuance is None:
        return {}
    officials = issuing.expected_signers(session, issuance)
    result = {}
    for signature in report.signatures:
        official = officials.get(signature.field_name)
        if official is None:
            continue
        result[signature.field_name] = ExpectedSigner(
            signature.field_name, official.full_name, official.dni or "",
            matches=bool(official.dni) and signature.signer_dni == official.dni)
    return result


def report_json(v: Verification) -> dict:
    """The JSON shape of ``POST /api/v1/verify`` and ``docsys verify --json``."""
    r = v.report
    return {
        "authentic": v.authentic,
        "verdict": v.verdict,
        "signatures_verdict": r.verdict,
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
            "dni": s.signer_dni,
            "expected_signer": _expected_json(v.expected.get(s.field_name)),
            "position": s.signer_position, "organization": s.signer_organization,
            "issuer": s.issuer, "certificate_serial": s.certificate_serial,
            "reason": s.reason, "location": s.location,
            "signing_time": iso_utc(s.signing_time),
            "timestamp_time": iso_utc(s.timestamp_time),
            "intact": s.intact, "signature_valid": s.signature_valid, "trusted": s.trusted,
            "certificate_valid_at_signing": s.certificate_valid_at_signing,
            "modified_after": s.modified_after, "later_changes": s.later_changes,
            "revocation_checked": s.revocation_checked,
            "verdict": s.verdict, "explanation": s.explanation,
        } for s in r.signatures],
    }


def _expected_json(expected: ExpectedSigner | None) -> dict | None:
    if expected is None:
        return None
    return {"name": expected.name, "dni": expected.dni, "matches": expected.matches}
