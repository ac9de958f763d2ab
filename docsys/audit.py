"""The audit trail: every action on every document, append-only and hash-chained.

Each entry's hash covers its own fields and the previous entry's hash, so editing or
deleting any entry breaks the chain from that point on; ``verify_chain`` finds the
first broken entry. Appends are serialised by locking the single ``audit_head`` row
(SQLite already serialises writers with BEGIN IMMEDIATE).

The hash is an HMAC-SHA256 keyed with a secret kept outside the database (DOCSYS_AUDIT_KEY
or the instance directory's ``audit_key``): whoever can write the database cannot compute
a valid chain. Entries written before the chain was keyed keep their plain SHA-256
(``scheme`` "sha256") and stay verifiable, but only as the chain's beginning: a plain entry
after a keyed one is a rewrite. Signed checkpoints of the head (docsys.checkpoints) pin the
chain even against someone holding the key.
"""
from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from docsys.config import audit_key
from docsys.db import AUDIT_KEY
from docsys.models import AuditEntry, AuditHead, User
from docsys.models._common import utcnow

GENESIS = "0" * 64
PLAIN, KEYED = "sha256", "hmac-sha256"
ACTION_LABELS = {
    "create": "Creación", "save": "Guardado de versión", "restore": "Restauración de versión",
    "comment": "Comentario", "comment_reply": "Respuesta a comentario",
    "comment_resolve": "Comentario resuelto", "transition": "Cambio de estado",
    "derive": "Derivación", "visto_bueno": "Visto bueno", "download": "Descarga",
    "sign": "Firma", "issue": "Emisión", "publish": "Publicación",
    "archive_import": "Importación al archivo", "archive_confirm": "Datos confirmados por el archivo",
    "relation_propose": "Relación entre normas propuesta",
    "relation_confirm": "Relación entre normas confirmada",
    "relation_reject": "Relación entre normas rechazada",
    "relation_withdraw": "Propuesta de relación retirada (el texto, leído de nuevo, ya no la dice)",
    "legal_status": "Cambio de estado de vigencia",
    "issue_refused": "Emisión rechazada", "sign_refused": "Firma rechazada",
    "visto_bueno_refused": "Visto bueno rechazado",
    "certificate_refused": "Certificado rechazado", "certificate_store": "Certificado registrado",
    "sign_prepare": "PDF preparado para firmar con otro programa",
    "account_password_change": "Cambio de contraseña",
    "account_password_reset": "Contraseña restablecida por un administrador",
    "account_activate": "Usuario reactivado", "account_deactivate": "Usuario desactivado",
    "account_totp_enroll": "Segundo factor configurado",
    "account_totp_reset": "Segundo factor restablecido",
    "account_session_end": "Sesión cerrada por un administrador",
    "token_create": "Token de API creado", "token_revoke": "Token de API revocado",
    "institution_image": "Escudo o membrete cambiado",
    "correction_start": "Corrección de la norma iniciada (nueva norma en borrador)",
    "correction_refused": "Corrección de la norma rechazada",
}


