"""The legal review in a real browser, end to end: the drafter sends, the legal adviser
comments on an article by selecting words in the document's text and returns the draft, the
drafter finds the return reason and the observation beside the article in the editor,
answers it, marks it attended and re-sends; the adviser reads the redline (page and
tracked-changes DOCX), sees "Aprobar" disabled with what is missing, resolves the
observation and gives V°B°, the area head gives V°B°, and the draft is approved after a
confirmation step."""
from __future__ import annotations

import re
import zipfile

import pytest
from playwright.sync_api import expect

from docsys.signing.demo_setup import DEMO_SIGNING_SECRET

pytestmark = pytest.mark.browser

SUMILLA = "Aprobar el expediente técnico del sistema de riego tecnificado de Kepashiato"
OLD_ARTICLE_START = "APROBAR [indique el acto que se aprueba"
FIXED_ARTICLE = ("APROBAR el expediente técnico del proyecto «Instalación del sistema de riego "
                 "tecnificado en el centro poblado Kepashiato», con un presupuesto de S/ 845 300,00.")
QUOTE = "[indique el acto que se aprueba, con sus datos esenciales"
OBSERVATION = "Precisar el proyecto aprobado y su presupuesto; el artículo conserva el texto de la plantilla."
RETURN_REASON = "Se devuelve para corregir el artículo primero."
REPLY = "Corregido en la versión 2."
ADVISER = "Ana Lucía Torres Vargas"
DRAFTER = "Rosa Quispe Huamán"
HEAD = "Jorge Mendoza Salas"


def awaiting_row(page, title):
    return page.locator("#awaiting tbody tr", has_text=title)


def awaiting_count(page, label):
    """The "<Estado>: n" chip next to "Pendientes para usted" (0 when there is none)."""
    expect(page.get_by_role("heading", name=re.compile("^Pendientes para usted"))).to_be_visible()
    chip = page.locator("#h-awaiting .count", has_text=f"{label}:")
    return int(chip.inner_text().rsplit(":", 1)[1]) if chip.count() else 0


def expect_awaiting_count(page, label, count):
    chip = page.locator("#h-awaiting .count", has_text=f"{label}:")
    if count:
        expect(chip).to_have_text(f"{label}: {count}")
    else:
        expect(chip).to_have_count(0)


def go_to_inbox(page):
    page.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Bandeja").click()
    expect(page.get_by_role("heading", name="Bandeja", exact=True)).to_be_visible()


def item_of(locator):
    return locator.locator("xpath=ancestor::li[contains(@class, 'item')][1]")


def action_form(page, key):
    return page.locator("form.action-form").filter(has=page.locator(f"button[data-action='{key}']"))


def flash(page):
    return page.locator(".flash-success")


