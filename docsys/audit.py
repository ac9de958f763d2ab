"""The audit trail: every action on every document, append-only and hash-chained.

Each entry's hash covers its own fields and the previous entry's hash, so editing or
deleting any entry breaks the chain from that point on; ``verify_chain`` finds the
first broken entry. Appends are serialised by locking the single ``audit_head`` row
(SQLite already serialises writers with BEGIN IMMEDIATE).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from docsys.models import AuditEntry, AuditHead, User
from docsys.models._common import utcnow

GENESIS = "0" * 64
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
    "legal_status": "Cambio de estado de vigencia",
    "account_password_change": "Cambio de contraseña",
    "account_password_reset": "Contraseña restablecida por un administrador",
    "account_activate": "Usuario reactivado", "account_deactivate": "Usuario desactivado",
    "account_totp_enroll": "Segundo factor configurado",
    "account_totp_reset": "Segundo factor restablecido",
    "account_session_end": "Sesión cerrada por un administrador",
    "token_create": "Token de API creado", "token_revoke": "Token de API revocado",
}


def _timestamp(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(prev_hash: str, seq: int, at: datetime, actor_id, actor_name: str, action: str,
               document_id, details: dict) -> str:
    payload = json.dumps({
        "prev": prev_hash, "seq": seq, "at": _timestamp(at), "actor_id": actor_id,
        "actor_name": actor_name, "action": action, "document_id": document_id,
        "details": details,
    }, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


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
    digest = entry_hash(head.hash, seq, at, actor_id, actor_name, action, document_id, details)
    entry = AuditEntry(seq=seq, at=at, actor_id=actor_id, actor_name=actor_name, action=action,
                       document_id=document_id, details=details, prev_hash=head.hash, hash=digest)
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


def verify_chain(session: Session) -> ChainReport:
    """Walk the chain in order; report the first entry that was edited, removed or inserted."""
    prev, expected_seq, checked = GENESIS, 1, 0
    for entry in _rows(session):
        if entry.seq != expected_seq:
            return ChainReport(False, checked, expected_seq,
                               f"Falta la entrada {expected_seq} (eliminada o fuera de orden).")
        if entry.prev_hash != prev:
            return ChainReport(False, checked, entry.seq,
                               f"La entrada {entry.seq} no se encadena con la anterior.")
        digest = entry_hash(entry.prev_hash, entry.seq, entry.at, entry.actor_id, entry.actor_name,
                            entry.action, entry.document_id, entry.details)
        if digest != entry.hash:
            return ChainReport(False, checked, entry.seq,
                               f"La entrada {entry.seq} fue modificada después de registrarse.")
        prev, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
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
    return ChainReport(True, checked, None, f"Cadena íntegra: {checked} entradas verificadas.",
                       head_hash=prev)


_COLUMNS = (AuditEntry.seq, AuditEntry.at, AuditEntry.actor_id, AuditEntry.actor_name,
            AuditEntry.action, AuditEntry.document_id, AuditEntry.details, AuditEntry.prev_hash,
            AuditEntry.hash)


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
                     "hash_anterior", "hash"])
    for entry in _rows(session):
        writer.writerow([entry.seq, _timestamp(entry.at), _cell(entry.actor_name), entry.action,
                         entry.document_id or "",
                         _cell(json.dumps(entry.details, ensure_ascii=False)),
                         entry.prev_hash, entry.hash])
    return out.getvalue()
