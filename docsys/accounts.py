"""Users, passwords (argon2, policy in ``docsys.passwords``) and API tokens (named, expiring,
revocable)."""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.orm import Session, joinedload

from docsys import passwords
from docsys.db import scalar
from docsys.errors import Conflict, NotFound, ValidationError
from docsys.models import ROLES, ApiToken, AuthGeneration, Office, User, UserRole
from docsys.models._common import as_utc, utcnow

_hasher = PasswordHasher()
_USERNAME = re.compile(r"^[a-z0-9._-]{3,80}$")
_DNI = re.compile(r"^\d{8}$")
MIN_PASSWORD_LENGTH = passwords.MIN_LENGTH
TOKEN_TOUCH_EVERY = timedelta(minutes=1)
# Verified against when the username is unknown, so a wrong username costs the same time.
_DUMMY_HASH = _hasher.hash("docsys-timing-equalizer")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.username == (username or "").strip().lower()))
    if user is None:
        verify_password(_DUMMY_HASH, password or "")
        return None
    if not user.active or not verify_password(user.password_hash, password or ""):
        return None
    return user


def create_user(session: Session, username: str, password: str, full_name: str,
                roles, office_code: str | None = None, position: str = "",
                email: str = "", dni: str | None = None) -> User:
    username = (username or "").strip().lower()
    if not _USERNAME.match(username):
        raise ValidationError("El usuario debe tener de 3 a 80 caracteres: minúsculas, números, . _ -")
    if not (full_name or "").strip():
        raise ValidationError("El nombre completo es obligatorio.")
    passwords.check_password(password, username, full_name)
    roles = sorted(set(roles or ()))
    unknown = [r for r in roles if r not in ROLES]
    if not roles or unknown:
        raise ValidationError("Roles no válidos. Use: " + ", ".join(ROLES) + ".")
    if session.scalar(select(User).where(User.username == username)):
        raise Conflict(f"El usuario «{username}» ya existe.")
    office = None
    if office_code:
        office = session.scalar(select(Office).where(Office.code == office_code.upper()))
        if office is None:
            raise ValidationError(f"La oficina «{office_code}» no existe.")
    dni = (dni or "").strip() or None
    if dni is not None:
        if not _DNI.match(dni):
            raise ValidationError("El DNI debe tener 8 dígitos.")
        if session.scalar(select(User).where(User.dni == dni)):
            raise Conflict(f"Ya hay un usuario con el DNI {dni}.")
    user = User(username=username, full_name=full_name.strip(), position=(position or "").strip(),
                email=(email or "").strip(), password_hash=hash_password(password),
                office_id=office.id if office else None, dni=dni, password_changed_at=utcnow())
    user.role_rows = [UserRole(role=r) for r in roles]
    session.add(user)
    session.flush()
    return user


def ensure_office(session: Session, code: str, name: str) -> Office:
    office = session.scalar(select(Office).where(Office.code == code))
    if office is None:
        office = Office(code=code, name=name)
        session.add(office)
        session.flush()
    return office


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_api_token(session: Session, user: User, name: str = "", days: int = 90,
                     max_days: int = 365) -> str:
    """Return a new bearer token valid for ``days`` (at most ``max_days``); only its hash
    is stored, so it is shown once."""
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ValidationError("Indique la vigencia del token en días (un número).") from None
    if not 1 <= days <= max_days:
        raise ValidationError(f"La vigencia del token va de 1 a {max_days} días.")
    if not user.active:
        raise ValidationError("El usuario está desactivado.")
    token = "dsy_" + secrets.token_urlsafe(32)
    now = utcnow()
    session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token),
                         name=(name or "").strip()[:100], created_at=now,
                         expires_at=now + timedelta(days=days)))
    session.flush()
    return token


# The full bearer check: one query for the token, its user, office and roles. The statement
# is built once (building it costs more than running it).
_TOKEN_LOOKUP = (select(ApiToken).options(joinedload(ApiToken.user).joinedload(User.role_rows))
                 .where(ApiToken.token_hash == bindparam("token_hash"),
                        ApiToken.revoked_at.is_(None), ApiToken.expires_at > bindparam("now")))
_GENERATION = f"SELECT value FROM {AuthGeneration.__tablename__} WHERE id = 1"


@dataclass(frozen=True)
class TokenUser:
    """What a bearer check knows of the token's user: enough for the policy's answers about
    whole requests and for search visibility, without loading the user."""

    id: int
    username: str
    roles: frozenset[str]
    office_id: int | None
    office_code: str | None

    @classmethod
    def of(cls, user: User) -> "TokenUser":
        return cls(user.id, user.username, frozenset(user.roles), user.office_id,
                   user.office_code)

    def has_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)


@dataclass
class _Checked:
    generation: int
    token_id: int
    expires_at: datetime
    last_used_at: datetime | None
    user: TokenUser


def auth_generation(session: Session | Connection) -> int | None:
    """The current ``auth_generation`` value (None if its row is missing), read in
    ``session`` or on a plain connection."""
    return scalar(session, _GENERATION)


