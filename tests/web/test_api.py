"""The JSON API under /api/v1 with token authentication, and its OpenAPI document."""
from io import BytesIO

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader
from tests.finishing import fill_prompts

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
    stale = api("POST", f"/documents/{doc['id']}/versions", username="redactor",
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


def test_review_workflow_through_the_api(api, app):
    from tests.web.test_review_routes import SECRET, with_certificates
    with_certificates(app)
    doc = create(api)
    doc_id = doc["id"]
    # The author completes the template's prompts (nothing unfinished is approved).
    finished = api("POST", f"/documents/{doc_id}/versions",
                   json={"content": fill_prompts(doc["content"]), "base_version": 1})
    assert finished.status_code == 201, finished.get_data(as_text=True)
    sent = api("POST", f"/documents/{doc_id}/transitions",
               json={"action": "enviar", "reason": "Para revisión", "assignee": "asesor"})
    assert sent.status_code == 201
    assert sent.get_json()["status"] == "en_revision" and sent.get_json()["assignee"] == "asesor"
    article = next(s for s in fill_prompts(doc["content"])["sections"]
                   if s["kind"] == "articles")["items"][0]
    comment = api("POST", f"/documents/{doc_id}/comments", username="asesor",
                  json={"body": "Precisar la unidad orgánica.", "version": 2,
                        "item_id": article["id"], "quote": article["text"][:25]})
    assert comment.status_code == 201
    flow = api("GET", f"/documents/{doc_id}/workflow", username="asesor").get_json()
    assert flow["open_comments"] == 1
    assert {a["action"] for a in flow["available_actions"]} == {"observar", "aprobar"}
    # Each V°B° signed by its holder, with their clave de firma.
    vb = {"secret": SECRET}
    assert api("POST", f"/documents/{doc_id}/vistos-buenos", username="asesor",
               json=vb).status_code == 201
    assert api("POST", f"/documents/{doc_id}/vistos-buenos", username="gerente",
               json=vb).status_code == 201
    assert api("POST", f"/documents/{doc_id}/vistos-buenos", username="redactor",
               json=vb).status_code == 403
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


def _three_versions_with_a_move(api):
    doc = create(api)
    content = doc["content"]
    articles = next(s for s in content["sections"] if s["kind"] == "articles")
    articles["items"] = [{"text": "DESIGNAR al responsable."}, {"text": "ENCARGAR la difusión."},
                         {"text": "NOTIFICAR al designado."}]
    v2 = api("POST", f"/documents/{doc['id']}/versions",
             json={"content": content, "base_version": 1}).get_json()["content"]
    items = next(s for s in v2["sections"] if s["kind"] == "articles")["items"]
    items.insert(0, items.pop(2))
    items[0]["text"] = "NOTIFICAR al designado y a su jefe inmediato."
    saved = api("POST", f"/documents/{doc['id']}/versions", json={"content": v2, "base_version": 2})
    assert saved.status_code == 201
    return doc["id"]


def test_redline_as_json_html_and_docx(app, api):
    from docsys.audit import list_entries
    from docsys.db import transaction
    doc_id = _three_versions_with_a_move(api)
    data = api("GET", f"/documents/{doc_id}/redline", username="asesor").get_json()
    assert (data["from"], data["to"]) == (2, 3)                  # the last two by default
    assert data["summary"]["items_moved"] == 1 and data["summary"]["words_inserted"] == 5
    assert data["moves"] == ["ARTÍCULO TERCERO pasó a ser ARTÍCULO PRIMERO"]
    moved = next(i for i in data["items"] if i["status"] == "moved")
    assert moved["moved_from"] == "Movido: antes ARTÍCULO TERCERO"
    assert moved["new_label"] == "ARTÍCULO PRIMERO.-"
    assert "rl-moved" in data["html"] and data["docx"].endswith(f"/documents/{doc_id}/redline.docx?from=2&to=3")
    html = api("GET", f"/documents/{doc_id}/redline?from=1&to=3&format=html", username="asesor")
    assert html.status_code == 200 and html.mimetype == "text/html"
    assert html.get_data(as_text=True).startswith('<div class="redline"')
    assert '<del class="rl-del">' in html.get_data(as_text=True)
    docx = api("GET", f"/documents/{doc_id}/redline.docx?from=1&to=3", username="asesor")
    assert docx.status_code == 200
    assert docx.headers["Content-Disposition"].endswith(f"RGM-{doc_id}-v1-v3.docx")
    xml = DocxDocument(BytesIO(docx.data)).element.xml
    assert "<w:ins " in xml and "<w:del " in xml and "<w:delText" in xml
    with transaction(app.extensions["docsys.sessions"]) as s:
        entry = list_entries(s, doc_id, limit=1)[0]
        assert (entry.action, entry.details["via"], entry.details["versions"]) == (
            "download", "api", [1, 3])


def test_redline_errors(api):
    doc_id = _three_versions_with_a_move(api)
    for query, status in [("from=9&to=1", 404), ("from=x", 404), ("to=" + "9" * 25, 404),
                          ("format=pdf", 400), ("from=0", 404)]:
        response = api("GET", f"/documents/{doc_id}/redline?{query}")
        assert response.status_code == status, (query, response.status_code)
        assert response.get_json()["error"]["message"]
    assert api("GET", f"/documents/{doc_id}/redline.docx?to=7").status_code == 404
    assert api("GET", f"/documents/{doc_id}/redline", username="redactor2").status_code == 403
    assert api("GET", "/documents/999999/redline.docx").status_code == 404


def test_derivation_through_the_api(api):
    doc_id = create(api)["id"]
    derived = api("POST", f"/documents/{doc_id}/derivations",
                  json={"to": "asesor", "note": "Para su opinión previa"})
    assert derived.status_code == 201
    body = derived.get_json()
    assert body["assignee"] == "asesor"
    assert body["derivations"][-1] == {**body["derivations"][-1], "from": "redactor",
                                       "to": "asesor", "note": "Para su opinión previa"}
    for payload, status, fragment in [({}, 400, "Indique a quién"),
                                      ({"to": ["asesor"]}, 400, "nombre de usuario"),
                                      ({"to": "nadie"}, 404, "no existe"),
                                      ({"to": "redactor2"}, 400, "no tiene acceso"),
                                      ({"to": "asesor", "note": "n" * 4001}, 400, "4000")]:
        response = api("POST", f"/documents/{doc_id}/derivations", json=payload)
        assert response.status_code == status, (payload, response.get_json())
        assert fragment in response.get_json()["error"]["message"]
    assert api("POST", f"/documents/{doc_id}/derivations", username="redactor2",
               json={"to": "asesor"}).status_code == 403


@pytest.mark.parametrize("which", ["app", "pg_app"])
def test_review_api_bad_input_is_a_clear_4xx(request, which, api_token):
    """Odd JSON and out-of-range identifiers in every review endpoint: a Spanish 4xx,
    never a 500, and nothing written."""
    app = request.getfixturevalue(which)
    from docsys import accounts
    from docsys.db import transaction
    from tests.conftest import get_user
    with transaction(app.extensions["docsys.sessions"]) as s:
        tokens = {u: accounts.create_api_token(s, get_user(s, u), "t")
                  for u in ("redactor", "asesor")}
    client = app.test_client()

    def call(method, path, username="asesor", **kwargs):
        return client.open(f"/api/v1{path}", method=method,
                           headers={"Authorization": f"Bearer {tokens[username]}"}, **kwargs)
    created = call("POST", "/documents", "redactor", json={"template": RGM, "fields": {
        "sumilla": "Aprobar el plan de trabajo"}}).get_json()
    doc = created["id"]
    assert call("POST", f"/documents/{doc}/transitions", "redactor",
                json={"action": "enviar"}).status_code == 201
    before = call("GET", f"/documents/{doc}/workflow").get_json()
    huge, past_int4 = 10**25, 2**40
    requests = [("GET", f"/documents/{v}/workflow", None) for v in ("x", str(huge), str(past_int4))]
    requests += [("POST", f"/documents/{doc}/comments/{v}/resolve", None)
                 for v in ("x", str(huge), str(past_int4))]
    requests += [("GET", f"/documents/{doc}/versions/{v}/render", None) for v in (str(huge), "x")]
    requests += [("POST", f"/documents/{doc}/transitions", body) for body in (
        {"action": ["observar"]}, {"action": {"a": 1}}, {"action": None}, {"action": "firmar"},
        {"action": "observar", "reason": ["x"]}, {"action": "observar", "reason": "x" * 4001},
        {"action": "observar", "reason": "x", "assignee": ["redactor"]},
        {"action": "observar", "reason": "x", "assignee": 5},
        {"action": "observar", "reason": "x", "assignee": "nadie"}, [1, 2], "texto")]
    requests += [("POST", f"/documents/{doc}/comments", body) for body in (
        {"body": "x", "version": huge}, {"body": "x", "version": past_int4},
        {"body": "x", "version": "x"}, {"body": "x", "version": 1.5},
        {"body": "x", "thread_id": huge}, {"body": "x", "thread_id": str(past_int4)},
        {"body": "x", "thread_id": [1]}, {"body": "x", "item_id": ["a"]},
        {"body": "x", "item_id": 5}, {"body": "x", "quote": ["a"]}, {"body": "y" * 10_001},
        {"body": "x", "quote": "q" * 2001}, {"body": ["x"]}, {"body": None}, None)]
    requests += [("POST", f"/documents/{doc}/derivations", {"to": v}) for v in (5, ["a"], "")]
    requests += [("GET", f"/documents/{doc}/redline?from={v}", None) for v in (str(huge), "x")]
    for method, path, body in requests:
        response = call(method, path, json=body) if body is not None else call(method, path)
        assert 400 <= response.status_code < 500, (path, body, response.status_code)
        message = response.get_json()["error"]["message"]
        assert message and "Traceback" not in message, (path, body)
    after = call("GET", f"/documents/{doc}/workflow").get_json()
    assert after == before
    assert call("GET", f"/documents/{doc}/comments").get_json()["threads"] == []
