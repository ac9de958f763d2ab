"""Application services: one function per command, the same for pages, API and CLI.

Each service finds what it acts on as the actor may see it, asks the domain to do the
work (which asks docsys.policy and records domain events), and owns the transaction: it
commits on success, so the events reach their commit subscribers, and rolls back on any
error, so nothing is half-written. Adapters parse input, call one service and present the
result or the Spanish error; they never commit, lock or decide permissions themselves.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Any, Iterator

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from docsys import (accounts, checkpoints, corrections, deadlines, events, holder_signing,
                    institution, issuing, logins, notifications, policy, usage, user_sessions,
                    versions, workflow)
from docsys.archive import review as archive_review
from docsys.archive import uploads
from docsys.compliance import norms
from docsys.db import write_transactions
from docsys.drafting import service as drafting
from docsys.errors import DocsysError, NotFound, PermissionDenied, ValidationError
from docsys.exports import render_version
from docsys.ids import parse_id
from docsys.models import (Comment, Derivation, Document, DocumentVersion, Issuance,
                           NormCorrection, Transition)
from docsys.models import User, VistoBueno
from docsys.review import service as redlines
from docsys.signing import credentials

MAX_USERNAME = 80
log = logging.getLogger("docsys.services")


@contextmanager
def unit_of_work(session: Session) -> Iterator[Session]:
    """Commit what the block did, or roll it all back (and re-raise)."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


@contextmanager
def refusals_audited(session: Session, actor: User, action: str,
                     document_id: Any = None) -> Iterator[None]:
    """A refused attempt (a Spanish 4xx) changes nothing, but is recorded in the audit
    trail, in its own transaction once the attempt's has been rolled back."""
    try:
        yield
    except DocsysError as exc:
        if exc.status >= 500:
            raise
        session.rollback()
        target = parse_id(document_id)
        with unit_of_work(session):
            events.record(session, f"{action}_refused", actor,
                          target if target and session.get(Document, target) else None,
                          reason=exc.message[:500])
        raise


def user_named(session: Session, username: Any, what: str = "usuario") -> User:
    """The user with this username (any case, surrounding spaces ignored), or a Spanish
    NotFound / ValidationError."""
    if not isinstance(username, str) or not username.strip() or len(username) > MAX_USERNAME:
        raise ValidationError(f"Indique el {what} por su nombre de usuario (texto).")
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound(f"El usuario «{username.strip()}» no existe.")
    return user


def user_by_id(session: Session, raw: Any) -> User:
    user_id = parse_id(raw)
    user = session.get(User, user_id) if user_id else None
    if user is None:
        raise NotFound("El destinatario no existe.")
    return user


# ---- drafting ----------------------------------------------------------------------------

def create_document(session: Session, actor: User, template_key: Any,
                    fields: dict) -> Document:
    with unit_of_work(session):
        return drafting.create_document(session, template_key, fields, actor)


def save_version(session: Session, actor: User, document_id: Any, content: Any,
                 base_version: Any, note: Any = "", autosave: bool = False) -> DocumentVersion:
    with unit_of_work(session):
        document = versions.get_document(session, document_id, actor)
        return versions.save_version(session, document, content, base_version, actor,
                                     note=note, autosave=autosave)


def keep_working_copy(session: Session, actor: User, document_id: Any, content: Any,
                      base_version: Any):
    """Autosave: keep what the user typed as their working copy (not a version)."""
    with unit_of_work(session):
        document = versions.get_document(session, document_id, actor)
        return versions.keep_working_copy(session, document, content, base_version, actor)


def restore_version(session: Session, actor: User, document_id: Any, number: Any,
                    base_version: Any) -> DocumentVersion:
    with unit_of_work(session):
        document = versions.get_document(session, document_id, actor)
        return versions.restore_version(session, document, number, base_version, actor)


# ---- audited downloads ---------------------------------------------------------------------
# A download is read and rendered with no write lock held (the request began read-only),
# then its audit entry is written in a short transaction of its own: on SQLite, renders
# never serialise the whole database behind one writer.

@contextmanager
def short_write(session: Session) -> Iterator[Session]:
    """A new, short writing transaction: the reading one ends first (it wrote nothing), so
    SQLite takes its write lock up front (BEGIN IMMEDIATE) for the write alone."""
    session.commit()
    with write_transactions(), unit_of_work(session):
        yield session


