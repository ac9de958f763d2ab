"""Review through HTTP: transitions per role, vistos buenos, comments, derivations, inbox
counts, and the audit trail (admin page, CSV, CLI verify detecting tampering)."""
import csv
import io
import re

import pytest
from sqlalchemy import text

from tests.web.test_drafts_routes import content_of, create_draft, with_article
from tests.finishing import fill_prompts


def submit(b, doc_id, assignee=None):
    data = {"reason": "Para revisión"}
    if assignee:
        data["assignee"] = assignee
    return b.post_form(f"/documentos/{doc_id}/acciones/enviar", data)


SECRET = "firma-demo-2026"   # docsys.signing.demo_setup.DEMO_SIGNING_SECRET
VB = {"clave_firma": SECRET}


def with_certificates(app, *usernames):
    """Demo certificates, sealed with SECRET, for those who sign vistos buenos."""
    from docsys.db import transaction
    from docsys.signing.demo_setup import setup_demo_pki
    with transaction(app.extensions["docsys.sessions"]) as s:
        setup_demo_pki(s, app.config, usernames=list(usernames) or ["asesor", "gerente"])


def give_vb(b, doc):
    """A V°B° given and signed through the review page's form (typing the clave)."""
    return b.post_form(f"/documentos/{doc}/visto-bueno", VB, content_type="multipart/form-data")


def user_id(app, username):
    from docsys.db import transaction
    from tests.conftest import get_user
    with transaction(app.extensions["docsys.sessions"]) as s:
        return get_user(s, username).id


def test_review_flow_over_http(app, browser):
    with_certificates(app)
    rosa, carmen, jorge = browser("redactor"), browser("asesor"), browser("gerente")
    doc = create_draft(rosa)
    assert submit(rosa, doc, user_id(app, "asesor")).status_code == 302
    page = carmen.get(f"/documentos/{doc}/revision").get_data(as_text=True)
    assert "En revisión" in page and "Carmen Rojas Villanueva" in page
    # Carmen's inbox shows it, oldest first, with counts
    inbox = carmen.get("/").get_data(as_text=True)
    assert 'id="awaiting"' in inbox and "proyecto de Timpía" in inbox and "En revisión: 1" in inbox
    # an observation anchored to the first article blocks approval
    content = content_of(carmen, doc, 1)
    article = next(s for s in content["sections"] if s["kind"] == "articles")["items"][0]
    assert carmen.post_form(f"/documentos/{doc}/comentarios",
                            {"body": "Precisar el monto.", "version": "1", "item_id": article["id"],
                             "quote": "APROBAR"}).status_code == 302
    give_vb(carmen, doc)
    give_vb(jorge, doc)
    blocked = carmen.post_form(f"/documentos/{doc}/acciones/aprobar")
    assert blocked.status_code == 409
    assert "observación(es) abierta(s)" in blocked.get_data(as_text=True)
    # return with observations
    back = carmen.post_form(f"/documentos/{doc}/acciones/observar", {"reason": "Precisar el monto."})
    assert back.status_code == 302
    assert "Observado" in rosa.get(f"/documentos/{doc}/revision").get_data(as_text=True)
    # her inbox's counts, a draft beside the returned one, read as two ("…: 1 Observado: 1")
    create_draft(rosa, "Otro proyecto de la oficina")
    heading = re.search(r'<h2 id="h-awaiting">(.*?)</h2>', rosa.get("/").get_data(as_text=True),
                        re.S).group(1)
    counts = " ".join(re.sub(r"<[^>]+>", "", heading).split())  # as the text reads
    assert re.fullmatch(r"Pendientes para usted (Borrador: 1 Observado: 1|Observado: 1 Borrador: 1)",
                        counts), counts
    # fix, answer and resubmit; the old vistos buenos no longer hold
    saved = rosa.post_json(f"/documentos/{doc}/guardar",
                           {"content": fill_prompts(with_article(content_of(rosa, doc, 1),
                                                                 "APROBAR por S/ 1 250 000.")),
                            "base_version": 1, "note": "Se precisa el monto"})
    assert saved.status_code == 200
    page = rosa.get(f"/documentos/{doc}/revision").get_data(as_text=True)
    comment_id = re.search(r'id="comment-(\d+)"', page).group(1)
    rosa.post_form(f"/documentos/{doc}/comentarios", {"body": "Corregido.", "thread_id": comment_id})
    assert submit(rosa, doc).status_code == 302
    carmen.post_form(f"/documentos/{doc}/comentarios/{comment_id}/resolver")
    still_blocked = carmen.post_form(f"/documentos/{doc}/acciones/aprobar")
    assert still_blocked.status_code == 409 and "visto bueno" in still_blocked.get_data(as_text=True)
    assert give_vb(carmen, doc).status_code == 302
    assert give_vb(jorge, doc).status_code == 302
    approved = carmen.post_form(f"/documentos/{doc}/acciones/aprobar")
    assert approved.status_code == 302
    page = carmen.get(f"/documentos/{doc}/revision").get_data(as_text=True)
    assert "Aprobado" in page and "Corregido." in page and "resuelta por" in page
    # approved documents can no longer be edited by the drafter
    again = rosa.post_json(f"/documentos/{doc}/guardar",
                           {"content": content_of(rosa, doc, 2), "base_version": 2})
    assert again.status_code == 403


