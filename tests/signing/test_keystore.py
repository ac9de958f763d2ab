"""Signers' PKCS#12 files: checked on upload, sealed with the environment's key, opened
again only with the same key, never with the passphrase stored."""
from __future__ import annotations

import pytest

from docsys.errors import ValidationError
from docsys.signing import keystore
from docsys.signing.keystore import KeyStore, open_pkcs12
from tests.signing.conftest import P12_PASSPHRASE

MASTER = "clave-maestra-del-entorno-0123456789"


@pytest.fixture(scope="module")
def store() -> KeyStore:
    return KeyStore(MASTER)


def test_round_trip(store, people):
    p12 = people["asesor"].p12
    sealed = store.seal(p12, P12_PASSPHRASE)
    assert sealed != p12 and p12 not in sealed
    assert store.open(sealed) == p12
    # still protected by the signer's passphrase
    credential = open_pkcs12(store.open(sealed), P12_PASSPHRASE)
    assert credential.cert == people["asesor"].cert
    assert credential.info.common_name == "Carmen Rojas Villanueva"
    assert credential.info.dni == "41234567"
    assert credential.info.position == "Gerente de Asesoría Jurídica"


def test_passphrase_is_not_stored(store, people):
    sealed = store.seal(people["asesor"].p12, P12_PASSPHRASE)
    assert P12_PASSPHRASE.encode() not in sealed
    assert P12_PASSPHRASE.encode() not in store.open(sealed)


def test_each_seal_is_different(store, people):
    p12 = people["asesor"].p12
    assert store.seal(p12, P12_PASSPHRASE) != store.seal(p12, P12_PASSPHRASE)


def test_same_master_key_in_a_new_process_opens_it(store, people):
    sealed = store.seal(people["area"].p12, P12_PASSPHRASE)
    assert KeyStore(MASTER).open(sealed) == people["area"].p12


def test_wrong_master_key_fails(store, people):
    sealed = store.seal(people["asesor"].p12, P12_PASSPHRASE)
    other = KeyStore("otra-clave-maestra-distinta-987654321")
    assert other.key_id != store.key_id
    with pytest.raises(ValidationError, match="otra clave maestra"):
        other.open(sealed)


def test_tampered_blob_fails(store, people):
    sealed = bytearray(store.seal(people["asesor"].p12, P12_PASSPHRASE))
    sealed[-20] ^= 0x01
    with pytest.raises(ValidationError, match="dañado"):
        store.open(bytes(sealed))
    with pytest.raises(ValidationError, match="formato"):
        store.open(b"no es un blob")


def test_blob_is_bound_to_its_owner(store, people):
    sealed = store.seal(people["asesor"].p12, P12_PASSPHRASE, associated_data=b"user:3")
    assert store.open(sealed, associated_data=b"user:3") == people["asesor"].p12
    with pytest.raises(ValidationError, match="no corresponde a este usuario"):
        store.open(sealed, associated_data=b"user:4")


def test_short_master_key_is_refused():
    with pytest.raises(ValueError, match="al menos"):
        KeyStore("corta")


def test_wrong_passphrase_is_refused_on_seal(store, people):
    with pytest.raises(ValidationError) as caught:
        store.seal(people["asesor"].p12, "no-es-la-clave")
    assert caught.value.message == "La contraseña del certificado no es correcta."


def test_not_a_pkcs12_is_refused(store, demo_ca):
    with pytest.raises(ValidationError, match="PKCS#12"):
        store.seal(demo_ca.cert_pem, "x")
    with pytest.raises(ValidationError, match="No se recibió"):
        store.seal(b"", "x")


def test_expired_certificate_is_refused_on_seal(store, expired_person):
    with pytest.raises(ValidationError, match="venció el"):
        store.seal(expired_person.p12, P12_PASSPHRASE)


def test_pkcs12_without_key_is_refused(store, demo_ca, people):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    cert_only = pkcs12.serialize_key_and_certificates(
        b"x", None, people["asesor"].cert, None,
        serialization.BestAvailableEncryption(b"clave"))
    with pytest.raises(ValidationError, match="clave privada"):
        store.seal(cert_only, "clave")


def test_key_without_its_certificate_is_refused(demo_ca, people):
    """The signer's certificate may come among the "other" certificates; one that does
    not match the key is not it."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    other_key = rsa.generate_private_key(65537, 2048)
    mixed = pkcs12.serialize_key_and_certificates(
        b"x", other_key, None, [people["asesor"].cert, demo_ca.cert],
        serialization.BestAvailableEncryption(b"clave"))
    with pytest.raises(ValidationError, match="no contiene el certificado del firmante"):
        open_pkcs12(mixed, "clave")


def test_certificate_among_the_other_certificates_is_found(demo_ca):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    from docsys.signing import pki
    cert, key = pki.issue_person_certificate(demo_ca, "Ana Torres Paredes", "Cargo", "")
    unusual = pkcs12.serialize_key_and_certificates(
        b"x", key, None, [demo_ca.cert, cert], serialization.BestAvailableEncryption(b"clave"))
    credential = open_pkcs12(unusual, "clave")
    assert credential.cert == cert and credential.chain == (demo_ca.cert,)


def test_certificate_info_dates_are_readable(people):
    info = keystore.CertificateInfo.from_certificate(people["gerente"].cert)
    assert info.issuer == "Autoridad Certificadora de Demostración docsys"
    assert info.email == "jmendoza@munimegantoni.gob.pe"
    assert len(info.sha256_fingerprint) == 64
    assert keystore.format_datetime(info.not_before).endswith("(UTC-5)")


HOLDER_SECRET = "mi-clave-de-firma-7"


def test_holder_sealed_blob_needs_the_holders_secret(store, people):
    """Sealed under the holder's secret too: the installation key alone no longer opens it,
    and a wrong secret is a Spanish refusal."""
    p12 = people["asesor"].p12
    owner = b"docsys-credential-user-7"
    sealed = store.seal_for_holder(p12, P12_PASSPHRASE, HOLDER_SECRET, associated_data=owner)
    assert keystore.needs_holder_secret(sealed)
    assert p12 not in sealed and HOLDER_SECRET.encode() not in sealed
    assert store.open_for_holder(sealed, HOLDER_SECRET, associated_data=owner) == p12
    with pytest.raises(ValidationError, match="clave de firma no es correcta"):
        store.open_for_holder(sealed, HOLDER_SECRET + "x", associated_data=owner)
    with pytest.raises(ValidationError, match="solo puede usarse con la clave de firma"):
        store.open(sealed, associated_data=owner)
    with pytest.raises(ValidationError, match="no corresponde a este usuario"):
        store.open_for_holder(sealed, HOLDER_SECRET, associated_data=b"docsys-credential-user-8")
    with pytest.raises(ValidationError, match="otra clave maestra"):
        KeyStore(MASTER + "-otra").open_for_holder(sealed, HOLDER_SECRET, associated_data=owner)


def test_installation_sealed_blob_is_told_apart(store, people):
    """A credential stored before holder sealing still opens as before, and is recognised as
    needing its holder to store it again with a secret."""
    sealed = store.seal(people["area"].p12, P12_PASSPHRASE)
    assert not keystore.needs_holder_secret(sealed)
    assert store.open(sealed) == people["area"].p12
    with pytest.raises(ValidationError, match="regístrelo de nuevo"):
        store.open_for_holder(sealed, HOLDER_SECRET)


def test_short_holder_secret_is_refused(store, people):
    with pytest.raises(ValidationError, match="al menos 6 caracteres"):
        store.seal_for_holder(people["area"].p12, P12_PASSPHRASE, "12345")