def download_version(session: Session, settings, actor: User, document_id: Any, number: Any,
                     fmt: str, **details: Any):
    """A version rendered as PDF, DOCX or HTML; the download is audited after the render."""
    with unit_of_work(session):
        document = versions.get_document(session, document_id, actor)
        version = versions.get_version(session, document, number)
        rendered = render_version(institution.with_year_names(session, settings), document,
                                  version, fmt)
    with short_write(session):
        events.record(session, "download", actor, document.id, version=version.number,
                      format=fmt, **details)
    return rendered


def download_comparison(session: Session, actor: User, document_id: Any, old: Any, new: Any,
                        via: str = "web"):
    """Two versions compared as a DOCX with tracked changes (audited after the render):
    (comparison, bytes)."""
    with unit_of_work(session):
        document = versions.get_document(session, document_id, actor)
        comparison = redlines.compare_versions(session, document, old, new)
        data = redlines.tracked_docx(comparison)
    with short_write(session):
        events.record(session, "download", actor, document.id, format="docx-comparacion",
                      versions=[comparison.old.number, comparison.new.number], via=via)
    return comparison, data


def download_signed_pdf(session: Session, settings, actor: User, document_id: Any,
                        **details: Any):
    """The signed PDF of an issued norm (audited): (issuance, bytes). Nothing is rendered:
    the stored file is read within the short audited transaction."""
    with short_write(session):
        document = versions.get_document(session, document_id, actor)
        return issuing.download_signed_pdf(session, settings, document, actor, **details)


def download_original(session: Session, settings, actor: User, document_id: Any,
                      **details: Any):
    """An archived norm's original file (audited): (norm, bytes, file name); a stored file
    read within the short audited transaction."""
    with short_write(session):
        return archive_review.download_original(session, settings, document_id, actor, **details)


# ---- review ------------------------------------------------------------------------------

def transition(session: Session, actor: User, document_id: Any, action: Any,
               reason: Any = "", assignee: User | None = None) -> Transition:
    with unit_of_work(session):
        document = versions.get_document(session, document_id, actor)
        versions.promote_working_copy(session, document, actor)  # a state change is a version
        return workflow.transition(session, document, action, actor, reason, assignee=assignee)


MAX_SECRET = 1024


def _check_secret(secret: Any) -> None:
    """A clave de firma as typed: text, of a sane length (it goes through scrypt)."""
    if secret is not None and not isinstance(secret, str):
        raise ValidationError("La clave de firma debe ser texto.")
    if secret is not None and len(secret) > MAX_SECRET:
        raise ValidationError(f"La clave de firma supera los {MAX_SECRET} caracteres.")


def give_visto_bueno(session: Session, settings, actor: User, document_id: Any,
                     secret: Any = None, p12: bytes | None = None,
                     passphrase: str | None = None) -> VistoBueno:
    """Give and sign a V°B° in one act (docsys.holder_signing): the holder's certificate is
    opened with their clave de firma (``secret``) or presented (``p12``, ``passphrase``).

    Read first (checks, the certificate, the signing copy), then render and sign with no
    transaction open, then record in a short write transaction that checks nothing moved:
    two vistos at once give one success and one Spanish 409, never a lost signature. A
    refusal changes nothing and is audited."""
    session.commit()
    with refusals_audited(session, actor, "visto_bueno", document_id):
        _check_secret(secret)
        presented = issuing.check_presented(p12, passphrase)
        with unit_of_work(session):
            settings = institution.with_year_names(session, settings)
            document = versions.get_document(session, document_id, actor)
            step = holder_signing.prepare_visto_bueno(session, settings, document, actor,
                                                      secret, presented)
        signed = holder_signing.sign_visto_bueno(settings, step)
        with short_write(session):
            document = versions.get_document(session, document_id, actor)
            return holder_signing.record_visto_bueno(session, settings, document, actor, step,
                                                     signed)


def derive(session: Session, actor: User, document_id: Any, to_user: User,
           note: Any = "") -> Derivation:
    with unit_of_work(session):
        document = versions.get_document(session, document_id, actor)
        return workflow.derive(session, document, actor, to_user, note)


def add_comment(session: Session, actor: User, document_id: Any, body: Any, version: Any,
                item_id: Any = "", quote: Any = "", thread_id: Any = None) -> Comment:
    with unit_of_work(session):
        document = versions.get_document(session, document_id, actor)
        return workflow.add_comment(session, document, actor, body,
                                    version or document.latest_version, item_id=item_id,
                                    quote=quote, thread_id=thread_id)