def test_wrong_role_gets_403_and_wrong_state_409(browser):
    rosa, jorge, luis = browser("redactor"), browser("gerente"), browser("redactor2")
    doc = create_draft(rosa)
    assert jorge.post_form(f"/documentos/{doc}/acciones/enviar").status_code == 403
    assert luis.post_form(f"/documentos/{doc}/acciones/enviar").status_code == 403
    response = rosa.post_form(f"/documentos/{doc}/acciones/aprobar")
    assert response.status_code == 409 and "Borrador" in response.get_data(as_text=True)
    assert rosa.post_form(f"/documentos/{doc}/acciones/volar").status_code == 400
    assert rosa.post_form(f"/documentos/{doc}/visto-bueno").status_code == 403
    assert rosa.post_form(f"/documentos/{doc}/comentarios", {"body": ""}).status_code == 400


def test_derivation_is_listed(app, browser):
    rosa = browser("redactor")
    doc = create_draft(rosa)
    response = rosa.post_form(f"/documentos/{doc}/derivar",
                              {"to_user": str(user_id(app, "gerente")), "note": "Para su revisión"})
    assert response.status_code == 302
    page = rosa.get(f"/documentos/{doc}/revision").get_data(as_text=True)
    assert "Rosa Quispe Huamán → Jorge Mendoza Salas" in page and "Para su revisión" in page
    assert rosa.post_form(f"/documentos/{doc}/derivar", {"to_user": "99999"}).status_code == 404


def test_audit_page_csv_and_tamper_detection(app, browser):
    rosa, admin = browser("redactor"), browser("admin")
    doc = create_draft(rosa)
    submit(rosa, doc)
    assert rosa.get("/admin/auditoria").status_code == 403
    page = admin.get("/admin/auditoria").get_data(as_text=True)
    assert "Cambio de estado" in page and 'id="verify-chain"' in page
    assert "Cadena íntegra: 2 entradas" in admin.get("/admin/auditoria?verificar=1").get_data(
        as_text=True)
    export = admin.get("/admin/auditoria.csv")
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True))))
    assert rows[0][:4] == ["seq", "fecha_utc", "usuario", "accion"]
    assert [r[3] for r in rows[1:]] == ["create", "transition"]
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["docsys", "audit", "verify"])
    assert ok.exit_code == 0 and "2 entradas" in ok.output
    engine = app.extensions["docsys.engine"]
    with engine.begin() as conn:  # tamper with the first entry behind the application's back
        conn.execute(text("UPDATE audit_entries SET actor_name = 'Otro' WHERE seq = 1"))
    broken = runner.invoke(args=["docsys", "audit", "verify"])
    assert broken.exit_code == 2 and "entrada 1" in broken.output
    assert "Cadena rota en la entrada 1" in admin.get("/admin/auditoria?verificar=1").get_data(
        as_text=True)


