"""Corrections of issued norms: which draft corrects which norm, and how.

An issued norm is never edited; it is corrected by another norm (a rectificación de error
material, a "déjese sin efecto", a modification). The draft started for that purpose keeps
here what it corrects, so that when it is issued docsys records the confirmed relation
between the two norms (``relation_id``) and the corrected norm's legal status follows.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from docsys.db import Base
from docsys.models._common import UTCDateTime, utcnow
from docsys.models.compliance import NormRelation
from docsys.models.documents import Document
from docsys.models.users import User


class NormCorrection(Base):
    """One correcting draft (``document``) of one issued norm (``corrected``)."""

    __tablename__ = "norm_corrections"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    corrected_document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))      # rectificar, dejar_sin_efecto, modificar
    reason: Mapped[str] = mapped_column(String(500))
    started_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when the correcting norm is issued: the confirmed relation it recorded.
    relation_id: Mapped[int | None] = mapped_column(ForeignKey("norm_relations.id"))

    document: Mapped[Document] = relationship(foreign_keys=[document_id], lazy="joined")
    corrected: Mapped[Document] = relationship(foreign_keys=[corrected_document_id],
                                               lazy="joined")
    started_by: Mapped[User] = relationship(lazy="joined")
    relation: Mapped[NormRelation | None] = relationship(lazy="joined")