def resolve_comment(session: Session, actor: User, document_id: Any,
                    comment_id: Any) -> Comment:
    with unit_of_work(session):
        document = versions.get_document(session, document_id, actor)
        return workflow.resolve_comment(session, document, actor, comment_id)


def address_comment(session: Session, actor: User, document_id: Any,
                    comment_id: Any) -> Comment:
    with unit_of_work(session):
        document = versions.get_document(session, document_id, actor)
        return workflow.address_comment(session, document, actor, comment_id)


# ---- issuing -----------------------------------------------------------------------------

def issue(session: Session, settings, actor: User, document_id: Any,
          p12: bytes | None = None, passphrase: str | None = None,
          secret: Any = None) -> Issuance:
    """Number, sign and store an approved document, one at a time per process.

    The authority's certificate is opened first, with their clave de firma (``secret``)
    or presented (``p12`` and ``passphrase``), and the signing copy's vistos buenos are
    checked, before waiting for the issue lock (nothing is written until then). The
    caller's transaction (which only authenticated) ends first, so a request waiting for
    its turn on the process lock holds no database connection or SQLite write lock; then
    the number, the signed PDF and the new state are one write transaction. A refusal is
    audited."""
    session.commit()
    with refusals_audited(session, actor, "issue", document_id):
        _check_secret(secret)
        presented = issuing.check_presented(p12, passphrase)
        with unit_of_work(session):   # read only: the slow checks, before the lock
            document = versions.get_document(session, document_id, actor)
            ready = issuing.get_ready(session, settings, document, actor, presented, secret)
        with issuing.issue_lock(), write_transactions(), unit_of_work(session):
            document = versions.get_document(session, document_id, actor)
            return issuing.issue(session, institution.with_year_names(session, settings), document,
                                 actor, ready=ready)


def check_issuable(session: Session, actor: User, document_id: Any) -> None:
    """Whether ``actor`` may issue the document now (before asking for their secret)."""
    with unit_of_work(session):
        issuing.check_issuable(session, versions.get_document(session, document_id, actor),
                               actor)


def prepare_external_signing(session: Session, settings, actor: User, document_id: Any):
    """«Firmar con mi propio programa», step 1: the prepared PDF (no number taken)."""
    session.commit()
    with refusals_audited(session, actor, "sign", document_id):
        with issuing.issue_lock(), write_transactions(), unit_of_work(session):
            document = versions.get_document(session, document_id, actor)
            return issuing.prepare_external(session, institution.with_year_names(session, settings),
                                            document, actor)


def issue_signed_elsewhere(session: Session, settings, actor: User, document_id: Any,
                           signed: bytes | None) -> Issuance:
    """«Firmar con mi propio programa», step 2: the signed file checked, then issued."""
    session.commit()
    with refusals_audited(session, actor, "issue", document_id):
        if not signed:
            raise ValidationError("Adjunte el PDF firmado.")
        with issuing.issue_lock(), write_transactions(), unit_of_work(session):
            document = versions.get_document(session, document_id, actor)
            return issuing.issue_external(session, institution.with_year_names(session, settings),
                                          document, actor, signed)


def publish(session: Session, actor: User, document_id: Any) -> Document:
    with unit_of_work(session):
        document = versions.get_document(session, document_id, actor)
        issuing.publish(session, document, actor)
        return document


def start_correction(session: Session, actor: User, document_id: Any, kind: Any,
                     reason: Any) -> NormCorrection:
    """The authority starts the correction of an issued norm by another norm: a new draft
    in the norm's office (docsys.corrections); the norm is untouched. A refusal changes
    nothing and is audited."""
    with refusals_audited(session, actor, "correction", document_id), unit_of_work(session):
        norm = versions.get_document(session, document_id, actor)
        return corrections.start_correction(session, norm, actor, kind, reason)


# ---- archive and compliance --------------------------------------------------------------

def confirm_metadata(session: Session, actor: User, document_id: Any, values: dict,
                     base_version: Any, muni_code: str) -> Document:
    """The archivist confirms or corrects an imported norm's metadata."""
    with unit_of_work(session):
        norm = archive_review.get_archived(session, document_id, actor)
        return archive_review.confirm_metadata(session, norm, values, actor, base_version,
                                       muni_code=muni_code)


