"""Issuing an approved document: number, final PDF, vistos buenos and signature, on both
databases; the signed PDF read back and verified."""
from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader
from io import BytesIO

from docsys import issuing
from docsys.db import transaction
from docsys.errors import Conflict, ImmutableError, PermissionDenied
from docsys.models import Document, Issuance
from docsys.signing import VALID, verify_pdf
from docsys.verification import trust_roots
from tests.conftest import get_user
from tests.issuing.support import approved_document


def test_issue_numbers_renders_and_signs(signing_ready, settings):
    with transaction(signing_ready) as session:
        document = approved_document(session)
        issuance = issuing.issue(session, settings, document, get_user(session, "gerente"),
                                 date=dt.date(2026, 3, 12))
        document_id = document.id
    with transaction(signing_ready) as session:
        document = session.get(Document, document_id)
        issuance = issuing.issuance_of(session, document)
        assert document.status == "emitido"
        assert document.legal_status == "vigente"
        assert issuance.official_number == "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0001-2026-GM-MDM"
        assert document.official_number == issuance.official_number
        assert issuance.issue_date == "2026-03-12"
        pdf = issuing.signed_pdf(settings, issuance)
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "0001-2026-GM-MDM" in text
    assert issuance.verification_code in text
    assert "12 de marzo de 2026" in text
    report = verify_pdf(pdf, trust_roots(settings), expected_sha256=issuance.pdf_sha256)
    assert report.verdict == VALID, report.summary
    assert [s.reason for s in report.signatures] == ["Doy V° B°", "Doy V° B°",
                                                     "Soy el autor del documento"]
    assert report.signatures[-1].signer_name == "Jorge Mendoza Salas"
