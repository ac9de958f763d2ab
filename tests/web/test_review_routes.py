"""Review through HTTP: transitions per role, vistos buenos, comments, derivations, inbox
counts, and the audit trail (admin page, CSV, CLI verify detecting tampering)."""
import csv
import io

from sqlalchemy import text

from tests.web.test_drafts_routes import content_of, create_draft, with_article


def submit(b, doc_id, assignee=None):
    data = {"reason": "Para revisión"}
    if assignee:
        data["assignee"] = assignee
    return b.post_form(f"/documentos/{doc_id}/acciones/enviar", data)


def user_id(app, username):
    from docsys.db import transaction
    from tests.conftest import get_user
    with transaction(app.extensions["docsys.sessions"]) as s:
        return get_user(s, username).id


def test_review_flow_over_http(app, browser):
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
    carmen.post_form(f"/documentos/{doc}/visto-bueno")
    jorge.post_form(f"/documentos/{doc}/visto-bueno")
    blocked = carmen.post_form(f"/documentos/{doc}/acciones/aprobar")
    assert blocked.status_code == 409
    assert "observación(es) abierta(s)" in blocked.get_data(as_text=True)
    # return with observations
    back = carmen.post_form(f"/documentos/{doc}/acciones/observar", {"reason": "Precisar el monto."})
    assert back.status_code == 302
    assert "Observado" in rosa.get(f"/documentos/{doc}/revision").get_data(as_text=True)
    # fix, answer and resubmit; the old vistos buenos no longer hold
    saved = rosa.post_json(f"/documentos/{doc}/guardar",
                           {"content": with_article(content_of(rosa, doc, 1), "APROBAR por S/ 1 250 000."),
                            "base_version": 1, "note": "Se precisa el monto"})
    assert saved.status_code == 200
    page = rosa.get(f"/documentos/{doc}/revision").get_data(as_text=True)
    import re
    comment_id = re.search(r'id="comment-(\d+)"', page).group(1)
    rosa.post_form(f"/documentos/{doc}/comentarios", {"body": "Corregido.", "thread_id": comment_id})
    assert submit(rosa, doc).status_code == 302
    carmen.post_form(f"/documentos/{doc}/comentarios/{comment_id}/resolver")
    still_blocked = carmen.post_form(f"/documentos/{doc}/acciones/aprobar")
    assert still_blocked.status_code == 409 and "visto bueno" in still_blocked.get_data(as_text=True)
    assert carmen.post_form(f"/documentos/{doc}/visto-bueno").status_code == 302
    assert jorge.post_form(f"/documentos/{doc}/visto-bueno").status_code == 302
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
    assert "Cadena íntegra" in page and "Cambio de estado" in page
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
    assert "Cadena rota en la entrada 1" in admin.get("/admin/auditoria").get_data(as_text=True)


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
