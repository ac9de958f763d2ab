"""Drafting through Flask's test client: create, edit, save, conflict, history, restore,
downloads (DOCX read back with python-docx, PDF read back with pypdf)."""
from io import BytesIO

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader

RGM = "resolucion-gerencia-municipal"


def create_draft(b, sumilla="Aprobar el expediente técnico del proyecto de Timpía", **fields):
    response = b.post_form(f"/documentos/nuevo/{RGM}", {"sumilla": sumilla, **fields})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def content_of(b, doc_id, number):
    response = b.get(f"/documentos/{doc_id}/versiones/{number}/contenido")
    assert response.status_code == 200
    return response.get_json()["content"]


def with_article(content, text):
    articles = next(s for s in content["sections"] if s["kind"] == "articles")
    articles["items"][0]["text"] = text
    return content


def test_choose_template_lists_all_templates(browser):
    html = browser("redactor").get("/documentos/nuevo").get_data(as_text=True)
    for name in ["Resolución de Alcaldía", "Resolución de Gerencia Municipal", "Ordenanza Municipal",
                 "Decreto de Alcaldía", "Acuerdo de Concejo", "Directiva"]:
        assert name in html


def test_create_form_asks_for_template_fields(browser):
    html = browser("redactor").get(f"/documentos/nuevo/{RGM}").get_data(as_text=True)
    assert 'name="sumilla"' in html and 'name="expediente"' in html


