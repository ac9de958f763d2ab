"""The municipal shield and letterhead logo over HTTP: an administrator uploads them (PNG or
JPEG judged by content, size-limited), the PDF of a document carries them in its letterhead
(read back with pypdf), the portal shows them, and the blob collector keeps them."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import os

import docx
from PIL import Image
from pypdf import PdfReader

from docsys import housekeeping
from tests.web.test_drafts_routes import create_draft


def _image(fmt: str, size: tuple[int, int], color: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def _upload(b, key, data, filename):
    return b.post_form("/admin/institucion", {"image": key, "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def test_admin_uploads_shield_and_letterhead_shown_on_documents_and_portal(app, browser):
    shield = _image("PNG", (120, 140), "darkred")
    logo = _image("JPEG", (200, 90), "navy")
    admin, rosa = browser("admin"), browser("redactor")
    public = app.test_client()
    assert public.get("/institucion/escudo").status_code == 404
    # Only an administrator.
    assert rosa.get("/admin/institucion").status_code == 403
    assert _upload(rosa, "shield", shield, "escudo.png").status_code == 403
    # Judged by content, not by name; size-limited; clear 400s.
    refusals = [
        (b"no soy una imagen", "escudo.png", "no es una imagen PNG o JPEG"),
        (shield[:len(shield) // 2], "escudo.png", "no es una imagen PNG o JPEG"),
        (_image("GIF", (20, 20), "red"), "escudo.png", "debe ser una imagen PNG o JPEG"),
        (os.urandom(1100 * 1024), "escudo.png", "pesa más de 1024 KB"),
    ]
    for data, name, message in refusals:
        refused = _upload(admin, "shield", data, name)
        assert refused.status_code == 400 and message in refused.get_data(as_text=True), message
    assert _upload(admin, "otra", shield, "escudo.png").status_code == 400
    assert public.get("/institucion/escudo").status_code == 404

    assert _upload(admin, "shield", shield, "x.bin").status_code == 302
    assert _upload(admin, "letterhead", logo, "logo.jpg").status_code == 302
    page = admin.get("/admin/institucion").get_data(as_text=True)
    assert 'src="/institucion/escudo"' in page and 'src="/institucion/membrete"' in page

    # The portal shows them, served as stored (by content type, never sniffed).
    portal = public.get("/normas").get_data(as_text=True)
    assert 'id="portal-shield"' in portal and 'id="portal-letterhead"' in portal
    served = public.get("/institucion/escudo")
    assert served.status_code == 200 and served.mimetype == "image/png" and served.data == shield
    assert public.get("/institucion/membrete").mimetype == "image/jpeg"
    assert public.get("/institucion/otra").status_code == 404

    # A document's PDF carries both in its letterhead, on every page; the editor's preview
    # links them (no megabytes of base64 in each preview).
    doc_id = create_draft(rosa)
    editor = rosa.get(f"/documentos/{doc_id}").get_data(as_text=True)
    assert 'class="doc-shield" src="/institucion/escudo"' in editor
    assert 'src="/institucion/membrete"' in editor and "data:image/png" not in editor
    pdf = rosa.get(f"/documentos/{doc_id}/versiones/1/descargar.pdf")
    assert pdf.status_code == 200
    reader = PdfReader(io.BytesIO(pdf.data))
    for pdf_page in reader.pages:
        sizes = sorted(image.image.size for image in pdf_page.images)
        assert sizes == [(120, 140), (200, 90)], sizes
    assert "MUNICIPALIDAD DISTRITAL DE MEGANTONI" in reader.pages[0].extract_text()
    # And the Word version, in its page header.
    word = rosa.get(f"/documentos/{doc_id}/versiones/1/descargar.docx")
    assert word.status_code == 200
    header = docx.Document(io.BytesIO(word.data)).sections[0].header
    pictures = sorted(part.blob for part in header.part.related_parts.values()
                      if part.content_type.startswith("image/"))
    assert pictures == sorted([shield, logo])
    assert "MUNICIPALIDAD DISTRITAL DE MEGANTONI" in "\n".join(p.text for p in header.paragraphs)

    # The blob collector keeps the images (they are referenced from the settings table).
    report = housekeeping.collect_garbage(app.extensions["docsys.sessions"],
                                          app.config["BLOB_DIR"], grace=dt.timedelta(0))
    assert hashlib.sha256(shield).hexdigest() not in report.removed
    assert public.get("/institucion/escudo").data == shield
    # Replacing the shield: the new one is served.
    smaller = _image("PNG", (60, 70), "darkred")
    assert _upload(admin, "shield", smaller, "escudo.png").status_code == 302
    assert public.get("/institucion/escudo").data == smaller
    audit = admin.get("/admin/auditoria").get_data(as_text=True)
    assert "Escudo o membrete cambiado" in audit
