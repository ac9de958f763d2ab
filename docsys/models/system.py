"""What the installation remembers about itself between versions of docsys."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from docsys.db import Base
from docsys.models._common import UTCDateTime, utcnow


class SystemMarker(Base):
    """A named value written by docsys itself, such as the revision of the readers that
    analysed the archive (docsys.compliance.pending.queue_if_readers_changed): an upgrade
    compares it with its own to know what to do again."""

    __tablename__ = "system_markers"
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow,
                                                 onupdate=utcnow)
