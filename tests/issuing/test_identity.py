"""Identity: a certificate is accepted (kept, or presented at issuing) only when it is its
holder's own (the DNI in its subject) and chains to the trusted roots; otherwise a Spanish
4xx, nothing stored or numbered, and the attempt in the audit trail. Verification shows
each signer's DNI and flags a signature that is not by the official recorded for it.
On SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from docsys import issuing, services, verification
from docsys.db import transaction
from docsys.errors import ValidationError
from docsys.models import AuditEntry, Issuance, NumberSequence, SigningCredential
from docsys.signing import pki
from docsys.signing.demo_setup import DEMO_PASSPHRASE
from tests.conftest import get_user
from tests.issuing.support import SECRET, RA, approved_document


NEW_CLAVE = ("nueva-clave-de-firma", "nueva-clave-de-firma")   # chosen, and typed again


def _p12(settings, username: str) -> bytes:
    return (Path(settings["PKI_DIR"]) / "usuarios" / f"{username}.p12").read_bytes()


def _refusals(session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_another_persons_certificate_is_not_kept(signing_ready, settings):
    session = signing_ready()
    try:
        asesor = get_user(session, "asesor")
        before = session.scalar(select(SigningCredential.serial).where(
            SigningCredential.user_id == asesor.id))
        with pytest.raises(ValidationError, match="no de Carmen Rojas Villanueva"):
            services.store_certificate(session, settings, asesor, _p12(settings, "alcalde"),
                                       DEMO_PASSPHRASE, *NEW_CLAVE)
        assert session.scalar(select(SigningCredential.serial).where(
            SigningCredential.user_id == asesor.id)) == before
        refused = _refusals(session, "certificate_refused")
        assert len(refused) == 1 and "Ernesto Vargas" in refused[0].details["reason"]
    finally:
        session.close()


def test_an_untrusted_or_unidentified_certificate_is_not_kept(signing_ready, settings,
                                                              tmp_path):
    other = pki.create_ca("Autoridad Certificadora Desconocida")
    session = signing_ready()
    try:
        gerente = get_user(session, "gerente")
        forged = tmp_path / "forjado.p12"
        pki.write_person_pkcs12(other, forged, "clave", gerente.full_name, "Gerente Municipal",
                                "g@megantoni.gob.pe", dni=gerente.dni)
        with pytest.raises(ValidationError, match="autoridad de certificación de confianza"):
            services.store_certificate(session, settings, gerente, forged.read_bytes(), "clave",
                                       *NEW_CLAVE)
        nameless = tmp_path / "sin-dni.p12"
        pki.write_person_pkcs12(pki.load_ca(settings["PKI_DIR"]), nameless, "clave",
                                gerente.full_name, "Gerente Municipal", "g@megantoni.gob.pe")
        with pytest.raises(ValidationError, match="no indica el DNI"):
            services.store_certificate(session, settings, gerente, nameless.read_bytes(),
                                       "clave", *NEW_CLAVE)
        # Without the explicit demo mode the demo CA is not trusted, file or no file.
        with pytest.raises(ValidationError, match="autoridad de certificación de confianza"):
            services.store_certificate(session, dict(settings, DEMO_PKI=False), gerente,
                                       _p12(settings, "gerente"), DEMO_PASSPHRASE, *NEW_CLAVE)
        assert len(_refusals(session, "certificate_refused")) == 3
    finally:
        session.close()


def test_issuing_with_someone_elses_certificate_takes_no_number(signing_ready, settings):
    with transaction(signing_ready) as session:
        document = approved_document(session, settings, template=RA,
                                     sumilla="Designar al responsable del portal")
        document_id = document.id
    session = signing_ready()
    try:
        alcalde = get_user(session, "alcalde")
        with pytest.raises(ValidationError, match="no de Ernesto Vargas Ccorimanya"):
            services.issue(session, settings, alcalde, document_id,
                           p12=_p12(settings, "gerente"), passphrase=DEMO_PASSPHRASE)
        with pytest.raises(ValidationError, match="contraseña"):
            services.issue(session, settings, alcalde, document_id,
                           p12=_p12(settings, "alcalde"), passphrase="otra")
        assert session.scalar(select(func.count()).select_from(NumberSequence)) == 0
        assert session.scalar(select(func.count()).select_from(Issuance)) == 0
        refused = _refusals(session, "issue_refused")
        assert [r.document_id for r in refused] == [document_id, document_id]
    finally:
        session.close()


def test_verification_names_each_signer_and_flags_the_wrong_one(signing_ready, settings):
    with transaction(signing_ready) as session:
        document = approved_document(session, settings)
        issuance = issuing.issue(session, settings, document, get_user(session, "gerente"),
                                 date=dt.date(2026, 3, 12), secret=SECRET)
        code = issuance.verification_code
        dnis = {u: get_user(session, u).dni for u in ("asesor", "gerente")}
    with transaction(signing_ready) as session:
        result = verification.verify_code(session, settings, code)
        assert result.verdict == "VÁLIDO" and not result.wrong_signers
        body = verification.report_json(result)
        assert [(s["field"], s["dni"], s["expected_signer"]["matches"])
                for s in body["signatures"]] == [
            ("VB_1", dnis["asesor"], True), ("VB_2", dnis["gerente"], True),
            ("FIRMA", dnis["gerente"], True)]
        # The act's record names another official than the certificate that signed.
        get_user(session, "gerente").dni = "49999999"
        session.flush()
        result = verification.verify_code(session, settings, code)
        assert result.authentic and result.report.verdict == "VÁLIDO"
        assert result.verdict == "NO VÁLIDO"
        assert [w.field_name for w in result.wrong_signers] == ["VB_2", "FIRMA"]
        assert "no es de Jorge Mendoza Salas" in result.verdict_text
        session.rollback()
