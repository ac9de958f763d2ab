"""The archive pages through Flask's test client: upload many files (CSRF, size limits,
roles), the batch report, the review queue and form, the norm page, the original file,
and imported norms in search, the inbox and the API."""
from __future__ import annotations

import io
import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from docsys.archive import uploads
from docsys.models import AuditEntry, Document, ImportBatch, ImportedFile
from docsys.models._common import utcnow

from tests.archive.test_review import DOUBTFUL


@pytest.fixture
def archive_app(app):
    app.config["ARCHIVE_BACKGROUND"] = False  # import inside the request: deterministic
    return app


def _upload(b, files, **extra):
    data = {"archivos": [(io.BytesIO(content), name) for name, content in files], **extra}
    return b.post_form("/archivo/importar", data, content_type="multipart/form-data")


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_only_the_archivist_imports_and_reviews(archive_app, browser, client):
    assert client.get("/archivo/importar").status_code == 302  # to the login page
    drafter = browser("redactor")
    for path in ("/archivo/importar", "/archivo/revision", "/archivo/importaciones/1"):
        assert drafter.get(path).status_code == 403
    refused = _upload(drafter, [("a.pdf", b"%PDF")])
    assert refused.status_code == 403 and "No tiene permiso" in _text(refused)
    with archive_app.extensions["docsys.sessions"]() as session:
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 0
    page = browser("archivo").get("/archivo/importar")
    assert page.status_code == 200 and 'name="archivos"' in _text(page) and "multiple" in _text(page)
    assert "Hasta 500 archivos y 200 MB por envío; cada archivo hasta 50 MB." in _text(page)
    assert "Importar al archivo" in _text(browser("archivo").get("/"))  # the nav link


def test_upload_many_files_and_read_the_batch_report(archive_app, browser, pdf_of, docx_of,
                                                     scan_bytes, norms):
    archivist = browser("archivo")
    response = _upload(archivist, [("RA escaneada.pdf", scan_bytes), ("RGM.docx", docx_of(1)),
                                   ("escaneos/2019/OM.pdf", pdf_of(4)), ("foto.png", b"\x89PNG\r\n\x1a\n" + bytes(40)),
                                   ("otra copia.pdf", pdf_of(4))])
    assert response.status_code == 302
    report = archivist.get(response.headers["Location"])
    html = _text(report)
    assert report.status_code == 200 and "Terminada." in html
    assert 'id="count-imported">3<' in html and 'id="count-duplicate">1<' in html
    assert 'id="count-failed">1<' in html and "imagen PNG" in html
    assert "<td>OM.pdf</td>" in html and "escaneos/" not in html
    assert norms[0].heading in html and "OCR 9" in html  # the scan, OCR'd with ~90+%
    assert "Ya estaba:" in html
    with archive_app.extensions["docsys.sessions"]() as session:
        batch = session.scalar(select(ImportBatch))
        assert batch.source == "web" and batch.finished_at is not None
        assert batch.created_by.username == "archivo"
    assert not list(uploads.upload_dir(archive_app.config).iterdir())  # staging emptied
    listing = _text(archivist.get("/archivo/importar"))
    assert "Carga desde el navegador (5 archivos)" in listing and "Terminada" in listing


def test_upload_without_csrf_or_files_or_over_the_limits(archive_app, browser, pdf_of):
    archivist = browser("archivo")
    refused = _upload(archivist, [("a.pdf", pdf_of(1))], csrf_token="falso")
    assert refused.status_code == 400 and "token CSRF" in _text(refused)
    empty = _upload(archivist, [])
    assert empty.status_code == 400 and "Elija al menos un archivo" in _text(empty)
    archive_app.config["ARCHIVE_MAX_UPLOAD_BYTES"] = 4000
    too_big = _upload(archivist, [("a.pdf", pdf_of(1))])
    assert too_big.status_code == 413 and "varias partes" in _text(too_big)
    archive_app.config["ARCHIVE_MAX_UPLOAD_BYTES"] = 10 * 1024 * 1024
    archive_app.config["ARCHIVE_MAX_FILE_BYTES"] = 4000
    one_big = _upload(archivist, [("grande.pdf", pdf_of(1))])
    assert one_big.status_code == 302
    report = _text(archivist.get(one_big.headers["Location"]))
    assert "pesa" in report and "máximo permitido" in report
    with archive_app.extensions["docsys.sessions"]() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 1


