"""A local demo certification authority, so development, tests and the demo sign without an
external CA.

Nothing here is meant for production trust: a real deployment signs with certificates issued
by an accredited authority (Ley N° 27269) and configures that authority's root as a trust root.
The demo CA's private key is kept unencrypted on disk (mode 0600) next to its certificate,
inside the instance directory; it only ever signs demo certificates.

Certificates follow the shape of Peruvian signing certificates: the subject carries the
person's name (CN), position (title), office (OU, when given), the municipality (O), C=PE and,
when known, the DNI as serialNumber in the ETSI EN 319 412-1 semantic form ("PNOPE-41234567",
as RENIEC's and accredited Peruvian certificates write it); keyUsage is digitalSignature +
nonRepudiation and extendedKeyUsage allows document signing (RFC 9336 id-kp-documentSigning,
Microsoft Document Signing) and e-mail protection (what NSS, and so poppler's pdfsig, asks of
a signer certificate).
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

DEFAULT_CA_NAME = ("Autoridad Certificadora de Demostración docsys - "
                   "Municipalidad Distrital de Megantoni")
DEFAULT_ORGANIZATION = "Municipalidad Distrital de Megantoni"
CA_CERT_FILE = "ca.pem"
CA_KEY_FILE = "ca-key.pem"
CA_VALID_DAYS = 3650

# RFC 9336 id-kp-documentSigning and Microsoft's "Document Signing" purpose.
EKU_DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")
EKU_MS_DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.4.1.311.10.3.12")

# PBKDF2 rounds protecting demo PKCS#12 files (OpenSSL 3 uses 2,048 by default). Opening one
# costs ~38 ms either way, most of it OpenSSL's RSA key consistency check.
PKCS12_KDF_ROUNDS = 10_000

_DNI = re.compile(r"^\d{8}$")


@dataclass(frozen=True)
class DemoCA:
    """A certification authority: its certificate, its private key and, when persisted,
    the directory holding ``ca.pem`` and ``ca-key.pem``."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey
    directory: Path | None = None

    @property
    def name(self) -> str:
        """"<CN> - <O>" (the default name is stored split that way, a CN allowing only 64
        characters)."""
        common_name = _common_name(self.cert)
        orgs = self.cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
        org = str(orgs[0].value) if orgs else ""
        return f"{common_name} - {org}" if org and org not in common_name else common_name

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def cert_path(self) -> Path | None:
        return self.directory / CA_CERT_FILE if self.directory else None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _common_name(cert: x509.Certificate) -> str:
    attrs = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else cert.subject.rfc4514_string()


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _fit(value: str, limit: int = 64) -> str:
    """X.509 caps CN (and most DN attributes) at 64 characters: cut at a word boundary."""
    value = " ".join(value.split())
    if len(value) <= limit:
        return value
    cut = value[:limit].rsplit(" ", 1)[0]
    return cut or value[:limit]


def _split_ca_name(name: str, organization: str) -> tuple[str, str]:
    """A CA name longer than a CN allows, written "<authority> - <organization>", is kept
    whole across CN and O."""
    name = " ".join(name.split())
    if len(name) > 64 and " - " in name:
        common_name, _, org = name.partition(" - ")
        return _fit(common_name), _fit(org)
    return _fit(name), _fit(organization)


def _build_ca(name: str, organization: str, valid_days: int,
              not_before: dt.datetime | None = None) -> DemoCA:
    key = _new_key()
    start = not_before or (_now() - dt.timedelta(minutes=5))
    common_name, organization = _split_ca_name(name, organization)
    subject = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "PE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    return DemoCA(cert=cert, key=key)


def create_ca(name: str, organization: str = DEFAULT_ORGANIZATION,
              valid_days: int = CA_VALID_DAYS) -> DemoCA:
    """A CA held only in memory (for a second, untrusted CA in tests, for instance)."""
    return _build_ca(name, organization, valid_days)


def create_demo_ca(directory: str | os.PathLike, name: str = DEFAULT_CA_NAME,
                   organization: str = DEFAULT_ORGANIZATION) -> DemoCA:
    """The demo CA kept in ``directory``: loaded when ``ca.pem`` and ``ca-key.pem`` are
    there, created (and written, the key with mode 0600) otherwise."""
    directory = Path(directory)
    cert_path, key_path = directory / CA_CERT_FILE, directory / CA_KEY_FILE
    if cert_path.exists() and key_path.exists():
        return load_ca(directory)
    if cert_path.exists() or key_path.exists():
        raise FileExistsError(
            f"{directory} tiene solo uno de {CA_CERT_FILE} y {CA_KEY_FILE}: "
            "no se sobrescribe una autoridad a medias.")
    ca = _build_ca(name, organization, CA_VALID_DAYS)
    directory.mkdir(parents=True, exist_ok=True)
    key_bytes = ca.key.private_bytes(serialization.Encoding.PEM,
                                     serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key_bytes)
    cert_path.write_bytes(ca.cert_pem)
    return DemoCA(cert=ca.cert, key=ca.key, directory=directory)


