"""Issuing an approved document, on both databases: the official number, the final PDF
with date, place and verification footer, the vistos buenos signed first and the signing
authority last, and what is refused. Signed PDFs are read back by pypdf, poppler's
pdftotext and pdfsig, and verified by docsys."""
from __future__ import annotations

import datetime as dt
import socket

import pytest
from sqlalchemy import func, select

from docsys import issuing
from docsys.db import transaction
from docsys.errors import Conflict, NotFound, PermissionDenied, ValidationError
from docsys.models import Document, Issuance, NumberSequence
from docsys.signing import VALID, pki, verify_pdf
from docsys.signing.pades import TimestampUnavailable
from docsys.verification import revocation, trust_roots
from tests.conftest import get_user
from tests.issuing.support import SECRET, RA, approved_document, pages_text
from tests.signing.support import PDFSIG, LocalTSA, make_nss_db, run_pdfsig

MARCH_12 = dt.date(2026, 3, 12)


def _issue(factory, settings, signer="gerente", date=MARCH_12, **kwargs):
    with transaction(factory) as session:
        # The signing copy prints the year of the issue date (letterhead, number).
        document = approved_document(session, settings, today=date, **kwargs)
        issuance = issuing.issue(session, settings, document, get_user(session, signer),
                                 date=date, secret=SECRET)
        return document.id, issuance


def test_issue_numbers_renders_and_signs(signing_ready, settings, tmp_path):
    document_id, issuance = _issue(signing_ready, settings)
    with transaction(signing_ready) as session:
        document = session.get(Document, document_id)
        assert document.status == "emitido"
        assert document.legal_status == "vigente"
        assert document.number_key == "RGM-1-2026"
        assert issuance.official_number == "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0001-2026-GM-MDM"
        assert document.official_number == issuance.official_number
        assert issuance.issue_date == "2026-03-12"
        pdf = issuing.signed_pdf(settings, issuance)
    pages = pages_text(pdf, tmp_path)
    text = "\n".join(pages)
    assert "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0001-2026-GM-MDM" in text
    assert "Camisea, 12 de marzo de 2026" in " ".join(text.split())
    # The verification footer (code, URL) is on every page.
    url = f"https://normas.megantoni.gob.pe/verificar/{issuance.verification_code}"
    for page in pages:
        flat = "".join(page.split())
        assert issuance.verification_code in flat and url in flat
    report = verify_pdf(pdf, trust_roots(settings), expected_sha256=issuance.pdf_sha256,
                        **revocation(settings))
    assert report.verdict == VALID, report.summary
    assert report.matches_issued is True
    # Vistos buenos first (legal adviser, area head), the authority's signature last.
    assert [(s.field_name, s.reason, s.signer_name) for s in report.signatures] == [
        ("VB_1", "Doy V° B°", "Carmen Rojas Villanueva"),
        ("VB_2", "Doy V° B°", "Jorge Mendoza Salas"),
        ("FIRMA", "Soy el autor del documento", "Jorge Mendoza Salas")]
    # Revision 1 is the rendered PDF, 2 adds the empty fields; each signature adds one.
    assert [s.revision for s in report.signatures] == [3, 4, 5]
    assert report.signatures[-1].covers_whole_file
    assert not report.unsigned_fields


@pytest.mark.skipif(PDFSIG is None, reason="pdfsig (poppler-utils) no está instalado")
def test_pdfsig_validates_every_signature_of_an_issued_norm(signing_ready, settings, tmp_path):
    # A resolución de alcaldía: three different signers. (When one certificate signs twice,
    # as a Gerente Municipal giving V°B° and signing does, Debian's pdfsig 22.12 sometimes
    # reports "Unknown issue with Certificate" for one of the two: its validation threads
    # race in NSS. docsys' own verification is checked on that case above.)
    _, issuance = _issue(signing_ready, settings, signer="alcalde", template=RA,
                         sumilla="Designar al responsable del portal de transparencia")
    pdf = issuing.signed_pdf(settings, issuance)
    path = tmp_path / "norma.pdf"
    path.write_bytes(pdf)
    nss = make_nss_db(tmp_path / "nss", (tmp_path / "pki" / "ca.pem").read_bytes())
    result = run_pdfsig(path, nss)
    assert [s.field_name for s in result] == ["VB_1", "VB_2", "FIRMA"]
    assert all(s.valid and s.trusted for s in result), [
        (s.signature_validation, s.certificate_validation) for s in result]
    assert result[-1].total_document_signed


