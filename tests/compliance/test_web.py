"""Compliance pages and API through Flask's test client (SQLite; a PostgreSQL run at the end)."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from docsys.db import transaction
from docsys.models import Document, NormRelation
from tests.compliance.files import docx_bytes, pdf_bytes
from tests.compliance.support import CUIS, DELEGATION, REPEALER, ROF, add_norm
from tests.web.test_api import api  # noqa: F401  (the API client fixture)

TEXT = ("RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0099-2026-GM-MDM\nVISTO:\nEl Informe N° 1-2026-GM-MDM;"
        "\nCONSIDERANDO:\nQue, conforme a la Ordenanza Municipal N° 008-2021-MDM y a la Ley N° "
        "27972, y en uso de las facultades delegadas;\nSE RESUELVE:\nARTÍCULO PRIMERO.- APROBAR "
        "el Cuadro Único de Infracciones y Sanciones para el comercio ambulatorio.\n"
        "REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE.")


def seed_archive(app, confirm=True):
    with transaction(app.extensions["docsys.sessions"]) as session:
        ids = {"rof": add_norm(session, ROF).id, "cuis": add_norm(session, CUIS).id,
               "delegation": add_norm(session, DELEGATION, office="A").id,
               "repealer": add_norm(session, REPEALER).id}
        ids["relation"] = session.scalar(select(NormRelation.id))
    if confirm:
        from tests.conftest import get_user
        from docsys.compliance.norms import confirm_relation
        with transaction(app.extensions["docsys.sessions"]) as session:
            confirm_relation(session, session.get(NormRelation, ids["relation"]),
                             get_user(session, "archivo"))
    return ids


# ---- the check page ---------------------------------------------------------------------

def test_check_page_with_pasted_text(app, browser):
    ids = seed_archive(app)
    b = browser("redactor")
    page = b.get("/cumplimiento").get_data(as_text=True)
    assert "Revisión de cumplimiento" in page and 'name="file"' in page
    response = b.post_form("/cumplimiento", {"text": TEXT, "doc_type": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "La Ordenanza Municipal N° 008-2021-MDM está derogada" in html
    assert f'/normas/{ids["cuis"]}/relaciones' in html
    assert 'class="cite cite-repealed"' in html and "Normas similares del archivo" in html
    assert "ORDENANZA MUNICIPAL N° 008-2021-MDM</a>" in html          # a similar norm
    # Ley 27972 is not in this archive: said so, not only that it is national
    assert "No está en el archivo: norma nacional o de otra entidad</span>" in html
    assert "&lt;script&gt;" in b.post_form("/cumplimiento", {
        "text": TEXT + "\n<script>alert(1)</script>"}).get_data(as_text=True)


@pytest.mark.parametrize("name, data", [
    ("resolucion.txt", TEXT.encode("utf-8")),
    ("resolucion.docx", docx_bytes(TEXT.split("\n"))),
    ("resolucion.pdf", pdf_bytes(TEXT.split("\n"))),
    ("sin-extension", docx_bytes(TEXT.split("\n"))),
])
def test_check_page_with_a_file(app, browser, name, data):
    seed_archive(app)
    b = browser("redactor")
    response = b.post_form("/cumplimiento", {"file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert f"Informe de cumplimiento de «{name}»" in html
    assert "La Ordenanza Municipal N° 008-2021-MDM está derogada" in html


@pytest.mark.parametrize("form, status, message", [
    ({"text": ""}, 400, "El texto está vacío"),
    ({"text": "   "}, 400, "El texto está vacío"),
    ({"text": "hola", "doc_type": "XYZ"}, 400, "Tipo de documento desconocido"),
    ({"file": (io.BytesIO(bytes(range(256)) * 40), "datos.bin")}, 422, "tipo de archivo"),
    ({"file": (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * 100), "foto.png")}, 422, "imagen PNG"),
    ({"file": (io.BytesIO(b"%PDF-1.4\n1 0 obj garbage"), "roto.pdf")}, 422, "PDF"),
    ({"file": (io.BytesIO(b"PK\x03\x04 not a zip"), "roto.docx")}, 422, "Word"),
    ({"file": (io.BytesIO(b""), "vacio.txt")}, 422, "está vacío"),
    ({"file": (io.BytesIO(b"  \n "), "blancos.txt")}, 422, "está vacío"),
])
def test_bad_input_on_the_page(app, browser, form, status, message):
    b = browser("redactor")
    response = b.post_form("/cumplimiento", form, content_type="multipart/form-data")
    assert response.status_code == status
    assert message in response.get_data(as_text=True)


def test_too_much_text_and_no_csrf(app, browser):
    b = browser("redactor")
    assert b.post_form("/cumplimiento", {"text": "a" * (5 * 1024 * 1024)}).status_code == 413
    assert b.client.post("/cumplimiento", data={"text": TEXT}).status_code == 400
    assert browser().get("/cumplimiento").status_code == 302          # login first


# ---- draft versions, norms, relations ---------------------------------------------------------

def test_version_report_is_linked_from_the_editor(app, browser):
    b = browser("redactor")
    created = b.post_form("/documentos/nuevo/resolucion-gerencia-municipal", {
        "sumilla": "Aprobar el plan", "expediente": "2026-1",
        "resolucion_delegacion": "Resolución de Alcaldía N° 145-2023-A-MDM"})
    document_id = int(created.headers["Location"].rsplit("/", 1)[1])
    editor = b.get(f"/documentos/{document_id}").get_data(as_text=True)
    assert f"/documentos/{document_id}/versiones/1/cumplimiento" in editor
    page = b.get(f"/documentos/{document_id}/versiones/1/cumplimiento")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Cumplimiento de la versión 1" in html
    assert "Quedan indicaciones de la plantilla sin completar" in html
    assert "no está en el archivo normativo" in html                # RA 145-2023 not archived
    assert browser("redactor2").get(f"/documentos/{document_id}/versiones/1/cumplimiento") \
        .status_code == 403
    assert b.get(f"/documentos/{document_id}/versiones/9/cumplimiento").status_code == 404


def test_norm_page_lists_its_links(app, browser):
    ids = seed_archive(app)
    b = browser("redactor2")
    html = b.get(f"/normas/{ids['cuis']}/relaciones").get_data(as_text=True)
    assert "ORDENANZA MUNICIPAL N° 008-2021-MDM" in html and "Derogada" in html
    assert "ORDENANZA MUNICIPAL N° 002-2025-MDM</a>" in html and "Confirmada" in html
    assert "Citada por" in html
    rof = b.get(f"/normas/{ids['rof']}/relaciones").get_data(as_text=True)
    assert "Ley N° 27972" in rof and "Ninguna norma la modifica" in rof
    assert b.get("/normas/99999/relaciones").status_code == 404
    assert b.get("/normas/abc/relaciones").status_code == 404


def test_norm_page_shows_what_the_source_s_notes_record(app, browser):
    """SPIJ's notes, kept apart from docsys's relations: the norm they name is linked when
    it is in the archive, named otherwise."""
    from docsys.compliance.norms import record_source_notes
    with transaction(app.extensions["docsys.sessions"]) as session:
        rof = add_norm(session, ROF)
        cuis = add_norm(session, CUIS, analyze=False)
        record_source_notes(session, rof, (
            "(*) Artículo modificado por el [Artículo 1 de la Ordenanza Municipal N° "
            "008-2021-MDM](/spij-ext-web/detallenorma/H1), publicada el 15 junio 2021\n"
            "(*) Artículo derogado por la [Ley N° 27444](/spij-ext-web/detallenorma/H3)\n"))
        ids = {"rof": rof.id, "cuis": cuis.id}
    html = browser("redactor2").get(f"/normas/{ids['rof']}/relaciones").get_data(as_text=True)
    assert "Según las notas del texto importado</h3>" in html
    assert (f'Modificada en parte (Artículo) por <a href="/normas/{ids["cuis"]}/relaciones">'
            f'Ordenanza Municipal N° 008-2021-MDM</a>, desde el 15/06/2021') in html
    assert "Derogada en parte (Artículo) por Ley N° 27444</li>" in html
    assert "Ninguna norma la modifica" not in html


def test_api_norm_gives_the_source_s_notes_apart(app, api):
    from docsys.compliance.norms import record_source_notes
    with transaction(app.extensions["docsys.sessions"]) as session:
        rof = add_norm(session, ROF)
        record_source_notes(session, rof, "## ORDENANZA MUNICIPAL N° 012-2019-MDM (\\*)\n\n"
                            "(\\*) DEROGADA por la [Ley N° 32114](/x), publicada el 03 "
                            "setiembre 2024\n")
        rof_id = rof.id
    body = api("GET", f"/compliance/norms/{rof_id}").get_json()
    assert body["norm"]["legal_status"] == "derogada" and body["affected_by"] == []
    assert body["noted_by"] == [{
        "kind": "deroga", "part": "norma completa", "whole_norm": True,
        "by": {"canonical_id": "LEY-32114", "label": "Ley N° 32114", "document_id": None},
        "effective_date": "2024-09-03"}]


def test_archivist_confirms_and_rejects_in_the_browser(app, browser):
    ids = seed_archive(app, confirm=False)
    assert browser("redactor").get("/archivo/relaciones").status_code == 403
    b = browser("archivo")
    html = b.get("/archivo/relaciones").get_data(as_text=True)
    assert "DERÓGUESE la Ordenanza Municipal N° 008-2021-MDM" in html and "Propuestas (1)" in html
    assert b.post_form(f"/archivo/relaciones/{ids['relation']}/rechazar", {"note": ""}) \
        .status_code == 400
    response = b.post_form(f"/archivo/relaciones/{ids['relation']}/confirmar",
                           {"effective_date": "2025-03-01", "note": "Conforme"})
    assert response.status_code == 302
    assert "Derogada" in b.get(response.headers["Location"]).get_data(as_text=True)
    with transaction(app.extensions["docsys.sessions"]) as session:
        assert session.get(Document, ids["cuis"]).legal_status == "derogada"
        assert session.get(NormRelation, ids["relation"]).effective_date == "2025-03-01"
    assert b.post_form(f"/archivo/relaciones/{ids['relation']}/confirmar", {}).status_code == 409
    assert b.post_form(f"/archivo/relaciones/{ids['relation']}/borrar", {}).status_code == 404
    assert b.post_form("/archivo/relaciones/777/confirmar", {}).status_code == 404
    b.post_form(f"/archivo/relaciones/{ids['relation']}/rechazar", {"note": "Error de lectura"})
    with transaction(app.extensions["docsys.sessions"]) as session:
        assert session.get(Document, ids["cuis"]).legal_status == "vigente"
    # the status filter of the search follows
    assert "008-2021" in b.get("/buscar?q=estado:vigente+cuadro").get_data(as_text=True)


# ---- the API ---------------------------------------------------------------------------------

def test_api_check_json_and_file(app, api):
    ids = seed_archive(app)
    response = api("POST", "/compliance/check", json={"text": TEXT})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["doc_type"] == "RGM" and body["own_number"].startswith("RESOLUCIÓN DE GERENCIA")
    cuis = next(c for c in body["citations"] if c["canonical_id"] == "OM-8-2021")
    assert cuis["match"]["document_id"] == ids["cuis"] and cuis["match"]["legal_status"] == "derogada"
    assert cuis["match"]["url"].endswith(f"/api/v1/compliance/norms/{ids['cuis']}")
    assert TEXT[cuis["start"]:cuis["end"]] == cuis["text"]
    assert body["warnings"][0]["kind"] == "repealed" and body["warnings"][0]["by_document_id"] \
        == ids["repealer"]
    assert body["similar"] and {"passages", "score", "overlap"} <= set(body["similar"][0])
    upload = api("POST", "/compliance/check", data={"file": (io.BytesIO(docx_bytes(TEXT.split("\n"))),
                                                  "r.docx"), "doc_type": "RGM"},
                 content_type="multipart/form-data")
    assert upload.status_code == 200 and upload.get_json()["file"] == "r.docx"
    assert upload.get_json()["summary"]["citations"] == body["summary"]["citations"]


@pytest.mark.parametrize("kwargs, status, message", [
    ({"json": {"text": ""}}, 400, "vacío"),
    ({"json": {}}, 400, "Envíe el texto"),
    ({"json": {"text": ["no"]}}, 400, "cadena"),
    ({"json": ["text"]}, 400, "objeto JSON"),
    ({"data": "{no json", "content_type": "application/json"}, 400, "objeto JSON"),
    ({"json": {"text": "x", "doc_type": "ZZ"}}, 400, "Tipo de documento desconocido"),
    ({"json": {"text": "a" * (5 * 1024 * 1024)}}, 413, "demasiado grande"),
    ({"data": {"file": (io.BytesIO(b"\x7fELF\x02\x01" + bytes(300)), "x.txt")},
      "content_type": "multipart/form-data"}, 422, "ejecutable"),
])
def test_api_bad_input(api, kwargs, status, message):
    response = api("POST", "/compliance/check", **kwargs)
    assert response.status_code == status
    assert message in response.get_json()["error"]["message"]


def test_api_needs_a_token(api):
    assert api("POST", "/compliance/check", username=None, json={"text": TEXT}).status_code == 401


def test_api_version_report_norms_and_relations(app, api):
    ids = seed_archive(app, confirm=False)
    norm = api("GET", f"/compliance/norms/{ids['cuis']}").get_json()
    assert norm["norm"]["legal_status"] == "vigente"
    assert norm["affected_by"][0]["status"] == "propuesta"
    pending = api("GET", "/compliance/relations").get_json()["relations"]
    assert [r["id"] for r in pending] == [ids["relation"]]
    assert api("GET", "/compliance/relations?limit=x").status_code == 400
    assert api("GET", "/compliance/relations?status=otra").status_code == 400
    path = f"/compliance/relations/{ids['relation']}"
    assert api("POST", path + "/confirm", json={}).status_code == 403            # a drafter
    bad = api("POST", path + "/confirm", username="archivo", json={"effective_date": "ayer"})
    assert bad.status_code == 400
    done = api("POST", path + "/confirm", username="archivo", json={"note": "ok"})
    assert done.status_code == 200 and done.get_json()["target"]["legal_status"] == "derogada"
    assert api("POST", path + "/reject", username="archivo", json={}).status_code == 400
    assert api("POST", path + "/reject", username="archivo", json={"note": "No aplica"}) \
        .get_json()["status"] == "rechazada"
    assert api("POST", "/compliance/relations/999/confirm", username="archivo").status_code == 404
    assert api("GET", "/compliance/norms/999").status_code == 404
    assert api("GET", "/compliance/relations?status=todas").get_json()["relations"][0]["status"] == \
        "rechazada"



def test_api_version_report(app, api, api_token):
    client = app.test_client()
    headers = {"Authorization": f"Bearer {api_token('redactor')}"}
    created = client.post("/api/v1/documents", headers=headers, json={
        "template": "resolucion-alcaldia", "fields": {"sumilla": "Designar al responsable"}})
    document_id = created.get_json()["id"]
    report = api("GET", f"/compliance/documents/{document_id}/versions/1")
    body = report.get_json()
    assert report.status_code == 200 and body["document_id"] == document_id
    assert body["doc_type"] == "RA" and body["version"] == 1
    assert any(w["rule"] == "indicaciones" for w in body["warnings"])
    assert api("GET", f"/compliance/documents/{document_id}/versions/1", username="redactor2") \
        .status_code == 403
    assert api("GET", f"/compliance/documents/{document_id}/versions/7").status_code == 404


def test_postgres_check_and_confirm(pg_app, api_token):
    ids = seed_archive(pg_app, confirm=False)
    client = pg_app.test_client()
    headers = {"Authorization": f"Bearer {_token(pg_app, 'archivo')}"}
    response = client.post("/api/v1/compliance/check", headers=headers, json={"text": TEXT})
    assert response.status_code == 200
    assert response.get_json()["warnings"][0]["kind"] == "relation_pending"
    done = client.post(f"/api/v1/compliance/relations/{ids['relation']}/confirm",
                       headers=headers, json={})
    assert done.get_json()["target"]["legal_status"] == "derogada"
    again = client.post("/api/v1/compliance/check", headers=headers, json={"text": TEXT})
    assert again.get_json()["warnings"][0]["kind"] == "repealed"


def _token(app, username):
    from docsys import accounts
    from tests.conftest import get_user

    with transaction(app.extensions["docsys.sessions"]) as session:
        return accounts.create_api_token(session, get_user(session, username), "tests")


# ---- hostile input ---------------------------------------------------------------------------

HUGE = "9" * 25


@pytest.mark.parametrize("path", [
    f"/normas/{HUGE}/relaciones", "/normas/-1/relaciones", "/normas/1.5/relaciones",
    f"/documentos/{HUGE}/versiones/1/cumplimiento", f"/documentos/1/versiones/{HUGE}/cumplimiento",
])
def test_bad_ids_in_pages_are_not_found(app, browser, path):
    response = browser("archivo").get(path)
    assert response.status_code == 404
    assert "no existe" in response.get_data(as_text=True)


def test_bad_ids_and_values_in_the_api(app, api):
    ids = seed_archive(app, confirm=False)
    for path in (f"/compliance/norms/{HUGE}", "/compliance/norms/0",
                 f"/compliance/documents/{HUGE}/versions/1"):
        response = api("GET", path)
        assert response.status_code == 404
        assert "no existe" in response.get_json()["error"]["message"]
    for action in ("confirm", "reject"):
        response = api("POST", f"/compliance/relations/{HUGE}/{action}", username="archivo",
                       json={"note": "No aplica"})
        assert response.status_code == 404
    far = api("GET", f"/compliance/relations?offset={HUGE}&limit={HUGE}")
    assert far.status_code == 200 and far.get_json()["relations"] == []
    assert api("GET", "/compliance/relations?offset=-5&limit=0").get_json()["relations"][0]["id"] \
        == ids["relation"]
    for doc_type in (5, ["RA"], {"x": 1}, "R A"):
        response = api("POST", "/compliance/check", json={"text": TEXT, "doc_type": doc_type})
        assert response.status_code == 400, doc_type
        assert "Tipo de documento desconocido" in response.get_json()["error"]["message"]
    assert api("POST", "/compliance/check", json={"text": TEXT, "doc_type": " rgm "}) \
        .get_json()["doc_type"] == "RGM"
    path = f"/compliance/relations/{ids['relation']}/confirm"
    for body in ({"note": "x" * 1001}, {"effective_date": 2025}, {"effective_date": [1]}):
        response = api("POST", path, username="archivo", json=body)
        assert response.status_code == 400, body
    assert api("POST", path, username="archivo", data="[1]",
               content_type="application/json").status_code == 400
    with transaction(app.extensions["docsys.sessions"]) as session:
        assert session.get(NormRelation, ids["relation"]).status == "propuesta"   # untouched


def test_only_the_archive_decides_and_every_form_needs_its_token(app, browser):
    ids = seed_archive(app, confirm=False)
    path = f"/archivo/relaciones/{ids['relation']}/confirmar"
    for username in ("redactor", "asesor", "gerente", "admin"):
        assert browser(username).post_form(path, {"note": "Conforme"}).status_code == 403
    archivist = browser("archivo")
    assert archivist.client.post(path, data={"note": "Conforme"}).status_code == 400   # no CSRF
    assert archivist.post_form(f"/archivo/relaciones/{HUGE}/confirmar", {}).status_code == 404
    assert archivist.post_form(path, {"effective_date": "31/12/2025"}).status_code == 400
    with transaction(app.extensions["docsys.sessions"]) as session:
        relation = session.get(NormRelation, ids["relation"])
        assert relation.status == "propuesta" and relation.decided_by is None
        assert session.get(Document, ids["cuis"]).legal_status == "vigente"
    assert archivist.post_form(path, {"volver": "<script>", "note": "ok"}).headers["Location"] \
        .endswith("/archivo/relaciones?estado=propuesta")


def test_the_queue_shows_first_what_the_archive_can_decide_a_page_at_a_time(app, browser):
    """A national import proposes repeals of many norms it never imported: they cannot be
    confirmed, so the one the archivist can decide comes first, though older, the others
    a page of 50 at a time, and a decision keeps the page."""
    from datetime import timedelta

    from docsys.models._common import utcnow
    ids = seed_archive(app, confirm=False)
    later = utcnow() + timedelta(minutes=5)
    with transaction(app.extensions["docsys.sessions"]) as session:
        session.add_all(NormRelation(
            source_document_id=ids["repealer"], target_canonical_id=f"LEY-{9000 + n}",
            target_label=f"Ley N° {9000 + n}", kind="deroga", evidence="Deróganse las leyes:",
            proposed_at=later + timedelta(seconds=n)) for n in range(55))
    b = browser("archivo")
    first = b.get("/archivo/relaciones").get_data(as_text=True)
    assert "Propuestas (56)" in first
    assert 'id="waiting-targets">55 de ellas afectan a normas que no están en el archivo' in first
    listed = first.split('id="relation-list"')[1]
    assert listed.index(f'id="relation-{ids["relation"]}"') < listed.index("Ley N° 9054")
    assert listed.count('class="card relation"') == 50
    assert "Relaciones 1 a 50 de 56." in first and "Página 1 de 2" in first
    second = b.get("/archivo/relaciones?pagina=2").get_data(as_text=True)
    assert second.count('class="card relation"') == 6 and "Ley N° 9000 <span" in second
    assert b.get("/archivo/relaciones?pagina=9").get_data(as_text=True).count(
        'class="card relation"') == 6          # past the last: the last
    with transaction(app.extensions["docsys.sessions"]) as session:
        last = session.scalar(select(NormRelation.id).where(
            NormRelation.target_label == "Ley N° 9000"))
    response = b.post_form(f"/archivo/relaciones/{last}/rechazar",
                           {"note": "No es una derogación", "pagina": "2"})
    assert response.headers["Location"].endswith("/archivo/relaciones?estado=propuesta&pagina=2")


def test_a_check_reads_while_another_request_writes(app, browser, api_token):
    """Checks are POSTs that only read: on SQLite they take no write lock, so a check runs
    (and the index catches up) while another transaction holds it."""
    import sqlite3

    seed_archive(app)
    app.extensions["docsys.search"].catch_up()
    b = browser("redactor")
    token = api_token("redactor")
    path = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")                        # another writer, mid-transaction
    try:
        page = b.post_form("/cumplimiento", {"text": TEXT})
        api = app.test_client().post("/api/v1/compliance/check", json={"text": TEXT},
                                     headers={"Authorization": f"Bearer {token}"})
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert page.status_code == 200 and "está derogada" in page.get_data(as_text=True)
    assert api.status_code == 200 and api.get_json()["warnings"][0]["kind"] == "repealed"


def test_a_proposal_the_source_s_notes_record_is_shown_so(app, browser):
    """Ley 27444's imported text notes that the Decreto Legislativo 1272 modified it; the
    decree, imported after it, states it: its proposal says the source records it, one the
    notes do not record says nothing."""
    from tests.archive.test_text_source import SPIJ, _import

    note = ("\n(\\*) Artículo modificado por el [Decreto Legislativo N° 1272]"
            "(/spij-ext-web/detallenorma/H1), publicado el 21 diciembre 2016\n")
    law = (f"---\ntitle: Ley del Procedimiento Administrativo General\nidentifier: "
           f"LEY-27444-2001\ncountry: pe\nrank: ley\npublication_date: '2001-04-11'\n"
           f"source: '{SPIJ}'\n---\n\n# LEY N° 27444\n\nArtículo 1.- Concepto\nTexto.\n"
           + note).encode()
    _import(app, law)
    decree = ("---\ntitle: Decreto Legislativo que modifica la Ley N° 27444\nidentifier: "
              "DLEG-1272-2016\ncountry: pe\nrank: decreto_legislativo\npublication_date: "
              "'2016-12-21'\n---\n\n# DECRETO LEGISLATIVO N° 1272\n\nArtículo 1.- Modifícase el "
              "artículo 1 de la Ley N° 27444, Ley del Procedimiento Administrativo General.\n\n"
              "Artículo 2.- Derógase la Ley N° 27000.\n").encode()
    _import(app, decree, "DLEG-1272-2016.md")
    page = browser("archivo").get("/archivo/relaciones").get_data(as_text=True)
    cards = {m: page.split(f'id="relation-{m}"')[1].split("</li>")[0]
             for m in re.findall(r'id="relation-(\d+)"', page)}
    noted = [c for c in cards.values() if "Registrada por la fuente" in c]
    assert len(cards) == 2 and len(noted) == 1
    assert "modifica" in noted[0] and "LEY N° 27444" in noted[0]
    assert "Las notas del texto importado de LEY N° 27444 registran este cambio." in noted[0]
    # ... and is confirmed with the others so recorded, by the archive only
    assert 'id="confirm-noted"' in page and "Confirmar la registrada por la fuente" in page
    assert browser("redactor").post_form("/archivo/relaciones/confirmar-registradas") \
        .status_code == 403
    archivist = browser("archivo")
    done = archivist.post_form("/archivo/relaciones/confirmar-registradas")
    assert done.status_code == 302
    with transaction(app.extensions["docsys.sessions"]) as session:
        decided = {(r.kind, r.target_label, r.status, r.effective_date, r.decision_note)
                   for r in session.scalars(select(NormRelation))}
    assert decided == {
        ("modifica", "Ley N° 27444", "confirmada", "2016-12-21",
         "Confirmada con las demás que registran las notas del texto de la norma afectada."),
        ("deroga", "Ley N° 27000", "propuesta", "2016-12-21", "")}
    after = archivist.get(done.headers["Location"]).get_data(as_text=True)
    assert "1 relación confirmada: las registran las notas" in after
    assert 'id="confirm-noted"' not in after
    # sent again (another archivist was quicker): nothing left, said so
    again = archivist.post_form("/archivo/relaciones/confirmar-registradas")
    assert "No quedan propuestas que registren las notas de la fuente." in archivist.get(
        again.headers["Location"]).get_data(as_text=True)
