"""Accounts (issue 14, items 1-3) through real HTTP with Flask's test client: server-side
sessions (logout, replay, timeouts, listing and ending them), password changes and resets,
the password policy, deactivation, API tokens (expiry, revocation), login throttling and
the TOTP second factor. Time is driven through the database, never by sleeping."""
from __future__ import annotations

import re

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select, update

from docsys.db import transaction
from docsys.models import ApiToken, LoginAttempt, User, UserSession
from docsys.models._common import utcnow
from tests import second_factor
from tests.conftest import PASSWORD, Browser

NEW_PASSWORD = "otra-frase-de-acceso-27"


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request):
    """Both databases (the copy of the seeded SQLite file, or a fresh PostgreSQL schema)."""
    return request.getfixturevalue("app" if request.param == "sqlite" else "pg_app")


def logged_in(app, username, password=PASSWORD) -> Browser:
    b = Browser(app.test_client(), app)
    response = b.login(username, password)
    assert response.status_code == 302 and "/ingresar" not in response.headers["Location"], \
        response.get_data(as_text=True)
    return b


def signed_in(b: Browser) -> bool:
    return b.get("/").status_code == 200


def db_write(app, statement):
    with transaction(app.extensions["docsys.sessions"]) as session:
        session.execute(statement)


def db_read(app, query):
    with transaction(app.extensions["docsys.sessions"]) as session:
        return session.execute(query).all()


def attempts_back(app, seconds):
    """Move every recorded login attempt ``seconds`` into the past (as if time passed)."""
    with transaction(app.extensions["docsys.sessions"]) as session:
        for attempt in session.scalars(select(LoginAttempt)):
            attempt.at = attempt.at - timedelta(seconds=seconds)


def user_id(app, username):
    return db_read(app, select(User.id).where(User.username == username))[0][0]


def open_session_ids(app, username):
    return [r[0] for r in db_read(app, select(UserSession.id).where(
        UserSession.user_id == user_id(app, username), UserSession.ended_at.is_(None)))]


def make_token(app, username):
    from docsys import accounts
    with transaction(app.extensions["docsys.sessions"]) as session:
        user = session.scalar(select(User).where(User.username == username))
        return accounts.create_api_token(session, user, "pruebas")


def api_status(app, token):
    return app.test_client().get("/api/v1/templates",
                                 headers={"Authorization": f"Bearer {token}"}).status_code


# ---- sessions --------------------------------------------------------------------------------

def test_logout_ends_the_session_so_a_replayed_cookie_is_refused(any_app):
    rosa = logged_in(any_app, "redactor")
    cookie = rosa.client.get_cookie("session").value
    copy = any_app.test_client()
    copy.set_cookie("session", cookie)
    assert copy.get("/").status_code == 200            # a copied cookie works while open...
    assert rosa.post_form("/salir").status_code == 302
    replay = any_app.test_client()
    replay.set_cookie("session", cookie)
    response = replay.get("/")
    assert response.status_code == 302 and "/ingresar" in response.headers["Location"]
    assert copy.get("/").status_code == 302             # ...and not after the logout
    assert replay.get("/api/v1/templates", headers={"Accept": "application/json"}).status_code == 401
    reasons = db_read(any_app, select(UserSession.ended_reason).where(
        UserSession.user_id == user_id(any_app, "redactor")))
    assert [r[0] for r in reasons] == ["logout"]


def test_idle_and_absolute_timeouts(app):
    rosa = logged_in(app, "redactor")
    [sid] = open_session_ids(app, "redactor")
    now = utcnow()
    db_write(app, update(UserSession).where(UserSession.id == sid)
             .values(last_seen_at=now - timedelta(minutes=29)))
    assert signed_in(rosa)                              # 29 minutes idle: still open
    db_write(app, update(UserSession).where(UserSession.id == sid)
             .values(last_seen_at=now - timedelta(minutes=31)))
    assert not signed_in(rosa)
    assert db_read(app, select(UserSession.ended_reason).where(UserSession.id == sid)) == [("idle",)]

    rosa = logged_in(app, "redactor")
    [sid] = open_session_ids(app, "redactor")
    db_write(app, update(UserSession).where(UserSession.id == sid)
             .values(created_at=now - timedelta(hours=12, minutes=1)))
    assert not signed_in(rosa)                          # used a second ago, but too old
    assert db_read(app, select(UserSession.ended_reason).where(UserSession.id == sid)) == [("expired",)]


def test_last_seen_is_written_at_most_once_a_minute(app):
    rosa = logged_in(app, "redactor")
    [sid] = open_session_ids(app, "redactor")
    seen = lambda: db_read(app, select(UserSession.last_seen_at).where(UserSession.id == sid))[0][0]  # noqa: E731
    first = seen()
    for _ in range(3):
        assert signed_in(rosa)
    assert seen() == first
    db_write(app, update(UserSession).where(UserSession.id == sid)
             .values(last_seen_at=utcnow() - timedelta(minutes=2)))
    assert signed_in(rosa)
    assert seen().replace(tzinfo=None) >= first.replace(tzinfo=None)