def decide_relation(session: Session, actor: User, relation_id: Any, decision: str,
                    effective_date: Any = None, note: Any = ""):
    """Confirm (``decision="confirmar"``) or reject (``"rechazar"``) a proposed relation."""
    if decision not in ("confirmar", "rechazar"):
        raise NotFound("Acción desconocida: use confirmar o rechazar.")
    policy.require(actor, policy.Action.CONFIRM_RELATION, None,
                   "Solo el archivo (Secretaría General) decide sobre las relaciones entre normas.")
    with unit_of_work(session):
        relation = norms.get_relation(session, relation_id)
        if decision == "confirmar":
            return norms.confirm_relation(session, relation, actor, effective_date, note)
        return norms.reject_relation(session, relation, actor, note)


def confirm_noted_relations(session: Session, actor: User) -> int:
    """Confirm, in one decision, the proposed relations the notes of their target's
    imported text record; how many."""
    policy.require(actor, policy.Action.CONFIRM_RELATION, None,
                   "Solo el archivo (Secretaría General) decide sobre las relaciones entre normas.")
    with unit_of_work(session):
        return norms.confirm_noted_proposals(session, actor)


def stage_uploads(session: Session, settings, actor: User, files):
    """Files uploaded to «Importar al archivo», kept as a pending batch for the worker."""
    with unit_of_work(session):
        return uploads.stage_uploads(session, settings, actor, files)


# ---- accounts and administration ---------------------------------------------------------

def store_certificate(session: Session, settings, actor: User, p12: bytes,
                      passphrase: str, secret: Any, secret_again: Any) -> None:
    """Keep the actor's certificate sealed under the clave de firma they choose now
    (typed twice): from then on only they can sign with it."""
    policy.require(actor, policy.Action.KEEP_CERTIFICATE, None,
                   "Su cargo no firma documentos en docsys.")
    with refusals_audited(session, actor, "certificate"), unit_of_work(session):
        if not isinstance(secret, str) or not secret:
            raise ValidationError("Elija una clave de firma: la escribirá cada vez que firme.")
        if secret != secret_again:
            raise ValidationError("Las dos claves de firma no coinciden; escríbalas de nuevo.")
        row = credentials.store_credential(session, settings, actor, p12, passphrase,
                                           holder_secret=secret)
        events.record(session, "certificate_store", actor, serial=row.serial,
                      subject=row.subject)


def remove_certificate(session: Session, actor: User) -> None:
    with unit_of_work(session):
        credentials.remove_credential(session, actor)


def update_template(session: Session, actor: User, key: Any, source: str, note: str):
    with unit_of_work(session):
        template = drafting.get_template(session, key)
        return drafting.update_template(session, template, source, actor, note)


def create_user(session: Session, actor: User, username: str, password: str, full_name: str,
                roles: list[str], office_code: str | None, position: str = "",
                email: str = "", dni: str = "") -> User:
    policy.require(actor, policy.Action.ADMINISTER, None,
                   "Solo un administrador crea usuarios.")
    with unit_of_work(session):
        return accounts.create_user(session, username, password, full_name, roles,
                                    office_code=office_code, position=position, email=email,
                                    dni=dni or None)


# ---- notifications and deadlines -----------------------------------------------------------

def mark_notifications_read(session: Session, actor: User) -> int:
    with unit_of_work(session):
        return notifications.mark_all_read(session, actor)


def set_email_digest(session: Session, actor: User, digest: bool) -> None:
    with unit_of_work(session):
        notifications.set_email_digest(session, actor, digest)


def send_email_digest(session: Session, settings) -> int:
    """The daily digest of the notices not e-mailed yet (``notifications digest``)."""
    with unit_of_work(session):
        return notifications.send_pending_emails(session, settings, digest=True)


def add_local_holiday(session: Session, actor: User, day: Any, name: Any):
    with unit_of_work(session):
        return deadlines.add_local_holiday(session, actor, day, name)


def set_year_name(session: Session, actor: User, year: Any, name: Any):
    with unit_of_work(session):
        return institution.set_year_name(session, actor, year, name)


def set_institution_image(session: Session, settings, actor: User, key: str, data: Any) -> None:
    """The municipal shield or letterhead logo, uploaded by an administrator."""
    with unit_of_work(session):
        institution.set_image(session, settings["BLOB_DIR"], actor, key, data)


def institution_image_keys(session: Session) -> set[str]:
    return institution.image_keys(session)


def institution_image(session: Session, settings, key: str):
    """The stored shield or letterhead logo (a 404 when none was uploaded)."""
    image = institution.images_of(session, settings["BLOB_DIR"]).get(key)
    if image is None:
        raise NotFound("No se registró esa imagen.")
    return image


# ---- the audit trail -------------------------------------------------------------------------

