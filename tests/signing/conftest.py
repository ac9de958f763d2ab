"""Signing fixtures: one demo CA, certificates and signed PDFs made once per test session
(RSA key generation and PKCS#12 opening dominate otherwise)."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import pytest
from cryptography import x509

from docsys.signing import pades, pki
from tests.signing.support import CERTUTIL, PDFSIG, LocalTSA, make_nss_db, resolution_pdf

P12_PASSPHRASE = "clave-del-certificado"

# key -> (full name, position, e-mail, DNI, field, reason)
SIGNERS = {
    "asesor": ("Carmen Rojas Villanueva", "Gerente de Asesoría Jurídica",
               "crojas@munimegantoni.gob.pe", "41234567", "VB_1", pades.REASON_VISTO_BUENO),
    "area": ("Luis Condori Mamani", "Gerente de Desarrollo Urbano y Rural",
             "lcondori@munimegantoni.gob.pe", "42345678", "VB_2", pades.REASON_VISTO_BUENO),
    "gerente": ("Jorge Mendoza Salas", "Gerente Municipal",
                "jmendoza@munimegantoni.gob.pe", "43456789", "FIRMA", pades.REASON_AUTHOR),
}


@dataclass(frozen=True)
class Person:
    name: str
    position: str
    cert: x509.Certificate
    p12: bytes


def _person(ca, name, position, email, dni=None, **kwargs) -> Person:
    cert, key = pki.issue_person_certificate(ca, name, position, email, dni=dni, **kwargs)
    return Person(name, position, cert, pki.export_pkcs12(cert, key, ca.cert, P12_PASSPHRASE))


@pytest.fixture(scope="session")
def pki_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("pki")


@pytest.fixture(scope="session")
def demo_ca(pki_dir):
    return pki.create_demo_ca(pki_dir / "ca")


@pytest.fixture(scope="session")
def untrusted_ca():
    return pki.create_ca("Autoridad Certificadora No Confiable", organization="Otra Entidad")


@pytest.fixture(scope="session")
def people(demo_ca) -> dict[str, Person]:
    return {key: _person(demo_ca, name, position, email, dni)
            for key, (name, position, email, dni, _, _) in SIGNERS.items()}


@pytest.fixture(scope="session")
def untrusted_person(untrusted_ca) -> Person:
    return _person(untrusted_ca, "Pedro Impostor Quispe", "Gerente Municipal",
                   "pedro@example.com", "49999999")


@pytest.fixture(scope="session")
def expired_person(demo_ca) -> Person:
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=400)
    return _person(demo_ca, "Rosa Quispe Huamán", "Gerente Municipal",
                   "rquispe@munimegantoni.gob.pe", "44567890", not_before=start, valid_days=30)


@pytest.fixture(scope="session")
def short_lived_person(demo_ca) -> Person:
    """Valid now, expires in two days: signs today, fails a validation a week later."""
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)
    return _person(demo_ca, "Ana Torres Paredes", "Secretaria General",
                   "atorres@munimegantoni.gob.pe", "45678901", not_before=start, valid_days=2)


@pytest.fixture(scope="session")
def resolution() -> bytes:
    return resolution_pdf()


@pytest.fixture(scope="session")
def prepared(resolution) -> bytes:
    return pades.prepare_signature_fields(resolution, pades.default_slots(2))


@pytest.fixture(scope="session")
def signed_steps(prepared, people) -> list[bytes]:
    """The PDF after each of the three successive signatures."""
    steps, pdf = [], prepared
    for key, (_, _, _, _, field_name, reason) in SIGNERS.items():
        pdf = pades.sign_pdf(pdf, field_name, people[key].p12, P12_PASSPHRASE, reason)
        steps.append(pdf)
    return steps


@pytest.fixture(scope="session")
def signed_pdf(signed_steps) -> bytes:
    return signed_steps[-1]


def _require_tools():
    if PDFSIG and CERTUTIL:
        return
    message = "poppler-utils (pdfsig) y libnss3-tools (certutil) son necesarios"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def nss_dir(tmp_path_factory, demo_ca):
    _require_tools()
    return make_nss_db(tmp_path_factory.mktemp("nss"), demo_ca.cert_pem)


@pytest.fixture(scope="session")
def tsa(demo_ca):
    cert, key = pki.issue_tsa_certificate(demo_ca)
    with LocalTSA(cert, key, demo_ca.cert) as server:
        yield server