def test_downloads_are_audited(app, browser):
    rosa = browser("redactor")
    doc = create_draft(rosa)
    assert rosa.get(f"/documentos/{doc}/versiones/1/descargar.docx").status_code == 200
    from docsys.audit import list_entries
    from docsys.db import transaction
    with transaction(app.extensions["docsys.sessions"]) as s:
        actions = [e.action for e in list_entries(s, doc)]
    assert actions[0] == "download"


def test_compare_page_and_tracked_docx(browser):
    from io import BytesIO
    from docx import Document as DocxDocument
    rosa = browser("redactor")
    doc = create_draft(rosa)
    rosa.post_json(f"/documentos/{doc}/guardar",
                   {"content": with_article(content_of(rosa, doc, 1), "APROBAR la nueva redacción."),
                    "base_version": 1})
    page = rosa.get(f"/documentos/{doc}/comparar?de=1&a=2")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<ins" in html and "nueva redacción" in html
    docx = rosa.get(f"/documentos/{doc}/comparar.docx?de=1&a=2")
    assert docx.status_code == 200
    xml = DocxDocument(BytesIO(docx.data)).element.xml
    assert "w:ins" in xml and "w:del" in xml
    assert rosa.get(f"/documentos/{doc}/comparar?de=1&a=9").status_code == 404
    assert rosa.get(f"/documentos/{doc}/comparar?de=x&a=2").status_code == 404


# ---- bad input: always a Spanish 4xx, never a 500, nothing changed ---------------------

HUGE = "9" * 25          # past 64 bits: SQLite cannot bind it
PAST_INT4 = str(2**40)   # past PostgreSQL's INTEGER


def finish_over_http(rosa, doc):
    """The author fills the template's prompts (version 2): approval refuses prompts."""
    saved = rosa.post_json(f"/documentos/{doc}/guardar",
                           {"content": fill_prompts(content_of(rosa, doc, 1)),
                            "base_version": 1, "note": "Texto completado"})
    assert saved.status_code == 200


def _sent_draft(app, which="app", finished=False):
    from tests.conftest import Browser
    rosa, carmen = Browser(app.test_client()), Browser(app.test_client())
    rosa.login("redactor")
    carmen.login("asesor")
    doc = create_draft(rosa)
    if finished:
        finish_over_http(rosa, doc)
    assert submit(rosa, doc).status_code == 302
    return rosa, carmen, doc


def _state(app, doc):
    from docsys.audit import list_entries
    from docsys.db import transaction
    from docsys.models import Comment, Derivation, Document
    with transaction(app.extensions["docsys.sessions"]) as s:
        d = s.get(Document, doc)
        return (d.status, d.latest_version, d.assignee_id, s.query(Comment).count(),
                s.query(Derivation).count(), len(list_entries(s, doc)))


def _is_clear_4xx(response, status=None):
    body = response.get_data(as_text=True)
    assert 400 <= response.status_code < 500, (response.status_code, body[:300])
    if status:
        assert response.status_code == status, (response.status_code, body[:300])
    assert "Traceback" not in body
    return body


