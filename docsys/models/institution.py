"""The institution as data: the official name of each year ("Año de ..."), editable."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from docsys.db import Base
from docsys.models._common import UTCDateTime, utcnow


class YearName(Base):
    """The official name of a year, fixed by the national government and printed under the
    letterhead of every document dated that year."""

    __tablename__ = "year_names"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(300))


class InstitutionSetting(Base):
    """A setting of the institution kept by an administrator; the images (the municipal
    shield, the letterhead logo) are blobs referenced by their SHA-256."""

    __tablename__ = "institution_settings"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    blob_sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
