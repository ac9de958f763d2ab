"""The officials' daily work in a real browser: the working copy that autosave keeps, a page
left behind that reloads itself, the history's "compare with the previous version", a
document withdrawn from review and a draft discarded (after a confirmation); the notices
with their counter and the e-mail a local SMTP server receives (at once, and as the daily
digest); and the public and main internal pages at phone width, checked by axe-core."""
from __future__ import annotations

import os
import re
import socket
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

pytestmark = pytest.mark.browser

AXE_JS = Path(os.environ.get("DOCSYS_AXE_JS",
                             "/opt/docsys-test-node/node_modules/axe-core/axe.min.js"))
PHONE = {"width": 375, "height": 740}


def item_text(page, noun, n):
    return page.get_by_label(f"Texto del {noun} {n}", exact=True)


def with_session(live_server, work):
    session = live_server.app.extensions["docsys.sessions"]()
    try:
        result = work(session)
        session.commit()
        return result
    finally:
        session.close()


def test_working_copy_stale_page_history_withdraw_and_discard(new_page, make_draft, db_versions,
                                                              autosave):
    autosave(1)
    document_id = make_draft("redactora", sumilla="Aprobar el plan de trabajo de limpieza pública")
    rosa = new_page("redactora")
    rosa.goto(f"/documentos/{document_id}")
    expect(rosa.locator("#version-indicator")).to_have_text("Versión 1")

    # Autosave keeps a working copy, not a version; a reload brings the typing back.
    item_text(rosa, "artículo", 4).fill("DISPONER la publicación, escrita y no guardada.")
    expect(rosa.locator("#save-state")).to_have_text(
        "Copia de trabajo guardada (aún no es una versión)", timeout=8_000)
    assert len(db_versions(document_id)) == 1
    rosa.reload()
    expect(rosa.locator("#working-copy-note")).to_contain_text("Se recuperó su copia de trabajo")
    expect(item_text(rosa, "artículo", 4)).to_have_value(
        "DISPONER la publicación, escrita y no guardada.")
    assert len(db_versions(document_id)) == 1

    # An explicit save makes the version; Back to a page left behind is never "otra persona".
    rosa.get_by_role("button", name="Guardar versión").click()
    expect(rosa.locator("#version-indicator")).to_have_text("Versión 2")
    rosa.get_by_role("link", name="Historial").click()
    rosa.go_back()
    expect(rosa.locator("#version-indicator")).to_have_text("Versión 2")
    item_text(rosa, "artículo", 4).fill("DISPONER la publicación en el portal institucional.")
    rosa.get_by_role("button", name="Guardar versión").click()
    expect(rosa.locator("#version-indicator")).to_have_text("Versión 3")
    expect(rosa.locator("#conflict")).to_be_hidden()
    assert [v.autosave for v in db_versions(document_id)] == [False, False, False]

    # The history compares any version with the one before.
    rosa.get_by_role("link", name="Historial").click()
    rosa.locator("tr[data-version='3']").get_by_role("link", name="Comparar con la v2").click()
    expect(rosa.get_by_role("heading", name="Comparación de la versión 2 con la versión 3")).to_be_visible()

    # Sent, then taken back before anybody acted on it.
    rosa.goto(f"/documentos/{document_id}/revision")
    rosa.locator("form[data-move='enviar']").get_by_role("button", name="Enviar a revisión").click()
    expect(rosa.locator("#doc-status")).to_have_text("En revisión")
    rosa.locator("form[data-move='retirar']").get_by_role("button", name="Retirar de revisión").click()
    expect(rosa.locator("#doc-status")).to_have_text("Borrador")
    # Once sent, a draft is no longer discarded: the button says why.
    expect(rosa.locator("form[data-move='descartar'] button[data-action]")).to_be_disabled()
    expect(rosa.locator("#missing-descartar")).to_contain_text("ya fue enviado a revisión")

    # A draft never sent is discarded after a confirmation, and leaves the Bandeja.
    other = make_draft("redactora", sumilla="Borrador duplicado por error")
    rosa.goto(f"/documentos/{other}/revision")
    discard = rosa.locator("form[data-move='descartar']")
    discard.get_by_label("Motivo / observaciones (obligatorio)").fill("Duplicado del expediente")
    discard.locator("summary", has_text="Descartar borrador…").click()
    discard.get_by_role("button", name="Sí, descartar borrador").click()
    expect(rosa.locator("#doc-status")).to_have_text("Descartado")
    rosa.goto("/")
    expect(rosa.locator("#all-documents")).not_to_contain_text("Borrador duplicado por error")
    expect(rosa.locator("#all-documents")).to_contain_text("Aprobar el plan de trabajo")
    rosa.goto("/?estado=descartado")
    expect(rosa.locator("#all-documents")).to_contain_text("Borrador duplicado por error")
    assert rosa.js_errors == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(live_server):
    """A real SMTP server (aiosmtpd) on 127.0.0.1; the app sends its e-mail there."""
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            from email import message_from_bytes, policy
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    config = live_server.app.config
    config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    try:
        yield inbox
    finally:
        config.update(SMTP_HOST=None)
        controller.stop()