@pytest.mark.parametrize("which", ["app", "pg_app"])
def test_bad_identifiers_and_values_on_review_pages(request, which):
    app = request.getfixturevalue(which)
    rosa, carmen, doc = _sent_draft(app)
    before = _state(app, doc)
    for bad in ("x", "-1", "0", "1.5", HUGE, PAST_INT4):
        _is_clear_4xx(carmen.get(f"/documentos/{bad}/revision"), 404)
        _is_clear_4xx(carmen.post_form(f"/documentos/{bad}/acciones/observar", {"reason": "x"}), 404)
        _is_clear_4xx(carmen.get(f"/documentos/{doc}/comparar?de={bad}&a=1"), 404)
        _is_clear_4xx(carmen.get(f"/documentos/{doc}/comparar.docx?de=1&a={bad}"), 404)
        _is_clear_4xx(carmen.post_form(f"/documentos/{doc}/acciones/observar",
                                       {"reason": "x", "assignee": bad}), 404)
        _is_clear_4xx(carmen.post_form(f"/documentos/{doc}/derivar", {"to_user": bad}), 404)
        _is_clear_4xx(carmen.post_form(f"/documentos/{doc}/comentarios",
                                       {"body": "x", "version": bad}), 404)
        _is_clear_4xx(carmen.post_form(f"/documentos/{doc}/comentarios",
                                       {"body": "x", "thread_id": bad}), 404)
        _is_clear_4xx(carmen.post_form(f"/documentos/{doc}/comentarios/{bad}/resolver"), 404)
    assert "Acción desconocida" in _is_clear_4xx(
        carmen.post_form(f"/documentos/{doc}/acciones/firmar"), 400)
    assert "4000" in _is_clear_4xx(carmen.post_form(f"/documentos/{doc}/acciones/observar",
                                                    {"reason": "x" * 4001}), 400)
    assert "10000" in _is_clear_4xx(carmen.post_form(f"/documentos/{doc}/comentarios",
                                                     {"body": "x" * 10_001}), 400)
    assert "2000" in _is_clear_4xx(carmen.post_form(f"/documentos/{doc}/comentarios",
                                                    {"body": "x", "quote": "q" * 2001}), 400)
    assert "no figura" in _is_clear_4xx(carmen.post_form(
        f"/documentos/{doc}/comentarios", {"body": "x", "quote": "texto que no está"}), 400)
    assert "4000" in _is_clear_4xx(carmen.post_form(
        f"/documentos/{doc}/derivar", {"to_user": user_id(app, "gerente"), "note": "n" * 4001}),
        400)
    assert "no tiene acceso" in _is_clear_4xx(carmen.post_form(
        f"/documentos/{doc}/derivar", {"to_user": user_id(app, "redactor2")}), 400)
    assert _state(app, doc) == before


def test_review_forms_without_csrf_token_are_refused(app, browser):
    rosa, carmen, doc = _sent_draft(app)
    before = _state(app, doc)
    forms = [(f"/documentos/{doc}/acciones/observar", {"reason": "Falta informe"}),
             (f"/documentos/{doc}/visto-bueno", {}),
             (f"/documentos/{doc}/derivar", {"to_user": user_id(app, "gerente")}),
             (f"/documentos/{doc}/comentarios", {"body": "Sin token"}),
             (f"/documentos/{doc}/comentarios/1/resolver", {})]
    for path, data in forms:
        for token in (None, "token-falso"):
            payload = dict(data, **({"csrf_token": token} if token else {}))
            body = _is_clear_4xx(carmen.client.post(path, data=payload), 400)
            assert "token CSRF" in body
    assert _state(app, doc) == before


def test_admin_audit_page_with_odd_parameters(app, browser):
    assert browser("asesor").get("/admin/auditoria.csv").status_code == 403
    admin = browser("admin")
    for query in ("pagina=x", f"pagina={HUGE}", "pagina=-3", f"documento={HUGE}",
                  "documento=abc", f"pagina={PAST_INT4}"):
        response = admin.get(f"/admin/auditoria?{query}")
        assert response.status_code == 200, (query, response.status_code)


