"""Offices, users, their roles, and API tokens."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (BigInteger, Boolean, ForeignKey, Index, Integer, LargeBinary, String,
                        UniqueConstraint, false)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from docsys.db import Base
from docsys.models._common import UTCDateTime, utcnow

ROLES = ("drafter", "legal", "signer", "archivist", "admin")
ROLE_LABELS = {
    "drafter": "Redactor",
    "legal": "Asesoría Jurídica",
    "signer": "Autoridad firmante",
    "archivist": "Archivo (Secretaría General)",
    "admin": "Administrador",
}


class Office(Base):
    """An organic unit (gerencia, oficina). ``code`` appears in official numbers (GM, GAJ...)."""

    __tablename__ = "offices"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # The area head gives the office's visto bueno (V°B°) on its documents.
    head_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", use_alter=True,
                                                           name="fk_offices_head_id"))


class User(Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("dni", name="uq_users_dni"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    # The DNI (8 digits): a signing certificate is accepted for this user only when its
    # subject carries it (serialNumber "PNOPE-<DNI>", the Peruvian convention).
    dni: Mapped[str | None] = mapped_column(String(8))
    position: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # E-mail once a day (``flask docsys notifications digest``) instead of at each event.
    email_digest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set by an administrator's reset: the user must choose a new password at next login.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # TOTP second factor: the secret sealed with the instance key, and the last time step
    # accepted (a code is never accepted twice).
    totp_secret_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    office: Mapped[Office | None] = relationship(foreign_keys=[office_id], lazy="joined")
    role_rows: Mapped[list["UserRole"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def office_code(self) -> str | None:
        return self.office.code if self.office is not None else None

    @property
    def is_active(self) -> bool:  # flask-login
        return self.active

    # The interface Flask-Login expects of a user (without importing Flask in the model).
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))


class ApiToken(Base):
    """A bearer token for /api/v1. Only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str] = mapped_column(String(40), default="")

    user: Mapped[User] = relationship(lazy="joined")


class AuthGeneration(Base):
    """One row whose ``value`` grows whenever anything a bearer check relies on changes: a
    token revoked, expired early, deleted or moved; a user deactivated, moved to another
    office or deleted; a role given or taken; an office renamed. Database triggers bump it
    in the same transaction as the change (migration 0019), whatever code or SQL makes it,
    so every process sees it with the change: a cached token check is reused only while
    the value is the one it was made under (docsys.accounts.TokenCache)."""

    __tablename__ = "auth_generation"
    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class UserSession(Base):
    """A signed-in browser. The cookie carries a random key; only its SHA-256 is stored, so
    the table cannot be replayed. A session ends at logout, by its owner or an
    administrator, on a password change or deactivation, or by its idle/absolute timeout."""

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user_open", "user_id", "ended_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ip: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_reason: Mapped[str] = mapped_column(String(40), default="")

    user: Mapped[User] = relationship(lazy="joined")


class LoginAttempt(Base):
    """One password or second-factor attempt, kept a while so that throttling holds across
    all worker processes (they share the database, not memory)."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_username", "username", "kind", "at"),
                      Index("ix_login_attempts_ip", "ip", "kind", "at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(10))
    username: Mapped[str] = mapped_column(String(80))
    ip: Mapped[str] = mapped_column(String(64), default="")
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
