"""The imported normative archive: import runs, the files they read, and what each
imported norm's original and extraction were.

A norm brought in from the old archive is an ordinary ``Document`` (origin "importado")
with one ``ArchivedNorm`` beside it that keeps its original file (a blob, unique: the same
bytes are never imported twice), how its text was obtained (OCR and its confidence) and
the metadata read from it, with the confidence of each field, until the archivist confirms
them. ``ImportedFile`` is the log of one file in one run: imported, a duplicate of an
existing norm, or failed with its reason; uploads wait in it as "pending".
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from docsys.db import Base
from docsys.models._common import UTCDateTime, utcnow
from docsys.models.documents import Document
from docsys.models.users import User

FILE_STATUSES = ("pending", "processing", "imported", "duplicate", "failed")


class ImportBatch(Base):
    """One run of the import: a folder read by the command line or one upload."""

    __tablename__ = "import_batches"
    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20))  # "cli", "web" or "demo"
    label: Mapped[str] = mapped_column(String(1000), default="")  # the folder, or a description
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # None while running, or when the run was interrupted (its files stay as they were).
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    created_by: Mapped[User] = relationship(lazy="joined")


class ArchivedNorm(Base):
    """The archive side of an imported norm (one per document)."""

    __tablename__ = "archived_norms"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)
    original_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), unique=True)
    original_filename: Mapped[str] = mapped_column(String(1000))
    mimetype: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(20))  # pdf-text, ocr, docx, doc, txt
    pages: Mapped[int | None] = mapped_column(Integer)
    ocr: Mapped[bool] = mapped_column(Boolean, default=False)
    ocr_confidence: Mapped[float | None] = mapped_column(Float)  # 0-100, tesseract's mean
    ocr_pages: Mapped[list] = mapped_column(JSON, default=list)
    # {"values": {...}, "confidence": {...}, "sources": {...}, "notes": [...]} as guessed.
    guessed: Mapped[dict] = mapped_column(JSON, default=dict)
    warnings: Mapped[list] = mapped_column(JSON, default=list)
    # Where the text was taken from, when a structured export says (its front matter):
    # the address (http or https only) and the source's identifier ("LEY-27444-2001").
    source_url: Mapped[str | None] = mapped_column(String(1000))
    source_identifier: Mapped[str | None] = mapped_column(String(200))
    metadata_confidence: Mapped[float] = mapped_column(Float, default=0.0)  # lowest field
    needs_review: Mapped[bool] = mapped_column(Boolean, default=True)
    imported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    document: Mapped[Document] = relationship(lazy="joined")
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    __table_args__ = (Index("ix_archived_norms_review", "needs_review", "imported_at"),)


class ImportedFile(Base):
    """One file of one run and what became of it."""

    __tablename__ = "import_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)
    filename: Mapped[str] = mapped_column(String(1000))  # as shown (relative path for a folder)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    reason: Mapped[str] = mapped_column(String(2000), default="")  # Spanish, for failures
    reason_code: Mapped[str] = mapped_column(String(40), default="")
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    size: Mapped[int | None] = mapped_column(Integer)
    norm_id: Mapped[int | None] = mapped_column(ForeignKey("archived_norms.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    norm: Mapped[ArchivedNorm | None] = relationship(lazy="joined")

    __table_args__ = (Index("ix_import_files_status", "status", "id"),)
