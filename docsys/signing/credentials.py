"""Signers' certificates kept by docsys: uploaded once, stored sealed, opened to sign.

A PKCS#12 is checked with its passphrase, re-exported without one and sealed with the
installation's key (``DOCSYS_KEYSTORE_KEY``, or a key generated once in the instance
directory and readable only by its owner). The passphrase itself is never stored: it is
used once, to open the file. A signer may instead present the file and passphrase when
signing; then nothing is stored at all.

With a holder's secret (``holder_secret``, the «clave de firma»), the file is also sealed
under a key derived from it (:meth:`KeyStore.seal_for_holder`): the server alone can then no
longer open it, and :func:`load_credential` needs that secret. A credential stored without
one (before holder sealing) is refused for signing: :func:`needs_reentry` tells it apart so
the holder is asked to register it again with a clave de firma.
"""
from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from sqlalchemy import select
from sqlalchemy.orm import Session

from docsys.config import generated_secret
from docsys.errors import NotFound, ValidationError
from docsys.models import SigningCredential, User
from docsys.signing import identity
from docsys.signing.keystore import (
    MAX_PKCS12_BYTES,
    Credential,
    KeyStore,
    needs_holder_secret,
    open_pkcs12,
)

_keystores: dict[str, KeyStore] = {}


def master_key(settings) -> str:
    key = settings.get("KEYSTORE_KEY")
    if key:
        return key
    return generated_secret(Path(settings["INSTANCE_DIR"]) / "keystore_key")


def keystore(settings) -> KeyStore:
    """One KeyStore per master key (deriving it costs a deliberate scrypt)."""
    key = master_key(settings)
    store = _keystores.get(key)
    if store is None:
        store = _keystores[key] = KeyStore(key)
    return store


def _associated(user: User) -> bytes:
    # Binds a sealed file to its owner: copied to another user's row, it will not open.
    return f"docsys-credential-user-{user.id}".encode()


def open_presented(p12_bytes: bytes, passphrase: str) -> Credential:
    """A certificate presented at signing time (nothing is kept)."""
    if not p12_bytes:
        raise ValidationError("Adjunte su certificado digital (.p12 o .pfx).")
    if len(p12_bytes) > MAX_PKCS12_BYTES:
        raise ValidationError("El archivo del certificado es demasiado grande (máximo 1 MB).")
    return open_pkcs12(p12_bytes, passphrase)


def store_credential(session: Session, settings, user: User, p12_bytes: bytes,
                     passphrase: str, holder_secret: str | None = None) -> SigningCredential:
    """Check the certificate opens, is ``user``'s own (their DNI) and chains to a trusted
    root, then keep it sealed for ``user`` (also under ``holder_secret`` when given)."""
    credential = open_presented(p12_bytes, passphrase)
    identity.accept(settings, user, credential.cert, credential.chain)
    bare = pkcs12.serialize_key_and_certificates(
        name=credential.info.common_name.encode("utf-8"), key=credential.key,
        cert=credential.cert, cas=list(credential.chain) or None,
        encryption_algorithm=serialization.NoEncryption())
    store = keystore(settings)
    if holder_secret is None:
        sealed = store.seal(bare, None, associated_data=_associated(user))
    else:
        sealed = store.seal_for_holder(bare, None, holder_secret,
                                       associated_data=_associated(user))
    row = session.scalar(select(SigningCredential).where(SigningCredential.user_id == user.id))
    if row is None:
        row = SigningCredential(user_id=user.id)
        session.add(row)
    info = credential.info
    row.sealed = sealed
    row.subject = credential.cert.subject.rfc4514_string()[:500]
    row.serial = info.serial_number[:100]
    row.not_after = info.not_after
    session.flush()
    return row


def stored_credential(session: Session, user: User) -> SigningCredential | None:
    return session.scalar(select(SigningCredential).where(SigningCredential.user_id == user.id))


def needs_reentry(row: SigningCredential) -> bool:
    """Whether a stored credential is sealed with the installation key only (stored before
    holder sealing): usable by the server alone, so its holder should store it again."""
    return not needs_holder_secret(row.sealed)


REENTRY_MESSAGE = ("Su certificado se guardó sin clave de firma (la instalación sola podía "
                   "usarlo), así que no se usa para firmar: regístrelo de nuevo en «Mi "
                   "certificado» eligiendo una clave de firma que solo usted conozca.")


def load_credential(session: Session, settings, user: User,
                    holder_secret: str | None = None) -> Credential:
    """The user's stored certificate, opened with their clave de firma (it must still be
    valid to sign). A wrong clave is a Spanish 400; a certificate stored without one (DKS1,
    usable by the server alone) is refused: its holder must register it again."""
    row = stored_credential(session, user)
    if row is None:
        raise NotFound(f"{user.full_name} no tiene un certificado digital registrado en docsys.")
    if not needs_holder_secret(row.sealed):
        raise ValidationError(REENTRY_MESSAGE)
    if not holder_secret:
        raise ValidationError(
            f"El certificado de {user.full_name} solo se usa con su clave de firma.")
    bare = keystore(settings).open_for_holder(row.sealed, holder_secret,
                                              associated_data=_associated(user))
    return open_pkcs12(bare, None)


def remove_credential(session: Session, user: User) -> bool:
    row = stored_credential(session, user)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True
