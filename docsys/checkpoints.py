"""Checkpoints of the audit trail: the chain's head, signed, published outside the database.

A checkpoint says "the chain had N entries and the last one's hash was H", signed with an
Ed25519 key kept in the instance directory (``audit_signing_key.pem``, owner-only). It is
stored three ways: a row (for the portal), a line appended to ``audit-checkpoints.jsonl``
in the instance directory, and the public portal page and JSON that anyone may copy. Those
copies outlive the database: a chain rewritten afterwards, even with the HMAC key, no
longer has H at entry N, and ``verify`` names the checkpoint it contradicts.

Why a key of its own rather than the institution's signing certificates: those belong to
people (the signers), are unlocked with their passphrase at issue time and cannot sign
from a cron job; a machine key that signs only checkpoints can, and its public half is
published next to them so anyone can check a copy with standard tools.

A checkpoint is made after every ``AUDIT_CHECKPOINT_EVERY`` entries, after each issue or
publication (``after_commit``), and on demand (``docsys audit checkpoint``, for cron).
"""
from __future__ import annotations

import base64
import fcntl
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (Ed25519PrivateKey,
                                                               Ed25519PublicKey)
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from docsys import audit
from docsys.config import ensure_instance_dir, owner_only_file
from docsys.db import read_only_transactions, transaction, write_transactions
from docsys.events import DomainEvent
from docsys.models import AuditCheckpoint, AuditHead
from docsys.models._common import utcnow

FORMAT = "docsys-audit-checkpoint/1"
# Events after which the head is signed at once (they are what the public relies on).
ANCHORING = frozenset({"issue", "publish"})


# The settings the checkpoint writer reads: what a process that only writes checkpoints
# (docsys.analysis_worker) is given of its caller's configuration, and nothing more.
SETTINGS = ("INSTANCE_DIR", "AUDIT_CHECKPOINT_FILE", "AUDIT_SIGNING_KEY_FILE",
            "AUDIT_CHECKPOINT_EVERY", "MUNICIPALITY_NAME")


def _instance(settings: Mapping[str, Any]) -> Path:
    return Path(settings["INSTANCE_DIR"])


def checkpoint_file(settings: Mapping[str, Any]) -> Path:
    return Path(settings.get("AUDIT_CHECKPOINT_FILE")
                or _instance(settings) / "audit-checkpoints.jsonl")


def _key_file(settings: Mapping[str, Any]) -> Path:
    return Path(settings.get("AUDIT_SIGNING_KEY_FILE")
                or _instance(settings) / "audit_signing_key.pem")


