"""The demo certification authority and the certificates it issues."""
from __future__ import annotations

import datetime as dt
import stat

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from docsys.signing import pki


def _attr(name: x509.Name, oid) -> str:
    return name.get_attributes_for_oid(oid)[0].value


def test_demo_ca_is_persisted_and_loaded_again(tmp_path):
    ca = pki.create_demo_ca(tmp_path / "ca")
    assert (tmp_path / "ca" / "ca.pem").exists()
    key_file = tmp_path / "ca" / "ca-key.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = pki.create_demo_ca(tmp_path / "ca")
    assert again.cert == ca.cert
    assert again.cert_pem == ca.cert_pem
    assert again.directory == tmp_path / "ca"


def test_demo_ca_subject_keeps_the_whole_default_name(demo_ca):
    assert _attr(demo_ca.cert.subject, NameOID.COMMON_NAME) == \
        "Autoridad Certificadora de Demostración docsys"
    assert _attr(demo_ca.cert.subject, NameOID.ORGANIZATION_NAME) == \
        "Municipalidad Distrital de Megantoni"
    assert _attr(demo_ca.cert.subject, NameOID.COUNTRY_NAME) == "PE"
    assert demo_ca.name == pki.DEFAULT_CA_NAME
    constraints = demo_ca.cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca
    usage = demo_ca.cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign and usage.crl_sign


def test_half_written_ca_directory_is_not_overwritten(tmp_path):
    (tmp_path / "ca.pem").write_bytes(b"")
    with pytest.raises(FileExistsError):
        pki.create_demo_ca(tmp_path)


def test_person_certificate_has_a_peruvian_subject_and_signing_usages(demo_ca, people):
    cert = people["asesor"].cert
    subject = cert.subject
    assert _attr(subject, NameOID.COMMON_NAME) == "Carmen Rojas Villanueva"
    assert _attr(subject, NameOID.TITLE) == "Gerente de Asesoría Jurídica"
    assert _attr(subject, NameOID.ORGANIZATION_NAME) == "Municipalidad Distrital de Megantoni"
    assert _attr(subject, NameOID.COUNTRY_NAME) == "PE"
    assert _attr(subject, NameOID.SERIAL_NUMBER) == "PNOPE-41234567"
    assert cert.issuer == demo_ca.cert.subject
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical
    assert usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert pki.EKU_DOCUMENT_SIGNING in eku
    assert ExtendedKeyUsageOID.EMAIL_PROTECTION in eku
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.RFC822Name) == ["crojas@munimegantoni.gob.pe"]
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert cert.not_valid_after_utc - cert.not_valid_before_utc == dt.timedelta(days=730)
    # signed by the demo CA
    cert.verify_directly_issued_by(demo_ca.cert)


def test_office_goes_to_ou_and_dni_is_optional(demo_ca):
    cert, _ = pki.issue_person_certificate(demo_ca, "Ana Torres Paredes", "Secretaria General",
                                           "", office="Secretaría General")
    assert _attr(cert.subject, NameOID.ORGANIZATIONAL_UNIT_NAME) == "Secretaría General"
    assert not cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    with pytest.raises(x509.ExtensionNotFound):
        cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)


def test_bad_dni_is_refused(demo_ca):
    with pytest.raises(ValueError, match="DNI"):
        pki.issue_person_certificate(demo_ca, "Ana Torres", "Cargo", "", dni="123")


def test_expired_certificate_can_be_issued(expired_person):
    now = dt.datetime.now(dt.timezone.utc)
    assert expired_person.cert.not_valid_after_utc < now


def test_second_ca_is_a_different_authority(demo_ca, untrusted_ca, untrusted_person):
    assert untrusted_ca.cert.subject != demo_ca.cert.subject
    untrusted_person.cert.verify_directly_issued_by(untrusted_ca.cert)
    with pytest.raises((ValueError, TypeError)):
        untrusted_person.cert.verify_directly_issued_by(demo_ca.cert)


def test_pkcs12_round_trip_carries_key_cert_and_ca(demo_ca, people):
    from tests.signing.conftest import P12_PASSPHRASE
    loaded = pkcs12.load_pkcs12(people["gerente"].p12, P12_PASSPHRASE.encode())
    assert loaded.cert.certificate == people["gerente"].cert
    assert loaded.key is not None
    assert [c.certificate for c in loaded.additional_certs] == [demo_ca.cert]
    assert loaded.cert.friendly_name == "Jorge Mendoza Salas".encode()
    with pytest.raises(ValueError):
        pkcs12.load_pkcs12(people["gerente"].p12, b"otra")


def test_tsa_certificate_is_for_timestamping_only(demo_ca):
    cert, _ = pki.issue_tsa_certificate(demo_ca)
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert eku.critical and list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]


def test_write_person_pkcs12_writes_a_private_file(demo_ca, tmp_path):
    path = tmp_path / "p12" / "gerente.p12"
    cert = pki.write_person_pkcs12(demo_ca, path, "clave-demo", "Jorge Mendoza Salas",
                                   "Gerente Municipal", "jmendoza@munimegantoni.gob.pe",
                                   dni="43456789")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = pkcs12.load_pkcs12(path.read_bytes(), b"clave-demo")
    assert loaded.cert.certificate == cert


def test_load_certificates_accepts_pem_der_and_objects(demo_ca):
    from cryptography.hazmat.primitives.serialization import Encoding
    assert pki.load_certificates(demo_ca.cert_pem) == [demo_ca.cert]
    assert pki.load_certificates(demo_ca.cert.public_bytes(Encoding.DER)) == [demo_ca.cert]
    assert pki.load_certificates(demo_ca.cert) == [demo_ca.cert]