def test_issued_document_takes_no_new_comments(app, browser):
    from docsys.db import transaction
    from docsys.models import Document
    rosa, carmen, doc = _sent_draft(app)
    assert carmen.post_form(f"/documentos/{doc}/comentarios",
                            {"body": "Revisar la base legal."}).status_code == 302
    page = carmen.get(f"/documentos/{doc}/revision").get_data(as_text=True)
    assert 'id="new-comment"' in page and "Marcar como resuelta" in page
    assert "Marcar como resuelta" not in rosa.get(f"/documentos/{doc}/revision").get_data(
        as_text=True)                                   # only its author or legal close it
    with transaction(app.extensions["docsys.sessions"]) as s:
        s.get(Document, doc).status = "emitido"
    page = carmen.get(f"/documentos/{doc}/revision").get_data(as_text=True)
    assert 'id="new-comment"' not in page and 'name="thread_id"' not in page
    refused = carmen.post_form(f"/documentos/{doc}/comentarios", {"body": "Tarde."})
    assert refused.status_code == 409 and "ya fue emitida" in refused.get_data(as_text=True)


# ---- the comparison -----------------------------------------------------------------------

def _three_articles_then_moved(rosa, doc):
    content = content_of(rosa, doc, 1)
    articles = next(s for s in content["sections"] if s["kind"] == "articles")
    articles["items"] = [{"text": "APROBAR el plan."}, {"text": "ENCARGAR su ejecución."},
                         {"text": "NOTIFICAR a las comunidades."}]
    assert rosa.post_json(f"/documentos/{doc}/guardar",
                          {"content": content, "base_version": 1}).status_code == 200
    content = content_of(rosa, doc, 2)
    items = next(s for s in content["sections"] if s["kind"] == "articles")["items"]
    items.insert(0, items.pop(2))
    items[0]["text"] = "NOTIFICAR a las comunidades nativas."
    assert rosa.post_json(f"/documentos/{doc}/guardar",
                          {"content": content, "base_version": 2}).status_code == 200


def test_compare_page_shows_moves_and_defaults_to_the_last_two_versions(app, browser):
    rosa = browser("redactor")
    doc = create_draft(rosa)
    _three_articles_then_moved(rosa, doc)
    page = rosa.get(f"/documentos/{doc}/comparar")
    html = _ok(page)
    assert "Comparación de la versión 2 con la versión 3" in html
    assert "Movido: antes ARTÍCULO TERCERO" in html
    assert "ARTÍCULO TERCERO pasó a ser ARTÍCULO PRIMERO" in html
    assert re.search(r'<ins class="rl-ins">\s*nativas</ins>', html)
    only_to = _ok(rosa.get(f"/documentos/{doc}/comparar?a=2"))
    assert "Comparación de la versión 1 con la versión 2" in only_to


