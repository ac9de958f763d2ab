"""The lean path of GET /api/v1/search (docsys.web.lean) keeps every guarantee of the full
Flask path: the same answer byte for byte, a revocation refused at once, read-your-writes,
Spanish 4xx and 503 from the full path, the request id, access log line, metrics and
security headers. Real HTTP through the WSGI application, a real index and database."""
from __future__ import annotations

import io
import json
import logging

from flask import request_started
from sqlalchemy import select, update

from docsys import accounts, services
from docsys.db import transaction
from docsys.models import ApiToken, User
from tests.search.test_app_search import any_app, login, make_token  # noqa: F401
from tests.web.test_drafts_routes import create_draft


def search(app, token, headers=None, **params):
    return app.test_client().get("/api/v1/search", query_string=params,
                                 headers={"Authorization": f"Bearer {token}", **(headers or {})})


class FullPathCount:
    """How many requests Flask dispatched (the lean path sends no request_started)."""

    def __init__(self, app):
        self.app, self.count = app, 0

    def __enter__(self):
        request_started.connect(self._seen, self.app)
        return self

    def __exit__(self, *exc):
        request_started.disconnect(self._seen, self.app)

    def _seen(self, _sender, **_kw):
        self.count += 1


def test_the_lean_path_answers_exactly_as_the_full_path(any_app):
    app = any_app
    rosa = login(app, "redactor")
    create_draft(rosa, "Aprobar el reglamento de ferias artesanales")
    token = make_token(app, "asesor")
    assert search(app, token, q="ferias").status_code == 200  # the token is now remembered

    with FullPathCount(app) as full:
        lean = search(app, token, headers={"X-Request-ID": "igual-1"}, q="ferias",
                      sort="date", per_page="5")
    assert full.count == 0 and lean.status_code == 200
    app.config["LEAN_SEARCH"] = False
    with FullPathCount(app) as full:
        slow = search(app, token, headers={"X-Request-ID": "igual-1"}, q="ferias",
                      sort="date", per_page="5")
    assert full.count == 1
    assert lean.get_data() == slow.get_data()
    # The full path also says "Vary: Cookie" (Flask-Login's remember-me hook looks at the
    # cookie session on every request); a bearer search never depends on cookies.
    assert lean.headers.to_wsgi_list() == [h for h in slow.headers.to_wsgi_list()
                                           if h != ("Vary", "Cookie")]
    hits = lean.get_json()["hits"]
    assert hits and hits[0]["url"].startswith("http://localhost/api/v1/documents/")
    for name in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options",
                 "Referrer-Policy"):
        assert lean.headers[name]


def test_a_revoked_token_or_deactivated_user_is_refused_by_the_very_next_search(any_app):
    app = any_app
    token = make_token(app, "asesor")
    assert search(app, token, q="x").status_code == 200
    with FullPathCount(app) as full:
        assert search(app, token, q="x").status_code == 200
    assert full.count == 0  # answered by the lean path, from the remembered check

    sessions = app.extensions["docsys.sessions"]
    with transaction(sessions) as session:
        admin = session.scalar(select(User).where(User.username == "admin"))
        row = session.scalar(select(ApiToken).where(
            ApiToken.token_hash == accounts._token_hash(token)))
        services.revoke_token(session, admin, row.id)
    refused = search(app, token, q="x")
    assert refused.status_code == 401 and "revocado" in refused.get_json()["error"]["message"]

    other = make_token(app, "asesor")
    assert search(app, other, q="x").status_code == 200
    with transaction(sessions) as session:
        session.execute(update(User).where(User.username == "asesor").values(active=False))
    assert search(app, other, q="x").status_code == 401


def test_errors_come_from_the_full_path_with_spanish_messages_and_the_same_id(app):
    token = make_token(app, "asesor")
    assert search(app, token, q="x").status_code == 200
    with FullPathCount(app) as full:
        bad = search(app, token, headers={"X-Request-ID": "mal-1"}, q="x", sort="alfabetico")
    assert full.count == 1
    assert bad.status_code == 400 and "orden" in bad.get_json()["error"]["message"]
    assert bad.headers["X-Request-ID"] == "mal-1"
    missing = app.test_client().get("/api/v1/search?q=x")
    assert missing.status_code == 401 and "Bearer" in missing.get_json()["error"]["message"]
    assert search(app, "no-es-un-token", q="x").status_code == 401

    app.extensions["docsys.search"].live_backend().close()  # the index cannot be opened
    unavailable = search(app, token, q="x")
    assert unavailable.status_code == 503
    assert unavailable.get_json()["error"]["message"]


def test_a_lean_search_finds_what_its_user_just_saved(app):
    rosa = login(app, "redactor")
    token = make_token(app, "redactor")
    assert search(app, token, q="tamales").get_json()["total"] == 0
    doc_id = create_draft(rosa, "Regular la venta de tamales en la plaza")
    with FullPathCount(app) as full:
        found = search(app, token, q="tamales").get_json()
    assert full.count == 0
    assert [h["document_id"] for h in found["hits"]] == [doc_id]
    # ... which a drafter of another office does not see (the policy's visibility)
    other = make_token(app, "redactor2")
    search(app, other, q="x")
    with FullPathCount(app) as full:
        assert search(app, other, q="tamales").get_json()["total"] == 0
    assert full.count == 0


def test_a_lean_search_is_logged_with_its_id_counted_and_its_token_use_recorded(app):
    from docsys.web.api import token_cache
    from docsys.web.operations import install_json_logging

    token = make_token(app, "asesor")
    assert search(app, token, q="x").status_code == 200
    key = accounts._token_hash(token)
    token_cache(app)._entries[key].last_used_at = None  # as if last used long ago
    sessions = app.extensions["docsys.sessions"]
    with transaction(sessions) as session:
        session.execute(update(ApiToken).where(ApiToken.token_hash == key)
                        .values(last_used_at=None))

    stream = io.StringIO()
    handler = install_json_logging(stream)
    try:
        with FullPathCount(app) as full:
            answer = search(app, token, headers={"X-Request-ID": "lean-42"}, q="x")
    finally:
        logging.getLogger("docsys").removeHandler(handler)
    assert full.count == 0 and answer.headers["X-Request-ID"] == "lean-42"
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert {"request_id": "lean-42", "method": "GET", "path": "/api/v1/search",
            "status": 200}.items() <= next(e for e in lines
                                            if e["request_id"] == "lean-42").items()
    with transaction(sessions) as session:
        assert session.scalar(select(ApiToken.last_used_at)
                              .where(ApiToken.token_hash == key)) is not None
    metrics = app.test_client().get("/metrics").get_data(as_text=True)
    assert 'docsys_http_requests_total{endpoint="/api/v1/search",method="GET",status="200"}' \
        in metrics
