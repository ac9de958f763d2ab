"""A JSON body nested deeper than the parser goes (a 2 MB body of brackets fits the
request limit) is no JSON docsys reads: every JSON endpoint, API and pages alike, answers
400 with its own message, never a 500 (Flask lets the parser's RecursionError through).
Real requests through the WSGI application."""
from __future__ import annotations

import pytest

from tests.conftest import Browser
from tests.search.test_app_search import make_token

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("path", ["/api/v1/documents", "/api/v1/compliance/check",
                                  "/api/v1/documents/1/comments"])
def test_the_api_refuses_a_body_nested_too_deep(app, path):
    headers = {"Authorization": f"Bearer {make_token(app, 'redactor')}",
               "Content-Type": "application/json"}
    response = app.test_client().post(path, data=DEEP, headers=headers)
    assert response.status_code in (400, 404), response.get_data(as_text=True)
    assert response.get_json()["error"]["message"]


@pytest.mark.parametrize("path", ["/cumplimiento", "/documentos/1/guardar",
                                  "/documentos/1/comentarios"])
def test_the_pages_refuse_a_body_nested_too_deep(app, path):
    browser = Browser(app.test_client(), app)
    assert browser.login("redactor").status_code == 302
    response = browser.client.post(path, data=DEEP, headers={
        "Content-Type": "application/json", "X-CSRFToken": browser.csrf})
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)


def test_get_json_says_why_when_it_is_not_silent(app):
    from flask import request

    from docsys.errors import ValidationError
    with app.test_request_context("/", method="POST", data=DEEP,
                                  content_type="application/json"):
        assert request.get_json(silent=True) is None
        with pytest.raises(ValidationError, match="demasiada profundidad"):
            request.get_json()
