"""Small secrets kept in the database sealed with the instance's key (the keystore key:
``DOCSYS_KEYSTORE_KEY``, or the one generated once in the instance directory), so that a
copy of the database alone does not reveal them. Used for users' TOTP secrets.

Format: ``b"DSL1" | salt (16) | nonce (12) | AES-256-GCM ciphertext + tag``; the per-value
key is HKDF(scrypt(master key), salt, purpose). The caller's ``associated_data`` (e.g. the
user's id) is authenticated, so a sealed value copied to another row does not open.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from docsys.config import generated_secret
from docsys.errors import ValidationError

_MAGIC = b"DSL1"
_SALT, _NONCE = 16, 12


def master_key(settings) -> str:
    """The instance's master key: from the settings (environment), else generated once."""
    key = settings.get("KEYSTORE_KEY")
    if key:
        return key
    return generated_secret(Path(settings["INSTANCE_DIR"]) / "keystore_key")


@lru_cache(maxsize=8)
def _root(master: str) -> bytes:
    # A deliberate scrypt, once per process and key (the master key may be typed by a person).
    return Scrypt(salt=b"docsys/sealing/root-key/v1", length=32, n=2 ** 14, r=8,
                  p=1).derive(master.encode("utf-8"))


def _key(settings, salt: bytes, purpose: str) -> AESGCM:
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=salt,
                       info=f"docsys/sealing/{purpose}".encode()).derive(
        _root(master_key(settings))))


def seal(settings, plaintext: bytes, purpose: str, associated_data: bytes = b"") -> bytes:
    salt, nonce = os.urandom(_SALT), os.urandom(_NONCE)
    header = _MAGIC + salt + nonce
    return header + _key(settings, salt, purpose).encrypt(nonce, plaintext,
                                                          header + associated_data)


def unseal(settings, sealed: bytes, purpose: str, associated_data: bytes = b"") -> bytes:
    header_len = len(_MAGIC) + _SALT + _NONCE
    if not sealed or not sealed.startswith(_MAGIC) or len(sealed) < header_len + 16:
        raise ValidationError("El secreto guardado está dañado.")
    salt = sealed[len(_MAGIC):len(_MAGIC) + _SALT]
    nonce = sealed[len(_MAGIC) + _SALT:header_len]
    try:
        return _key(settings, salt, purpose).decrypt(nonce, sealed[header_len:],
                                                     sealed[:header_len] + associated_data)
    except InvalidTag:
        raise ValidationError("El secreto guardado no se puede abrir con la clave de esta "
                              "instalación.") from None
