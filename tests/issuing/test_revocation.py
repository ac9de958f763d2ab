"""Revocation and trust: the demo CA publishes a CRL that docsys serves and every demo
certificate names; a revoked certificate signs nothing more in docsys, and a signature
made with it after the revocation verifies NO VÁLIDO; a source that cannot be consulted
is said, not taken as good."""
from __future__ import annotations

import datetime as dt
import socket

import pytest
from cryptography import x509
from sqlalchemy import func, select

from docsys import issuing, services, verification, workflow
from docsys.drafting import service
from docsys.db import transaction
from docsys.errors import Conflict, ValidationError
from docsys.models import AuditEntry, NumberSequence
from docsys.signing import credentials, pades, pki
from docsys.signing.identity import local_crls, trust_roots
from tests.conftest import get_user
from tests.finishing import finish
from tests.issuing.support import FIELDS, RGM, SECRET, approved_document
from tests.signing.support import resolution_pdf


def test_a_revoked_certificate_signs_nothing_more(signing_ready, settings):
    with transaction(signing_ready) as session:
        first = issuing.issue(session, settings, approved_document(session, settings),
                              get_user(session, "gerente"), date=dt.date(2026, 3, 12), secret=SECRET)
        code = first.verification_code
        second_id = approved_document(session, settings, sumilla="Aprobar el plan de trabajo").id
        gerente = get_user(session, "gerente")
        serial = credentials.stored_credential(session, gerente).serial
        author = get_user(session, "redactor")
        third = service.create_document(session, RGM, {"sumilla": "Aprobar el plan vial",
                                                       **FIELDS}, author)
        finish(session, third, author)
        workflow.transition(session, third, "enviar", author)
        third_id = third.id
        credential = credentials.load_credential(session, settings, gerente, holder_secret=SECRET)
    with transaction(signing_ready) as session:
        before = verification.verify_code(session, settings, code)
        assert before.verdict == "VÁLIDO"
        assert all(s.revocation_checked for s in before.report.signatures)

    pki.revoke(settings["PKI_DIR"], serial)
    crl = x509.load_der_x509_crl(local_crls(settings)[0])
    assert crl.get_revoked_certificate_by_serial_number(int(serial, 16)) is not None

    # docsys refuses to issue: the Gerente's V°B° on the second norm is no longer a valid
    # signature (revoked, no proof it came before), and his key signs nothing more. Nothing
    # numbered, the attempt audited.
    session = signing_ready()
    try:
        with pytest.raises(Conflict, match="VB_2.*revocado.*Devuelva el documento a revisión"):
            services.issue(session, settings, get_user(session, "gerente"), second_id, secret=SECRET)
        assert session.scalar(select(func.count()).select_from(NumberSequence)) == 1
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "issue_refused")) == 1
        # His key signs no V°B° either.
        with pytest.raises(ValidationError, match="fue revocado"):
            services.give_visto_bueno(session, settings, get_user(session, "gerente"), third_id,
                                      secret=SECRET)
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "visto_bueno_refused")) == 1
    finally:
        session.close()

    # A signature made with it after the revocation (outside docsys) is NO VÁLIDO.
    prepared = pades.prepare_signature_fields(resolution_pdf(), [pades.SlotSpec("FIRMA")])
    late = pades.sign_pdf_with_credential(prepared, "FIRMA", credential, pades.REASON_AUTHOR)
    report = pades.verify_pdf(late, trust_roots(settings), crls=local_crls(settings))
    assert report.verdict == "NO VÁLIDO"
    assert "revocado" in report.signatures[0].explanation
    # The norm signed before the revocation is no longer confirmed VÁLIDO either (no
    # timestamp proves it was signed before), but it is not called forged.
    with transaction(signing_ready) as session:
        after = verification.verify_code(session, settings, code)
        assert after.verdict != "VÁLIDO"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_revocation_source_that_cannot_be_reached_is_reported(tmp_path):
    ca = pki.create_demo_ca(tmp_path / "otra-ca")
    cert, key = pki.issue_person_certificate(
        ca, "Jorge Mendoza Salas", "Gerente Municipal", "g@megantoni.gob.pe", dni="41000004",
        crl_url=f"http://127.0.0.1:{_closed_port()}/ca.crl")
    credential = credentials.Credential(key=key, cert=cert, chain=(ca.cert,))
    prepared = pades.prepare_signature_fields(resolution_pdf(), [pades.SlotSpec("FIRMA")])
    signed = pades.sign_pdf_with_credential(prepared, "FIRMA", credential, pades.REASON_AUTHOR)
    offline = pades.verify_pdf(signed, [ca.cert_pem])
    assert offline.verdict == "INDETERMINADO"
    assert offline.signatures[0].revocation_checked is False
    assert "No se pudo comprobar si el certificado" in offline.signatures[0].explanation
    fetched = pades.verify_pdf(signed, [ca.cert_pem], allow_fetching=True)
    assert fetched.verdict == "INDETERMINADO" and fetched.signatures[0].sub_indication == \
        "TRY_LATER"


def test_the_crl_is_served_only_in_demo_mode(app):
    from docsys.signing.demo_setup import setup_demo_pki
    with transaction(app.extensions["docsys.sessions"]) as session:
        setup_demo_pki(session, app.config, usernames=["gerente"])
    client = app.test_client()
    response = client.get("/pki/demo-ca.crl")
    assert response.status_code == 200 and response.mimetype == "application/pkix-crl"
    assert len(list(x509.load_der_x509_crl(response.data))) == 0
    revoked = app.test_cli_runner().invoke(args=["docsys", "pki", "revoke", "gerente"])
    assert revoked.exit_code == 0 and "Revocado" in revoked.output
    assert len(list(x509.load_der_x509_crl(client.get("/pki/demo-ca.crl").data))) == 1
    app.config["DEMO_PKI"] = False
    assert client.get("/pki/demo-ca.crl").status_code == 404