def test_review_round_trip_until_approved(new_page, make_draft, live_server, screenshot,
                                          nearly_finished_template, demo_certificates):
    document_id = make_draft("redactora", sumilla=SUMILLA, template=nearly_finished_template)
    review_path = f"/documentos/{document_id}/revision"
    rosa = new_page("redactora")
    ana = new_page("asesora")
    jorge = new_page("gerente")
    ana_waiting = awaiting_count(ana, "En revisión")
    jorge_waiting = awaiting_count(jorge, "En revisión")
    jorge_approved = awaiting_count(jorge, "Aprobado")

    # --- Rosa: Bandeja -> editor -> Revisión -> "Enviar a revisión" (no one assigned yet).
    row = awaiting_row(rosa, SUMILLA)
    expect(row).to_contain_text("Borrador")
    row.get_by_role("link", name=SUMILLA).click()
    expect(rosa.locator("#version-indicator")).to_have_text("Versión 1")
    rosa.get_by_role("navigation", name="Acciones del documento").get_by_role(
        "link", name="Revisión").click()
    expect(rosa).to_have_url(re.compile(re.escape(review_path) + "$"))
    expect(rosa.locator("#doc-status")).to_have_text("Borrador")
    expect(rosa.locator("#transitions tbody")).to_contain_text("Aún sin cambios de estado.")
    expect(rosa.locator("#give-vb")).to_have_count(0)  # a drafter gives no V°B°
    expect(rosa.locator("button[data-action], summary[data-action]")).to_have_text(
        ["Enviar a revisión", "Descartar borrador…"])
    send = action_form(rosa, "enviar")
    expect(send.get_by_label("Asignar a")).to_have_value("")
    send.get_by_role("button", name="Enviar a revisión").click()
    expect(flash(rosa)).to_have_text("Documento en estado «En revisión».")
    expect(rosa.locator("#doc-status")).to_have_text("En revisión")
    # Nobody acted on it yet: she could still take it back.
    expect(rosa.locator("button[data-action]")).to_have_text(["Retirar de revisión"])
    go_to_inbox(rosa)
    expect(awaiting_row(rosa, SUMILLA)).to_have_count(0)  # it no longer awaits her

    # --- Ana (legal, GAJ): it awaits her in the Bandeja, unassigned.
    go_to_inbox(ana)
    expect_awaiting_count(ana, "En revisión", ana_waiting + 1)
    row = awaiting_row(ana, SUMILLA)
    expect(row).to_contain_text("GM")
    expect(row).to_contain_text("En revisión")
    row.get_by_role("link", name=SUMILLA).click()
    expect(ana).to_have_url(re.compile(re.escape(review_path) + "$"))
    expect(ana.locator("#doc-status")).to_have_text("En revisión")
    expect(ana.locator("button[data-action]")).to_have_text(
        ["Devolver con observaciones", "Aprobar"])
    expect(action_form(ana, "aprobar").get_by_role("button", name="Aprobar")).to_be_disabled()
    # Derivar offers only who can act on it in review (not the drafters).
    derive_to = ana.locator("select[name=to_user] option")
    expect(derive_to.filter(has_text=DRAFTER)).to_have_count(0)
    expect(derive_to.filter(has_text=ADVISER)).to_have_count(1)
    expect(ana.locator(".vistos")).to_contain_text("Asesoría Jurídica: pendiente")
    expect(ana.locator(".vistos")).to_contain_text("Jefe del área (GM): pendiente")

    # A comment anchored to the first article, with the quoted passage.
    form = ana.locator("#new-comment")
    expect(ana.get_by_role("heading", name="Nuevo comentario sobre la versión 1")).to_be_visible()
    # The Revisión page shows the text; selecting words in an article anchors the comment.
    article = ana.locator("#review-document .doc-article").first
    expect(article).to_contain_text(OLD_ARTICLE_START)
    article.evaluate("""(node, quote) => {
        const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
        let text;
        while ((text = walker.nextNode()) && !text.data.includes(quote)) {}
        const start = text.data.indexOf(quote);
        const range = document.createRange();
        range.setStart(text, start);
        range.setEnd(text, start + quote.length);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        node.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
    }""", QUOTE)
    part = form.get_by_label("Parte del documento")
    expect(part.locator("option:checked")).to_have_text("SE RESUELVE: Artículo Primero")
    expect(form.get_by_label("Pasaje citado (opcional)")).to_have_value(QUOTE)
    expect(part.locator("option", has_text="Considerando 2")).to_have_count(1)
    form.get_by_label("Comentario", exact=True).fill(OBSERVATION)
    form.get_by_role("button", name="Comentar").click()
    expect(flash(ana)).to_have_text("Comentario registrado.")
    thread = ana.locator("article.thread")
    expect(thread).to_have_count(1)
    expect(thread).to_have_class(re.compile(r"\bopen\b"))
    expect(thread.locator("header")).to_contain_text(ADVISER)
    expect(thread.locator("header")).to_contain_text("v1")
    expect(thread.locator("header")).to_contain_text("sobre SE RESUELVE: Artículo Primero")
    expect(thread.locator("blockquote")).to_have_text(QUOTE)
    expect(thread).to_contain_text(OBSERVATION)

    # "Devolver con observaciones": the reason is required (the browser says so first).
    give_back = action_form(ana, "observar")
    reason = give_back.get_by_label("Motivo / observaciones (obligatorio)")
    give_back.get_by_role("button", name="Devolver con observaciones").click()
    assert reason.evaluate("el => el.validity.valueMissing") is True
    expect(ana.locator("#doc-status")).to_have_text("En revisión")
    reason.fill(RETURN_REASON)
    give_back.get_by_role("button", name="Devolver con observaciones").click()
    expect(flash(ana)).to_have_text("Documento en estado «Observado».")
    expect(ana.locator("#doc-status")).to_have_text("Observado")
    expect(ana.locator("p.doc-title")).to_contain_text(f"asignado a {DRAFTER}")
    expect(ana.locator("#give-vb")).to_have_count(0)
    screenshot(ana, "review-observed")
    go_to_inbox(ana)
    expect_awaiting_count(ana, "En revisión", ana_waiting)
    expect(awaiting_row(ana, SUMILLA)).to_have_count(0)

    # --- Rosa: the draft is back, "Observado", with the observation and its reason.
    go_to_inbox(rosa)
    row = awaiting_row(rosa, SUMILLA)
    expect(row).to_contain_text("Observado")
    expect(row).to_contain_text(DRAFTER)  # assigned back to her
    expect(rosa.locator("#h-awaiting .count", has_text="Observado:")).to_be_visible()
    row.get_by_role("link", name=SUMILLA).click()
    expect(rosa.locator(".editor-meta .status")).to_have_text("Observado")
    expect(rosa.locator("#version-indicator")).to_have_text("Versión 1")
    # In the editor: the return reason, and the observation beside the article it anchors.
    expect(rosa.locator("#return-reason")).to_contain_text(RETURN_REASON)
    expect(rosa.locator("#return-reason")).to_contain_text(ADVISER)
    article_item = item_of(rosa.get_by_label("Texto del artículo 1", exact=True))
    observation = article_item.locator(".observation")
    expect(observation).to_contain_text(OBSERVATION)
    expect(observation).to_contain_text("SE RESUELVE: Artículo Primero")
    expect(observation.locator("blockquote")).to_have_text(QUOTE)
    expect(rosa.locator("legend", has_text="Sección sin título")).to_have_count(0)
    # She answers it there and marks it attended, without leaving the editor.
    observation.get_by_label(re.compile("^Responder a la observación")).fill(REPLY)
    observation.get_by_role("button", name="Responder").click()
    expect(observation.locator(".reply")).to_have_text(f"{DRAFTER}: {REPLY}")
    observation.get_by_role("button", name="Marcar como atendida").click()
    expect(observation).to_have_class(re.compile(r"\bis-addressed\b"))
    expect(rosa.locator("#save-state")).to_have_text("Guardado")  # answering is not editing
    rosa.get_by_role("navigation", name="Acciones del documento").get_by_role(
        "link", name="Revisión").click()
    expect(rosa.locator("#doc-status")).to_have_text("Observado")
    expect(rosa.locator("#return-reason")).to_contain_text(RETURN_REASON)
    expect(rosa.locator("article.thread.open .reply")).to_have_text(f"{DRAFTER}: {REPLY}")
    expect(rosa.locator("article.thread .badge")).to_have_text(f"atendida por {DRAFTER}")
    expect(rosa.get_by_role("button", name="Marcar como resuelta")).to_have_count(0)  # Ana's
    expect(rosa.locator("#transitions tbody tr").last).to_contain_text(RETURN_REASON)
    expect(rosa.locator("#transitions tbody tr").last).to_contain_text("En revisión → Observado")

    # ... fixes the article in the editor and saves version 2.
    rosa.get_by_role("link", name="← Documento").click()
    article = rosa.get_by_label("Texto del artículo 1", exact=True)
    expect(article).to_have_value(re.compile("^" + re.escape(OLD_ARTICLE_START)))
    article.fill(FIXED_ARTICLE)
    rosa.get_by_label("Nota de la versión").fill("Se atiende la observación de Asesoría Jurídica")
    rosa.get_by_role("button", name="Guardar versión").click()
    expect(rosa.locator("#version-indicator")).to_have_text("Versión 2")
    expect(rosa.locator("#save-state")).to_have_text("Guardado")

    # Re-send, this time assigned to Ana by name.
    rosa.get_by_role("navigation", name="Acciones del documento").get_by_role(
        "link", name="Revisión").click()
    expect(rosa.locator("p.doc-title")).to_contain_text("versión 2")
    send = action_form(rosa, "enviar")
    send.get_by_label("Asignar a").select_option(label=ADVISER)
    send.get_by_label("Comentario (opcional)").fill("Se corrigió el artículo primero.")
    send.get_by_role("button", name="Enviar a revisión").click()
    expect(flash(rosa)).to_have_text("Documento en estado «En revisión».")
    expect(rosa.locator("#doc-status")).to_have_text("En revisión")
    expect(rosa.locator("p.doc-title")).to_contain_text(f"asignado a {ADVISER}")
    expect(rosa.locator("#derivations")).to_contain_text(f"{DRAFTER} → {ADVISER}")

    # --- Ana: back in her Bandeja; the thread now sits on v2's article 1.
    go_to_inbox(ana)
    expect_awaiting_count(ana, "En revisión", ana_waiting + 1)
    expect(awaiting_row(ana, SUMILLA)).to_contain_text(ADVISER)
    awaiting_row(ana, SUMILLA).get_by_role("link", name=SUMILLA).click()
    expect(ana.locator("#doc-status")).to_have_text("En revisión")
    expect(ana.locator("article.thread.open header")).to_contain_text(
        "sobre SE RESUELVE: Artículo Primero")
    expect(ana.locator("article.thread .reply")).to_contain_text(REPLY)

    # The comparison v1 -> v2 (the form's defaults): the article's words deleted/inserted.
    compare_form = ana.locator("#compare-form")
    expect(compare_form.get_by_label("De")).to_have_value("1")
    expect(compare_form.get_by_label("A")).to_have_value("2")
    compare_form.get_by_role("button", name="Comparar").click()
    expect(ana.get_by_role("heading", name="Comparación de la versión 1 con la versión 2")).to_be_visible()
    expect(ana).to_have_url(re.compile(r"/comparar\?de=1&a=2$"))
    redline = ana.locator(".paper.redline")
    expect(redline.locator(".rl-summary")).to_contain_text("palabras insertadas")
    changed = redline.locator("section[data-section='resuelve'] .rl-item.rl-modified")
    expect(changed).to_have_count(1)
    expect(changed.locator(".rl-label")).to_have_text("ARTÍCULO PRIMERO.-")
    expect(changed.locator("del.rl-del").first).to_contain_text("indique el acto que se aprueba")
    expect(changed.locator("ins.rl-ins").first).to_contain_text("Instalación del sistema de riego")
    expect(changed.locator("ins.rl-ins", has_text="845 300,00")).to_have_count(1)
    # Unchanged articles carry no marks.
    unchanged = redline.locator("section[data-section='resuelve'] .rl-item.rl-unchanged")
    expect(unchanged).to_have_count(3)
    expect(unchanged.locator("ins, del")).to_have_count(0)
    screenshot(ana, "review-redline")

    with ana.expect_download() as info:
        ana.get_by_role("link", name="Descargar DOCX con control de cambios").click()
    download = info.value
    assert download.suggested_filename == f"RGM-{document_id}-v1-v2.docx"
    with zipfile.ZipFile(download.path()) as docx_zip:
        xml = docx_zip.read("word/document.xml").decode("utf-8")
    assert "<w:ins " in xml and "<w:del " in xml
    assert "<w:delText" in xml and "indique el acto que se aprueba" in xml
    assert "Instalación del sistema de riego" in xml
    assert f'w:author="{DRAFTER}"' in xml

    # "Aprobar" is disabled, and every missing condition is spelled out beside it.
    ana.get_by_role("link", name="← Revisión").click()
    expect(action_form(ana, "aprobar").get_by_role("button", name="Aprobar")).to_be_disabled()
    message = ana.locator("#missing-aprobar li")
    expect(message).to_have_text([
        "Hay 1 observación(es) abierta(s); deben resolverse antes de aprobar.",
        "Falta el visto bueno de Asesoría Jurídica sobre la versión actual.",
        "Falta el visto bueno del jefe del área sobre la versión actual."])
    expect(ana.locator("#doc-status")).to_have_text("En revisión")

    # Resolve the observation, give the legal V°B°.
    ana.locator("article.thread").get_by_role("button", name="Marcar como resuelta").click()
    expect(flash(ana)).to_have_text("Observación resuelta.")
    expect(ana.locator("article.thread")).to_have_class(re.compile(r"\bresolved\b"))
    expect(ana.locator("article.thread .badge")).to_have_text(f"resuelta por {ADVISER}")
    expect(ana.get_by_role("button", name="Marcar como resuelta")).to_have_count(0)
    vb_form = ana.locator("#vb-form")
    expect(vb_form.locator("#vb-what")).to_contain_text("versión 2")
    expect(vb_form.locator("#vb-what")).to_contain_text("No se puede deshacer")
    vb_form.get_by_label("Clave de firma").fill(DEMO_SIGNING_SECRET)
    ana.get_by_role("button", name="Dar V°B° a la versión 2").click()
    expect(flash(ana)).to_have_text(
        "Visto bueno registrado y firmado con su certificado sobre la versión 2.")
    expect(ana.locator(".vistos")).to_contain_text(f"Asesoría Jurídica: V°B° {ADVISER}")
    expect(ana.locator(".vistos")).to_contain_text("Jefe del área (GM): pendiente")
    expect(ana.locator("#give-vb")).to_have_count(0)   # given: no second button

    # Still one condition missing.
    expect(ana.locator("#missing-aprobar li")).to_have_text(
        ["Falta el visto bueno del jefe del área sobre la versión actual."])

    # --- Jorge (signer of GM = area head): his Bandeja has it; V°B°.
    go_to_inbox(jorge)
    expect_awaiting_count(jorge, "En revisión", jorge_waiting + 1)
    awaiting_row(jorge, SUMILLA).get_by_role("link", name=SUMILLA).click()
    expect(jorge.locator("#doc-status")).to_have_text("En revisión")
    expect(jorge.locator("button[data-action]")).to_have_count(0)
    jorge.locator("#vb-form").get_by_label("Clave de firma").fill(DEMO_SIGNING_SECRET)
    jorge.get_by_role("button", name="Dar V°B° a la versión 2").click()
    expect(flash(jorge)).to_have_text(
        "Visto bueno registrado y firmado con su certificado sobre la versión 2.")
    expect(jorge.locator(".vistos")).to_contain_text(f"Jefe del área (GM): V°B° {HEAD}")
    expect(jorge.locator(".vistos")).to_contain_text(f"Asesoría Jurídica: V°B° {ADVISER}")

    # --- Ana approves.
    ana.reload()
    expect(ana.locator(".vistos")).to_contain_text(f"Jefe del área (GM): V°B° {HEAD}")
    approve = ana.locator("form.action-form[data-move='aprobar']")
    approve.get_by_label("Comentario (opcional)").fill("Conforme.")
    # An irreversible act asks first.
    confirm = approve.get_by_role("button", name="Sí, aprobar")
    expect(confirm).to_be_hidden()
    approve.locator("summary", has_text="Aprobar…").click()
    expect(approve).to_contain_text("Esta acción no se puede deshacer.")
    confirm.click()
    expect(flash(ana)).to_have_text("Documento en estado «Aprobado».")
    expect(ana.locator("#doc-status")).to_have_text("Aprobado")
    expect(ana.locator("#give-vb")).to_have_count(0)
    expect(ana.locator("#transitions tbody tr")).to_have_count(4)
    expect(ana.locator("#transitions tbody tr td:nth-child(3)")).to_have_text(
        ["enviar", "observar", "enviar", "aprobar"])
    screenshot(ana, "review-approved")
    go_to_inbox(ana)
    expect_awaiting_count(ana, "En revisión", ana_waiting)
    expect(awaiting_row(ana, SUMILLA)).to_have_count(0)   # nothing left for her to do
    go_to_inbox(jorge)  # the approved draft now awaits the signer
    expect_awaiting_count(jorge, "En revisión", jorge_waiting)
    expect_awaiting_count(jorge, "Aprobado", jorge_approved + 1)
    expect(awaiting_row(jorge, SUMILLA)).to_contain_text("Aprobado")
    # ... and the drafter can no longer edit it.
    rosa.goto(f"/documentos/{document_id}")
    expect(rosa.get_by_role("note")).to_contain_text("«Aprobado» y ya no se puede editar")

    for page in (rosa, ana, jorge):
        assert page.js_errors == []

    # --- The database agrees.
    from sqlalchemy import select

    from docsys.models import Comment, Document, Transition, VistoBueno

    session = live_server.app.extensions["docsys.sessions"]()
    try:
        document = session.get(Document, document_id)
        assert (document.status, document.latest_version) == ("aprobado", 2)
        rows = session.scalars(select(Transition).where(Transition.document_id == document_id)
                               .order_by(Transition.id)).all()
        assert [(t.action, t.from_status, t.to_status, t.version_number, t.actor.username)
                for t in rows] == [
            ("enviar", "borrador", "en_revision", 1, "redactora"),
            ("observar", "en_revision", "observado", 1, "asesora"),
            ("enviar", "observado", "en_revision", 2, "redactora"),
            ("aprobar", "en_revision", "aprobado", 2, "asesora"),
        ]
        assert rows[1].reason == RETURN_REASON
        assert rows[3].reason == "Conforme."
        vistos = session.scalars(select(VistoBueno).where(VistoBueno.document_id == document_id)
                                 .order_by(VistoBueno.id)).all()
        assert [(v.kind, v.version_number, v.user.username) for v in vistos] == [
            ("legal", 2, "asesora"), ("area", 2, "gerente")]
        comments = session.scalars(select(Comment).where(Comment.document_id == document_id)
                                   .order_by(Comment.id)).all()
        assert len(comments) == 2
        observation, reply = comments
        assert (observation.section_key, observation.quote, observation.version_number) == (
            "resuelve", QUOTE, 1)
        assert observation.item_id and observation.resolved_by.username == "asesora"
        assert reply.thread_id == observation.id and reply.body == REPLY
    finally:
        session.close()