def wait_for(predicate, seconds=15.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def test_notices_counter_email_and_daily_digest(new_page, make_draft, live_server, smtp_server):
    from docsys import workflow
    from docsys.models import Document, User

    def set_emails(session):
        session.execute(update(User).where(User.username == "asesora")
                        .values(email="asesora@megantoni.gob.pe", email_digest=False))
        session.execute(update(User).where(User.username == "redactora")
                        .values(email="redactora@megantoni.gob.pe", email_digest=True))
    with_session(live_server, set_emails)
    sumilla = "Aprobar el cronograma de mantenimiento de trochas carrozables"
    document_id = make_draft("redactora", sumilla=sumilla)

    ana = new_page("asesora")
    ana.get_by_role("link", name=re.compile("^Avisos")).click()
    ana.get_by_role("button", name="Marcar todos como leídos").click()
    expect(ana.locator("#notice-count")).to_have_count(0)

    rosa = new_page("redactora")
    rosa.goto(f"/documentos/{document_id}/revision")
    rosa.locator("form[data-move='enviar']").get_by_role("button", name="Enviar a revisión").click()
    expect(rosa.locator("#doc-status")).to_have_text("En revisión")

    # Ana is told in the application (the counter) and by e-mail, at once.
    ana.goto("/")
    expect(ana.locator("#notice-count")).to_have_text("1")
    ana.locator("#notices-link").click()
    expect(ana.locator("#notices li.unread")).to_contain_text(sumilla)
    def mail_to_ana():
        return next((m for m in smtp_server.messages if m["To"] == "asesora@megantoni.gob.pe"
                     and sumilla in m["Subject"]), None)
    assert wait_for(lambda: mail_to_ana() is not None)
    assert "espera su atención" in mail_to_ana().get_content()

    # Rosa chose the daily digest: her notice of the return waits for the digest command.
    def give_back(session):
        document = session.get(Document, document_id)
        adviser = session.scalar(select(User).where(User.username == "asesora"))
        workflow.transition(session, document, "observar", adviser, "Adjuntar el informe técnico")
    with_session(live_server, give_back)
    rosa.goto("/")
    expect(rosa.locator("#notice-count")).to_have_text("1")
    assert not any(m["To"] == "redactora@megantoni.gob.pe" for m in smtp_server.messages)
    result = live_server.app.test_cli_runner().invoke(args=["docsys", "notifications", "digest"])
    assert result.exit_code == 0 and "Resúmenes enviados: 1." in result.output
    assert wait_for(lambda: any(m["To"] == "redactora@megantoni.gob.pe"
                                for m in smtp_server.messages))
    digest = next(m for m in smtp_server.messages if m["To"] == "redactora@megantoni.gob.pe")
    assert "aviso(s) del día" in digest["Subject"]
    assert "Adjuntar el informe técnico" in digest.get_content()
    assert ana.js_errors == [] and rosa.js_errors == []


def horizontal_overflow(page) -> str:
    """"" when the page fits the window's width; else its width and the widest elements."""
    return page.evaluate("""() => {
        const [scroll, inner] = [document.scrollingElement.scrollWidth, window.innerWidth];
        if (scroll <= inner) return "";
        const wide = [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > inner + 1)
          .slice(0, 4).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                                + (e.className && typeof e.className === 'string'
                                   ? '.' + e.className.split(' ').join('.') : ''));
        return `${scroll} px de ancho en ${inner} px: ${wide.join(', ')}`;
    }""")


def axe_violations(page) -> list[str]:
    """Serious and critical axe-core findings (WCAG 2 A/AA) on the page."""
    # Evaluated through the DevTools protocol, not as a <script>: the page's CSP
    # (script-src 'self') rightly refuses inline scripts.
    page.evaluate("source => { (0, eval)(source); }", AXE_JS.read_text(encoding="utf-8"))
    found = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}});
        return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
          .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
    }""")
    return found


@pytest.fixture
def published(live_server, make_draft):
    """A resolution issued, signed and published through the domain (demo certificates)."""
    from docsys import issuing, workflow
    from docsys.models import Document, Issuance, User
    from docsys.signing.demo_setup import DEMO_SIGNING_SECRET as SECRET, setup_demo_pki
    from tests.finishing import finish
    from tests.issuing.support import give_vistos

    document_id = make_draft("redactora", sumilla="Aprobar el reglamento de uso del coliseo municipal")

    def issue(session):
        def user(name):
            return session.scalar(select(User).where(User.username == name))
        setup_demo_pki(session, live_server.app.config, usernames=["asesora", "gerente"])
        document = session.get(Document, document_id)
        finish(session, document, user("redactora"))  # issue 12: no template prompts left
        workflow.transition(session, document, "enviar", user("redactora"))
        give_vistos(session, live_server.app.config, document, legal="asesora", area="gerente")
        workflow.transition(session, document, "aprobar", user("asesora"))
        issuing.issue(session, live_server.app.config, document, user("gerente"), secret=SECRET)
        issuing.publish(session, document, user("archivera"))
        issuance = session.scalar(select(Issuance).where(Issuance.document_id == document_id))
        return document.official_number, issuance.verification_code
    # Signing runs its own event loop (pyHanko): not in this thread, where Playwright's runs.
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(1) as pool:
        number, code = pool.submit(with_session, live_server, issue).result()
    return document_id, number, code


def test_pages_at_phone_width_without_overflow_and_with_axe(new_page, published, make_draft,
                                                           screenshot):
    document_id, number, code = published
    citizen = new_page(width=PHONE["width"], height=PHONE["height"])
    seq, year = re.search(r"(\d+)-(\d{4})-", number).groups()
    seq = int(seq)
    public = ["/normas", f"/normas/rgm/{year}/{seq}", f"/verificar/{code}"]
    draft = make_draft("redactora", sumilla="Aprobar la directiva de uso de vehículos oficiales")
    rosa = new_page("redactora", width=PHONE["width"], height=PHONE["height"])
    internal = ["/", f"/documentos/{draft}", f"/documentos/{draft}/revision"]
    findings = {}
    for page, paths in ((citizen, public), (rosa, internal)):
        for path in paths:
            page.goto(path)
            expect(page.locator("main")).to_be_visible()
            screenshot(page, "telefono" + re.sub(r"[^a-z0-9]+", "-", path.lower()).rstrip("-"))
            found = [problem for problem in [horizontal_overflow(page)] if problem]
            if AXE_JS.exists():
                found += axe_violations(page)
            if found:
                findings[path] = found
    if not AXE_JS.exists():
        if os.environ.get("CI"):
            pytest.fail(f"axe-core no está en {AXE_JS} (bash scripts/setup.sh test lo instala)")
        pytest.skip(f"axe-core no está en {AXE_JS}: solo se comprobó el ancho")
    assert not findings, findings
    assert citizen.js_errors == [] and rosa.js_errors == []
