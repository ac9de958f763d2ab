"""Sixteen simultaneous issue requests of one type, through the HTTP API, on SQLite and
PostgreSQL: sixteen distinct consecutive numbers, no gaps, every PDF signed and stored.

All sixteen are released together (a barrier) against one number sequence, eight times
the two cores that serve them, so the contention is as high as with more; each request
costs a document taken through review with two signed vistos buenos, and fifty (then
thirty) made these the suite's two slowest tests for no stronger guarantee."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from docsys.db import transaction
from docsys.models import Issuance, NumberSequence
from tests.conftest import get_user
from tests.issuing.support import SECRET, approved_document, demo_pki

CONCURRENT = 16


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request):
    return request.getfixturevalue("app" if request.param == "sqlite" else "pg_app")


def test_concurrent_issues_get_consecutive_numbers(any_app):
    app = any_app
    with transaction(app.extensions["docsys.sessions"]) as session:
        demo_pki(session, app.config)
        ids = [approved_document(session, app.config, sumilla=f"Aprobar la liquidación de la obra N° {n}").id
               for n in range(CONCURRENT)]
    token = _token(app, "gerente")
    start = threading.Barrier(CONCURRENT)
    responses = {}

    def issue(document_id):
        client = app.test_client()
        start.wait()
        responses[document_id] = client.post(f"/api/v1/documents/{document_id}/issue",
                                             headers={"Authorization": f"Bearer {token}"},
                                             json={"secret": SECRET})

    threads = [threading.Thread(target=issue, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    failures = {i: r.get_json() for i, r in responses.items() if r.status_code != 201}
    assert not failures and len(responses) == CONCURRENT
    numbers = sorted(r.get_json()["sequence"] for r in responses.values())
    assert numbers == list(range(1, CONCURRENT + 1))
    with transaction(app.extensions["docsys.sessions"]) as session:
        rows = session.scalars(select(Issuance)).all()
        assert len({r.official_number for r in rows}) == CONCURRENT
        assert len({r.pdf_sha256 for r in rows}) == CONCURRENT
        assert session.scalar(select(NumberSequence.last_number)) == CONCURRENT


def _token(app, username):
    from docsys import accounts
    with transaction(app.extensions["docsys.sessions"]) as session:
        return accounts.create_api_token(session, get_user(session, username), "pruebas")
