"""Domain events: a command records what happened, once; the reactions subscribe.

``record(session, name, actor, document_id, **details)`` is called by the domain inside
the command's transaction. Two kinds of subscribers react:

* ``on_record`` handlers run at once, in the same transaction, so their writes commit or
  roll back with the change (the audit trail, the search outbox, the compliance analysis
  of a new norm);
* commit handlers, given to ``install`` for one session factory, run after a transaction
  committed, with the events it committed (waking the search indexer; notifications).

A subscriber whose reaction costs much CPU may also do that part ahead (``on_prepare``):
a command that can, calls ``prepare(name, payload)`` before its transaction, outside the
database's write lock, and the in-transaction handler uses what was prepared.

A new reaction is a new subscriber (``docsys.subscribers`` holds the built-in ones; the
package wires them when it is imported), not an edit of every command. Event names are the audit trail's action names.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, sessionmaker

from docsys.models import User

log = logging.getLogger("docsys.events")

_PENDING = "docsys.events.pending"
_HANDLERS = "_docsys_commit_handlers"


@dataclass(frozen=True)
class DomainEvent:
    name: str
    actor: User | None
    document_id: int | None
    details: dict[str, Any] = field(default_factory=dict)   # audited as they are
    payload: dict[str, Any] = field(default_factory=dict)   # for subscribers, not audited


RecordHandler = Callable[[Session, DomainEvent], None]
CommitHandler = Callable[[Session, list[DomainEvent]], None]
PrepareHandler = Callable[[str, dict[str, Any]], None]
_record_handlers: list[RecordHandler] = []
_prepare_handlers: list[PrepareHandler] = []


def on_prepare(handler: PrepareHandler) -> PrepareHandler:
    """Subscribe ``handler(name, payload)``: pure work (no database) on an event's payload
    before its transaction; it adds its results to the payload."""
    if handler not in _prepare_handlers:
        _prepare_handlers.append(handler)
    return handler


def prepare(name: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload an event ``name`` will be recorded with, with what its subscribers
    computed ahead (called outside any transaction, so SQLite's write lock is not held
    meanwhile). A handler must check, when the event comes, that what it prepared is for
    the same data: ``record`` may be given another payload."""
    payload = dict(payload)
    for handler in list(_prepare_handlers):
        handler(name, payload)
    return payload


def on_record(handler: RecordHandler) -> RecordHandler:
    """Subscribe ``handler(session, event)`` inside the recording transaction."""
    if handler not in _record_handlers:
        _record_handlers.append(handler)
    return handler


def record(session: Session, name: str, actor: User | None, document_id: int | None = None,
           payload: dict[str, Any] | None = None, **details: Any) -> DomainEvent:
    """What happened, for every subscriber (in the caller's transaction). ``details`` go
    to the audit trail; ``payload`` (e.g. a norm's extracted text) only to subscribers."""
    event = DomainEvent(name, actor, document_id, details, dict(payload or {}))
    for handler in list(_record_handlers):
        handler(session, event)
    session.info.setdefault(_PENDING, []).append(event)
    return event


def install(session_factory: sessionmaker, *on_commit: CommitHandler) -> None:
    """Deliver the events each transaction of this session factory committed to the
    ``on_commit`` handlers (and forget those of a rolled-back transaction). Installing
    again on the same factory adds handlers; every handler sees every committed event."""
    handlers: list[CommitHandler] | None = getattr(session_factory, _HANDLERS, None)
    if handlers is not None:
        handlers.extend(h for h in on_commit if h not in handlers)
        return
    handlers = list(on_commit)
    setattr(session_factory, _HANDLERS, handlers)

    @sa_event.listens_for(session_factory, "after_commit")
    def _after_commit(session: Session) -> None:
        if session.in_nested_transaction():
            # A savepoint was released (SQLAlchemy signals it as a commit too): nothing is
            # committed yet, and a handler that writes would wait for this very
            # transaction's lock.
            return
        committed = session.info.pop(_PENDING, None)
        if not committed:
            return
        for handler in list(handlers):
            try:
                handler(session, committed)
            except Exception:  # the change is committed: a reaction must not undo the reply
                log.exception("Fallo de un suscriptor de eventos.")

    @sa_event.listens_for(session_factory, "after_soft_rollback")
    def _after_rollback(session: Session, previous_transaction) -> None:
        if previous_transaction.parent is None:  # the outermost transaction rolled back
            session.info.pop(_PENDING, None)