def test_users_list_and_end_their_sessions_and_admins_end_anyones(app):
    office, home = logged_in(app, "redactor"), logged_in(app, "redactor")
    page = office.get("/cuenta/sesiones").get_data(as_text=True)
    assert page.count("data-session-id=") == 2 and "(esta sesión)" in page
    mine, other = sorted(open_session_ids(app, "redactor"))
    assert office.post_form(f"/cuenta/sesiones/{other}/cerrar").status_code == 302
    assert signed_in(office) and not signed_in(home)

    carmen = logged_in(app, "asesor")
    [carmen_sid] = open_session_ids(app, "asesor")
    assert office.post_form(f"/cuenta/sesiones/{carmen_sid}/cerrar").status_code == 403
    assert signed_in(carmen)

    admin = logged_in(app, "admin")
    assert f'data-session-id="{mine}"' in admin.get("/admin/usuarios/redactor").get_data(as_text=True)
    response = admin.post_form(f"/cuenta/sesiones/{mine}/cerrar",
                               {"back": "/admin/usuarios/redactor"})
    assert response.headers["Location"].endswith("/admin/usuarios/redactor")
    assert not signed_in(office)
    assert "Sesión cerrada por un administrador" in admin.get("/admin/auditoria").get_data(as_text=True)


# ---- passwords -------------------------------------------------------------------------------

