"""`flask docsys pki demo`: a local certification authority and a certificate for each
person who signs or gives vistos buenos, so development, tests and the demo sign for real
without an external CA. Never use it for real norms: its root is trusted only here."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from docsys.models import User, UserRole
from docsys.signing import credentials
from docsys.signing.pki import create_demo_ca, write_person_pkcs12

SIGNING_ROLES = ("signer", "legal")
DEMO_PASSPHRASE = "megantoni2026"
# The «clave de firma» the demo certificates are sealed with (README, demo section): each
# demo signer types it to sign. A real signer chooses their own in «Mi certificado».
DEMO_SIGNING_SECRET = "firma-demo-2026"


def _demo_dni(session: Session, user: User) -> str:
    """The user's DNI; a demo user without one gets a recognisably fake one (40 000 000 +
    id, or the next free one) recorded on their user, so the certificate identifies them."""
    if user.dni:
        return user.dni
    candidate = 40_000_000 + user.id
    while session.scalar(select(User.id).where(User.dni == f"{candidate:08d}")) is not None:
        candidate += 1
    user.dni = f"{candidate:08d}"
    session.flush()
    return user.dni


def demo_crl_url(settings) -> str:
    """Where docsys publishes the demo CA's CRL (named in each demo certificate)."""
    return settings["PUBLIC_BASE_URL"].rstrip("/") + "/pki/demo-ca.crl"


def setup_demo_pki(session: Session, settings, usernames: list[str] | None = None,
                   passphrase: str = DEMO_PASSPHRASE, store: bool = True,
                   signing_secret: str = DEMO_SIGNING_SECRET) -> list[dict]:
    """Create (or reuse) the demo CA in PKI_DIR and give each user a certificate: a .p12
    file in PKI_DIR/usuarios/ protected by ``passphrase`` and, when ``store``, the same
    certificate kept sealed in docsys under ``signing_secret`` (their clave de firma).
    Users who already have one keep it (one stored without a clave de firma is sealed
    again with it)."""
    directory = Path(settings["PKI_DIR"])
    ca = create_demo_ca(directory)
    query = select(User).where(User.active.is_(True))
    if usernames:
        query = query.where(User.username.in_([u.lower() for u in usernames]))
    else:
        query = query.where(User.id.in_(select(UserRole.user_id).where(
            UserRole.role.in_(SIGNING_ROLES))))
    made = []
    for user in session.scalars(query.order_by(User.username)):
        path = directory / "usuarios" / f"{user.username}.p12"
        existing = credentials.stored_credential(session, user)
        if existing is not None and path.exists():
            if store and credentials.needs_reentry(existing):
                credentials.store_credential(session, settings, user, path.read_bytes(),
                                             passphrase, holder_secret=signing_secret)
            made.append({"username": user.username, "file": str(path), "created": False})
            continue
        write_person_pkcs12(ca, path, passphrase, user.full_name,
                            user.position or "Servidor municipal", user.email or
                            f"{user.username}@megantoni.gob.pe", dni=_demo_dni(session, user),
                            office=user.office.name if user.office else None,
                            crl_url=demo_crl_url(settings))
        if store:
            credentials.store_credential(session, settings, user, path.read_bytes(), passphrase,
                                         holder_secret=signing_secret)
        made.append({"username": user.username, "file": str(path), "created": True})
    return made
