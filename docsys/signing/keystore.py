"""Signers' PKCS#12 files: opened with the signer's passphrase, and kept encrypted at rest.

A signer uploads a PKCS#12 (.p12/.pfx) once; docsys checks it (it opens with the passphrase
the signer types, holds a private key and its certificate, and the certificate is valid
now), then stores it sealed with AES-256-GCM under a key derived from a master secret in the
environment. The passphrase is never stored: the signer types it again at each signature, so
a stored blob needs both the environment's secret and the signer's passphrase to be used.

Blob format (all binary)::

    b"DKS1" | key id (8) | salt (16) | nonce (12) | AES-GCM ciphertext + tag

The root key is scrypt(master secret) computed once per :class:`KeyStore`; each blob gets its
own key, HKDF-SHA256(root key, random salt). The key id (derived from the root key, not the
secret itself) tells "sealed under another master secret" apart from "damaged". The header and
the caller's ``associated_data`` (for instance the user's id) are authenticated, so a blob
cannot be moved to another user's record unnoticed.

Holder-sealed blobs (``DKS2``, :meth:`KeyStore.seal_for_holder`) add an inner layer the server
cannot open alone: the PKCS#12 is first encrypted under scrypt(holder's secret, random salt),
then that is sealed as above::

    b"DKS2" | key id (8) | salt (16) | nonce (12) |
        AES-GCM( holder salt (16) | holder nonce (12) | AES-GCM(PKCS#12) )

The installation layer stays outside, so a stolen database alone does not even allow
guessing the holder's secret offline. ``DKS1`` blobs (installation key only) still open with
:meth:`KeyStore.open`; :func:`needs_holder_secret` tells them apart.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import threading
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from docsys.errors import ValidationError

LIMA = ZoneInfo("America/Lima")
MAX_PKCS12_BYTES = 1024 * 1024
MIN_MASTER_KEY_CHARS = 16

_MAGIC = b"DKS1"
_MAGIC_HOLDER = b"DKS2"
_KID_LEN, _SALT_LEN, _NONCE_LEN, _TAG_LEN = 8, 16, 12, 16
_HEADER_LEN = len(_MAGIC) + _KID_LEN + _SALT_LEN + _NONCE_LEN
_SCRYPT_SALT = b"docsys/keystore/root-key/v1"
_HOLDER_AAD = b"docsys/keystore/holder-layer/v1"
MIN_HOLDER_SECRET_CHARS = 6

SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey \
    | ed448.Ed448PrivateKey


def _name_attr(name: x509.Name, oid) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def format_datetime(moment: dt.datetime) -> str:
    """``12/03/2024 10:15:02 (UTC-5)`` in Lima time."""
    local = moment.astimezone(LIMA)
    return local.strftime("%d/%m/%Y %H:%M:%S") + " (UTC-5)"


def format_date(moment: dt.datetime) -> str:
    return moment.astimezone(LIMA).strftime("%d/%m/%Y")


@dataclass(frozen=True)
class CertificateInfo:
    """What a person reads about a certificate: holder, position, DNI, issuer, validity."""

    common_name: str
    position: str
    dni: str
    organization: str
    organizational_unit: str
    email: str
    issuer: str
    serial_number: str
    not_before: dt.datetime
    not_after: dt.datetime
    sha256_fingerprint: str

    @classmethod
    def from_certificate(cls, cert: x509.Certificate) -> "CertificateInfo":
        subject = cert.subject
        serial_attr = _name_attr(subject, NameOID.SERIAL_NUMBER)
        dni = ""
        if serial_attr:
            digits = "".join(ch for ch in serial_attr if ch.isdigit())
            dni = digits if len(digits) == 8 else ""
        email = _name_attr(subject, NameOID.EMAIL_ADDRESS)
        if not email:
            try:
                san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
                emails = san.value.get_values_for_type(x509.RFC822Name)
                email = emails[0] if emails else ""
            except x509.ExtensionNotFound:
                email = ""
        issuer = _name_attr(cert.issuer, NameOID.COMMON_NAME) or cert.issuer.rfc4514_string()
        return cls(
            common_name=_name_attr(subject, NameOID.COMMON_NAME) or subject.rfc4514_string(),
            position=_name_attr(subject, NameOID.TITLE),
            dni=dni,
            organization=_name_attr(subject, NameOID.ORGANIZATION_NAME),
            organizational_unit=_name_attr(subject, NameOID.ORGANIZATIONAL_UNIT_NAME),
            email=email,
            issuer=issuer,
            serial_number=format(cert.serial_number, "X"),
            not_before=cert.not_valid_before_utc,
            not_after=cert.not_valid_after_utc,
            sha256_fingerprint=cert.fingerprint(hashes.SHA256()).hex(),
        )


@dataclass(frozen=True)
class Credential:
    """An opened PKCS#12: the private key, its certificate and the other certificates in the
    file (usually the issuing chain)."""

    key: SigningKey = field(repr=False)
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def info(self) -> CertificateInfo:
        return CertificateInfo.from_certificate(self.cert)


def _is_pkcs12(data: bytes) -> bool:
    """Whether ``data`` is structurally a PFX (so a failure to open it is a wrong
    passphrase, not a wrong file)."""
    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return pfx["version"].native is not None and \
            pfx["auth_safe"]["content_type"].native is not None
    except Exception:  # asn1crypto raises ValueError, TypeError and more on garbage
        return False


def _public_numbers_match(key, cert: x509.Certificate) -> bool:
    fmt = serialization.PublicFormat.SubjectPublicKeyInfo
    enc = serialization.Encoding.DER
    return key.public_key().public_bytes(enc, fmt) == cert.public_key().public_bytes(enc, fmt)


def check_certificate_usable(cert: x509.Certificate, at: dt.datetime | None = None) -> None:
    """Refuse (with a Spanish message) a certificate that is not valid at ``at`` (default:
    now) or whose key usage does not allow signing."""
    at = at or dt.datetime.now(dt.timezone.utc)
    info = CertificateInfo.from_certificate(cert)
    if at > cert.not_valid_after_utc:
        raise ValidationError(
            f"El certificado de {info.common_name} venció el {format_date(info.not_after)}; "
            "no se puede usar para firmar.")
    if at < cert.not_valid_before_utc:
        raise ValidationError(
            f"El certificado de {info.common_name} recién será válido desde el "
            f"{format_datetime(info.not_before)}.")
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise ValidationError(
            f"El certificado de {info.common_name} no está habilitado para la firma digital "
            "(su uso de clave no incluye firma digital ni no repudio).")


def open_pkcs12(p12_bytes: bytes, passphrase: str | bytes | None, *,
                require_valid_at: dt.datetime | None = None,
                check_validity: bool = True) -> Credential:
    """Open a PKCS#12 with the signer's passphrase and check it can sign.

    Raises :class:`ValidationError` with a Spanish message when the file is not a PKCS#12,
    the passphrase is wrong, the key or certificate is missing or they do not match, or
    (unless ``check_validity`` is false) the certificate is not valid now.
    """
    if not p12_bytes:
        raise ValidationError("No se recibió el archivo del certificado digital.")
    if len(p12_bytes) > MAX_PKCS12_BYTES:
        raise ValidationError("El archivo es demasiado grande para ser un certificado digital.")
    if not _is_pkcs12(p12_bytes):
        raise ValidationError(
            "El archivo no es un certificado digital PKCS#12 (.p12 o .pfx) válido.")
    if isinstance(passphrase, str):
        passphrase = passphrase.encode("utf-8")
    attempts = [passphrase] if passphrase else [None, b""]
    loaded = None
    for attempt in attempts:
        try:
            loaded = pkcs12.load_key_and_certificates(p12_bytes, attempt)
            break
        except (ValueError, TypeError):
            continue
    if loaded is None:
        raise ValidationError("La contraseña del certificado no es correcta.")
    key, cert, others = loaded
    if key is None:
        raise ValidationError(
            "El archivo PKCS#12 no contiene la clave privada del firmante.")
    if cert is None:
        # Some tools put the signer's certificate among the "other" certificates.
        matching = [c for c in others if _public_numbers_match(key, c)]
        if not matching:
            raise ValidationError(
                "El archivo PKCS#12 no contiene el certificado del firmante.")
        cert = matching[0]
        others = [c for c in others if c is not cert]
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey,
                            ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)):
        raise ValidationError(
            "El tipo de clave del certificado no es compatible (se admiten RSA, ECDSA y EdDSA).")
    if not _public_numbers_match(key, cert):
        raise ValidationError(
            "La clave privada no corresponde al certificado del archivo PKCS#12.")
    if check_validity:
        check_certificate_usable(cert, require_valid_at)
    return Credential(key=key, cert=cert, chain=tuple(others))


def needs_holder_secret(sealed: bytes) -> bool:
    """Whether a sealed blob also needs its holder's secret (``DKS2``) to be opened."""
    return bool(sealed) and sealed.startswith(_MAGIC_HOLDER)


