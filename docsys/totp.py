"""The second factor: time-based one-time codes (TOTP, RFC 6238) from an authenticator
app, required of those whom the policy names (``policy.needs_second_factor``).

The secret is stored sealed with the instance's key (``docsys.sealing``). A code is
accepted within one 30-second step either side of now, and never twice: the last step
accepted is kept, so replaying a code (or an older one) is refused.
"""
from __future__ import annotations

import hmac
import io
import time

import pyotp
import qrcode
import qrcode.image.svg
from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from docsys import sealing
from docsys.errors import ValidationError
from docsys.models import User

ISSUER = "docsys"
DIGITS = 6
STEP = 30
_PURPOSE = "totp"


def new_secret() -> str:
    return pyotp.random_base32()


def _associated(user: User) -> bytes:
    return f"docsys-totp-user-{user.id}".encode()


def is_enrolled(user: User) -> bool:
    return user.totp_secret_sealed is not None


def provisioning_uri(secret: str, user: User, issuer: str = ISSUER) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=issuer)


def qr_svg(uri: str) -> bytes:
    """The QR code of ``uri`` as an SVG image (served from its own address: no script and
    no data: URI needed under a strict Content-Security-Policy)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def _clean(code) -> str:
    code = "".join(str(code or "").split())
    if len(code) != DIGITS or not code.isdigit():
        raise ValidationError(f"Escriba el código de {DIGITS} dígitos de su aplicación.")
    return code


def matching_step(secret: str, code, now: float | None = None) -> int | None:
    """The time step (one either side of now) whose code is ``code``, or None."""
    code = _clean(code)
    now = time.time() if now is None else now
    totp = pyotp.TOTP(secret)
    current = int(now // STEP)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.at(step * STEP), code):
            return step
    return None


def enroll(settings, user: User, secret: str, code, now: float | None = None) -> None:
    """Keep ``secret`` for ``user`` once they show a code from it (proof the app has it)."""
    step = matching_step(secret, code, now)
    if step is None:
        raise ValidationError("El código no coincide. Revise la hora de su teléfono y escriba "
                              "el código que muestra ahora la aplicación.")
    user.totp_secret_sealed = sealing.seal(settings, secret.encode("ascii"), _PURPOSE,
                                           _associated(user))
    user.totp_last_step = step


def set_secret(settings, user: User, secret: str | None) -> None:
    """Store (or, with None, forget) a user's secret without a code: for an administrator's
    reset of the second factor and for provisioning test and demo accounts."""
    user.totp_secret_sealed = (None if secret is None else sealing.seal(
        settings, secret.encode("ascii"), _PURPOSE, _associated(user)))
    user.totp_last_step = None


def secret_of(settings, user: User) -> str:
    if user.totp_secret_sealed is None:
        raise ValidationError("Aún no configuró su segundo factor.")
    return sealing.unseal(settings, user.totp_secret_sealed, _PURPOSE,
                          _associated(user)).decode("ascii")


def verify(session: Session, settings, user: User, code, now: float | None = None) -> bool:
    """Whether ``code`` is a fresh code of the user's secret. The step is claimed by one
    conditional UPDATE, so the same code sent twice at once is accepted only once."""
    step = matching_step(secret_of(settings, user), code, now)
    if step is None:
        return False
    claimed = session.execute(update(User).where(
        User.id == user.id,
        or_(User.totp_last_step.is_(None), User.totp_last_step < step),
    ).values(totp_last_step=step).execution_options(synchronize_session=False))
    if not getattr(claimed, "rowcount", 0):
        return False
    session.refresh(user)
    return True