class TokenCache:
    """Bearer checks remembered by one process, each reused only while ``auth_generation``
    still holds the value it was made under. Triggers bump that value in the transaction of
    any change a check relies on (migration 0019), so a revocation, deactivation or role
    change is seen by the very next request in every process: each request reads the one
    integer (a primary-key lookup) instead of loading the token, user, office and roles.
    Expiry is a time, checked on every request. Unknown or refused tokens are not kept."""

    def __init__(self, max_entries: int = 10_000):
        self.max_entries = max_entries
        self._entries: dict[str, _Checked] = {}

    def clear(self) -> None:
        self._entries.clear()

    def check(self, session: Session, token: str,
              touch: Callable[[Any], None] | None = None,
              now: datetime | None = None) -> TokenUser | None:
        """The user of a valid bearer token (not revoked, not expired, active), or None.

        A ``last_used_at`` older than a minute is updated by a statement handed to
        ``touch`` (the web layer runs it after the request)."""
        if not token:
            return None
        now = now or utcnow()
        key = _token_hash(token)
        generation = auth_generation(session)  # read before the lookup it validates
        entry = self._entries.get(key)
        if entry is not None and generation is not None and entry.generation == generation:
            return self._use(entry, now, touch)
        row = session.scalars(_TOKEN_LOOKUP, {"token_hash": key, "now": now}).unique().first()
        if row is None or not row.user.active:
            self._entries.pop(key, None)
            return None
        entry = _Checked(generation if generation is not None else -1, row.id,
                         as_utc(row.expires_at),
                         as_utc(row.last_used_at) if row.last_used_at else None,
                         TokenUser.of(row.user))
        if generation is not None:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[key] = entry
        return self._use(entry, now, touch)

    def cached(self, connection: Connection, token: str,
               touch: Callable[[Any], None] | None = None,
               now: datetime | None = None) -> TokenUser | None:
        """The user of ``token`` if a check made under the current ``auth_generation``
        (read on ``connection``) is remembered and the token has not expired; otherwise
        None, and the caller makes the full ``check`` (which also refuses). Costs the one
        read of ``check``'s usual case, without an ORM session."""
        if not token:
            return None
        entry = self._entries.get(_token_hash(token))
        if entry is None:
            return None
        generation = auth_generation(connection)
        if generation is None or entry.generation != generation:
            return None
        return self._use(entry, now or utcnow(), touch)

    @staticmethod
    def _use(entry: _Checked, now: datetime, touch) -> TokenUser | None:
        """A remembered check, used now: refused once expired; its last use handed to
        ``touch`` at most once every TOKEN_TOUCH_EVERY."""
        if entry.expires_at <= now:
            return None
        if touch is not None and (entry.last_used_at is None
                                  or now - entry.last_used_at >= TOKEN_TOUCH_EVERY):
            touch(update(ApiToken).where(ApiToken.id == entry.token_id)
                  .values(last_used_at=now))
            entry.last_used_at = now
        return entry.user


def user_for_token(session: Session, token: str, touch: Callable[[Any], None] | None = None,
                   now: datetime | None = None) -> User | None:
    """The active user (loaded in ``session``) of a valid bearer token, or None: the check
    without a cache (scripts, the benchmark)."""
    checked = TokenCache(max_entries=0).check(session, token, touch, now)
    return session.get(User, checked.id) if checked is not None else None


def list_tokens(session: Session, user: User | None = None) -> list[ApiToken]:
    """A user's tokens (or everyone's), the newest first."""
    query = select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    if user is not None:
        query = query.where(ApiToken.user_id == user.id)
    return list(session.scalars(query))


def get_token(session: Session, token_id: int) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound("El token no existe.")
    return row


def revoke_token(row: ApiToken, reason: str) -> bool:
    """Revoke one token (the next request with it is refused); False if it already was."""
    if row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    row.revoked_reason = reason
    return True


def revoke_all_tokens(session: Session, user: User, reason: str) -> int:
    result = session.execute(update(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)
    ).values(revoked_at=utcnow(), revoked_reason=reason))
    return int(getattr(result, "rowcount", 0) or 0)


def token_status(row: ApiToken, now: datetime | None = None) -> str:
    """«vigente», «revocado» or «vencido», for the token lists."""
    if row.revoked_at is not None:
        return "revocado"
    return "vencido" if as_utc(row.expires_at) <= (now or utcnow()) else "vigente"


def set_password(user: User, password: str, must_change: bool = False) -> None:
    """Check ``password`` against the policy and store its hash."""
    passwords.check_password(password, user.username, user.full_name)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.must_change_password = must_change


def list_users(session: Session, active_only: bool = False, order_by: str = "username") -> list[User]:
    """Users by username (or by full name), optionally only the active ones."""
    query = select(User).order_by(User.full_name if order_by == "full_name" else User.username)
    if active_only:
        query = query.where(User.active.is_(True))
    return list(session.scalars(query))


def list_offices(session: Session, order_by: str = "name") -> list[Office]:
    return list(session.scalars(select(Office).order_by(
        Office.code if order_by == "code" else Office.name)))