@pytest.fixture
def workflow_step(live_server):
    """``workflow_step(document_id, username, action, reason=..., assignee=...)`` takes a
    workflow action (or "visto_bueno") through the domain service, to set up a state fast."""
    from sqlalchemy import select

    from concurrent.futures import ThreadPoolExecutor

    from docsys import holder_signing, workflow
    from docsys.models import Document, User
    from docsys.signing.demo_setup import setup_demo_pki
    from tests.finishing import finish

    def step(document_id, username, action, reason="", assignee=None):
        if action == "visto_bueno":
            # Signed by its holder; pyHanko runs its own event loop, not in this thread
            # (Playwright's).
            with ThreadPoolExecutor(1) as pool:
                return pool.submit(signed_visto_bueno, document_id, username).result()
        session = live_server.app.extensions["docsys.sessions"]()
        try:
            def user(name):
                return session.scalar(select(User).where(User.username == name))
            document = session.get(Document, document_id)
            if action == "completar":   # the author fills the template's prompts
                finish(session, document, user(username))
            else:
                workflow.transition(session, document, action, user(username), reason,
                                    assignee=user(assignee) if assignee else None)
            session.commit()
        finally:
            session.close()

    def signed_visto_bueno(document_id, username):
        session = live_server.app.extensions["docsys.sessions"]()
        try:
            holder = session.scalar(select(User).where(User.username == username))
            setup_demo_pki(session, live_server.app.config, usernames=[username])
            holder_signing.give_visto_bueno(session, live_server.app.config,
                                            session.get(Document, document_id), holder,
                                            secret=DEMO_SIGNING_SECRET)
            session.commit()
        finally:
            session.close()

    return step