def load_ca(directory: str | os.PathLike) -> DemoCA:
    directory = Path(directory)
    cert = x509.load_pem_x509_certificate((directory / CA_CERT_FILE).read_bytes())
    key = serialization.load_pem_private_key((directory / CA_KEY_FILE).read_bytes(),
                                             password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("La clave de la autoridad de demostración no es RSA.")
    cert_key = cert.public_key()
    if (not isinstance(cert_key, rsa.RSAPublicKey)
            or key.public_key().public_numbers() != cert_key.public_numbers()):
        raise ValueError("La clave de la autoridad de demostración no corresponde "
                         "a su certificado.")
    return DemoCA(cert=cert, key=key, directory=directory)


def issue_person_certificate(ca: DemoCA, full_name: str, position: str, email: str,
                             dni: str | None = None, valid_days: int = 730,
                             not_before: dt.datetime | None = None,
                             office: str | None = None,
                             organization: str = DEFAULT_ORGANIZATION,
                             crl_url: str | None = None,
                             ) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A signing certificate for a person, issued by ``ca``; ``crl_url`` is where its
    CA publishes revocations (a CRL distribution point in the certificate).

    ``not_before`` (UTC; default: five minutes ago) and ``valid_days`` set the validity
    window, so an already expired certificate is
    ``issue_person_certificate(..., not_before=now - 400 days, valid_days=30)``.
    """
    full_name = " ".join(full_name.split())
    if not full_name:
        raise ValueError("El nombre del titular es obligatorio.")
    if dni is not None and not _DNI.match(dni):
        raise ValueError("El DNI debe tener 8 dígitos.")
    start = not_before or (_now() - dt.timedelta(minutes=5))
    if start.tzinfo is None:
        start = start.replace(tzinfo=dt.timezone.utc)
    key = _new_key()
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "PE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(organization)),
    ]
    if office:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, _fit(office)))
    if position:
        attributes.append(x509.NameAttribute(NameOID.TITLE, _fit(position)))
    if dni:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, f"PNOPE-{dni}"))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, _fit(full_name)))
    builder = _end_entity(ca, x509.Name(attributes), key, start, valid_days).add_extension(
        x509.ExtendedKeyUsage([
            EKU_DOCUMENT_SIGNING, EKU_MS_DOCUMENT_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION,
        ]), critical=False)
    if email:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
    if crl_url:
        builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None,
            reasons=None, crl_issuer=None)]), critical=False)
    return builder.sign(ca.key, hashes.SHA256()), key


def issue_tsa_certificate(ca: DemoCA, name: str = "Sellado de Tiempo de Demostración docsys",
                          valid_days: int = 3650,
                          organization: str = DEFAULT_ORGANIZATION,
                          ) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A timestamp authority certificate (RFC 3161: extendedKeyUsage timeStamping, critical)
    issued by ``ca``, for a local TSA in development and tests."""
    key = _new_key()
    start = _now() - dt.timedelta(minutes=5)
    subject = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "PE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(organization)),
        x509.NameAttribute(NameOID.COMMON_NAME, _fit(name)),
    ])
    cert = (
        _end_entity(ca, subject, key, start, valid_days)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
                       critical=True)
        .sign(ca.key, hashes.SHA256())
    )
    return cert, key


def _end_entity(ca: DemoCA, subject: x509.Name, key: rsa.RSAPrivateKey, start: dt.datetime,
                valid_days: int) -> x509.CertificateBuilder:
    """What every certificate ``ca`` issues to a signer (a person, the TSA) carries: not a
    CA, digital signature and non-repudiation only, both key identifiers. The caller adds
    its extended key usage."""
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False,
            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            ca.key.public_key()), critical=False)
    )


