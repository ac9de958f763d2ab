"""Supported configurations: on SQLite no download holds the database's write lock while
it renders (its audit entry is written afterwards, briefly), and a write that cannot get
the lock in time answers 503 "try again", never "database is locked"; the gunicorn
configuration runs one process on SQLite and several on PostgreSQL."""
from __future__ import annotations

import http.client
import os
import runpy
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time

from sqlalchemy import func, select

from docsys import services
from docsys.models import AuditEntry
from tests.conftest import KEYSTORE_KEY, PROJECT_ROOT, Browser, make_test_app

RGM = "resolucion-gerencia-municipal"


def _nobody_holds_the_write_lock(database: str) -> None:
    other = sqlite3.connect(database, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")  # "database is locked" if a writer holds it
        other.execute("ROLLBACK")
    finally:
        other.close()


def _downloads(app) -> int:
    with app.extensions["docsys.sessions"]() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == "download"))


def test_renders_hold_no_write_lock_and_are_audited_after(app, api_token, monkeypatch):
    database = app.extensions["docsys.engine"].url.database
    client = app.test_client()
    headers = {"Authorization": f"Bearer {api_token('redactor')}"}
    created = client.post("/api/v1/documents", headers=headers, json={
        "template": RGM, "fields": {"sumilla": "Aprobar el plan", "expediente": "2026-1"}})
    document = created.get_json()
    content = document["content"]
    content["fields"]["sumilla"] = "Aprobar el plan anual"
    saved = client.post(f"/api/v1/documents/{document['id']}/versions", headers=headers,
                        json={"content": content, "base_version": 1})
    assert saved.status_code == 201
    checked = []

    def checking(real):
        def render(*args, **kwargs):
            _nobody_holds_the_write_lock(database)
            checked.append(real.__name__)
            return real(*args, **kwargs)
        return render

    monkeypatch.setattr(services, "render_version", checking(services.render_version))
    monkeypatch.setattr(services.redlines, "tracked_docx",
                        checking(services.redlines.tracked_docx))
    before = _downloads(app)
    pdf = client.get(f"/api/v1/documents/{document['id']}/versions/2/render?format=pdf",
                     headers=headers)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    docx = client.get(f"/api/v1/documents/{document['id']}/redline.docx?from=1&to=2",
                      headers=headers)
    assert docx.status_code == 200 and docx.data.startswith(b"PK")
    assert checked == ["render_version", "tracked_docx"]
    assert _downloads(app) == before + 2  # each download audited, after its render


def test_a_write_that_cannot_get_the_lock_answers_503(seeded_sqlite, tmp_path):
    database = tmp_path / "app.db"
    shutil.copy(seeded_sqlite, database)
    app = make_test_app(f"sqlite:///{database}", tmp_path, DATABASE_BUSY_TIMEOUT=0.2)
    browser = Browser(app.test_client())
    browser.login("redactor")
    holder = sqlite3.connect(str(database))
    holder.execute("BEGIN IMMEDIATE")  # another process writing for a long time
    try:
        busy = browser.post_form(f"/documentos/nuevo/{RGM}",
                                 data={"sumilla": "Aprobar", "expediente": "2026-2"})
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "5"
        assert "ocupada" in busy.get_data(as_text=True)
        assert "locked" not in busy.get_data(as_text=True)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    again = browser.post_form(f"/documentos/nuevo/{RGM}",
                              data={"sumilla": "Aprobar", "expediente": "2026-2"})
    assert again.status_code == 302


def test_gunicorn_runs_one_process_on_sqlite_and_several_on_postgresql(monkeypatch):
    config = str(PROJECT_ROOT / "gunicorn.conf.py")
    monkeypatch.delenv("DOCSYS_DATABASE_URL", raising=False)
    monkeypatch.setenv("DOCSYS_WORKERS", "4")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", "/tmp/no-usado")
    sqlite = runpy.run_path(config)
    assert sqlite["workers"] == 1 and sqlite["threads"] > 1
    monkeypatch.setenv("DOCSYS_DATABASE_URL", "postgresql://docsys@127.0.0.1/docsys")
    postgres = runpy.run_path(config)
    assert postgres["workers"] == 4


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_keeps_an_idle_connection_past_its_default_two_seconds(seeded_sqlite,
                                                                        tmp_path):
    """bench_load.py saw a request reset unanswered now and then: it went out on a keep-alive
    connection just as gunicorn closed it for being idle 2 s (gunicorn's default). With
    gunicorn.conf.py a connection idle for 3 s still answers (DOCSYS_KEEPALIVE, 5 s)."""
    database = tmp_path / "docsys.db"
    shutil.copy(seeded_sqlite, database)
    port = _free_port()
    env = dict(os.environ, DOCSYS_DATABASE_URL=f"sqlite:///{database}",
               DOCSYS_INSTANCE_DIR=str(tmp_path), DOCSYS_SECRET_KEY="keepalive-test",
               DOCSYS_BIND=f"127.0.0.1:{port}", DOCSYS_LOG_FORMAT="text",
               DOCSYS_KEYSTORE_KEY=KEYSTORE_KEY)  # the key the seed sealed its secrets with
    env.pop("DOCSYS_KEEPALIVE", None)
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                                   "wsgi:app"], cwd=PROJECT_ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", "/healthz")
                first = conn.getresponse()
                first.read()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.3)
        assert first.status == 200 and first.getheader("Connection", "").lower() != "close"
        time.sleep(3)
        conn.request("GET", "/healthz")  # the same connection, idle for 3 s
        again = conn.getresponse()
        assert again.status == 200 and again.read()
        conn.close()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


def test_bookkeeping_writes_give_the_connection_its_own_lock_wait_back(tmp_path):
    """Last-use writes wait at most 0.2 s for SQLite's lock; afterwards the pooled
    connection waits again as configured (DOCSYS_DATABASE_BUSY_TIMEOUT), not a fixed 30 s."""
    from sqlalchemy import text

    from docsys.db import bookkeeping_write, make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'pool.db'}", busy_timeout=7)
    try:
        assert bookkeeping_write(engine, [text("CREATE TABLE t (x INTEGER)")])
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 7000
    finally:
        engine.dispose()
