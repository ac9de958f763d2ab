"""Odd JSON bodies, never a 500. One nested deeper than the parser goes (a 2 MB body of
brackets fits the request limit) is no JSON docsys reads: every JSON endpoint, API and
pages alike, answers 400 with its own message (Flask lets the parser's RecursionError
through). A base version that is no whole number from 1 (1e999, which json reads as
infinity; 1.5) is refused. Real requests through the WSGI application."""
from __future__ import annotations

import pytest

from tests.conftest import Browser
from tests.search.test_app_search import make_token

DEEP = "[" * 100_000 + "]" * 100_000


def _redactor_json(app) -> dict:
    """The headers of a JSON request to the API as the redactor."""
    return {"Authorization": f"Bearer {make_token(app, 'redactor')}",
            "Content-Type": "application/json"}


def _draft(app, headers) -> int:
    """A draft of the redactor's, so that each endpoint reaches the body it reads."""
    created = app.test_client().post("/api/v1/documents", headers=headers, data=(
        '{"template": "resolucion-gerencia-municipal", "fields": {"sumilla": "Aprobar el '
        'plan de trabajo"}}'))
    assert created.status_code == 201, created.get_data(as_text=True)
    return created.get_json()["id"]


@pytest.mark.parametrize("path", ["/api/v1/documents", "/api/v1/compliance/check",
                                  "/api/v1/documents/{id}/comments"])
def test_the_api_refuses_a_body_nested_too_deep(app, path):
    headers = _redactor_json(app)
    path = path.format(id=_draft(app, headers))
    response = app.test_client().post(path, data=DEEP, headers=headers)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json()["error"]["message"]


@pytest.mark.parametrize("path", ["/cumplimiento", "/documentos/{id}/guardar",
                                  "/documentos/{id}/comentarios"])
def test_the_pages_refuse_a_body_nested_too_deep(app, path):
    headers = _redactor_json(app)
    path = path.format(id=_draft(app, headers))
    browser = Browser(app.test_client(), app)
    assert browser.login("redactor").status_code == 302
    response = browser.client.post(path, data=DEEP, headers={
        "Content-Type": "application/json", "X-CSRFToken": browser.csrf})
    assert response.status_code == 400, response.get_data(as_text=True)


def test_get_json_says_why_when_it_is_not_silent(app):
    from flask import request

    from docsys.errors import ValidationError
    with app.test_request_context("/", method="POST", data=DEEP,
                                  content_type="application/json"):
        assert request.get_json(silent=True) is None
        with pytest.raises(ValidationError, match="demasiada profundidad"):
            request.get_json()


@pytest.mark.parametrize("base", ["1e999", "-1e999", "Infinity", "NaN", "1.5", "true", "-1",
                                  "0", '"uno"', "[]", "null"])
def test_a_base_version_that_is_no_whole_number_is_refused(app, base):
    """json reads 1e999 as infinity, which int() cannot take (a 500 before); 1.5 was taken
    as version 1. A version is a whole number from 1, as every id; nothing is saved."""
    headers = _redactor_json(app)
    client = app.test_client()
    document_id = _draft(app, headers)
    saved = client.post(f"/api/v1/documents/{document_id}/versions", headers=headers,
                        data='{"content": {}, "base_version": %s}' % base)
    assert saved.status_code == 400, saved.get_data(as_text=True)
    assert "versión" in saved.get_json()["error"]["message"]
    again = client.get(f"/api/v1/documents/{document_id}", headers=headers).get_json()
    assert again["latest_version"] == 1
