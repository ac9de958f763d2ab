"""The built-in reactions to domain events (docsys.events): each is one subscriber.

* the audit trail: every event is appended to the hash-chained log, in its transaction;
* the search outbox: an event that changes what the index shows of a document queues it,
  in its transaction, and the indexer is woken once the transaction commits;
* the compliance analysis: a norm issued here, imported or whose number was just
  confirmed has its citations stored and its relations proposed.

* corrections: a norm issued to correct another (docsys.corrections) records its
  confirmed relation to it, after the analysis of its text, and that norm's status follows.

* notifications: who now has the next step of a moved or derived document is told, in its
  transaction; the e-mails go out once it committed (``email_notices``, installed by the
  app factory with the SMTP settings).

Any other reaction is added here the same way.
"""
from __future__ import annotations

import logging
from sqlalchemy.orm import Session

from typing import Callable

from sqlalchemy.orm import sessionmaker

from docsys import audit, corrections, events, indexing, notifications, outbox
from docsys.db import transaction
from docsys.events import DomainEvent
from docsys.models import Document
from docsys.compliance import analyze_norm, pending
from docsys.compliance.norms import SourceNotes, read_source_notes, record_source_notes

log = logging.getLogger("docsys.events")

# Events after which a norm's text is analysed for citations and relations.
ANALYSING = frozenset({"issue", "archive_import", "archive_confirm"})


def audit_trail(session: Session, event: DomainEvent) -> None:
    audit.record(session, event.name, event.actor, event.document_id, **event.details)


def search_outbox(session: Session, event: DomainEvent) -> None:
    if event.name in outbox.REINDEXING and event.document_id is not None:
        outbox.enqueue(session, event.document_id,
                       event.actor.id if event.actor is not None else None)


def compliance_analysis(session: Session, event: DomainEvent) -> None:
    """Analyse a new norm. On import the analysis may fail without undoing the import (it
    runs in a savepoint; the norm can be analysed again later, ``compliance analyze``).
    A bulk import (payload ``analyze="later"``) stores only the source's notes now and
    queues the rest (docsys.compliance.pending), in the same transaction."""
    if event.name not in ANALYSING or event.document_id is None \
            or event.payload.get("analyze") is False:  # the caller analyses later, in bulk
        return
    document = session.get(Document, event.document_id)
    if document is None or not document.official_number:
        return  # analysed once its number is confirmed
    text = event.payload.get("text")
    if event.name != "archive_import":
        analyze_norm(session, document, text, actor=event.actor)
        return
    later = event.payload.get("analyze") == "later"
    if later:  # a bulk import: the analysis is queued with the norm, read after its commit
        pending.enqueue(session, document.id)
    try:
        with session.begin_nested():
            if later:  # the source's own notes now: they set the norm's legal status
                ahead = event.payload.get("source_notes")
                record_source_notes(session, document, text,
                                    ahead if isinstance(ahead, SourceNotes) else None)
            else:
                analyze_norm(session, document, text)
    except Exception as exc:
        log.exception("Compliance analysis failed for document %s", document.id)
        event.payload.setdefault("warnings", []).append(
            f"La norma se importó, pero su análisis posterior falló ({type(exc).__name__}); "
            "se puede repetir más tarde.")


def source_notes_ahead(name: str, payload: dict) -> None:
    """A bulk import's norm (payload ``analyze="later"``): its text's SPIJ notes read
    before the import's transaction (``events.prepare``), so that parsing them does not
    hold the write lock; ``compliance_analysis`` uses them for that same text only."""
    if name == "archive_import" and payload.get("analyze") == "later":
        payload["source_notes"] = read_source_notes(payload.get("text"))


def correction_relation(session: Session, event: DomainEvent) -> None:
    """A correcting norm was issued: the relation to the norm it corrects, confirmed."""
    if event.name != "issue" or event.document_id is None:
        return
    document = session.get(Document, event.document_id)
    if document is not None and document.official_number:
        corrections.record_issued(session, document, event.actor)


def notify(session: Session, event: DomainEvent) -> None:
    notifications.notify_for_event(session, event)


def email_notices(settings: dict, session_factory: sessionmaker
                  ) -> Callable[[Session, list[DomainEvent]], None]:
    """A commit handler: after a change that left notices, e-mail them (to the users who
    want each notice at once; the others get the daily digest)."""
    def send(_session: Session, committed: list[DomainEvent]) -> None:
        if not settings.get("SMTP_HOST") or not any(
                e.name in notifications.NOTIFYING for e in committed):
            return
        with transaction(session_factory) as session:
            notifications.send_pending_emails(session, settings)
    return send


def install_domain_subscribers() -> None:
    """The in-transaction subscribers (idempotent): order is audit, index, analysis,
    corrections (after the analysis, whose proposal for the same pair it takes over),
    notifications."""
    for handler in (audit_trail, search_outbox, compliance_analysis, correction_relation,
                    notify):
        events.on_record(handler)
    events.on_prepare(source_notes_ahead)
    indexing.install_version_hooks()
