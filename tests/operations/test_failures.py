"""Honest failures: a database that is down, a full disk or read-only storage answer 503
with a Spanish page (JSON for the API) and Retry-After, never 500; the probes, request ids,
JSON-line logs and the Prometheus metrics."""
from __future__ import annotations

import io
import json
import shutil
import sqlite3

import pytest
from sqlalchemy import event

from tests.conftest import Browser, make_test_app

RGM = "resolucion-gerencia-municipal"
UNREACHABLE_PG = "postgresql+psycopg://postgres@127.0.0.1:9/test?connect_timeout=3"


def _assert_503_page(response, words):
    assert response.status_code == 503, response.get_data(as_text=True)[:500]
    assert int(response.headers["Retry-After"]) > 0
    body = response.get_data(as_text=True)
    assert "Servicio no disponible" in body and words in body


def test_database_down_gives_503_pages_and_json(tmp_path):
    app = make_test_app(UNREACHABLE_PG, tmp_path)
    client = app.test_client()
    _assert_503_page(client.get("/normas/rgm/2026/1"), "La base de datos no está disponible")
    login = Browser(client).login("redactor")
    _assert_503_page(login, "La base de datos no está disponible")
    api = client.get("/api/v1/documents", headers={"Authorization": "Bearer abc"})
    assert api.status_code == 503 and api.headers["Retry-After"]
    error = api.get_json()["error"]
    assert error["reason"] == "database_down" and "no está disponible" in error["message"]
    assert client.get("/healthz").status_code == 200  # the process itself is alive
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert not ready.get_json()["checks"]["database"]["ok"]


def test_full_disk_gives_503_and_keeps_what_was_saved(app, api_token):
    browser = Browser(app.test_client())
    browser.login("redactor")
    token = api_token("redactor")
    engine = app.extensions["docsys.engine"]
    database = engine.url.database

    engine.dispose()
    with sqlite3.connect(database) as conn:
        conn.execute("VACUUM")  # no free pages left inside the file
        pages = conn.execute("PRAGMA page_count").fetchone()[0]

    @event.listens_for(engine, "connect")
    def _no_room(dbapi_connection, _record):  # SQLite's own "database or disk is full"
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    engine.dispose()
    big = {"sumilla": "Aprobar el plan " + "x" * 900, "expediente": "2026-000001",
           "informes": "el Informe " + "y" * 1900, "resolucion_delegacion": "z" * 1900}
    page = browser.post_form(f"/documentos/nuevo/{RGM}", data=big)
    _assert_503_page(page, "El disco del servidor está lleno")
    api = app.test_client().post("/api/v1/documents", json={"template": RGM, "fields": big},
                                 headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 503 and api.get_json()["error"]["reason"] == "disk_full"

    event.remove(engine, "connect", _no_room)
    engine.dispose()
    assert browser.client.get("/").status_code == 200  # room again: back to work


def test_read_only_database_gives_503(seeded_sqlite, tmp_path):
    db = tmp_path / "app.db"
    shutil.copy(seeded_sqlite, db)
    app = make_test_app(f"sqlite:///file:{db}?mode=ro&uri=true", tmp_path)
    browser = Browser(app.test_client())
    response = browser.login("redactor")  # reading works; the login's writes do not
    if response.status_code != 503:
        response = browser.post_form(f"/documentos/nuevo/{RGM}",
                                     data={"sumilla": "Aprobar", "expediente": "1"})
    _assert_503_page(response, "solo lectura")


def test_probes_request_id_logs_and_metrics(app):
    from docsys.web.operations import install_json_logging
    client = app.test_client()
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.get_json()
    assert set(ready.get_json()["checks"]) == {"database", "storage", "disk", "index", "keys"}

    stream = io.StringIO()
    handler = install_json_logging(stream)
    try:
        given = client.get("/healthz", headers={"X-Request-ID": "req-42.abc"})
        made = client.get("/healthz", headers={"X-Request-ID": "no vale <script>"})
    finally:
        import logging
        logging.getLogger("docsys").removeHandler(handler)
    assert given.headers["X-Request-ID"] == "req-42.abc"
    assert len(made.headers["X-Request-ID"]) == 32 and "<" not in made.headers["X-Request-ID"]
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert {"request_id": "req-42.abc", "path": "/healthz", "status": 200} \
        .items() <= next(e for e in lines if e["request_id"] == "req-42.abc").items()

    metrics = client.get("/metrics")
    assert metrics.status_code == 200
    text = metrics.get_data(as_text=True)
    assert 'docsys_http_requests_total{endpoint="/healthz",method="GET",status="200"}' in text
    assert "docsys_search_outbox_pending" in text
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 403
    assert client.get("/metrics", headers={"X-Forwarded-For": "1.2.3.4"}).status_code == 403


def test_metrics_token(app):
    app.config["METRICS_TOKEN"] = "token-de-metricas"
    client = app.test_client()
    assert client.get("/metrics").status_code == 403
    ok = client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"},
                    headers={"Authorization": "Bearer token-de-metricas"})
    assert ok.status_code == 200


@pytest.mark.parametrize("folder", ["BLOB_DIR", "SEARCH_DIR"])
def test_startup_names_what_it_cannot_write(app, tmp_path, folder):
    blocker = tmp_path / "un-archivo"
    blocker.write_text("no es una carpeta")
    other = make_test_app(app.config["DATABASE_URL"], tmp_path / "otra",
                          **{folder: str(blocker / "dentro")})
    problems = other.extensions["docsys.startup_problems"]
    assert len(problems) == 1 and "no se puede escribir" in problems[0]
    ready = other.test_client().get("/readyz")
    assert ready.status_code == 503 and not ready.get_json()["checks"]["storage"]["ok"]
