"""The search outbox: documents whose index entry must be refreshed.

A row is written in the same transaction as the change it follows (by the search outbox
subscriber of the domain events, docsys.subscribers), so a failed or unavailable index
never loses or blocks a save: the indexer catches up later.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from docsys.db import Base
from docsys.models._common import UTCDateTime, utcnow


class SearchOutbox(Base):
    __tablename__ = "search_outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(Integer, index=True)
    enqueued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Who made the change (None: the system, an import run): a search waits only for its
    # own user's changes (read your writes), docsys.indexing.SearchService.ensure_fresh.
    actor_id: Mapped[int | None] = mapped_column(Integer)