def _ok(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_data(as_text=True)


def test_tracked_docx_download_is_audited(app, browser):
    from io import BytesIO

    from docx import Document as DocxDocument

    from docsys.audit import list_entries
    from docsys.db import transaction
    rosa, carmen = browser("redactor"), browser("asesor")
    doc = create_draft(rosa)
    _three_articles_then_moved(rosa, doc)
    response = carmen.get(f"/documentos/{doc}/comparar.docx?de=2&a=3")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(f"RGM-{doc}-v2-v3.docx")
    xml = DocxDocument(BytesIO(response.data)).element.xml
    assert xml.count("<w:ins ") >= 2 and xml.count("<w:del ") >= 1
    with transaction(app.extensions["docsys.sessions"]) as s:
        entry = list_entries(s, doc, limit=1)[0]
        assert (entry.action, entry.actor_name) == ("download", "Carmen Rojas Villanueva")
        assert entry.details == {"format": "docx-comparacion", "versions": [2, 3], "via": "web"}


# ---- one winner under concurrency, through HTTP, on both databases --------------------------

@pytest.mark.parametrize("which", ["app", "pg_app"])
def test_simultaneous_approve_and_return_over_http(request, which):
    import threading

    from docsys import accounts
    from docsys.db import transaction
    from tests.conftest import Browser
    app = request.getfixturevalue(which)
    with transaction(app.extensions["docsys.sessions"]) as s:
        accounts.create_user(s, "asesor2", "clave-segura-1", "Segundo Asesor", ["legal"],
                             office_code="GAJ")
    with_certificates(app)
    rosa, carmen, doc = _sent_draft(app, finished=True)
    segundo = Browser(app.test_client())
    segundo.login("asesor2")
    assert give_vb(carmen, doc).status_code == 302
    jorge = Browser(app.test_client())
    jorge.login("gerente")
    assert give_vb(jorge, doc).status_code == 302
    responses, barrier = {}, threading.Barrier(2)

    def post(name, client, action, reason):
        barrier.wait()
        responses[name] = client.post_form(f"/documentos/{doc}/acciones/{action}",
                                           {"reason": reason})
    threads = [threading.Thread(target=post, args=("aprobar", carmen, "aprobar", "")),
               threading.Thread(target=post, args=("observar", segundo, "observar", "Falta"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(r.status_code for r in responses.values())
    assert codes == [302, 409], codes
    loser = next(r for r in responses.values() if r.status_code == 409).get_data(as_text=True)
    assert "Otra persona cambió el estado" in loser or "No se puede" in loser
    winner = next(name for name, r in responses.items() if r.status_code == 302)
    assert _state(app, doc)[0] == {"aprobar": "aprobado", "observar": "observado"}[winner]


# ---- the command line -----------------------------------------------------------------------

def test_cli_transition_and_visto_bueno(app, browser):
    with_certificates(app)
    rosa = browser("redactor")
    doc = create_draft(rosa)
    finish_over_http(rosa, doc)
    runner = app.test_cli_runner()

    def run(*args):   # a V°B° asks for the clave de firma at a hidden prompt
        return runner.invoke(args=["docsys", *args], input=SECRET + "\n")
    sent = run("transition", str(doc), "enviar", "--user", "redactor", "--assignee", "asesor")
    assert sent.exit_code == 0, sent.output
    assert "Borrador → En revisión (asignado a Carmen Rojas Villanueva)" in sent.output
    refused = run("transition", str(doc), "aprobar", "--user", "asesor")
    assert refused.exit_code == 1 and "Falta el visto bueno" in refused.output
    assert run("visto-bueno", str(doc), "--user", "asesor").exit_code == 0
    given = run("visto-bueno", str(doc), "--user", "gerente")
    assert given.exit_code == 0 and "jefe del área" in given.output
    assert run("transition", str(doc), "aprobar", "--user", "asesor").exit_code == 0
    assert _state(app, doc)[0] == "aprobado"
    for args, message in [(("transition", str(doc), "observar", "--user", "nadie"), "no existe"),
                          (("transition", "x", "observar", "--user", "asesor"), "no existe"),
                          (("transition", str(doc), "devolver", "--user", "archivo",
                            "--reason", "x"), "no le permite"),
                          (("transition", str(doc), "devolver", "--user", "asesor"), "motivo"),
                          (("visto-bueno", str(doc), "--user", "asesor"), "en revisión")]:
        result = run(*args)
        assert result.exit_code == 1 and message in result.output, (args, result.output)
    assert run("transition", str(doc), "volar", "--user", "asesor").exit_code == 2
    verified = run("audit", "verify")
    assert verified.exit_code == 0 and "Huella de la última entrada" in verified.output


@pytest.mark.parametrize("which", ["app", "pg_app"])
def test_cli_audit_verify_on_both_databases(request, which):
    app = request.getfixturevalue(which)
    rosa, carmen, doc = _sent_draft(app)
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["docsys", "audit", "verify"])
    assert ok.exit_code == 0 and "Cadena íntegra: 2 entradas verificadas" in ok.output
    with app.extensions["docsys.engine"].begin() as conn:
        conn.execute(text("DELETE FROM audit_entries WHERE seq = 1"))
    broken = runner.invoke(args=["docsys", "audit", "verify"])
    assert broken.exit_code == 2
    assert "CADENA ROTA en la entrada 1: Falta la entrada 1" in broken.output