def checkpoint_audit(session: Session, settings) -> checkpoints.Published | None:
    """Sign and publish the audit chain's head now (None: nothing new since the last one)."""
    with write_transactions(), unit_of_work(session):
        return checkpoints.create(session, settings)


def verify_audit(session: Session, settings):
    """The keyed chain checked against every published checkpoint (a ChainReport)."""
    with unit_of_work(session):
        return checkpoints.verify(session, settings)


# ---- limits on expensive work ----------------------------------------------------------------

def count_usage(session: Session, settings, actor: User, kind: str) -> None:
    """Count one expensive request (TooManyRequests past the user's limit). The count is
    its own short transaction on its own connection, committed at once (also when the
    work then fails, so failing requests are counted too); the caller's authentication
    transaction ends first, so on SQLite the counter never waits for a write lock its own
    request holds."""
    rule = usage.parse_rules(settings.get("RATE_LIMITS", "")).get(kind)
    if rule is None:
        return
    session.commit()
    try:
        with usage.brief_lock_wait(session.get_bind()) as connection, write_transactions(), \
                connection.begin():
            usage.count(connection, actor, kind, rule)
    except OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        # SQLite busy with a long write: this one request passes uncounted (its work is
        # still bounded by docsys.bounded) rather than wait for the lock.
        log.warning("Uso de %s por %s sin contar: base de datos ocupada.", kind, actor.id)


# ---- signing in, sessions, passwords and tokens --------------------------------------------

def login_password(session: Session, username: str, password: str, ip: str,
                   user_agent: str) -> logins.PasswordStep | None:
    """The password step (a failure is kept for throttling, so it commits too)."""
    with unit_of_work(session):
        return logins.password_step(session, username, password, ip, user_agent)


def login_code(session: Session, settings, user_id: int, code: Any, ip: str,
               user_agent: str) -> str | None:
    with unit_of_work(session):
        return logins.code_step(session, settings, user_id, code, ip, user_agent)


def login_enroll(session: Session, settings, user_id: int, secret: str, code: Any, ip: str,
                 user_agent: str) -> str | None:
    with unit_of_work(session):
        return logins.enroll_step(session, settings, user_id, secret, code, ip, user_agent)


def current_session(session: Session, later, settings, key: str, user_id: int):
    """The open server-side session for a cookie's key, or None (read-only for the caller:
    a timeout or a stale last-seen is handed to ``later``, run after the request)."""
    limits = logins.Limits.of(settings)
    return user_sessions.current(session, later, key, user_id, limits.idle, limits.maximum)


def logout(session: Session, key: str) -> None:
    with unit_of_work(session):
        user_sessions.end_by_key(session, key, "logout")


def end_session(session: Session, actor: User, session_id: Any) -> None:
    with unit_of_work(session):
        row = user_sessions.get_session(session, parse_id(session_id) or 0)
        logins.end_session(session, actor, row)


def change_password(session: Session, actor: User, current: str, new: str, ip: str,
                    keep_key: str | None) -> None:
    with unit_of_work(session):
        changed = logins.change_password(session, actor, current, new, ip, keep_key)
    if not changed:
        raise ValidationError("La contraseña actual no es correcta.")


def reset_password(session: Session, actor: User, username: Any, temporary: str) -> None:
    with unit_of_work(session):
        logins.reset_password(session, actor, user_named(session, username), temporary)


def set_user_active(session: Session, actor: User, username: Any, active: bool) -> None:
    with unit_of_work(session):
        logins.set_active(session, actor, user_named(session, username), active)


def reset_second_factor(session: Session, actor: User, username: Any) -> None:
    with unit_of_work(session):
        logins.reset_second_factor(session, actor, user_named(session, username))


def create_token(session: Session, settings, actor: User, name: Any, days: Any = None) -> str:
    """A new API token of the actor's (shown once)."""
    with unit_of_work(session):
        return logins.create_token(session, actor, str(name or ""), days,
                                   logins.Limits.of(settings))


def create_token_for(session: Session, settings, username: Any, name: Any,
                     days: Any = None) -> str:
    """A token made on the server's console (``flask docsys create-token``)."""
    with unit_of_work(session):
        user = user_named(session, username)
        if not user.active:
            raise PermissionDenied("El usuario está desactivado.")
        return logins.create_token(session, user, str(name or ""), days,
                                   logins.Limits.of(settings))


def revoke_token(session: Session, actor: User, token_id: Any) -> None:
    with unit_of_work(session):
        row = accounts.get_token(session, parse_id(token_id) or 0)
        logins.revoke_token(session, actor, row)
