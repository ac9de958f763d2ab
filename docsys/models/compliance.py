"""What compliance analysis stores about norms: the citations in each norm's text, and
the relations between norms (repeals, modifications, regulations) docsys proposes and the
archivist confirms or rejects.

Citations are stored by canonical id, not by foreign key: a norm cited today may enter the
archive tomorrow (an import), and "what cites this norm" must find it then. ``archive_key``
is the cited norm's ``documents.number_key``, indexed, so those look-ups are one query.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from docsys.db import Base
from docsys.models._common import UTCDateTime, utcnow
from docsys.models.documents import Document
from docsys.models.users import User

RELATION_KINDS = ("deroga", "modifica", "reglamenta", "rectifica", "deja_sin_efecto")
RELATION_STATUSES = ("propuesta", "confirmada", "rechazada")


class NormCitation(Base):
    """One norm cited in the text of an issued or imported norm (one row per mention)."""

    __tablename__ = "norm_citations"
    __table_args__ = (Index("ix_norm_citations_archive_key", "archive_key"),
                      Index("ix_norm_citations_canonical_id", "canonical_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    canonical_id: Mapped[str] = mapped_column(String(80))
    archive_key: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(300))
    articles: Mapped[list] = mapped_column(JSON, default=list)
    text: Mapped[str] = mapped_column(String(500))
    start: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class NormRelation(Base):
    """"Norm A repeals / modifies / regulates norm B (or some of its articles)", found in
    A's operative text. Proposed by docsys; only a confirmed relation changes B's legal
    status. ``target_document_id`` is empty while B is not in the archive."""

    __tablename__ = "norm_relations"
    __table_args__ = (UniqueConstraint("source_document_id", "kind", "target_canonical_id",
                                       "articles_key", name="uq_norm_relations_clause"),
                      Index("ix_norm_relations_status", "status"))
    id: Mapped[int] = mapped_column(primary_key=True)
    source_document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    target_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"),
                                                           index=True)
    target_canonical_id: Mapped[str] = mapped_column(String(80))
    target_archive_key: Mapped[str | None] = mapped_column(String(100), index=True)
    target_label: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    # article numbers, or a part named otherwise ("la Quinta Disposición Final"); [] = the
    # whole norm (docsys.compliance.archive.relation_scope says them in words)
    articles: Mapped[list] = mapped_column(JSON, default=list)
    articles_key: Mapped[str] = mapped_column(String(200), default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    effective_date: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="propuesta")
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str] = mapped_column(String(1000), default="")

    source: Mapped[Document] = relationship(foreign_keys=[source_document_id], lazy="joined")
    target: Mapped[Document | None] = relationship(foreign_keys=[target_document_id],
                                                   lazy="joined")
    decided_by: Mapped[User | None] = relationship(lazy="joined")

    @property
    def whole_norm(self) -> bool:
        return not self.articles


class SourceRelation(Base):
    """"Norm B (``by``) modified / repealed this norm (or a part of it)", as the source of an
    imported text records it (SPIJ's notes). Confirmed by the source, so kept apart from
    the relations docsys proposes (:class:`NormRelation`), which the archivist decides.
    ``by_document_id`` is empty while B is not in the archive."""

    __tablename__ = "source_relations"
    __table_args__ = (UniqueConstraint("document_id", "kind", "by_canonical_id", "part",
                                       name="uq_source_relations_note"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    by_canonical_id: Mapped[str] = mapped_column(String(80))
    by_archive_key: Mapped[str | None] = mapped_column(String(100), index=True)
    by_label: Mapped[str] = mapped_column(String(300))
    by_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    part: Mapped[str] = mapped_column(String(300), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    effective_date: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PendingAnalysis(Base):
    """A norm whose citations and proposed relations are still to be read from its text.

    A bulk import commits this row with the norm (so a killed run loses no analysis) and
    leaves the reading to a consumer after its transactions (docsys.compliance.pending):
    the import itself stays fast. The row goes in the transaction that stores the
    analysis; ``attempts`` and ``last_error`` keep a failure visible without blocking the
    rest."""

    __tablename__ = "pending_analyses"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    enqueued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
