"""The review workflow's records: transitions, derivations, vistos buenos and comments."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from docsys.db import Base
from docsys.models._common import UTCDateTime, make_immutable, utcnow
from docsys.models.users import User


class Transition(Base):
    """One move of a document between states: who, when, why. Written once."""

    __tablename__ = "transitions"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    version_number: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor: Mapped[User] = relationship(lazy="joined")


class Derivation(Base):
    """A document sent from one person to another (the "derivación" of paper files)."""

    __tablename__ = "derivations"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    from_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    to_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    from_user: Mapped[User] = relationship(foreign_keys=[from_user_id], lazy="joined")
    to_user: Mapped[User] = relationship(foreign_keys=[to_user_id], lazy="joined")


class VistoBueno(Base):
    """A V°B° given on one version; a later version voids it (it no longer matches)."""

    __tablename__ = "vistos_buenos"
    __table_args__ = (UniqueConstraint("document_id", "version_number", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    version_number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # "legal" | "area"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class Comment(Base):
    """A comment anchored to one part of one version; replies share ``thread_id``.

    The anchor is the item id (considerando, article...), which survives moves and
    edits, plus the quoted passage when the comment is about a few words."""

    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    thread_id: Mapped[int | None] = mapped_column(Integer, index=True)
    version_number: Mapped[int] = mapped_column(Integer)
    section_key: Mapped[str] = mapped_column(String(40), default="")
    item_id: Mapped[str] = mapped_column(String(40), default="")
    quote: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The drafting side says it attended to the observation; its author then closes it.
    addressed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    addressed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", name="fk_comments_addressed_by_id"))

    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined")
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id], lazy="joined")
    addressed_by: Mapped[User | None] = relationship(foreign_keys=[addressed_by_id],
                                                     lazy="joined")


make_immutable(Transition, "El registro de transición")
make_immutable(Derivation, "El registro de derivación")