def test_create_edit_save_history(browser):
    b = browser("redactor")
    doc_id = create_draft(b, expediente="2024-001234")
    page = b.get(f"/documentos/{doc_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Aprobar el expediente técnico del proyecto de Timpía" in html
    assert "SE RESUELVE" in html  # the live preview
    content = with_article(content_of(b, doc_id, 1), "APROBAR el Expediente Técnico de Timpía.")
    saved = b.post_json(f"/documentos/{doc_id}/guardar",
                        {"content": content, "base_version": 1, "note": "Ajuste del artículo"})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    assert saved.get_json()["version"] == 2
    history = b.get(f"/documentos/{doc_id}/historial").get_data(as_text=True)
    assert "v1" in history and "v2" in history and "Ajuste del artículo" in history
    assert "Rosa Quispe Huamán" in history
    version_page = b.get(f"/documentos/{doc_id}/versiones/2").get_data(as_text=True)
    assert "APROBAR el Expediente Técnico de Timpía." in version_page


def test_missing_required_field_keeps_the_form(browser):
    b = browser("redactor")
    response = b.post_form(f"/documentos/nuevo/{RGM}", {"sumilla": "  ", "expediente": "2024-9"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "obligatorio" in html and "2024-9" in html


def test_unknown_template_is_404(browser):
    response = browser("redactor").get("/documentos/nuevo/no-existe")
    assert response.status_code == 404
    assert "no existe" in response.get_data(as_text=True)


def test_stale_save_gets_409_and_nothing_changes(browser):
    rosa, carmen = browser("redactor"), browser("redactor")  # Rosa again, in an old tab
    doc_id = create_draft(rosa)
    base = content_of(rosa, doc_id, 1)
    first = rosa.post_json(f"/documentos/{doc_id}/guardar",
                           {"content": with_article(dict(base), "Texto de Rosa"), "base_version": 1})
    assert first.status_code == 200
    second = carmen.post_json(f"/documentos/{doc_id}/guardar",
                              {"content": with_article(content_of(carmen, doc_id, 1), "Texto de Carmen"),
                               "base_version": 1})
    assert second.status_code == 409
    error = second.get_json()["error"]
    # The same person in a page left behind is not told that "otra persona" saved.
    assert error["current_version"] == 2 and error["same_author"] is True
    assert "usted ya guardó la versión 2" in error["message"]
    assert "otra persona" not in error["message"]
    latest = content_of(rosa, doc_id, 2)
    assert "Texto de Rosa" in str(latest) and "Texto de Carmen" not in str(latest)
    assert rosa.get(f"/documentos/{doc_id}/versiones/3/contenido").status_code == 404


@pytest.mark.parametrize("payload, status, fragment", [
    ("no es json", 400, "JSON válido"),
    ({"content": None, "base_version": 1}, 400, "objeto JSON"),
    ({"content": {"doc_type": "RGM", "fields": {"sumilla": ""}, "sections": []}, "base_version": 1},
     400, "sumilla"),
    ({"content": {"doc_type": "RGM", "fields": {"sumilla": "x"}, "sections": []}}, 400, "versión base"),
    ({"content": {"doc_type": "RGM", "fields": {"sumilla": "x" * 5000}, "sections": []},
      "base_version": 1}, 400, "máximo"),
])
def test_bad_saves_get_spanish_400(browser, payload, status, fragment):
    b = browser("redactor")
    doc_id = create_draft(b)
    if isinstance(payload, str):
        response = b.client.post(f"/documentos/{doc_id}/guardar", data=payload,
                                 headers={"X-CSRFToken": b.csrf, "Content-Type": "application/json"})
    else:
        response = b.post_json(f"/documentos/{doc_id}/guardar", payload)
    assert response.status_code == status
    assert fragment in response.get_json()["error"]["message"]
    assert b.get(f"/documentos/{doc_id}/versiones/2/contenido").status_code == 404


def test_oversized_request_gets_413(app, browser):
    b = browser("redactor")
    doc_id = create_draft(b)
    huge = {"content": {"doc_type": "RGM", "fields": {"sumilla": "x"},
                        "sections": [{"key": "a", "kind": "paragraphs", "items": ["x" * 3_000_000]}]},
            "base_version": 1}
    response = b.post_json(f"/documentos/{doc_id}/guardar", huge)
    assert response.status_code == 413
    assert "demasiado grande" in response.get_json()["error"]["message"]


def test_nonexistent_document_and_version(browser):
    b = browser("redactor")
    for path in ["/documentos/999999", "/documentos/abc", "/documentos/999999/historial"]:
        response = b.get(path)
        assert response.status_code == 404
        assert "no existe" in response.get_data(as_text=True)
    doc_id = create_draft(b)
    assert b.get(f"/documentos/{doc_id}/versiones/7").status_code == 404
    assert b.get(f"/documentos/{doc_id}/versiones/7/descargar.pdf").status_code == 404


def test_other_office_drafter_cannot_see_or_save(browser):
    rosa, luis = browser("redactor"), browser("redactor2")
    doc_id = create_draft(rosa)
    assert luis.get(f"/documentos/{doc_id}").status_code == 403
    assert luis.get(f"/documentos/{doc_id}/historial").status_code == 403
    response = luis.post_json(f"/documentos/{doc_id}/guardar",
                              {"content": content_of(rosa, doc_id, 1), "base_version": 1})
    assert response.status_code == 403
    inbox = luis.get("/").get_data(as_text=True)
    assert "proyecto de Timpía" not in inbox
    assert "proyecto de Timpía" in rosa.get("/").get_data(as_text=True)


def test_signer_reads_but_cannot_edit(browser):
    rosa, jorge = browser("redactor"), browser("gerente")
    doc_id = create_draft(rosa)
    page = jorge.get(f"/documentos/{doc_id}")
    assert page.status_code == 200
    response = jorge.post_json(f"/documentos/{doc_id}/guardar",
                               {"content": content_of(rosa, doc_id, 1), "base_version": 1})
    assert response.status_code == 403


def test_restore_from_history(browser):
    b = browser("redactor")
    doc_id = create_draft(b)
    original = content_of(b, doc_id, 1)
    b.post_json(f"/documentos/{doc_id}/guardar",
                {"content": with_article(content_of(b, doc_id, 1), "Cambiado"), "base_version": 1})
    response = b.post_form(f"/documentos/{doc_id}/versiones/1/restaurar", {"base_version": "2"})
    assert response.status_code == 302
    assert content_of(b, doc_id, 3) == original
    stale = b.post_form(f"/documentos/{doc_id}/versiones/1/restaurar", {"base_version": "2"})
    assert stale.status_code == 409


def test_preview_renders_unsaved_content_escaped(browser):
    b = browser("redactor")
    doc_id = create_draft(b)
    content = with_article(content_of(b, doc_id, 1), "<script>alert(1)</script> APROBAR")
    response = b.post_json(f"/documentos/{doc_id}/vista-previa", {"content": content})
    assert response.status_code == 200
    html = response.get_json()["html"]
    assert "&lt;script&gt;" in html and "<script>" not in html


def _docx_text(data: bytes) -> str:
    doc = DocxDocument(BytesIO(data))
    return "\n".join(p.text for p in doc.paragraphs)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_download_docx_and_pdf_of_each_version(browser):
    b = browser("redactor")
    doc_id = create_draft(b)
    b.post_json(f"/documentos/{doc_id}/guardar",
                {"content": with_article(content_of(b, doc_id, 1), "APROBAR la versión dos."),
                 "base_version": 1})
    docx = b.get(f"/documentos/{doc_id}/versiones/2/descargar.docx")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    assert "attachment" in docx.headers["Content-Disposition"]
    assert "APROBAR la versión dos." in _docx_text(docx.data)
    pdf = b.get(f"/documentos/{doc_id}/versiones/2/descargar.pdf")
    assert pdf.status_code == 200 and pdf.data[:5] == b"%PDF-"
    pdf_text = " ".join(_pdf_text(pdf.data).split())
    assert "APROBAR la versión dos." in pdf_text
    assert "RESOLUCIÓN DE GERENCIA MUNICIPAL" in pdf_text
    old = b.get(f"/documentos/{doc_id}/versiones/1/descargar.docx")
    assert "APROBAR la versión dos." not in _docx_text(old.data)
    assert b.get(f"/documentos/{doc_id}/versiones/1/descargar.exe").status_code == 400


def test_every_template_creates_a_draft_that_renders(browser):
    b = browser("redactor")
    html = b.get("/documentos/nuevo").get_data(as_text=True)
    import re
    keys = sorted(set(re.findall(r'/documentos/nuevo/([a-z0-9-]+)"', html)))
    assert len(keys) >= 6
    for key in keys:
        response = b.post_form(f"/documentos/nuevo/{key}", {"sumilla": f"Prueba de {key}"})
        assert response.status_code == 302, (key, response.get_data(as_text=True)[:500])
        doc_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
        assert b.get(f"/documentos/{doc_id}").status_code == 200
        docx = b.get(f"/documentos/{doc_id}/versiones/1/descargar.docx")
        assert f"Prueba de {key}" in DocxDocument(BytesIO(docx.data)).core_properties.title
