"""Documents (drafts and norms) and their immutable versions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event,
                        func, inspect, literal_column)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from docsys.db import Base
from docsys.errors import ImmutableError
from docsys.models._common import UTCDateTime, make_immutable, utcnow
from docsys.models.users import Office, User
from docsys.states import Origin, Status


class Document(Base):
    """A document through its whole life. ``latest_version`` is the optimistic-concurrency
    counter: a save succeeds only if it was based on the current value."""

    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_office_status", "office_id", "status"),
                      Index("ix_documents_official_number", "official_number", unique=True),
                      # the Bandeja pages through documents by last change (keyset); a
                      # (status, updated_at) index made SQLite sort whole states instead
                      # (bench/bench_inbox.py)
                      Index("ix_documents_updated_at", "updated_at", "id"),
                      # PostgreSQL only: the Bandeja's substring search (migration 0016)
                      *(Index(name, func.lower(literal_column(column)), postgresql_using="gin",
                              postgresql_ops={f"lower_{n}": "gin_trgm_ops"})
                        .ddl_if(dialect="postgresql")
                        for n, (name, column) in enumerate(
                            (("ix_documents_title_trgm", "title"),
                             ("ix_documents_number_trgm", "official_number")), start=1)))
    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFT.value)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    template_version_id: Mapped[int | None] = mapped_column(ForeignKey("template_versions.id"))
    latest_version: Mapped[int] = mapped_column(Integer, default=0)
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", name="fk_documents_assignee_id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set once the document is a norm (issued here or imported into the archive).
    official_number: Mapped[str | None] = mapped_column(String(200))
    number_key: Mapped[str | None] = mapped_column(String(100), index=True)
    issue_date: Mapped[str | None] = mapped_column(String(10))
    legal_status: Mapped[str | None] = mapped_column(String(20))  # vigente/modificada/derogada
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    origin: Mapped[str] = mapped_column(String(20), default=Origin.DRAFTED.value,
                                        server_default=Origin.DRAFTED.value)

    office: Mapped[Office] = relationship(lazy="joined")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id], lazy="joined")
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id], lazy="joined")
    template_version = relationship("TemplateVersion", lazy="joined")
    versions: Mapped[list["DocumentVersion"]] = relationship(
        back_populates="document", order_by="DocumentVersion.number", lazy="select"
    )

    @property
    def is_single_norm(self) -> bool:
        """A norm of a type with one norm (the Constitution): filed under its type's code,
        it has no number of its own (docsys.archive.norms.single_norm_number)."""
        return self.number_key is not None and self.number_key == self.doc_type


class DocumentVersion(Base):
    """One saved state of a document. Written once, never updated or deleted."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(500), default="")
    autosave: Mapped[bool] = mapped_column(default=False)
    restored_from: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Keys of the norms the text cites (space-separated) and the extractor revision that
    # found them, stored when the version is written (docsys.indexing) so that rebuilding
    # the index does not read every text for citations again; NULL or another revision:
    # found again when indexed.
    cited_keys: Mapped[str | None] = mapped_column(Text)
    cited_keys_rev: Mapped[str | None] = mapped_column(String(40))

    document: Mapped[Document] = relationship(back_populates="versions")
    author: Mapped[User] = relationship(lazy="joined")


make_immutable(DocumentVersion, "La versión del documento")


class WorkingCopy(Base):
    """What a user typed and the autosave kept, not yet a version: one per user and
    document, based on ``base_version``. An explicit save (or a change of state) turns it
    into a version; it never counts in the history."""

    __tablename__ = "working_copies"
    __table_args__ = (UniqueConstraint("document_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    base_version: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

# Once a document has an official number, what was signed can no longer change.
_FROZEN_WHEN_ISSUED = ("official_number", "number_key", "issue_date", "doc_type", "title",
                       "latest_version", "office_id", "template_version_id")


@event.listens_for(Document, "before_update")
def _issued_documents_are_frozen(_mapper, _connection, target: Document) -> None:
    state = inspect(target)
    history = state.attrs.official_number.history
    before = (history.deleted[0] if history.deleted else None) if history.has_changes() \
        else target.official_number
    if not before or target.origin == Origin.IMPORTED:
        # Not issued yet (this may be the flush that issues it), or an archived norm whose
        # metadata the archivist is still confirming (its original file stays untouched).
        return
    for name in _FROZEN_WHEN_ISSUED:
        if state.attrs[name].history.has_changes():
            raise ImmutableError("La norma emitida es inmutable: no se puede modificar "
                                 f"({name}). Un cambio se hace con una nueva norma.")