def test_password_change_ends_other_sessions_and_tokens(any_app):
    here, there = logged_in(any_app, "redactor"), logged_in(any_app, "redactor")
    token = make_token(any_app, "redactor")
    assert api_status(any_app, token) == 200
    wrong = here.post_form("/cuenta/contrasena", {"password": "no-es-la-actual-9",
                                                  "new_password": NEW_PASSWORD,
                                                  "confirm_password": NEW_PASSWORD})
    assert wrong.status_code == 400 and "contraseña actual no es correcta" in wrong.get_data(as_text=True)
    response = here.post_form("/cuenta/contrasena", {"password": PASSWORD,
                                                     "new_password": NEW_PASSWORD,
                                                     "confirm_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert signed_in(here) and not signed_in(there)
    assert api_status(any_app, token) == 401
    assert Browser(any_app.test_client()).login("redactor").status_code == 401
    logged_in(any_app, "redactor", NEW_PASSWORD)


@pytest.mark.parametrize("password, message", [
    ("12345678", "al menos 12 caracteres"),
    ("x" * 129, "como máximo 128"),
    ("password1234", "más usadas"),
    ("aaaaaaaaaaaaaaaa", "fácil de adivinar"),
    ("qwertyuiop123", "más usadas"),
    ("abcdefghijklm", "fácil de adivinar"),
    ("nuevo.usuario-2026", "su nombre de usuario ni su nombre"),
    ("Huamancha-clave-9", "su nombre de usuario ni su nombre"),
])
def test_password_policy_refusals_in_spanish(browser, password, message):
    admin = browser("admin")
    response = admin.post_form("/admin/usuarios", {
        "username": "nuevo.usuario", "full_name": "Teresa Huamancha Quispe",
        "password": password, "roles": "drafter", "office": "GM"})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_policy_applies_to_change_and_reset_and_accepts_long_phrases(browser, app):
    rosa = browser("redactor")
    response = rosa.post_form("/cuenta/contrasena", {"password": PASSWORD,
                                                     "new_password": "111111111111",
                                                     "confirm_password": "111111111111"})
    assert response.status_code == 400 and "fácil de adivinar" in response.get_data(as_text=True)
    admin = browser("admin")
    response = admin.post_form("/admin/usuarios/redactor", {"action": "reset_password",
                                                           "temporary_password": "rosa-quispe-2026"})
    assert response.status_code == 400 and "su nombre" in response.get_data(as_text=True)
    phrase = "el río Urubamba baja crecido en febrero " * 3   # 123 characters, spaces allowed
    response = rosa.post_form("/cuenta/contrasena", {"password": PASSWORD, "new_password": phrase,
                                                     "confirm_password": phrase})
    assert response.status_code == 302


def test_admin_reset_forces_a_change_at_next_login(any_app):
    rosa = logged_in(any_app, "redactor")
    admin = logged_in(any_app, "admin")
    response = admin.post_form("/admin/usuarios/redactor", {"action": "reset_password",
                                                           "temporary_password": "temporal-Megantoni-51"})
    assert response.status_code == 302
    assert not signed_in(rosa)
    b = Browser(any_app.test_client())
    response = b.login("redactor", "temporal-Megantoni-51")
    assert response.headers["Location"].endswith("/cuenta/contrasena")
    assert b.get("/").headers["Location"].endswith("/cuenta/contrasena")
    assert b.get("/api/v1/templates", headers={"Accept": "application/json"}).status_code == 401
    b.refresh_csrf("/cuenta/contrasena")
    response = b.post_form("/cuenta/contrasena", {"password": "temporal-Megantoni-51",
                                                  "new_password": NEW_PASSWORD,
                                                  "confirm_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert signed_in(b)


def test_deactivation_ends_sessions_and_tokens_and_blocks_login(any_app):
    rosa = logged_in(any_app, "redactor")
    token = make_token(any_app, "redactor")
    assert api_status(any_app, token) == 200
    admin = logged_in(any_app, "admin")
    assert admin.post_form("/admin/usuarios/admin", {"action": "deactivate"}).status_code == 400
    assert admin.post_form("/admin/usuarios/redactor", {"action": "deactivate"}).status_code == 302
    assert not signed_in(rosa)
    assert api_status(any_app, token) == 401
    assert Browser(any_app.test_client()).login("redactor").status_code == 401
    assert admin.post_form("/admin/usuarios/redactor", {"action": "activate"}).status_code == 302
    assert api_status(any_app, token) == 401      # revoked for good
    logged_in(any_app, "redactor")


def test_users_cli_resets_deactivates_and_revokes(app, api_token):
    runner = app.test_cli_runner()
    token = api_token("redactor")
    result = runner.invoke(args=["docsys", "users", "deactivate", "redactor", "--admin", "admin"])
    assert result.exit_code == 0, result.output
    assert api_status(app, token) == 401
    result = runner.invoke(args=["docsys", "users", "deactivate", "asesor", "--admin", "redactor"])
    assert result.exit_code == 1 and "administrador" in result.output
    runner.invoke(args=["docsys", "users", "activate", "redactor", "--admin", "admin"])
    result = runner.invoke(args=["docsys", "users", "reset-password", "redactor", "--admin", "admin",
                                 "--temporary-password", "aaaaaaaaaaaaaaaa"])
    assert result.exit_code == 1 and "fácil de adivinar" in result.output
    result = runner.invoke(args=["docsys", "users", "list"])
    assert "redactor" in result.output and "2FA" not in result.output.split("redactor ")[1].split("\n")[0]


# ---- API tokens ------------------------------------------------------------------------------

def test_tokens_are_named_listed_expire_and_revocation_is_immediate(any_app):
    rosa = logged_in(any_app, "redactor")
    page = rosa.post_form("/cuenta/tokens", {"name": "Sistema de trámite", "days": "30"})
    html = page.get_data(as_text=True)
    token = html.split('<code id="new-token">')[1].split("</code>")[0]
    assert api_status(any_app, token) == 200
    listing = rosa.get("/cuenta/tokens").get_data(as_text=True)
    assert "Sistema de trámite" in listing and token not in listing and "vigente" in listing
    too_long = rosa.post_form("/cuenta/tokens", {"name": "x", "days": "400"})
    assert too_long.status_code == 400 and "de 1 a 365 días" in too_long.get_data(as_text=True)

    [(token_id, last_used)] = db_read(any_app, select(ApiToken.id, ApiToken.last_used_at))
    assert last_used is not None
    db_write(any_app, update(ApiToken).where(ApiToken.id == token_id)
             .values(expires_at=utcnow() - timedelta(seconds=1)))
    assert api_status(any_app, token) == 401
    assert "vencido" in rosa.get("/cuenta/tokens").get_data(as_text=True)

    second = rosa.post_form("/cuenta/tokens", {"name": "Integración"}).get_data(as_text=True)
    token2 = second.split('<code id="new-token">')[1].split("</code>")[0]
    [token2_id] = [r[0] for r in db_read(any_app, select(ApiToken.id).where(ApiToken.name == "Integración"))]
    assert api_status(any_app, token2) == 200
    carmen = logged_in(any_app, "asesor")
    assert carmen.post_form(f"/cuenta/tokens/{token2_id}/revocar").status_code == 403
    assert api_status(any_app, token2) == 200
    admin = logged_in(any_app, "admin")
    assert admin.post_form(f"/cuenta/tokens/{token2_id}/revocar",
                           {"back": "/admin/usuarios/redactor"}).status_code == 302
    assert api_status(any_app, token2) == 401


# ---- throttling and the second factor ---------------------------------------------------------

def test_login_throttle_per_account_with_wait_in_spanish(any_app):
    b = Browser(any_app.test_client())
    for _ in range(5):
        assert b.login("redactor", "equivocada-123456").status_code == 401
    response = b.login("redactor")                      # the right one, refused while locked
    assert response.status_code == 429
    assert response.headers["Retry-After"] in ("59", "60")
    assert "Demasiados intentos fallidos. Espere 1 minuto" in response.get_data(as_text=True)
    assert Browser(any_app.test_client()).login("asesor").status_code == 302  # others are free
    attempts_back(any_app, 61)
    assert b.login("redactor", "equivocada-123456").status_code == 401   # 6th failure
    response = b.login("redactor")
    assert response.status_code == 429 and "Espere 2 minutos" in response.get_data(as_text=True)
    attempts_back(any_app, 121)
    assert b.login("redactor").status_code == 302


def test_login_throttle_per_address(app, monkeypatch):
    from docsys import throttle
    monkeypatch.setattr(throttle, "ADDRESS_FREE_FAILURES", 6)   # 20 in production
    b = Browser(app.test_client())
    for n in range(6):
        assert b.login(f"nadie{n}", "equivocada-123456").status_code == 401
    assert b.login("asesor").status_code == 429
    other = Browser(app.test_client())
    other.refresh_csrf()
    response = other.client.post("/ingresar", data={"username": "asesor", "password": PASSWORD,
                                                    "csrf_token": other.csrf},
                                 environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert response.status_code == 302


def test_second_factor_is_required_of_signers_and_admins_and_codes_do_not_replay(any_app):
    # The seeded signer holds a secret already (tests.conftest): start from none.
    db_write(any_app, update(User).where(User.username == "gerente")
             .values(totp_secret_sealed=None, totp_last_step=None))
    b = Browser(any_app.test_client())
    b.refresh_csrf()
    response = b.client.post("/ingresar", data={"username": "gerente", "password": PASSWORD,
                                                "csrf_token": b.csrf})
    assert response.headers["Location"].endswith("/ingresar/segundo-factor")
    assert not signed_in(b)                               # nothing before the second step
    enroll_page = b.get("/ingresar/segundo-factor").get_data(as_text=True)
    secret = second_factor.secret_from_page(enroll_page)
    qr = b.get("/ingresar/segundo-factor/qr.svg")
    assert qr.mimetype == "image/svg+xml" and b"<svg" in qr.data
    assert not re.search(r"<script(?![^>]*\bsrc=)", enroll_page)  # no inline script
    b.refresh_csrf("/ingresar/segundo-factor")
    code = pyotp.TOTP(secret).now()
    response = b.client.post("/ingresar/segundo-factor", data={"code": code, "csrf_token": b.csrf})
    assert response.status_code == 302 and signed_in(b)
    sealed = db_read(any_app, select(User.totp_secret_sealed).where(User.username == "gerente"))[0][0]
    assert secret.encode() not in sealed

    replay = Browser(any_app.test_client())
    replay.refresh_csrf()
    replay.client.post("/ingresar", data={"username": "gerente", "password": PASSWORD,
                                          "csrf_token": replay.csrf})
    replay.refresh_csrf("/ingresar/codigo")
    response = replay.client.post("/ingresar/codigo", data={"code": code, "csrf_token": replay.csrf})
    assert response.status_code == 401 and "ya usado" in response.get_data(as_text=True)
    for _ in range(4):
        replay.client.post("/ingresar/codigo", data={"code": "000000", "csrf_token": replay.csrf})
    response = replay.client.post("/ingresar/codigo", data={
        "code": second_factor.fresh_code(any_app, "gerente", secret), "csrf_token": replay.csrf})
    assert response.status_code == 429 and response.headers["Retry-After"]
    assert not signed_in(replay)


def test_admin_resets_a_lost_second_factor(app):
    admin = logged_in(app, "admin")
    logged_in(app, "gerente")
    assert admin.post_form("/admin/usuarios/gerente", {"action": "reset_totp"}).status_code == 302
    b = Browser(app.test_client())
    b.refresh_csrf()
    response = b.client.post("/ingresar", data={"username": "gerente", "password": PASSWORD,
                                                "csrf_token": b.csrf})
    assert response.headers["Location"].endswith("/ingresar/segundo-factor")


def test_api_lists_and_revokes_tokens(app, api_token):
    token, other = api_token("redactor"), api_token("asesor")
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    listing = client.get("/api/v1/tokens", headers=auth).get_json()["tokens"]
    assert [t["status"] for t in listing] == ["vigente"] and token not in str(listing)
    assert listing[0]["expires_at"].endswith("+00:00")
    [other_id] = [r[0] for r in db_read(app, select(ApiToken.id).join(User).where(User.username == "asesor"))]
    assert client.post(f"/api/v1/tokens/{other_id}/revoke", headers=auth).status_code == 403
    assert client.post("/api/v1/tokens/99999/revoke", headers=auth).status_code == 404
    response = client.post(f"/api/v1/tokens/{listing[0]['id']}/revoke", headers=auth)
    assert response.status_code == 200 and response.get_json()["status"] == "revocado"
    assert api_status(app, token) == 401 and api_status(app, other) == 200