def test_resent_without_assignee_reaches_the_legal_inbox(new_page, make_draft, workflow_step):
    sumilla = "Reconocer la deuda con la empresa de transportes Urubamba"
    document_id = make_draft("redactora", sumilla=sumilla)
    workflow_step(document_id, "redactora", "enviar")
    workflow_step(document_id, "asesora", "observar", reason="Adjuntar el informe de la deuda.")
    rosa = new_page("redactora")
    rosa.goto(f"/documentos/{document_id}/revision")
    expect(rosa.locator("#doc-status")).to_have_text("Observado")
    action_form(rosa, "enviar").get_by_role("button", name="Enviar a revisión").click()
    expect(flash(rosa)).to_have_text("Documento en estado «En revisión».")
    go_to_inbox(rosa)
    expect(awaiting_row(rosa, sumilla)).to_have_count(0)  # the drafter cannot act on it

    ana = new_page("asesora")
    row = awaiting_row(ana, sumilla)
    expect(row).to_contain_text("En revisión")
    expect(row.locator("td").nth(4)).to_have_text("")   # unassigned: any adviser takes it


def test_approved_draft_leaves_the_advisers_pending_list(new_page, make_draft, workflow_step):
    sumilla = "Aprobar la modificación del Plan Anual de Contrataciones 2026"
    document_id = make_draft("redactora", sumilla=sumilla)
    workflow_step(document_id, "redactora", "completar")
    workflow_step(document_id, "redactora", "enviar", assignee="asesora")
    workflow_step(document_id, "asesora", "visto_bueno")
    workflow_step(document_id, "gerente", "visto_bueno")
    workflow_step(document_id, "asesora", "aprobar")
    jorge = new_page("gerente")
    expect(awaiting_row(jorge, sumilla)).to_contain_text("Aprobado")

    ana = new_page("asesora")
    expect(ana.get_by_role("heading", name=re.compile("^Pendientes para usted"))).to_be_visible()
    expect(awaiting_row(ana, sumilla)).to_have_count(0)