def test_a_copy_signed_in_another_year_is_not_issued(signing_ready, settings):
    """The signing copy prints its year (the letterhead's year name, the number's year): a
    norm whose vistos buenos were signed in 2026 is not issued in 2027; it goes back to
    review for new vistos buenos. Nothing is numbered."""
    with transaction(signing_ready) as session:
        document = approved_document(session, settings, today=dt.date(2026, 12, 30))
        with pytest.raises(Conflict, match="devuelva el documento a revisión"):
            issuing.issue(session, settings, document, get_user(session, "gerente"),
                          date=dt.date(2027, 1, 4), secret=SECRET)
        session.rollback()
    with transaction(signing_ready) as session:
        assert session.scalar(select(func.count()).select_from(NumberSequence)) == 0


def test_numbers_run_per_type_office_and_year_without_gaps(signing_ready, settings):
    numbers = [_issue(signing_ready, settings, sumilla=f"Aprobar el expediente N° {n}")[1]
               for n in range(3)]
    assert [i.official_number[-16:] for i in numbers] == [
        "0001-2026-GM-MDM", "0002-2026-GM-MDM", "0003-2026-GM-MDM"]
    # Another type has its own sequence; a new year starts again at 1.
    _, ra = _issue(signing_ready, settings, signer="alcalde", template=RA,
                   sumilla="Designar al responsable del portal de transparencia")
    assert ra.official_number == "RESOLUCIÓN DE ALCALDÍA N° 001-2026-A-MDM"
    _, next_year = _issue(signing_ready, settings, date=dt.date(2027, 1, 4),
                          sumilla="Aprobar el plan operativo del primer trimestre")
    assert next_year.official_number.endswith("0001-2027-GM-MDM")
    with transaction(signing_ready) as session:
        assert {(s.doc_type, s.office_code, s.year, s.last_number)
                for s in session.scalars(select(NumberSequence))} == {
            ("RGM", "GM", 2026, 3), ("RA", "A", 2026, 1), ("RGM", "GM", 2027, 1)}


def test_only_approved_documents_by_their_authority(signing_ready, settings):
    with transaction(signing_ready) as session:
        document = approved_document(session, settings)
        with pytest.raises(PermissionDenied, match="Solo la autoridad"):
            issuing.issue(session, settings, document, get_user(session, "alcalde"), secret=SECRET)
        with pytest.raises(PermissionDenied):
            issuing.issue(session, settings, document, get_user(session, "asesor"), secret=SECRET)
        document.status = "en_revision"
        session.flush()
        with pytest.raises(Conflict, match="Solo se emite un documento aprobado"):
            issuing.issue(session, settings, document, get_user(session, "gerente"), secret=SECRET)
        session.rollback()
    with transaction(signing_ready) as session:
        assert session.scalar(select(func.count()).select_from(Issuance)) == 0
        assert session.scalar(select(func.count()).select_from(NumberSequence)) == 0


def test_issuing_twice_is_refused(signing_ready, settings):
    document_id, issuance = _issue(signing_ready, settings)
    with transaction(signing_ready) as session:
        document = session.get(Document, document_id)
        with pytest.raises(Conflict, match="ya fue emitido"):
            issuing.issue(session, settings, document, get_user(session, "gerente"), secret=SECRET)


def test_a_missing_certificate_stops_before_a_number_is_taken(signing_ready, settings):
    from docsys.signing import credentials
    with transaction(signing_ready) as session:
        credentials.remove_credential(session, get_user(session, "asesor"))
    with pytest.raises(NotFound, match="no tiene un certificado digital registrado"):
        _issue(signing_ready, settings)
    with transaction(signing_ready) as session:
        assert session.scalar(select(func.count()).select_from(NumberSequence)) == 0


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_failed_signature_rolls_the_number_back(signing_ready, settings):
    broken = dict(settings, TSA_URL=f"http://127.0.0.1:{_closed_port()}/tsa")
    with pytest.raises(TimestampUnavailable):
        _issue(signing_ready, broken)
    with transaction(signing_ready) as session:
        assert session.scalar(select(func.count()).select_from(Issuance)) == 0
        pending = session.scalar(select(Document).where(Document.status == "aprobado"))
        assert pending is None  # the failed unit of work left nothing behind
    _, issuance = _issue(signing_ready, settings)
    assert issuance.sequence == 1 and issuance.official_number.endswith("0001-2026-GM-MDM")


