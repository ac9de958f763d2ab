"""Official numbers, issued norms and the files (content-addressed blobs) they point to."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from docsys.db import Base
from docsys.models._common import UTCDateTime, make_immutable, utcnow
from docsys.models.users import User


class NumberSequence(Base):
    """The last number given for one (type, issuing office, year); locked while issuing."""

    __tablename__ = "number_sequences"
    __table_args__ = (UniqueConstraint("doc_type", "office_code", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(20))
    office_code: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Blob(Base):
    """A stored file, named by its SHA-256 (the bytes live in the blob directory)."""

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    mimetype: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BlobContent(Base):
    """The bytes of a stored file when DOCSYS_BLOB_BACKEND=database (PostgreSQL): shared by
    every app node without a shared disk. No foreign key: the content is written before the
    transaction that adds its ``blobs`` row commits (see docsys.blobs)."""

    __tablename__ = "blob_contents"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    # Stored or last reused: the garbage collector's grace period counts from here.
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SigningCredential(Base):
    """A user's PKCS#12 certificate, sealed with the installation's key (never in clear)."""

    __tablename__ = "signing_credentials"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    subject: Mapped[str] = mapped_column(String(500))
    serial: Mapped[str] = mapped_column(String(100))
    not_after: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class Issuance(Base):
    """A document issued as a norm: its official number and its signed PDF. Written once."""

    __tablename__ = "issuances"
    __table_args__ = (UniqueConstraint("doc_type", "office_code", "year", "sequence"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    version_number: Mapped[int] = mapped_column(Integer)
    doc_type: Mapped[str] = mapped_column(String(20))
    office_code: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    official_number: Mapped[str] = mapped_column(String(200), unique=True)
    issue_date: Mapped[str] = mapped_column(String(10))
    verification_code: Mapped[str] = mapped_column(String(32), unique=True)
    pdf_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    signer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    signer: Mapped[User] = relationship(lazy="joined")


make_immutable(Issuance, "La emisión de una norma")


class SigningCopy(Base):
    """The PDF a version is signed on (docsys.holder_signing): its final layout, made at
    its first visto bueno, with the verification code reserved now, the number, date and
    signer as empty text fields and the fields VB_1, VB_2 and FIRMA. Each V°B° adds its
    signature to it (``pdf_sha256`` moves to the new file); issuing adds the last one."""

    __tablename__ = "signing_copies"
    __table_args__ = (UniqueConstraint("document_id", "version_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    version_number: Mapped[int] = mapped_column(Integer)
    verification_code: Mapped[str] = mapped_column(String(32), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    pdf_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PreparedSignature(Base):
    """A PDF prepared for the authority to sign with their own software ("Firmar con mi
    propio programa"): the vistos buenos signed, the final field empty, the number the
    next issue will take printed. No number is taken until the signed file comes back
    and is checked; then that number must still be the next one."""

    __tablename__ = "prepared_signatures"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    version_number: Mapped[int] = mapped_column(Integer)
    signer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    issue_date: Mapped[str] = mapped_column(String(10))
    official_number: Mapped[str] = mapped_column(String(200))
    verification_code: Mapped[str] = mapped_column(String(32), unique=True)
    pdf_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