def test_review_queue_form_and_confirmation(archive_app, browser):
    archivist = browser("archivo")
    _upload(archivist, [("sin número.txt", DOUBTFUL.encode())])
    queue = _text(archivist.get("/archivo/revision"))
    assert 'id="queue-total">1<' in queue and "sin número.txt" in queue
    assert "Número, Año" in queue and "<td>Texto</td>" in queue  # how it was read
    with archive_app.extensions["docsys.sessions"]() as session:
        document_id = session.scalar(select(Document.id))
    form = archivist.get(f"/archivo/normas/{document_id}/revisar")
    html = _text(form)
    assert form.status_code == 200
    assert "puente peatonal de Kepashiato" in html  # the extracted text, beside the form
    assert 'value="2022"' in html and 'value="2022-08-22"' in html
    assert "No se pudo leer: confírmelo." in html  # the number
    assert "Propuesto a partir de otros datos: confírmelo." in html  # the year, from the date

    values = {"doc_type": "RGM", "number": "0087-2022-GM-MDM", "year": "2023", "office": "GM",
              "date": "2022-08-22", "sumilla": "Aprobar la liquidación", "version": "1"}
    wrong = archivist.post_form(f"/archivo/normas/{document_id}/revisar", values)
    assert wrong.status_code == 400 and "indica el año 2022" in _text(wrong)
    assert 'value="0087-2022-GM-MDM"' in _text(wrong)  # what was typed is kept
    done = archivist.post_form(f"/archivo/normas/{document_id}/revisar", {**values, "year": "2022"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/archivo/revision")
    assert "No hay normas por revisar" in _text(archivist.get("/archivo/revision"))
    stale = archivist.post_form(f"/archivo/normas/{document_id}/revisar", {**values, "year": "2022"})
    assert stale.status_code == 409 and "Otra persona modificó" in _text(stale)

    found = _text(archivist.get("/buscar?q=rgm+87-2022"))
    assert "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0087-2022-GM-MDM" in found
    with archive_app.extensions["docsys.sessions"]() as session:
        assert session.scalar(select(AuditEntry.action).order_by(AuditEntry.seq.desc())) == \
            "archive_confirm"


def test_the_review_form_confirms_a_type_given_without_a_number(archive_app, browser):
    """The form no longer requires a number: a Constitution is confirmed with the number left
    blank (a number for it is refused in Spanish), and its page opens on the portal."""
    archivist = browser("archivo")
    _upload(archivist, [("constitución.txt", DOUBTFUL.encode())])
    with archive_app.extensions["docsys.sessions"]() as session:
        document_id = session.scalar(select(Document.id))
    form = _text(archivist.get(f"/archivo/normas/{document_id}/revisar"))
    assert 'name="number" value="" placeholder' in form and "En blanco para la Constitución" in form
    values = {"doc_type": "CONST", "number": "", "year": "1933", "office": "SG",
              "date": "1933-04-09", "sumilla": "Constitución Política del Perú de 1933",
              "version": "1"}
    numbered = archivist.post_form(f"/archivo/normas/{document_id}/revisar",
                                   {**values, "number": "1-1933"})
    assert numbered.status_code == 400 and "no lleva número" in _text(numbered)
    done = archivist.post_form(f"/archivo/normas/{document_id}/revisar", values)
    assert done.status_code == 302
    page = archive_app.test_client().get("/normas/constitucion/1933")
    assert page.status_code == 200 and "Constitución Política del Perú de 1933" in _text(page)


def test_norm_page_original_download_inbox_editor_and_api(archive_app, browser, api_token,
                                                          pdf_of, norms):
    archivist = browser("archivo")
    _upload(archivist, [("RA 2022.pdf", pdf_of(0))])
    with archive_app.extensions["docsys.sessions"]() as session:
        document_id = session.scalar(select(Document.id))
    drafter = browser("redactor2")  # another office: a published norm is public
    page = _text(drafter.get(f"/archivo/normas/{document_id}"))
    assert norms[0].heading in page and "Descargar el original" in page
    assert "Revisar datos" not in page and "Corregir datos" not in page
    assert '<a href="/buscar">← Búsqueda</a>' in page and "/archivo/revision" not in page
    own = _text(archivist.get(f"/archivo/normas/{document_id}"))
    assert "Corregir datos" in own and 'href="/archivo/revision">Revisión de datos' in own
    original = drafter.get(f"/archivo/normas/{document_id}/original")
    assert original.status_code == 200 and original.data == pdf_of(0)
    assert 'filename="RA 2022.pdf"' in original.headers["Content-Disposition"] or \
        "RA%202022.pdf" in original.headers["Content-Disposition"]
    assert drafter.get(f"/documentos/{document_id}").headers["Location"].endswith(
        f"/archivo/normas/{document_id}")
    assert norms[0].heading not in _text(archivist.get("/"))  # not in the inbox
    assert archivist.get("/archivo/normas/9999").status_code == 404
    assert archivist.get("/archivo/normas/abc/original").status_code == 404

    token = api_token("redactor")
    headers = {"Authorization": f"Bearer {token}"}
    body = archive_app.test_client().get(f"/api/v1/documents/{document_id}", headers=headers).get_json()
    assert body["origin"] == "importado" and body["official_number"] == norms[0].heading
    assert body["status"] == "publicado" and body["legal_status"] == "vigente"
    assert body["archive"]["method"] == "pdf-text" and body["archive"]["needs_review"] is False
    assert body["url"].endswith(f"/archivo/normas/{document_id}")
    assert norms[0].heading in body["content"]["sections"][0]["items"][0]["text"]
    api_original = archive_app.test_client().get(body["archive"]["original"], headers=headers)
    assert api_original.status_code == 200 and api_original.data == pdf_of(0)
    hits = archive_app.test_client().get(
        f"/api/v1/search?q=resolución+de+alcaldía+{norms[0].number}-{norms[0].year}",
        headers=headers).get_json()
    assert hits["hits"][0]["document_id"] == document_id and hits["hits"][0]["published"]
    assert archive_app.test_client().get(f"/api/v1/documents/{document_id}/original").status_code == 401
    spec = archive_app.test_client().get("/api/v1/openapi.json").get_json()
    assert "/documents/{document_id}/original" in spec["paths"]
    with archive_app.extensions["docsys.sessions"]() as session:
        downloads = session.scalars(select(AuditEntry).where(AuditEntry.action == "download")).all()
        assert [d.details.get("via") for d in downloads] == [None, "api"]


def test_the_background_worker_imports_uploads_and_resumes_stale_ones(app, browser, pdf_of):
    app.config["ARCHIVE_BACKGROUND"] = True
    archivist = browser("archivo")
    response = _upload(archivist, [("RA.pdf", pdf_of(0)), ("OM.pdf", pdf_of(4))])
    location = response.headers["Location"]
    deadline = time.monotonic() + 30
    while "Terminada." not in _text(archivist.get(location)):
        assert time.monotonic() < deadline, "the worker did not finish"
        time.sleep(0.2)
    assert 'id="count-imported">2<' in _text(archivist.get(location))

    # A claim left by a process that died is given back and imported.
    app.config["ARCHIVE_BACKGROUND"] = False
    factory = app.extensions["docsys.sessions"]
    with factory() as session:
        batch = ImportBatch(source="web", label="interrumpida", created_by_id=session.scalar(
            select(ImportBatch.created_by_id)))
        session.add(batch)
        session.flush()
        record = ImportedFile(batch_id=batch.id, filename="DA.pdf", status="processing",
                              claimed_at=utcnow() - timedelta(hours=2))
        session.add(record)
        session.commit()
        uploads.staged_path(app.config, record.id).write_bytes(pdf_of(5))
        batch_id = batch.id
    report = _text(archivist.get(f"/archivo/importaciones/{batch_id}"))
    assert "Terminada." in report and 'id="count-imported">1<' in report


def test_upload_and_confirm_on_postgresql(pg_app, browser_pg):
    pg_app.config["ARCHIVE_BACKGROUND"] = False
    archivist = browser_pg("archivo")
    report = archivist.get(_upload(archivist, [("sin número.txt", DOUBTFUL.encode())])
                           .headers["Location"])
    assert 'id="count-imported">1<' in _text(report)
    with pg_app.extensions["docsys.sessions"]() as session:
        document_id = session.scalar(select(Document.id))
    done = archivist.post_form(f"/archivo/normas/{document_id}/revisar", {
        "doc_type": "RGM", "number": "87", "year": "2022", "office": "GM", "date": "2022-08-22",
        "sumilla": "Aprobar la liquidación", "version": "1"})
    assert done.status_code == 302
    with pg_app.extensions["docsys.sessions"]() as session:
        assert session.get(Document, document_id).official_number == \
            "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 087-2022-GM-MDM"


@pytest.fixture
def browser_pg(pg_app):
    from tests.conftest import Browser

    def make(username):
        b = Browser(pg_app.test_client())
        assert b.login(username).status_code == 302
        return b
    return make


HUGE = "9" * 40  # past any database integer


def test_hostile_ids_pages_and_forms_get_a_spanish_4xx_and_change_nothing(archive_app, browser):
    archivist = browser("archivo")
    _upload(archivist, [("sin número.txt", DOUBTFUL.encode())])
    with archive_app.extensions["docsys.sessions"]() as session:
        document_id = session.scalar(select(Document.id))
    for path in (f"/archivo/normas/{HUGE}", f"/archivo/normas/{HUGE}/revisar",
                 f"/archivo/normas/{HUGE}/original", "/archivo/normas/-1", "/archivo/normas/1.5",
                 f"/archivo/importaciones/{HUGE}", "/archivo/importaciones/0"):
        response = archivist.get(path)
        assert response.status_code == 404, path
        assert "no existe" in _text(response), path
    for page in (HUGE, "-5", "abc", "1e9"):
        listing = archivist.get(f"/archivo/revision?pagina={page}")
        assert listing.status_code == 200 and 'id="queue-total">1<' in _text(listing), page

    form = f"/archivo/normas/{document_id}/revisar"
    good = {"doc_type": "RGM", "number": "87", "year": "2022", "office": "GM",
            "date": "2022-08-22", "sumilla": "Aprobar la liquidación", "version": "1"}
    refused = [({"version": HUGE}, 400, "Falta la versión"),
               ({"version": "abc"}, 400, "Falta la versión"),
               ({"version": "7"}, 409, "Otra persona modificó"),
               ({"number": "9" * 40}, 400, "empezar con cifras"),
               ({"year": HUGE}, 400, "no es válido"),
               ({"date": "0001-01-01"}, 400, "no es válida"),
               ({"doc_type": ""}, 400, "Elija el tipo"),
               ({"office": ""}, 400, "Elija la oficina")]
    for change, status, message in refused:
        response = archivist.post_form(form, {**good, **change})
        assert response.status_code == status, change
        assert message in _text(response), change
    missing = archivist.post_form(form, {"version": "1"})
    assert missing.status_code == 400 and "Elija el tipo de norma" in _text(missing)
    no_csrf = archivist.client.post(form, data=good)
    assert no_csrf.status_code == 400 and "token CSRF" in _text(no_csrf)
    assert archivist.client.put(form).status_code == 405
    assert archivist.client.delete("/archivo/importar").status_code == 405
    with archive_app.extensions["docsys.sessions"]() as session:
        document = session.get(Document, document_id)
        assert document.official_number is None and document.latest_version == 1

    # Other roles read the norm but neither review it nor see the import pages.
    for username in ("redactor", "asesor", "gerente", "admin"):
        other = browser(username)
        assert other.get(f"/archivo/normas/{document_id}").status_code == 200
        refusal = other.post_form(form, good)
        assert refusal.status_code == 403 and "No tiene permiso" in _text(refusal)
        assert other.get("/archivo/importaciones/1").status_code == 403
