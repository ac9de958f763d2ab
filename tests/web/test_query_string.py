"""A query string with bytes that are not UTF-8 (a hand-made or badly encoded link) is
read like werkzeug reads an invalid percent-escape, kept encoded: pages and the API
answer as for any other query, never 500. Real requests through the WSGI application."""
from __future__ import annotations

from tests.search.test_app_search import any_app, login, make_token  # noqa: F401

RAW = "q=cuota\xe9"   # PEP 3333: the request's bytes, decoded as Latin-1


def test_raw_bytes_in_the_query_string_are_no_server_error(any_app):
    app = any_app
    token = make_token(app, "asesor")
    api = app.test_client().get("/api/v1/search", environ_overrides={"QUERY_STRING": RAW},
                                headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200
    assert api.get_json()["total"] == 0
    app.config["LEAN_SEARCH"] = False  # the full Flask path reads it the same way
    full = app.test_client().get("/api/v1/search", environ_overrides={"QUERY_STRING": RAW},
                                 headers={"Authorization": f"Bearer {token}"})
    assert full.status_code == 200 and full.get_data() == api.get_data()

    client = login(app, "redactor")
    for path in ("/", "/buscar"):
        page = client.get(path, environ_overrides={"QUERY_STRING": RAW})
        assert page.status_code == 200, path
    verify = app.test_client().get("/verificar", environ_overrides={"QUERY_STRING": "codigo=\xe9"})
    assert verify.status_code == 400   # a code of the wrong shape, said so in Spanish
    assert "El código tiene 12 letras y números" in verify.get_data(as_text=True)


def test_the_undecodable_byte_is_kept_percent_encoded(app):
    with app.test_request_context("/buscar", environ_overrides={"QUERY_STRING": "q=a\xe9b&q=%E9"}):
        from flask import request
        assert request.args.getlist("q") == ["a%E9b", "%E9"]
