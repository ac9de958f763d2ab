"""SQLite's transaction mode (deferred for reads, IMMEDIATE for writes) is a per-thread
flag: it must never outlive the request or the read that set it, or later writes in the
same thread begin deferred and fail with "database is locked" under contention."""
from __future__ import annotations

from demo import specimens
from docsys.archive.service import ImportSettings, finish_batch, import_bytes, start_batch
from docsys.db import _sqlite_read_only, transaction
from tests.conftest import get_user


def test_requests_restore_the_write_mode(app, client):
    assert _sqlite_read_only.get() is False
    assert client.get("/normas").status_code == 200          # a read-only request
    assert client.post("/api/v1/compliance/check", json={"text": "Ley N° 27972"}).status_code \
        == 401                                               # a reads-only POST (refused)
    assert _sqlite_read_only.get() is False


def test_an_import_leaves_the_thread_in_write_mode(app):
    factory = app.extensions["docsys.sessions"]
    with transaction(factory) as session:
        actor_id = get_user(session, "archivo").id
    batch = start_batch(factory, actor_id, "pruebas", "Prueba")
    norm = specimens.specimens(1, seed=9, types=("RA",))[0]
    assert import_bytes(factory, ImportSettings.from_config(app.config), batch, actor_id,
                        specimens.to_pdf(norm), "ra.pdf").status == "imported"
    finish_batch(factory, batch)
    assert _sqlite_read_only.get() is False