def export_pkcs12(cert: x509.Certificate, key: rsa.RSAPrivateKey,
                  ca_cert: x509.Certificate | None, passphrase: str | bytes) -> bytes:
    """A PKCS#12 (.p12/.pfx) with the key, the certificate and the CA certificate, protected
    by ``passphrase`` (PBES2 AES-256-CBC with a SHA-256 MAC)."""
    if isinstance(passphrase, str):
        passphrase = passphrase.encode("utf-8")
    if not passphrase:
        raise ValueError("El archivo PKCS#12 necesita una contraseña.")
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(PKCS12_KDF_ROUNDS)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(passphrase)
    )
    return pkcs12.serialize_key_and_certificates(
        name=_common_name(cert).encode("utf-8"), key=key, cert=cert,
        cas=[ca_cert] if ca_cert is not None else None, encryption_algorithm=encryption)


def write_person_pkcs12(ca: DemoCA, path: str | os.PathLike, passphrase: str,
                        full_name: str, position: str, email: str, dni: str | None = None,
                        office: str | None = None,
                        crl_url: str | None = None) -> x509.Certificate:
    """Issue a certificate and write it as a PKCS#12 file (mode 0600); what the
    ``pki demo`` command does for each demo user."""
    cert, key = issue_person_certificate(ca, full_name, position, email, dni=dni,
                                         office=office, crl_url=crl_url)
    data = export_pkcs12(cert, key, ca.cert, passphrase)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return cert


def load_certificates(data: bytes | str | x509.Certificate) -> list[x509.Certificate]:
    """Certificates from PEM (one or several) or DER bytes, or a certificate as is."""
    if isinstance(data, x509.Certificate):
        return [data]
    if isinstance(data, str):
        data = data.encode("ascii")
    if b"-----BEGIN CERTIFICATE-----" in data:
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]


# ---------------------------------------------------------------------------- revocation

CRL_FILE = "demo-ca.crl"
REVOKED_FILE = "revocados.txt"
CRL_VALID_DAYS = 7


def revoked_serials(directory: str | os.PathLike) -> dict[int, dt.datetime]:
    """The demo CA's revoked certificates: serial -> revocation time (UTC)."""
    path = Path(directory) / REVOKED_FILE
    revoked: dict[int, dt.datetime] = {}
    if path.exists():
        for line in path.read_text(encoding="ascii").splitlines():
            serial, _, when = line.partition(" ")
            if serial.strip():
                revoked[int(serial, 16)] = dt.datetime.fromisoformat(when.strip())
    return revoked


def write_crl(ca: DemoCA) -> bytes:
    """Sign a fresh CRL (DER) listing every revoked certificate, valid CRL_VALID_DAYS,
    and write it to ``<CA directory>/demo-ca.crl`` (what docsys serves)."""
    if ca.directory is None:
        raise ValueError("La autoridad de demostración no tiene directorio.")
    now = _now()
    revoked = revoked_serials(ca.directory)
    builder = (x509.CertificateRevocationListBuilder()
               .issuer_name(ca.cert.subject)
               .last_update(now - dt.timedelta(minutes=5))
               .next_update(now + dt.timedelta(days=CRL_VALID_DAYS))
               .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                   ca.key.public_key()), critical=False))
    for serial, when in sorted(revoked.items()):
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial)
            .revocation_date(when).build())
    der = builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
    (ca.directory / CRL_FILE).write_bytes(der)
    return der


def current_crl(directory: str | os.PathLike) -> bytes | None:
    """The demo CA's CRL, signed again when missing or within a day of its next update (if
    the CA's key is here: a restored backup holds only the public certificate and CRL);
    None when ``directory`` holds no demo CA."""
    directory = Path(directory)
    if not (directory / CA_CERT_FILE).exists():
        return None
    can_sign = (directory / CA_KEY_FILE).exists()
    path = directory / CRL_FILE
    if path.exists():
        der = path.read_bytes()
        next_update = x509.load_der_x509_crl(der).next_update_utc
        fresh = next_update is not None and next_update - _now() > dt.timedelta(days=1)
        if fresh or not can_sign:
            return der
    return write_crl(load_ca(directory)) if can_sign else None


def revoke(directory: str | os.PathLike, serial: int | str,
           when: dt.datetime | None = None) -> bytes:
    """Revoke a certificate of the demo CA (by serial, int or hex) and publish the CRL."""
    directory = Path(directory)
    number = int(serial, 16) if isinstance(serial, str) else serial
    moment = (when or _now()).astimezone(dt.timezone.utc).replace(microsecond=0)
    with open(directory / REVOKED_FILE, "a", encoding="ascii") as fh:
        fh.write(f"{number:X} {moment.isoformat()}\n")
    return write_crl(load_ca(directory))