def _signing_key(settings: Mapping[str, Any]) -> Ed25519PrivateKey:
    """The checkpoint key, generated once, owner-only from creation."""
    pem = owner_only_file(_key_file(settings), lambda: Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    key = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(key, Ed25519PrivateKey)
    return key


def _public_key(settings: Mapping[str, Any]) -> Ed25519PublicKey | None:
    """The checkpoints' public key, or None when the signing key is missing (never made
    here: a new key would not verify the old checkpoints)."""
    path = _key_file(settings)
    if not path.exists():
        return None
    return _signing_key(settings).public_key()


def public_key_pem(settings: Mapping[str, Any]) -> str:
    return _signing_key(settings).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def _key_id(session: Session) -> str:
    """Names the HMAC key (without revealing it): a changed key shows in the statements."""
    return hmac.new(audit.session_key(session), b"docsys audit key id",
                    hashlib.sha256).hexdigest()[:16]


@dataclass(frozen=True)
class Published:
    """One checkpoint as published: the exact signed text, its signature, what it says."""
    statement: str
    signature: str
    anchor: audit.Anchor

    def as_json(self) -> dict:
        return {**json.loads(self.statement), "statement": self.statement,
                "signature": self.signature}


def _parse(statement: str, signature: str) -> Published:
    data = json.loads(statement)
    at = datetime.fromisoformat(data["at"])
    return Published(statement, signature,
                     audit.Anchor(int(data["number"]), int(data["seq"]), str(data["hash"]), at))


def create(session: Session, settings: Mapping[str, Any],
           force: bool = False) -> Published | None:
    """Sign the chain's head now, in the caller's transaction (the head row is locked, so
    no entry is appended meanwhile). None when the head is the last checkpoint's already
    (or the chain is empty) and ``force`` is not given."""
    head = session.scalar(select(AuditHead).where(AuditHead.id == 1).with_for_update())
    if head is None or head.seq == 0:
        return None
    last = session.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.number.desc())
                          .limit(1))
    if last is not None and last.seq == head.seq and not force:
        return None
    number = (last.number if last else 0) + 1
    at = utcnow()
    statement = json.dumps({
        "format": FORMAT, "number": number, "seq": head.seq, "hash": head.hash,
        "at": at.isoformat(timespec="seconds"), "hmac_key_id": _key_id(session),
        "municipality": settings.get("MUNICIPALITY_NAME", ""),
    }, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    signature = base64.b64encode(_signing_key(settings).sign(statement.encode())).decode()
    session.add(AuditCheckpoint(number=number, seq=head.seq, hash=head.hash, at=at,
                                statement=statement, signature=signature))
    session.flush()
    _append(checkpoint_file(settings), statement, signature)
    return _parse(statement, signature)


def _append(path: Path, statement: str, signature: str) -> None:
    """One line per checkpoint, appended under an exclusive lock and synced to disk. The
    line is a true statement even if the transaction then fails (the head it signs was
    already committed), so it is written before the commit."""
    ensure_instance_dir(path.parent)
    line = json.dumps({"statement": statement, "signature": signature},
                      ensure_ascii=False) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())


def listed(session: Session) -> list[Published]:
    """The checkpoints the database holds, newest first (what the portal publishes)."""
    rows = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.number.desc()))
    return [_parse(row.statement, row.signature) for row in rows]


def _from_file(path: Path) -> list[Published]:
    if not path.exists():
        return []
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            data = json.loads(line)
            found.append(_parse(data["statement"], data["signature"]))
    return found


def _signed(key: Ed25519PublicKey | None, item: Published) -> bool:
    if key is None:
        return False
    try:
        key.verify(base64.b64decode(item.signature), item.statement.encode())
    except (InvalidSignature, ValueError):
        return False
    return True


def verify(session: Session, settings: Mapping[str, Any]) -> audit.ChainReport:
    """The keyed chain checked against every published checkpoint, those of the instance
    file and those of the database alike (each must carry a valid signature)."""
    key = _public_key(settings)
    anchors: dict[tuple[int, int, str], audit.Anchor] = {}
    for item in _from_file(checkpoint_file(settings)) + listed(session):
        if not _signed(key, item):
            return audit.ChainReport(
                False, 0, item.anchor.seq,
                f"El punto de control {item.anchor.number} no lleva una firma válida de "
                "docsys (o falta la clave de los puntos de control): fue alterado.")
        anchors[(item.anchor.number, item.anchor.seq, item.anchor.hash)] = item.anchor
    return audit.verify_chain(session, list(anchors.values()))


def due(session: Session, every: int) -> bool:
    """Whether ``every`` entries or more were appended since the last checkpoint."""
    head_seq = session.scalar(select(AuditHead.seq).where(AuditHead.id == 1)) or 0
    last_seq = session.scalar(select(func.max(AuditCheckpoint.seq))) or 0
    return head_seq - last_seq >= max(every, 1)


def after_commit(session_factory: sessionmaker, settings: Mapping[str, Any]):
    """A commit handler (docsys.events.install): sign the head after an issue or a
    publication, or once enough entries piled up since the last checkpoint."""

    def handler(_session: Session, committed: list[DomainEvent]) -> None:
        if not any(event.name in ANCHORING for event in committed):
            with read_only_transactions(), transaction(session_factory) as session:
                if not due(session, int(settings.get("AUDIT_CHECKPOINT_EVERY", 100))):
                    return
        with write_transactions(), transaction(session_factory) as session:
            create(session, settings)
    return handler
