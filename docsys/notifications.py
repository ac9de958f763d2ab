"""Telling each user what awaits them: in-app notices (with an unread counter) and e-mail.

A notice is written in the same transaction as the change that caused it (a subscriber of
the domain events, docsys.subscribers): when a document moves, everyone who now has its
next step (``policy.has_next_step``) is told, and its author when it comes back to them;
when it is derived, the person it was sent to. E-mail goes out after the commit, through
the configured SMTP server (``SMTP_HOST``...), one message per notice, or once a day as a
digest for users who chose it (``flask docsys notifications digest``). A notice is claimed
(``emailed_at``) before it is sent, so two senders never send it twice.
"""
from __future__ import annotations

import logging
import smtplib
import textwrap
from email.message import EmailMessage
from typing import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from docsys import policy
from docsys.events import DomainEvent
from docsys.models import Document, Notification, User
from docsys.models._common import utcnow
from docsys.states import EDITABLE, Status, label

log = logging.getLogger("docsys.notifications")

NOTIFYING = frozenset({"transition", "derive"})
MAX_LISTED = 50


def _recipients_of_move(session: Session, document: Document, event: DomainEvent) -> list[User]:
    status = event.details.get("to_status", document.status)
    users = session.scalars(select(User).where(User.active.is_(True)))
    chosen = [u for u in users if policy.has_next_step(u, document, status)]
    if status in EDITABLE and document.created_by.active and document.created_by not in chosen:
        chosen.append(document.created_by)
    return chosen


def _shortened(text: str, width: int = 200) -> str:
    """``text`` cut at a word, with an ellipsis: a number cut in two («Ley N° 274» of «Ley
    N° 27444») would name another norm."""
    return textwrap.shorten(text, width, placeholder=" …")


def _message(document: Document, event: DomainEvent) -> tuple[str, str]:
    name = f"{document.doc_type} «{_shortened(document.title)}»"
    if event.name == "derive":
        who = event.actor.full_name if event.actor else "Alguien"
        return "derivado", f"{who} le derivó {name}."
    status = event.details.get("to_status", document.status)
    if status == Status.OBSERVED:
        reason = _shortened(event.details.get("reason", ""))
        return "observado", f"{name} fue devuelto con observaciones: {reason}"
    return "pendiente", f"{name} está en estado «{label(status)}» y espera su atención."


def notify_for_event(session: Session, event: DomainEvent) -> list[Notification]:
    """The notices an event leaves (none for events that ask nobody for anything)."""
    if event.name not in NOTIFYING or event.document_id is None:
        return []
    document = session.get(Document, event.document_id)
    if document is None:
        return []
    if event.name == "derive":
        to = session.scalar(select(User).where(User.username == event.details.get("to")))
        recipients = [to] if to is not None else []
    else:
        recipients = _recipients_of_move(session, document, event)
    kind, message = _message(document, event)
    actor_id = event.actor.id if event.actor else None
    rows = [Notification(user_id=u.id, document_id=document.id, kind=kind, message=message[:500])
            for u in recipients if u.id != actor_id]
    session.add_all(rows)
    return rows


def unread_count(session: Session, user: User) -> int:
    return session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def list_for(session: Session, user: User, limit: int = MAX_LISTED) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.user_id == user.id)
                                .order_by(Notification.id.desc()).limit(limit)))


def mark_all_read(session: Session, user: User) -> int:
    result = session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow()))
    return result.rowcount  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult


def set_email_digest(session: Session, user: User, digest: bool) -> None:
    user.email_digest = bool(digest)
    session.flush()


# ---- e-mail ------------------------------------------------------------------------------

def _claim(session: Session, notices: Iterable[Notification]) -> list[Notification]:
    """Mark the notices as sent before sending; those another sender took are skipped."""
    claimed = []
    for notice in notices:
        result = session.execute(update(Notification).where(
            Notification.id == notice.id, Notification.emailed_at.is_(None))
            .values(emailed_at=utcnow()).execution_options(synchronize_session=False))
        if result.rowcount == 1:  # type: ignore[attr-defined]
            claimed.append(notice)
    return claimed


def _pending(session: Session, digest: bool) -> dict[User, list[Notification]]:
    rows = session.scalars(select(Notification).join(User, User.id == Notification.user_id)
                           .where(Notification.emailed_at.is_(None), User.email != "",
                                  User.active.is_(True), User.email_digest.is_(digest))
                           .order_by(Notification.id))
    grouped: dict[User, list[Notification]] = {}
    for row in rows:
        grouped.setdefault(row.user, []).append(row)
    return grouped


def _send(settings: dict, messages: list[EmailMessage]) -> None:
    if not messages:
        return
    with smtplib.SMTP(settings["SMTP_HOST"], int(settings.get("SMTP_PORT") or 25),
                      timeout=15) as smtp:
        if settings.get("SMTP_STARTTLS"):
            smtp.starttls()
        if settings.get("SMTP_USER"):
            smtp.login(settings["SMTP_USER"], settings.get("SMTP_PASSWORD") or "")
        for message in messages:
            smtp.send_message(message)


def _email(settings: dict, user: User, subject: str, lines: list[str]) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.get("MAIL_FROM") or "docsys@localhost"
    message["To"] = user.email
    message["Subject"] = subject
    base = str(settings.get("PUBLIC_BASE_URL") or "").rstrip("/")
    body = [f"Estimado(a) {user.full_name}:", "", *lines, "",
            f"Ingrese a docsys para atenderlo: {base}/", "",
            f"{settings.get('MUNICIPALITY_NAME') or ''}"]
    message.set_content("\n".join(body))
    return message


def send_pending_emails(session: Session, settings: dict, digest: bool = False) -> int:
    """E-mail what was not e-mailed yet: one message per notice for users who want it at
    once, or (``digest``) one message per user with all of theirs. Returns messages sent.
    Without an SMTP server configured nothing is sent (the in-app notices remain)."""
    if not settings.get("SMTP_HOST"):
        return 0
    messages = []
    for user, notices in _pending(session, digest).items():
        notices = _claim(session, notices)
        if not notices:
            continue
        if digest:
            messages.append(_email(settings, user, f"docsys: {len(notices)} aviso(s) del día",
                                   [f"- {n.message}" for n in notices]))
        else:
            messages += [_email(settings, user, f"docsys: {n.message[:120]}", [n.message])
                         for n in notices]
    session.flush()
    _send(settings, messages)  # a failure raises: the caller's transaction rolls the claims back
    return len(messages)
