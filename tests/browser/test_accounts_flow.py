"""Sessions and the second factor in a real browser: a copied cookie dies with the
session it names (logout, or ended from «Mis sesiones»); a signer enrolls a TOTP app by
its QR code on first login, and a code cannot be used twice."""
from __future__ import annotations

import pyotp
import pytest

from tests import second_factor
from tests.browser.conftest import PASSWORD, login


def _context_with_cookies(chromium, live_server, cookies):
    context = chromium.new_context(base_url=live_server.url, locale="es-PE")
    context.set_default_timeout(10_000)
    context.add_cookies(cookies)
    return context


def test_sessions_end_for_every_copy_of_the_cookie(new_page, chromium, live_server):
    office = new_page("redactora")
    stolen = _context_with_cookies(chromium, live_server, office.context.cookies())
    thief = stolen.new_page()
    try:
        thief.goto("/")
        assert "/ingresar" not in thief.url            # the copy works while the session is open

        home = new_page("redactora")                    # a second, separate session
        office.get_by_role("link", name="Mis sesiones").click()
        rows = office.locator("#my-sessions tbody tr")
        assert rows.count() == 2
        other = rows.filter(has_not_text="(esta sesión)")
        other.get_by_role("button", name="Cerrar").click()
        assert office.locator("#my-sessions tbody tr").count() == 1
        home.reload()
        assert "/ingresar" in home.url                  # ended from «Mis sesiones»

        office.get_by_role("button", name="Salir").click()
        office.wait_for_url("**/ingresar")
        thief.reload()
        assert "/ingresar" in thief.url                 # the copied cookie died with it
        replay = _context_with_cookies(chromium, live_server, stolen.cookies())
        try:
            page = replay.new_page()
            page.goto("/")
            assert "/ingresar" in page.url
        finally:
            replay.close()
    finally:
        stolen.close()


@pytest.fixture
def new_signer(live_server):
    """A signer created now, who has not enrolled a second factor yet."""
    from docsys import accounts
    session = live_server.app.extensions["docsys.sessions"]()
    try:
        accounts.create_user(session, "gerente_nuevo", PASSWORD, "Raúl Apaza Quispe", ["signer"],
                             office_code="GDUR")
        session.commit()
    finally:
        session.close()
    return "gerente_nuevo"


def test_signer_enrolls_totp_by_qr_code_and_codes_do_not_replay(new_page, live_server, new_signer):
    page = new_page()
    page.goto("/ingresar")
    page.get_by_label("Usuario").fill("gerente_nuevo")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url("**/ingresar/segundo-factor")
    qr = page.locator("#totp-qr")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    secret = page.locator("#totp-secret").inner_text()
    second_factor.remember(live_server.app, "gerente_nuevo", secret)
    code = pyotp.TOTP(secret).now()
    page.get_by_label("Código").fill(code)
    page.get_by_role("button", name="Confirmar").click()
    page.wait_for_url("**/")
    assert page.get_by_text("Raúl Apaza Quispe").is_visible()
    page.get_by_role("button", name="Salir").click()
    page.wait_for_url("**/ingresar")

    page.get_by_label("Usuario").fill("gerente_nuevo")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url("**/ingresar/codigo")
    page.get_by_label("Código").fill(code)             # the code already used: refused
    page.get_by_role("button", name="Verificar").click()
    assert page.get_by_role("alert").inner_text().startswith("Código incorrecto o ya usado")
    page.get_by_label("Código").fill(second_factor.fresh_code(live_server.app, "gerente_nuevo"))
    page.get_by_role("button", name="Verificar").click()
    page.wait_for_url("**/")
    assert page.js_errors == []

    again = new_page()
    login(again, "gerente")                             # the shared helper, as other tests do
    assert "/ingresar" not in again.url
