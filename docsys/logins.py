"""Signing in and managing one's account: the password step (throttled), the second
factor (TOTP, for those the policy names), server-side sessions, password changes and
resets, deactivation, and API tokens. The services own the transactions; these functions
ask the policy and record the audited events.

What ends at once: a password change ends the user's other sessions and revokes all
their API tokens; an administrator's reset or a deactivation ends all of them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from docsys import accounts, events, policy, throttle, totp, user_sessions
from docsys.errors import PermissionDenied, ValidationError
from docsys.models import ApiToken, User, UserSession


@dataclass(frozen=True)
class Limits:
    """Session timeouts and token lifetimes from the settings."""

    idle: timedelta
    maximum: timedelta
    token_days: int
    token_max_days: int

    @classmethod
    def of(cls, settings) -> "Limits":
        return cls(idle=timedelta(minutes=int(settings.get("SESSION_IDLE_MINUTES", 30))),
                   maximum=timedelta(hours=int(settings.get("SESSION_MAX_HOURS", 12))),
                   token_days=int(settings.get("API_TOKEN_DAYS", 90)),
                   token_max_days=int(settings.get("API_TOKEN_MAX_DAYS", 365)))


@dataclass(frozen=True)
class PasswordStep:
    """The outcome of a correct password: a session key, or the second step still due."""

    user: User
    session_key: str | None          # None: a TOTP code (or enrollment) comes first
    needs_enrollment: bool = False


def password_step(session: Session, username: str, password: str, ip: str,
                  user_agent: str) -> PasswordStep | None:
    """Check the password (throttled per account and address); None if it is wrong."""
    throttle.check(session, "password", username, ip)
    user = accounts.authenticate(session, username, password)
    throttle.record(session, "password", username, ip, succeeded=user is not None)
    if user is None:
        return None
    if policy.needs_second_factor(user):
        return PasswordStep(user, None, needs_enrollment=not totp.is_enrolled(user))
    return PasswordStep(user, user_sessions.start(session, user, ip, user_agent))


def _pending_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise PermissionDenied("Inicie sesión de nuevo.")
    return user


def code_step(session: Session, settings, user_id: int, code, ip: str,
              user_agent: str) -> str | None:
    """The TOTP step after a correct password: a session key, or None for a wrong (or
    already used) code. Throttled like passwords."""
    user = _pending_user(session, user_id)
    throttle.check(session, "totp", user.username, ip)
    ok = totp.verify(session, settings, user, code)
    throttle.record(session, "totp", user.username, ip, succeeded=ok)
    return user_sessions.start(session, user, ip, user_agent) if ok else None


def enroll_step(session: Session, settings, user_id: int, secret: str, code, ip: str,
                user_agent: str) -> str | None:
    """First sign-in of someone who needs a second factor: keep the secret once a code
    from it is shown, and start the session (None: the code does not match)."""
    user = _pending_user(session, user_id)
    if totp.is_enrolled(user):
        raise ValidationError("Su segundo factor ya está configurado.")
    throttle.check(session, "totp", user.username, ip)
    matches = totp.matching_step(secret, code) is not None
    throttle.record(session, "totp", user.username, ip, succeeded=matches)
    if not matches:
        return None
    totp.enroll(settings, user, secret, code)
    events.record(session, "account_totp_enroll", user, username=user.username)
    return user_sessions.start(session, user, ip, user_agent)


def change_password(session: Session, user: User, current: str, new: str, ip: str,
                    keep_key: str | None) -> bool:
    """The user's own change: the current password first (throttled; False when it is
    wrong, so the failure is kept); then every other session ends and every API token is
    revoked."""
    throttle.check(session, "password", user.username, ip)
    ok = accounts.verify_password(user.password_hash, current or "")
    throttle.record(session, "password", user.username, ip, succeeded=ok)
    if not ok:
        return False
    if current == new:
        raise ValidationError("La nueva contraseña debe ser distinta de la actual.")
    accounts.set_password(user, new)
    user_sessions.end_all(session, user, "password", keep_key=keep_key)
    accounts.revoke_all_tokens(session, user, "password")
    events.record(session, "account_password_change", user, username=user.username)
    return True


def reset_password(session: Session, actor: User, user: User, temporary: str) -> None:
    """An administrator sets a temporary password the user must change at next login."""
    policy.require(actor, policy.Action.ADMINISTER, None,
                   "Solo un administrador restablece contraseñas.")
    accounts.set_password(user, temporary, must_change=True)
    user_sessions.end_all(session, user, "password")
    accounts.revoke_all_tokens(session, user, "password")
    events.record(session, "account_password_reset", actor, username=user.username)


def set_active(session: Session, actor: User, user: User, active: bool) -> None:
    """Deactivate (ending sessions and tokens) or reactivate a user."""
    policy.require(actor, policy.Action.ADMINISTER, None,
                   "Solo un administrador activa o desactiva usuarios.")
    if user.id == actor.id and not active:
        raise ValidationError("No puede desactivar su propio usuario.")
    user.active = active
    if not active:
        user_sessions.end_all(session, user, "deactivated")
        accounts.revoke_all_tokens(session, user, "deactivated")
    events.record(session, "account_activate" if active else "account_deactivate", actor,
                  username=user.username)


def reset_second_factor(session: Session, actor: User, user: User) -> None:
    """Forget a user's TOTP secret (a lost phone): they enroll again at their next login,
    after the password; their sessions end."""
    policy.require(actor, policy.Action.ADMINISTER, None,
                   "Solo un administrador restablece el segundo factor.")
    totp.set_secret({}, user, None)
    user_sessions.end_all(session, user, "admin")
    events.record(session, "account_totp_reset", actor, username=user.username)


def end_session(session: Session, actor: User, row: UserSession) -> None:
    if not policy.may_manage_account(actor, row.user):
        raise PermissionDenied("Solo el titular o un administrador cierra esta sesión.")
    user_sessions.end(session, row, "owner" if actor.id == row.user_id else "admin")
    if actor.id != row.user_id:
        events.record(session, "account_session_end", actor, username=row.user.username)


def create_token(session: Session, actor: User, name: str, days, limits: Limits) -> str:
    if not (name or "").strip():
        raise ValidationError("Dé un nombre al token (para qué o dónde se usará).")
    token = accounts.create_api_token(session, actor, name, days or limits.token_days,
                                      limits.token_max_days)
    events.record(session, "token_create", actor, token_name=(name or "").strip()[:100])
    return token


def revoke_token(session: Session, actor: User, row: ApiToken) -> None:
    if not policy.may_manage_account(actor, row.user):
        raise PermissionDenied("Solo el titular o un administrador revoca este token.")
    if accounts.revoke_token(row, "owner" if actor.id == row.user_id else "admin"):
        events.record(session, "token_revoke", actor, token_name=row.name,
                      username=row.user.username)
