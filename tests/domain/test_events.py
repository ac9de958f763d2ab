"""Domain events on SQLite and PostgreSQL: recorded in the command's transaction, delivered
to commit handlers only once it commits, and forgotten when it rolls back."""
from __future__ import annotations

from sqlalchemy import func, select

from docsys import events
from docsys.db import transaction
from docsys.models import AuditEntry, SearchOutbox
from tests.domain.test_workflow import new_doc


def test_committed_events_reach_the_commit_handlers_and_rolled_back_ones_never(
        session_factory):
    delivered: list[list[str]] = []
    events.install(session_factory, lambda _s, evs: delivered.append([e.name for e in evs]))
    doc = new_doc(session_factory)                    # a "create" event, committed
    assert delivered == [["create"]]
    session = session_factory()       # one session through a failure, as a request's is
    try:
        events.record(session, "save", None, doc)
        session.rollback()                           # the command failed
        events.record(session, "download", None, doc, format="pdf")
        session.commit()
    finally:
        session.close()
    assert delivered == [["create"], ["download"]]   # the rolled-back save is forgotten
    with transaction(session_factory) as session:
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))
        queued = session.scalar(select(func.count()).select_from(SearchOutbox)
                                .where(SearchOutbox.document_id == doc))
    assert actions == ["create", "download"]          # the rolled-back save left no entry
    assert queued == 1                                # a download does not re-index


def test_a_released_savepoint_delivers_nothing_before_the_commit(session_factory):
    """SQLAlchemy signals a savepoint's release as a commit: the handlers must wait for the
    real one (a handler that writes, like the audit checkpoint, would otherwise wait for
    the lock this very transaction holds, and the indexer would read too early)."""
    doc = new_doc(session_factory)
    seen: list[tuple[list[str], bool]] = []

    def handler(_session, evs):
        # A write of its own, as the checkpoint handler makes: it must find the lock free.
        with transaction(session_factory) as other:
            other.execute(select(func.count()).select_from(AuditEntry))
        seen.append(([e.name for e in evs], True))

    events.install(session_factory, handler)
    with transaction(session_factory) as session:
        events.record(session, "save", None, doc)
        with session.begin_nested():             # a file of a group, an analysis...
            events.record(session, "download", None, doc, format="pdf")
        assert seen == []                        # nothing is committed yet
    assert seen == [(["save", "download"], True)]
