"""Test helpers for the second factor: log in as a signer or administrator like a person
with an authenticator app would (the seeded ones hold ``tests.conftest.TOTP_SECRET``; others
enroll through the page the first time), then type a fresh code, without waiting for the
clock.

The secret shown at enrollment is remembered per application; a code is computed with
pyotp for a time step the server has not yet accepted (the current one or the next; a
code is never accepted twice). A test that logs the same person in more than twice within
one 30-second step would find none left: then the helper forgets the last accepted step in
the database, as if the next window had come.
"""
from __future__ import annotations

import re
import time

import pyotp
from sqlalchemy import select

from docsys.db import transaction
from docsys.models import User

STEP = 30
SECRET_IN_PAGE = re.compile(r'<code id="totp-secret">([A-Z2-7]+)</code>')


def _secrets(app) -> dict:
    return app.extensions.setdefault("tests.totp_secrets", {})


def remember(app, username: str, secret: str) -> None:
    _secrets(app)[username] = secret


def secret_of(app, username: str) -> str:
    """The secret remembered at enrollment, else the one the seeded accounts have."""
    from tests.conftest import TOTP_SECRET
    return _secrets(app).get(username, TOTP_SECRET)


def secret_from_page(html: str) -> str:
    match = SECRET_IN_PAGE.search(html)
    assert match, "the enrollment page shows no secret"
    return match.group(1)


def fresh_code(app, username: str, secret: str | None = None) -> str:
    """A code of ``username``'s secret for a step the server will still accept."""
    secret = secret or secret_of(app, username)
    current = int(time.time() // STEP)
    with transaction(app.extensions["docsys.sessions"]) as session:
        user = session.scalar(select(User).where(User.username == username))
        last = user.totp_last_step
        step = current if last is None or last < current else last + 1
        if step > current + 1:
            user.totp_last_step = None
            step = current
    return pyotp.TOTP(secret).at(step * STEP)
