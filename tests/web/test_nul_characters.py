"""A NUL character (U+0000) in what a request sends: refused with a Spanish message when
it would be stored (a form field, a JSON string), dropped from a query string (a reading),
a 404 in an address, on both databases. PostgreSQL cannot store or compare it: before, a
login form, a comment, the inbox's filter or an account's page given one answered 500
there. Real requests through the WSGI app."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from docsys.db import transaction
from docsys.models import Comment, LoginAttempt
from tests.conftest import Browser
from tests.search.test_app_search import any_app, make_token  # noqa: F401

MESSAGE = "La solicitud contiene un carácter nulo (U+0000)"


def _count(app, model) -> int:
    with transaction(app.extensions["docsys.sessions"]) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_nul_character_in_the_login_form_is_refused_in_spanish(any_app):
    browser = Browser(any_app.test_client(), any_app)
    browser.refresh_csrf("/ingresar")
    attempts = _count(any_app, LoginAttempt)
    refused = browser.post_form("/ingresar", {"username": "redac\x00tor", "password": "x"})
    assert refused.status_code == 400
    assert MESSAGE in refused.get_data(as_text=True)
    assert _count(any_app, LoginAttempt) == attempts     # nothing was recorded
    assert browser.login("redactor").status_code == 302  # the form works as before


def test_a_nul_character_in_json_is_refused_and_nothing_is_stored(any_app):
    token = make_token(any_app, "redactor")
    client = any_app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    created = client.post("/api/v1/documents", headers=headers, json={
        "template": "resolucion-gerencia-municipal",
        "fields": {"sumilla": "Designar al responsable del Portal de Transparencia"}})
    assert created.status_code == 201, created.get_data(as_text=True)
    path = f"/api/v1/documents/{created.get_json()['id']}/comments"
    for body in ({"body": "Precisar\x00 la unidad"}, {"body": "Precisar", "quote\x00": "x"},
                 {"body": ["Precisar", {"a": ["\x00"]}]}):
        refused = client.post(path, headers=headers, json=body)
        assert refused.status_code == 400
        assert refused.get_json()["error"]["message"].startswith(MESSAGE)
    assert _count(any_app, Comment) == 0
    # A route that does not exist keeps its own answer.
    assert client.post("/api/v1/no-existe", headers=headers,
                       json={"x": "\x00"}).status_code == 404


@pytest.mark.parametrize("path", ["/", "/buscar"])
def test_a_nul_character_in_a_query_string_is_dropped(any_app, path):
    browser = Browser(any_app.test_client(), any_app)
    assert browser.login("redactor").status_code == 302
    page = browser.get(path, query_string={"q": "padr\x00on", "estado": "\x00"})
    assert page.status_code == 200
    assert 'value="padron"' in page.get_data(as_text=True)


def test_the_api_search_reads_a_query_without_its_nul_characters(any_app):
    token = make_token(any_app, "redactor")
    headers = {"Authorization": f"Bearer {token}"}
    client = any_app.test_client()
    assert client.post("/api/v1/documents", headers=headers, json={
        "template": "resolucion-gerencia-municipal",
        "fields": {"sumilla": "Aprobar el régimen de arbitrios municipales"}}).status_code == 201
    with_nul = client.get("/api/v1/search", query_string={"q": "arbi\x00trios"}, headers=headers)
    plain = client.get("/api/v1/search", query_string={"q": "arbitrios"}, headers=headers)
    assert with_nul.status_code == 200
    assert with_nul.get_json()["total"] > 0 and with_nul.get_data() == plain.get_data()
    any_app.config["LEAN_SEARCH"] = False  # the full Flask path reads it the same way
    full = client.get("/api/v1/search", query_string={"q": "arbi\x00trios"}, headers=headers)
    assert full.status_code == 200 and full.get_data() == plain.get_data()


@pytest.mark.parametrize("path", ["/admin/usuarios/redac%00tor", "/verificar/AB%00CDEFGHIJK",
                                  "/normas/r%00a/2024/1"])
def test_an_address_holding_a_nul_character_is_not_found(any_app, path):
    """An account's page looked up by a name holding a NUL was a 500 on PostgreSQL."""
    browser = Browser(any_app.test_client(), any_app)
    assert browser.login("admin").status_code == 302
    page = browser.get(path)
    assert page.status_code == 404
    assert "La página solicitada no existe" in page.get_data(as_text=True)
    assert browser.get("/admin/usuarios/redactor").status_code == 200
