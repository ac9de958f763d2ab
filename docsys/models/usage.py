"""Counters of expensive requests per user and kind, one fixed window at a time."""
from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from docsys.db import Base


class UsageCounter(Base):
    """``key`` is "<kind>:<user id>"; ``hits`` requests in window ``window_no`` (seconds
    since the epoch // the window's length)."""

    __tablename__ = "usage_counters"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    window_no: Mapped[int] = mapped_column(Integer)
    hits: Mapped[int] = mapped_column(Integer)
