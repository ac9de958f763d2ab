"""Users, passwords (argon2) and API tokens."""
from __future__ import annotations

import hashlib
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from docsys.errors import Conflict, ValidationError
from docsys.models import ROLES, ApiToken, Office, User, UserRole

_hasher = PasswordHasher()
_USERNAME = re.compile(r"^[a-z0-9._-]{3,80}$")
_DNI = re.compile(r"^\d{8}$")
MIN_PASSWORD_LENGTH = 8
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
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"La contraseña debe tener al menos {MIN_PASSWORD_LENGTH} caracteres.")
    if not (full_name or "").strip():
        raise ValidationError("El nombre completo es obligatorio.")
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
                office_id=office.id if office else None, dni=dni)
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


def create_api_token(session: Session, user: User, name: str = "") -> str:
    """Return a new bearer token; only its hash is stored, so it is shown once."""
    token = "dsy_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token), name=(name or "")[:100]))
    session.flush()
    return token


# Every API request runs this: one query for the token, its user, office and roles. The
# statement is built once (building it costs more than running it); checked on every
# request, nothing cached, so a revoked token fails at once in every process.
_TOKEN_LOOKUP = (select(ApiToken).options(joinedload(ApiToken.user).joinedload(User.role_rows))
                 .where(ApiToken.token_hash == bindparam("token_hash"),
                        ApiToken.revoked.is_(False)))


def user_for_token(session: Session, token: str) -> User | None:
    if not token:
        return None
    row = session.scalars(_TOKEN_LOOKUP, {"token_hash": _token_hash(token)}).unique().first()
    if row is None or not row.user.active:
        return None
    return row.user


def list_users(session: Session, active_only: bool = False, order_by: str = "username") -> list[User]:
    """Users by username (or by full name), optionally only the active ones."""
    query = select(User).order_by(User.full_name if order_by == "full_name" else User.username)
    if active_only:
        query = query.where(User.active.is_(True))
    return list(session.scalars(query))


def list_offices(session: Session, order_by: str = "name") -> list[Office]:
    return list(session.scalars(select(Office).order_by(
        Office.code if order_by == "code" else Office.name)))
