"""The audit trail: append-only, each entry chained to the previous one (HMAC-SHA256 with a
key outside the database; entries written before the key existed keep plain SHA-256), and
signed checkpoints of the chain's head."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from docsys.db import Base
from docsys.models._common import UTCDateTime, make_immutable, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    document_id: Mapped[int | None] = mapped_column(Integer, index=True)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # How ``hash`` was computed: "hmac-sha256" (keyed), or "sha256" for the entries written
    # before the chain was keyed (the migration marks them; they stay verifiable).
    scheme: Mapped[str] = mapped_column(String(20), default="hmac-sha256",
                                        server_default="sha256")


class AuditHead(Base):
    """One row holding the chain's tip; locking it serialises appends on PostgreSQL."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpoint(Base):
    """A signed statement "the chain had ``seq`` entries and its head was ``hash``": the
    same statement is appended to a file in the instance directory and published on the
    portal, so it outlives the database (see docsys.checkpoints)."""

    __tablename__ = "audit_checkpoints"
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    statement: Mapped[str] = mapped_column(Text)     # the exact signed text (JSON)
    signature: Mapped[str] = mapped_column(String(200))   # base64 Ed25519


make_immutable(AuditEntry, "La entrada de auditoría")
make_immutable(AuditCheckpoint, "El punto de control de auditoría")
