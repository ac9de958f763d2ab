"""The search outbox: documents whose index entry must be refreshed.

A row is written in the same transaction as the change it follows, so a failed or
unavailable index never loses or blocks a save: the indexer catches up later.
"""
from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Integer, Table, event
from sqlalchemy.orm import Mapped, mapped_column, object_session

from docsys.db import Base
from docsys.models._common import UTCDateTime, utcnow


class SearchOutbox(Base):
    __tablename__ = "search_outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(Integer, index=True)
    enqueued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)


def _enqueue_on_write(mapper, connection, target) -> None:
    """Every insert or update of a document, and every new version, queues the document for
    indexing in the same transaction (bulk UPDATEs must call ``search.indexer.enqueue``)."""
    document_id = getattr(target, "document_id", None) or target.id
    table = cast(Table, SearchOutbox.__table__)     # a declarative class maps a Table
    connection.execute(table.insert().values(
        document_id=document_id, enqueued_at=utcnow(), attempts=0))
    session = object_session(target)
    if session is not None:
        session.info["search_changed"] = True


def _register() -> None:
    from docsys.models.documents import Document, DocumentVersion

    for model, events in ((Document, ("after_insert", "after_update")),
                          (DocumentVersion, ("after_insert",))):
        for name in events:
            event.listen(model, name, _enqueue_on_write)


_register()
