"""The JSON API under /api/v1 with token authentication, and its OpenAPI document."""
from io import BytesIO

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader

RGM = "resolucion-gerencia-municipal"


@pytest.fixture
def api(app, api_token):
    client = app.test_client()

    def call(method, path, username="redactor", **kwargs):
        headers = kwargs.pop("headers", {})
        if username:
            headers["Authorization"] = f"Bearer {api_token(username)}"
        return client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)
    return call


def create(api, **fields):
    fields.setdefault("sumilla", "Designar al responsable del Portal de Transparencia")
    response = api("POST", "/documents", json={"template": RGM, "fields": fields})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_openapi_document_lists_every_route(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    paths = set(spec["paths"])
    assert {"/templates", "/documents", "/documents/{document_id}",
            "/documents/{document_id}/versions", "/documents/{document_id}/versions/{number}",
            "/documents/{document_id}/versions/{number}/restore",
            "/documents/{document_id}/versions/{number}/render"} <= paths
    routes = {r.rule.replace("/api/v1", "").replace("<", "{").replace(">", "}")
              for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1")}
    assert routes == paths
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_token_required(api):
    response = api("GET", "/documents", username=None)
    assert response.status_code == 401
    assert "Token" in response.get_json()["error"]["message"]
    bad = api("GET", "/documents", username=None, headers={"Authorization": "Bearer dsy_falso"})
    assert bad.status_code == 401


def test_session_cookie_is_not_enough_for_the_api(browser):
    b = browser("redactor")
    assert b.get("/api/v1/documents").status_code == 401


def test_templates(api):
    data = api("GET", "/templates").get_json()
    keys = {t["key"] for t in data["templates"]}
    assert RGM in keys and len(keys) >= 6
    rgm = next(t for t in data["templates"] if t["key"] == RGM)
    assert any(f["key"] == "sumilla" and f["required"] for f in rgm["fields"])


def test_create_get_save_list_restore(api):
    doc = create(api, expediente="2024-000777")
    assert doc["latest_version"] == 1 and doc["status"] == "borrador" and doc["office"] == "GM"
    content = doc["content"]
    assert content["fields"]["expediente"] == "2024-000777"
    articles = next(s for s in content["sections"] if s["kind"] == "articles")
    articles["items"].append({"text": "ENCARGAR a la Oficina de Tecnologías de la Información."})
    saved = api("POST", f"/documents/{doc['id']}/versions",
                json={"content": content, "base_version": 1, "note": "Se agrega artículo"})
    assert saved.status_code == 201
    v2 = saved.get_json()
    assert v2["number"] == 2 and v2["note"] == "Se agrega artículo" and v2["author"] == "redactor"
    listed = api("GET", f"/documents/{doc['id']}/versions").get_json()["versions"]
    assert [v["number"] for v in listed] == [2, 1]
    one = api("GET", f"/documents/{doc['id']}/versions/1").get_json()
    assert "ENCARGAR a la Oficina" not in str(one["content"])
    restored = api("POST", f"/documents/{doc['id']}/versions/1/restore", json={"base_version": 2})
    assert restored.status_code == 201 and restored.get_json()["restored_from"] == 1
    assert api("GET", f"/documents/{doc['id']}").get_json()["latest_version"] == 3


def test_render_pdf_and_docx(api):
    doc = create(api, sumilla="Aprobar la directiva de caja chica")
    pdf = api("GET", f"/documents/{doc['id']}/versions/1/render?format=pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(PdfReader(BytesIO(pdf.data)).pages[0].extract_text().split())
    assert "RESOLUCIÓN DE GERENCIA MUNICIPAL" in text
    docx = api("GET", f"/documents/{doc['id']}/versions/1/render?format=docx")
    assert docx.status_code == 200
    assert DocxDocument(BytesIO(docx.data)).core_properties.title == "Aprobar la directiva de caja chica"
    bad = api("GET", f"/documents/{doc['id']}/versions/1/render?format=odt")
    assert bad.status_code == 400 and "Formato" in bad.get_json()["error"]["message"]


def test_conflict_409(api):
    doc = create(api)
    content = doc["content"]
    assert api("POST", f"/documents/{doc['id']}/versions",
               json={"content": content | {"closing": "CÚMPLASE."}, "base_version": 1}).status_code == 201
    stale = api("POST", f"/documents/{doc['id']}/versions", username="asesor",
                json={"content": content, "base_version": 1})
    assert stale.status_code == 409
    assert stale.get_json()["error"]["current_version"] == 2


@pytest.mark.parametrize("body, fragment", [
    ({"template": "no-existe", "fields": {"sumilla": "x"}}, "no existe"),
    ({"template": RGM, "fields": {"sumilla": ""}}, "obligatorio"),
    ({"template": RGM, "fields": "texto"}, "objeto"),
])
def test_create_errors(api, body, fragment):
    response = api("POST", "/documents", json=body)
    assert response.status_code in (400, 404)
    assert fragment in response.get_json()["error"]["message"]


def test_malformed_json(api):
    response = api("POST", "/documents", data="{roto", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert "JSON válido" in response.get_json()["error"]["message"]


def test_roles_in_the_api(api):
    doc = create(api)
    assert api("POST", "/documents", username="gerente",
               json={"template": RGM, "fields": {"sumilla": "x"}}).status_code == 403
    assert api("GET", f"/documents/{doc['id']}", username="redactor2").status_code == 403
    assert api("GET", f"/documents/{doc['id']}", username="asesor").status_code == 200
    assert api("GET", "/documents/424242").status_code == 404
    assert api("GET", f"/documents/{doc['id']}/versions/9").status_code == 404


def test_oversized_body_is_413(api):
    response = api("POST", "/documents", data=b"x" * (3 * 1024 * 1024),
                   headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_review_workflow_through_the_api(api):
    doc = create(api)
    doc_id = doc["id"]
    sent = api("POST", f"/documents/{doc_id}/transitions",
               json={"action": "enviar", "reason": "Para revisión", "assignee": "asesor"})
    assert sent.status_code == 201
    assert sent.get_json()["status"] == "en_revision" and sent.get_json()["assignee"] == "asesor"
    article = next(s for s in doc["content"]["sections"] if s["kind"] == "articles")["items"][0]
    comment = api("POST", f"/documents/{doc_id}/comments", username="asesor",
                  json={"body": "Precisar la unidad orgánica.", "version": 1,
                        "item_id": article["id"], "quote": article["text"][:25]})
    assert comment.status_code == 201
    flow = api("GET", f"/documents/{doc_id}/workflow", username="asesor").get_json()
    assert flow["open_comments"] == 1
    assert {a["action"] for a in flow["available_actions"]} == {"observar", "aprobar"}
    assert api("POST", f"/documents/{doc_id}/vistos-buenos", username="asesor").status_code == 201
    assert api("POST", f"/documents/{doc_id}/vistos-buenos", username="gerente").status_code == 201
    assert api("POST", f"/documents/{doc_id}/vistos-buenos", username="redactor").status_code == 403
    blocked = api("POST", f"/documents/{doc_id}/transitions", username="asesor",
                  json={"action": "aprobar"})
    assert blocked.status_code == 409 and "observación" in blocked.get_json()["error"]["message"]
    resolved = api("POST", f"/documents/{doc_id}/comments/{comment.get_json()['id']}/resolve",
                   username="asesor")
    assert resolved.status_code == 200 and resolved.get_json()["resolved"]
    approved = api("POST", f"/documents/{doc_id}/transitions", username="asesor",
                   json={"action": "aprobar"})
    assert approved.status_code == 201 and approved.get_json()["status"] == "aprobado"
    threads = api("GET", f"/documents/{doc_id}/comments").get_json()["threads"]
    assert threads[0]["current_position"]["index"] == 1
    assert [t["to"] for t in approved.get_json()["transitions"]] == ["en_revision", "aprobado"]
    bad = api("POST", f"/documents/{doc_id}/transitions", json={"action": "enviar",
                                                                 "assignee": "nadie"})
    assert bad.status_code == 404