# scrypt's cost (n; r=8, so n=2^15 takes 32 MiB and about 0.1 s): what an attacker must
# repeat per guess of a clave de firma, and once per process for the master key.
HOLDER_KDF_COST = 2 ** 15
ROOT_KDF_COST = 2 ** 15

# At most this many holder keys are derived at once per process: each takes 32 MiB, and
# fifty signers pressing «Firmar» together must not take 1.6 GB.
_KDF_SLOTS = threading.BoundedSemaphore(max(2, os.cpu_count() or 2))


def _holder_key(secret: str, salt: bytes) -> AESGCM:
    """The slow part an attacker must repeat per guess: scrypt (n=2^15, r=8: 32 MiB)."""
    with _KDF_SLOTS:
        key = Scrypt(salt=salt, length=32, n=HOLDER_KDF_COST, r=8, p=1).derive(
            secret.encode("utf-8"))
    return AESGCM(key)


def _check_holder_secret(secret: str | None) -> str:
    if not isinstance(secret, str) or len(secret) < MIN_HOLDER_SECRET_CHARS:
        raise ValidationError(
            "Su clave de firma debe tener al menos "
            f"{MIN_HOLDER_SECRET_CHARS} caracteres.")
    return secret


class KeyStore:
    """Seals and opens signers' PKCS#12 files with a key derived from ``master_key`` (a
    secret from the environment, at least 16 characters; 32+ random characters advised)."""

    def __init__(self, master_key: str):
        if not isinstance(master_key, str) or len(master_key.strip()) < MIN_MASTER_KEY_CHARS:
            raise ValueError(
                "La clave maestra del almacén de certificados debe tener al menos "
                f"{MIN_MASTER_KEY_CHARS} caracteres.")
        root = Scrypt(salt=_SCRYPT_SALT, length=32, n=ROOT_KDF_COST, r=8, p=1).derive(
            master_key.encode("utf-8"))
        self._root = root
        self._kid = hmac.new(root, b"docsys/keystore/key-id", hashlib.sha256).digest()[:_KID_LEN]

    @property
    def key_id(self) -> str:
        """A public identifier of the master key (to tell which key sealed a blob)."""
        return self._kid.hex()

    def _blob_key(self, salt: bytes) -> AESGCM:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt,
                   info=b"docsys/keystore/pkcs12/v1").derive(self._root)
        return AESGCM(key)

    def _seal_layer(self, magic: bytes, plaintext: bytes, associated_data: bytes) -> bytes:
        salt, nonce = os.urandom(_SALT_LEN), os.urandom(_NONCE_LEN)
        header = magic + self._kid + salt + nonce
        return header + self._blob_key(salt).encrypt(nonce, plaintext, header + associated_data)

    def seal(self, p12_bytes: bytes, passphrase: str | bytes | None, *,
             associated_data: bytes = b"") -> bytes:
        """Check the PKCS#12 opens with ``passphrase`` and can sign now, then encrypt it.
        The passphrase is only used for that check; it is not part of the result."""
        open_pkcs12(p12_bytes, passphrase)
        return self._seal_layer(_MAGIC, bytes(p12_bytes), associated_data)

    def seal_for_holder(self, p12_bytes: bytes, passphrase: str | bytes | None,
                        holder_secret: str, *, associated_data: bytes = b"") -> bytes:
        """Like :meth:`seal`, with an inner layer under a key derived from ``holder_secret``
        (which is not stored): the result opens only with the installation key *and* it."""
        secret = _check_holder_secret(holder_secret)
        open_pkcs12(p12_bytes, passphrase)
        salt, nonce = os.urandom(_SALT_LEN), os.urandom(_NONCE_LEN)
        inner = salt + nonce + _holder_key(secret, salt).encrypt(
            nonce, bytes(p12_bytes), _HOLDER_AAD + associated_data)
        return self._seal_layer(_MAGIC_HOLDER, inner, associated_data)

    def open_for_holder(self, sealed: bytes, holder_secret: str, *,
                        associated_data: bytes = b"") -> bytes:
        """The PKCS#12 bytes of a holder-sealed blob; a wrong secret is a Spanish 400."""
        if not needs_holder_secret(sealed):
            raise ValidationError(
                "El certificado guardado no está protegido con su clave de firma; "
                "regístrelo de nuevo en «Mi certificado».")
        inner = self._open_layer(sealed, _MAGIC_HOLDER, associated_data)
        if not isinstance(holder_secret, str) or not holder_secret:
            raise ValidationError("Escriba su clave de firma.")
        salt, nonce = inner[:_SALT_LEN], inner[_SALT_LEN:_SALT_LEN + _NONCE_LEN]
        try:
            return _holder_key(holder_secret, salt).decrypt(
                nonce, inner[_SALT_LEN + _NONCE_LEN:], _HOLDER_AAD + associated_data)
        except InvalidTag:
            raise ValidationError("La clave de firma no es correcta.") from None

    def open(self, sealed: bytes, *, associated_data: bytes = b"") -> bytes:
        """The PKCS#12 bytes of a sealed blob (still protected by the signer's passphrase)."""
        if needs_holder_secret(sealed):
            raise ValidationError(
                "Este certificado solo puede usarse con la clave de firma de su titular.")
        return self._open_layer(sealed, _MAGIC, associated_data)

    def _open_layer(self, sealed: bytes, magic: bytes, associated_data: bytes) -> bytes:
        if not sealed or len(sealed) < _HEADER_LEN + _TAG_LEN or not sealed.startswith(magic):
            raise ValidationError(
                "El certificado guardado está dañado o no tiene un formato reconocido.")
        offset = len(_MAGIC)
        kid = sealed[offset:offset + _KID_LEN]
        offset += _KID_LEN
        salt = sealed[offset:offset + _SALT_LEN]
        offset += _SALT_LEN
        nonce = sealed[offset:offset + _NONCE_LEN]
        if not hmac.compare_digest(kid, self._kid):
            raise ValidationError(
                "El certificado guardado fue cifrado con otra clave maestra; "
                "no se puede abrir con la configuración actual.")
        try:
            return self._blob_key(salt).decrypt(nonce, sealed[_HEADER_LEN:],
                                                sealed[:_HEADER_LEN] + associated_data)
        except InvalidTag:
            raise ValidationError(
                "El certificado guardado está dañado o no corresponde a este usuario.") from None
