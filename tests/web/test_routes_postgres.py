"""The main drafting flow through HTTP on PostgreSQL (the route suite runs on SQLite)."""
from tests.conftest import Browser
from tests.web.test_drafts_routes import RGM, content_of, with_article


def test_create_save_conflict_download_on_postgres(pg_app):
    rosa, carmen = Browser(pg_app.test_client()), Browser(pg_app.test_client())
    assert rosa.login("redactor").status_code == 302
    assert carmen.login("redactor").status_code == 302  # Rosa again, in an old tab
    created = rosa.post_form(f"/documentos/nuevo/{RGM}", {"sumilla": "Aprobar el POI 2025"})
    assert created.status_code == 302
    doc_id = int(created.headers["Location"].rstrip("/").split("/")[-1])
    saved = rosa.post_json(f"/documentos/{doc_id}/guardar",
                           {"content": with_article(content_of(rosa, doc_id, 1), "APROBAR el POI."),
                            "base_version": 1, "note": "Redacción"})
    assert saved.status_code == 200 and saved.get_json()["version"] == 2
    stale = carmen.post_json(f"/documentos/{doc_id}/guardar",
                             {"content": content_of(carmen, doc_id, 1), "base_version": 1})
    assert stale.status_code == 409
    assert "Redacción" in rosa.get(f"/documentos/{doc_id}/historial").get_data(as_text=True)
    pdf = rosa.get(f"/documentos/{doc_id}/versiones/2/descargar.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
