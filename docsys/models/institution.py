"""The institution as data: the official name of each year ("Año de ..."), editable."""
from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from docsys.db import Base


class YearName(Base):
    """The official name of a year, fixed by the national government and printed under the
    letterhead of every document dated that year."""

    __tablename__ = "year_names"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(300))
