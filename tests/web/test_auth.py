"""Login, logout, CSRF and role checks through real HTTP."""
import pytest

from tests.conftest import PASSWORD


def test_pages_require_login(client):
    for path in ["/", "/documentos/nuevo", "/documentos/1", "/documentos/1/historial",
                 "/admin/plantillas", "/admin/usuarios"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/ingresar" in response.headers["Location"]


def test_login_success_and_failure(browser):
    b = browser()
    b.refresh_csrf()
    bad = b.post_form("/ingresar", {"username": "redactor", "password": "equivocada"})
    assert bad.status_code == 401
    assert "Usuario o contraseña incorrectos" in bad.get_data(as_text=True)
    unknown = b.post_form("/ingresar", {"username": "nadie", "password": PASSWORD})
    assert unknown.status_code == 401
    ok = b.post_form("/ingresar", {"username": "redactor", "password": PASSWORD})
    assert ok.status_code == 302 and ok.headers["Location"].endswith("/")
    inbox = b.get("/")
    assert inbox.status_code == 200 and "Bandeja" in inbox.get_data(as_text=True)


def test_login_redirects_only_to_local_paths(browser):
    b = browser()
    b.refresh_csrf()
    response = b.client.post("/ingresar?next=https://evil.example/x",
                             data={"username": "redactor", "password": PASSWORD,
                                   "csrf_token": b.csrf})
    assert response.headers["Location"] == "/"
    b2 = browser()
    b2.refresh_csrf()
    response = b2.client.post("/ingresar?next=/documentos/nuevo",
                              data={"username": "redactor", "password": PASSWORD,
                                    "csrf_token": b2.csrf})
    assert response.headers["Location"] == "/documentos/nuevo"


def test_csrf_is_required_on_forms(client):
    response = client.post("/ingresar", data={"username": "redactor", "password": PASSWORD})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_csrf_is_required_on_json_posts(browser):
    b = browser("redactor")
    response = b.client.post("/documentos/1/guardar", json={"content": {}, "base_version": 1})
    assert response.status_code == 400
    assert "CSRF" in response.get_json()["error"]["message"]


def test_logout(browser):
    b = browser("redactor")
    response = b.post_form("/salir")
    assert response.status_code == 302
    assert b.get("/").status_code == 302


def test_logout_needs_csrf(browser):
    b = browser("redactor")
    assert b.client.post("/salir").status_code == 400
    assert b.get("/").status_code == 200


@pytest.mark.parametrize("username, path, expected", [
    ("gerente", "/documentos/nuevo", 403),
    ("asesor", "/documentos/nuevo/resolucion-alcaldia", 403),
    ("redactor", "/admin/plantillas", 403),
    ("redactor", "/admin/usuarios", 403),
    ("admin", "/admin/plantillas", 200),
    ("redactor", "/documentos/nuevo", 200),
])
def test_role_checks(browser, username, path, expected):
    response = browser(username).get(path)
    assert response.status_code == expected
    if expected == 403:
        assert "No tiene permiso" in response.get_data(as_text=True)


def test_inactive_user_cannot_log_in(app, browser):
    from docsys.db import transaction
    from tests.conftest import get_user
    with transaction(app.extensions["docsys.sessions"]) as session:
        get_user(session, "redactor").active = False
    b = browser()
    response = b.login("redactor")
    assert response.status_code == 401