def _timestamp(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(prev_hash: str, seq: int, at: datetime, actor_id, actor_name: str, action: str,
               document_id, details: dict, key: bytes | None = None) -> str:
    """The entry's HMAC-SHA256 with ``key``; plain SHA-256 without one (the entries
    written before the chain was keyed)."""
    payload = json.dumps({
        "prev": prev_hash, "seq": seq, "at": _timestamp(at), "actor_id": actor_id,
        "actor_name": actor_name, "action": action, "document_id": document_id,
        "details": details,
    }, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if key is None:
        return hashlib.sha256(payload).hexdigest()
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def session_key(session: Session) -> bytes:
    """The chain's key: the one the session factory was given (the app's), else the
    environment's or the default instance directory's."""
    return session.info.get(AUDIT_KEY) or audit_key()


def record(session: Session, action: str, actor: User | None, document_id: int | None = None,
           **details) -> AuditEntry:
    """Append one entry in the caller's transaction (it commits or rolls back with it)."""
    head = session.scalar(select(AuditHead).where(AuditHead.id == 1).with_for_update())
    if head is None:
        _create_head(session)
        head = session.scalars(select(AuditHead).where(AuditHead.id == 1)
                               .with_for_update()).one()
    at = utcnow()
    seq = head.seq + 1
    actor_id = actor.id if actor else None
    actor_name = actor.full_name if actor else "sistema"
    details = json.loads(json.dumps(details, ensure_ascii=False, default=str))
    digest = entry_hash(head.hash, seq, at, actor_id, actor_name, action, document_id, details,
                        key=session_key(session))
    entry = AuditEntry(seq=seq, at=at, actor_id=actor_id, actor_name=actor_name, action=action,
                       document_id=document_id, details=details, prev_hash=head.hash, hash=digest,
                       scheme=KEYED)
    session.add(entry)
    head.seq, head.hash = seq, digest
    session.flush()
    return entry


def _create_head(session: Session) -> None:
    """Create the chain's tip row, once: two first appends at the same time must not both
    insert it (the second would fail on the primary key), so the loser's insert is a no-op
    and it then waits on the winner's lock."""
    dialect = session.get_bind().dialect.name
    from sqlalchemy.dialects import postgresql, sqlite
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(AuditHead).values(id=1, seq=0, hash=GENESIS)
                    .on_conflict_do_nothing(index_elements=["id"]))


@dataclass
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    message: str = ""
    head_hash: str = GENESIS
    """The last entry's hash: noted somewhere else (a printout, another system), it also
    shows whether the whole chain was later rewritten from some point on."""
    anchor: Anchor | None = None
    """The latest checkpoint the chain was found to match."""


@dataclass(frozen=True)
class Anchor:
    """A published checkpoint: the chain had ``seq`` entries, the last one's hash ``hash``."""
    number: int
    seq: int
    hash: str
    at: datetime

    def label(self) -> str:
        return f"punto de control {self.number} del {_local(self.at)}"


def _local(at: datetime) -> str:
    return at.astimezone(timezone.utc).strftime("%d/%m/%Y %H:%M UTC")


def verify_chain(session: Session, anchors: list[Anchor] | tuple = (),
                 key: bytes | None = None) -> ChainReport:
    """Walk the chain in order; report the first entry that was edited, removed or inserted,
    or that contradicts one of the published checkpoints (``anchors``)."""
    key = key or session_key(session)
    pinned: dict[int, list[Anchor]] = {}
    for anchor in sorted(anchors, key=lambda a: a.number):
        pinned.setdefault(anchor.seq, []).append(anchor)
    latest = max(anchors, key=lambda a: a.seq, default=None)
    prev, expected_seq, checked, keyed = GENESIS, 1, 0, False
    for entry in _rows(session):
        if entry.seq != expected_seq:
            return ChainReport(False, checked, expected_seq,
                               f"Falta la entrada {expected_seq} (eliminada o fuera de orden).")
        if entry.prev_hash != prev:
            return ChainReport(False, checked, entry.seq,
                               f"La entrada {entry.seq} no se encadena con la anterior.")
        if entry.scheme == PLAIN and (keyed or (latest is not None and entry.seq > latest.seq)):
            return ChainReport(False, checked, entry.seq,
                               f"La entrada {entry.seq} no lleva la clave del registro, pero "
                               "la cadena ya estaba protegida con clave: fue reescrita.")
        keyed = keyed or entry.scheme == KEYED
        digest = entry_hash(entry.prev_hash, entry.seq, entry.at, entry.actor_id, entry.actor_name,
                            entry.action, entry.document_id, entry.details,
                            key=key if entry.scheme == KEYED else None)
        if entry.scheme not in (PLAIN, KEYED) or not hmac.compare_digest(digest, entry.hash):
            return ChainReport(False, checked, entry.seq,
                               f"La entrada {entry.seq} fue modificada después de registrarse.")
        for anchor in pinned.get(entry.seq, ()):
            if anchor.hash != entry.hash:
                return ChainReport(False, checked, entry.seq,
                                   f"La entrada {entry.seq} no es la que certifica el "
                                   f"{anchor.label()}: la cadena fue reescrita.")
        prev, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    if latest is not None and latest.seq > checked:
        return ChainReport(False, checked, checked + 1,
                           f"Faltan entradas: el {latest.label()} certifica {latest.seq} "
                           f"entradas y la base tiene {checked}.")
    head = session.get(AuditHead, 1)
    if head is not None and head.seq > checked:
        return ChainReport(False, checked, checked + 1,
                           f"Se eliminaron entradas al final de la cadena (se esperaban {head.seq}).")
    if head is not None and head.seq < checked:
        return ChainReport(False, checked, head.seq + 1,
                           f"La entrada {head.seq + 1} y las siguientes se agregaron fuera de "
                           f"docsys (la última registrada es la {head.seq}).")
    if head is not None and head.hash != prev:
        return ChainReport(False, checked, checked,
                           f"La entrada {checked} no es la que registró docsys.")
    anchor = max((a for a in anchors if a.seq <= checked), key=lambda a: a.seq, default=None)
    if anchor is None:
        message = f"Cadena íntegra: {checked} entradas verificadas (sin punto de control publicado)."
    else:
        message = (f"Cadena íntegra hasta el {anchor.label()} (entrada {anchor.seq}); "
                   f"{checked} entradas verificadas, {checked - anchor.seq} posteriores al "
                   "punto de control, verificadas con la clave.")
    return ChainReport(True, checked, None, message, head_hash=prev, anchor=anchor)


_COLUMNS = (AuditEntry.seq, AuditEntry.at, AuditEntry.actor_id, AuditEntry.actor_name,
            AuditEntry.action, AuditEntry.document_id, AuditEntry.details, AuditEntry.prev_hash,
            AuditEntry.hash, AuditEntry.scheme)


def _rows(session: Session):
    """Every entry in order as plain rows, streamed (no ORM objects kept for a long chain)."""
    return session.execute(select(*_COLUMNS).order_by(AuditEntry.seq)
                           .execution_options(yield_per=2000))


def list_entries(session: Session, document_id: int | None = None, limit: int = 500,
                 offset: int = 0) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.seq.desc())
    if document_id is not None:
        query = query.where(AuditEntry.document_id == document_id)
    return list(session.scalars(query.offset(offset).limit(limit)))


def _cell(value) -> str:
    """A CSV cell that a spreadsheet shows as text: one starting with = + - @ (a formula
    to Excel or LibreOffice) gets a leading apostrophe."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(session: Session) -> str:
    """The whole trail, oldest first, with each entry's hashes (to check it elsewhere)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["seq", "fecha_utc", "usuario", "accion", "documento", "detalles",
                     "hash_anterior", "hash", "esquema"])
    for entry in _rows(session):
        writer.writerow([entry.seq, _timestamp(entry.at), _cell(entry.actor_name), entry.action,
                         entry.document_id or "",
                         _cell(json.dumps(entry.details, ensure_ascii=False)),
                         entry.prev_hash, entry.hash, entry.scheme])
    return out.getvalue()
