"""Bounded work: OCR and rendering run in a child process with limits on pages, size, time
and memory, and are refused with a Spanish message past them; expensive endpoints have a
per-user limit, counted in the database (so every worker sees it), with 429 + Retry-After.
"""
from __future__ import annotations

import io
import multiprocessing
import re
from pathlib import Path

import pytest
from pypdf import PdfWriter

from docsys.archive.extract import ExtractionError, extract_bounded
from docsys.bounded import LimitExceeded, Limits
from tests.conftest import make_test_app
from tests.web.test_drafts_routes import create_draft


def blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def no_children_left():
    for _ in range(100):
        if not multiprocessing.active_children():
            return True
    return not multiprocessing.active_children()


def test_a_many_page_pdf_is_refused_by_its_page_count(app, api_token):
    """The compliance check reads at most COMPLIANCE_MAX_PAGES pages (100): a 150-page PDF
    is refused at once, before any page is read or OCR'd."""
    token = api_token("asesor")
    response = app.test_client().post(
        "/api/v1/compliance/check", headers={"Authorization": f"Bearer {token}"},
        data={"file": (io.BytesIO(blank_pdf(150)), "largo.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["message"] == (
        "El documento «largo.pdf» excede el límite de 100 páginas (tiene 150). "
        "Divídalo en partes.")
    with pytest.raises(ExtractionError) as refused:   # the archive's own limit, in a child
        extract_bounded(blank_pdf(12), "acta.pdf", 10**6, max_pages=10, limits=Limits(60))
    assert refused.value.code == "too_many_pages"


def test_an_over_time_render_is_aborted(app, browser):
    app.config["RENDER_TIMEOUT_SECONDS"] = 0.001     # no render finishes in a millisecond
    rosa = browser("redactor")
    doc = create_draft(rosa)
    response = rosa.get(f"/documentos/{doc}/versiones/1/descargar.pdf")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "La generación del PDF superó el tiempo máximo de 0.001 s y se canceló." in page
    assert no_children_left()
    app.config["RENDER_TIMEOUT_SECONDS"] = 60
    assert rosa.get(f"/documentos/{doc}/versiones/1/descargar.pdf").data[:5] == b"%PDF-"


def test_render_limits_on_pages_size_and_memory(app, browser, api_token):
    rosa = browser("redactor")
    doc = create_draft(rosa)
    auth = {"Authorization": f"Bearer {api_token('redactor')}"}
    url = f"/api/v1/documents/{doc}/versions/1/render"
    app.config["RENDER_MAX_PAGES"] = 0
    refused = app.test_client().get(url, headers=auth)
    assert refused.status_code == 422
    assert re.match(r"El documento excede el límite de 0 páginas \(tiene \d+\)\. Divídalo",
                    refused.get_json()["error"]["message"])
    app.config["RENDER_MAX_PAGES"], app.config["RENDER_MAX_CHARS"] = 300, 100
    refused = app.test_client().get(url + "?format=docx", headers=auth)
    assert refused.status_code == 422
    assert "demasiado extenso para generar el DOCX" in refused.get_json()["error"]["message"]
    app.config["RENDER_MAX_CHARS"], app.config["WORK_MEMORY_MB"] = 10**6, 64
    refused = app.test_client().get(url, headers=auth)   # the child cannot even start
    assert refused.status_code == 422
    assert refused.get_json()["error"]["message"].startswith(
        "La generación del PDF superó la memoria máxima de 64 MB")
    assert no_children_left()


def test_expensive_endpoints_are_limited_per_user_across_workers(app, browser, api_token,
                                                                  tmp_path):
    """Two app instances on the same database (two gunicorn workers) share the count."""
    app.config["RATE_LIMITS"] = "render=2/3600,compliance=1/3600"
    rosa = browser("redactor")
    doc = create_draft(rosa)
    assert rosa.get(f"/documentos/{doc}/versiones/1/descargar.docx").status_code == 200
    other_dir = tmp_path / "worker2"
    other_dir.mkdir()
    keys = Path(app.config["INSTANCE_DIR"])  # a second node shares the audit keys
    worker2 = make_test_app(app.config["DATABASE_URL"], other_dir,
                            RATE_LIMITS="render=2/3600,compliance=1/3600",
                            AUDIT_KEY=(keys / "audit_key").read_text(),
                            AUDIT_SIGNING_KEY_FILE=str(keys / "audit_signing_key.pem"))
    try:
        token = api_token("redactor")
        auth = {"Authorization": f"Bearer {token}"}
        client2 = worker2.test_client()
        url = f"/api/v1/documents/{doc}/versions/1/render?format=docx"
        assert client2.get(url, headers=auth).status_code == 200      # second of two
        refused = client2.get(url, headers=auth)
        assert refused.status_code == 429
        assert 0 < int(refused.headers["Retry-After"]) <= 3600
        message = refused.get_json()["error"]["message"]
        assert message.startswith("Alcanzó el límite de 2 descargas en PDF o DOCX cada "
                                  "60 minutos. Espere ")
        page = rosa.get(f"/documentos/{doc}/versiones/1/descargar.pdf")   # first worker
        assert page.status_code == 429 and "Alcanzó el límite" in page.get_data(as_text=True)
        assert page.headers["Retry-After"]
        # Another user, another kind of work: counted apart.
        assert browser("redactor2").get("/").status_code == 200
        asesor = {"Authorization": f"Bearer {api_token('asesor')}"}
        check = {"text": "Visto el informe; SE RESUELVE: ARTÍCULO PRIMERO.- Aprobar."}
        assert client2.post("/api/v1/compliance/check", headers=asesor,
                            json=check).status_code == 200
        assert client2.post("/api/v1/compliance/check", headers=asesor,
                            json=check).status_code == 429
    finally:
        worker2.extensions["docsys.engine"].dispose()


def test_limit_exceeded_is_a_spanish_client_error():
    error = LimitExceeded("x", "timeout")
    assert error.status == 422 and error.details == {"code": "timeout"}