def test_redline_shows_a_moved_article_and_the_words_changed(new_page, make_draft, live_server):
    """A reviewer comparing two versions in the browser recognises the article that moved
    (tagged at its new place, noted at its old one) apart from the words that changed."""
    from sqlalchemy import select

    from docsys import versions
    from docsys.models import Document, User

    document_id = make_draft("redactora", sumilla="Aprobar el cronograma de mantenimiento vial")
    session = live_server.app.extensions["docsys.sessions"]()
    try:
        document = session.get(Document, document_id)
        author = session.scalar(select(User).where(User.username == "redactora"))
        content = versions.latest_version(session, document).content
        articles = next(s for s in content["sections"] if s["kind"] == "articles")
        articles["items"] = [{"text": "APROBAR el cronograma."},
                             {"text": "ENCARGAR su ejecución a la Subgerencia de Obras."},
                             {"text": "NOTIFICAR la presente resolución a las comunidades."}]
        v2 = versions.save_version(session, document, content, 1, author).content
        moved = next(s for s in v2["sections"] if s["kind"] == "articles")
        third = moved["items"].pop(2)
        third["text"] = "NOTIFICAR la presente resolución a las comunidades nativas."
        moved["items"].insert(0, third)
        versions.save_version(session, document, v2, 2, author)
        session.commit()
    finally:
        session.close()

    ana = new_page("asesora")
    ana.goto(f"/documentos/{document_id}/revision")
    compare_form = ana.locator("#compare-form")
    compare_form.get_by_label("De").select_option("2")
    compare_form.get_by_role("button", name="Comparar").click()
    expect(ana.get_by_role("heading", name="Comparación de la versión 2 con la versión 3")).to_be_visible()
    resuelve = ana.locator(".paper.redline section[data-section='resuelve']")
    moved_item = resuelve.locator(".rl-item.rl-moved")
    expect(moved_item).to_have_count(1)
    expect(moved_item.locator(".rl-label")).to_have_text("ARTÍCULO PRIMERO.-")
    expect(moved_item.locator(".rl-tag-moved")).to_have_text("Movido: antes ARTÍCULO TERCERO")
    expect(moved_item.locator("ins.rl-ins")).to_have_text("nativas")
    expect(resuelve.locator(".rl-item.rl-origin")).to_have_text(
        "ARTÍCULO TERCERO pasó a ser ARTÍCULO PRIMERO")
    # the others only shifted: renumbered, not moved, no words marked
    expect(resuelve.locator(".rl-tag-renumbered")).to_have_text(
        ["Antes ARTÍCULO PRIMERO", "Antes ARTÍCULO SEGUNDO"])
    expect(ana.locator(".rl-summary")).to_contain_text("1 movido")
    assert ana.js_errors == []