def test_signatures_carry_a_timestamp_when_a_tsa_is_configured(signing_ready, settings):
    ca = pki.load_ca(settings["PKI_DIR"])
    cert, key = pki.issue_tsa_certificate(ca)
    with LocalTSA(cert, key, ca.cert) as tsa:
        _, issuance = _issue(signing_ready, dict(settings, TSA_URL=tsa.url))
        assert tsa.requests >= 3  # one token per signature (pyHanko may also probe the size)
    report = verify_pdf(issuing.signed_pdf(settings, issuance), trust_roots(settings),
                        **revocation(settings))
    assert report.verdict == VALID, report.summary
    assert all(s.timestamp_time is not None and s.timestamp_trusted for s in report.signatures)


def test_a_certificate_presented_at_signing_time_is_used_and_not_kept(signing_ready, settings,
                                                                       tmp_path):
    from docsys.signing import credentials
    ca = pki.load_ca(settings["PKI_DIR"])
    p12 = tmp_path / "token.p12"
    with transaction(signing_ready) as session:
        dni = get_user(session, "gerente").dni
    pki.write_person_pkcs12(ca, p12, "clave-del-token", "Jorge Mendoza Salas",
                            "Gerente Municipal", "jmendoza@megantoni.gob.pe", dni=dni)
    presented = issuing.check_presented(p12.read_bytes(), "clave-del-token")
    with transaction(signing_ready) as session:
        gerente = get_user(session, "gerente")
        document = approved_document(session, settings)
        credentials.remove_credential(session, gerente)
        issuance = issuing.issue(session, settings, document, gerente, presented=presented,
                                 date=MARCH_12)
        assert credentials.stored_credential(session, gerente) is None
    report = verify_pdf(issuing.signed_pdf(settings, issuance), trust_roots(settings),
                        **revocation(settings))
    assert report.verdict == VALID
    assert report.signatures[-1].certificate_serial == presented.info.serial_number
    assert report.signatures[-1].signer_dni == dni


def test_an_untrusted_certificate_is_refused_before_the_number(signing_ready, settings,
                                                               tmp_path):
    other_ca = pki.create_ca("Autoridad Certificadora Desconocida")
    p12 = tmp_path / "ajeno.p12"
    with transaction(signing_ready) as session:
        dni = get_user(session, "gerente").dni
    pki.write_person_pkcs12(other_ca, p12, "clave", "Jorge Mendoza Salas", "Gerente Municipal",
                            "jmendoza@megantoni.gob.pe", dni=dni)
    presented = issuing.check_presented(p12.read_bytes(), "clave")
    with transaction(signing_ready) as session:
        document = approved_document(session, settings)
        with pytest.raises(ValidationError, match="autoridad de certificación de confianza"):
            issuing.issue(session, settings, document, get_user(session, "gerente"),
                          presented=presented)
        session.rollback()
    with transaction(signing_ready) as session:
        assert session.scalar(select(func.count()).select_from(NumberSequence)) == 0


def test_publish_needs_the_archive_and_an_issued_norm(signing_ready, settings):
    document_id, _ = _issue(signing_ready, settings)
    with transaction(signing_ready) as session:
        document = session.get(Document, document_id)
        with pytest.raises(PermissionDenied):
            issuing.publish(session, document, get_user(session, "gerente"))
        issuing.publish(session, document, get_user(session, "archivo"))
        assert document.status == "publicado" and document.published_at is not None
        with pytest.raises(Conflict):
            issuing.publish(session, document, get_user(session, "archivo"))
        draft = approved_document(session, settings, sumilla="Otro expediente")
        with pytest.raises(Conflict, match="Solo se publica una norma emitida"):
            issuing.publish(session, draft, get_user(session, "archivo"))
