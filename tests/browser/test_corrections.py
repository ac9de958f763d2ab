"""Correcting an issued norm in a real browser: the Gerente Municipal opens the norm he
signed, chooses «Dejar sin efecto» under «Corregir esta norma», gives the reason, and lands
on the new draft, which says what it corrects; the drafting office finds it in its Bandeja,
and the norm's page lists it. The norm itself stays as it was."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

pytestmark = pytest.mark.browser

SUMILLA = "Aprobar el expediente técnico del mejoramiento del camino vecinal Kepashiato"


@pytest.fixture
def issued(live_server, make_draft):
    """An RGM reviewed and issued through the shared helpers; returns (id, number, sha)."""
    from docsys import services
    from docsys.models import Document, Issuance, User
    from docsys.signing.demo_setup import setup_demo_pki
    from tests.issuing.support import SECRET, take_to_approval

    document_id = make_draft("redactora", sumilla=SUMILLA)
    sessions = live_server.app.extensions["docsys.sessions"]
    session = sessions()
    try:
        def user(name):
            return session.scalar(select(User).where(User.username == name))
        setup_demo_pki(session, live_server.app.config, usernames=["asesora", "gerente"])
        session.commit()

        def approve_and_issue():
            take_to_approval(session, live_server.app.config, session.get(Document, document_id),
                             user("redactora"), legal="asesora")
            session.commit()
            return services.issue(session, live_server.app.config, user("gerente"), document_id,
                                  secret=SECRET)
        # In a thread of its own, as the server would: pyHanko signs with asyncio.run, and
        # this thread runs Playwright's event loop.
        with ThreadPoolExecutor(1) as pool:
            issuance = pool.submit(approve_and_issue).result()
        number, sha = issuance.official_number, issuance.pdf_sha256
        assert session.scalar(select(Issuance.pdf_sha256)
                              .where(Issuance.document_id == document_id)) == sha
    finally:
        session.close()
    return document_id, number, sha


def test_the_authority_starts_a_correction_from_the_norms_page(new_page, issued, live_server,
                                                               screenshot):
    from docsys.models import Document, Issuance, NormCorrection

    norm_id, number, sha = issued
    jorge = new_page("gerente")
    jorge.goto(f"/documentos/{norm_id}/revision")
    panel = jorge.locator("#correction")
    expect(panel.get_by_role("heading", name="Corregir esta norma")).to_be_visible()
    expect(panel).to_contain_text("Una norma emitida no se modifica")
    panel.get_by_label("Dejar sin efecto").check()
    panel.get_by_label("Motivo (breve)").fill("Se emitió sin el informe técnico obligatorio")
    screenshot(jorge, "corregir-norma")
    panel.get_by_role("button", name="Crear borrador de corrección").click()
    expect(jorge.locator(".flash-success")).to_contain_text("Se creó el borrador")
    expect(jorge.locator("#doc-status")).to_have_text("Borrador")
    corrects = jorge.locator("#corrects")
    expect(corrects).to_contain_text("Dejar sin efecto")
    expect(corrects.locator("#corrected-link")).to_have_text(number)
    expect(jorge.locator(".doc-title")).to_contain_text(
        "Dejar sin efecto la Resolución de Gerencia Municipal N° ")
    draft_id = int(jorge.url.rstrip("/").split("/")[-2])
    screenshot(jorge, "borrador-de-correccion")

    # Back on the norm's page: the correction is listed, and a second one is refused.
    corrects.locator("#corrected-link").click()
    expect(jorge.locator("#corrections-started")).to_contain_text("Dejar sin efecto")
    jorge.locator("#correction").get_by_label("Motivo (breve)").fill("Otra vez, por si acaso")
    jorge.get_by_role("button", name="Crear borrador de corrección").click()
    expect(jorge.locator("body")).to_contain_text("Ya hay una corrección en curso")

    # The drafting office finds it in its Bandeja and opens the pre-filled text.
    rosa = new_page("redactora")
    rosa.goto("/")
    expect(rosa.locator("body")).to_contain_text("Dejar sin efecto la Resolución de Gerencia")
    rosa.goto(f"/documentos/{draft_id}/revision")
    expect(rosa.locator("body")).to_contain_text("DEJAR SIN EFECTO la Resolución de Gerencia")
    expect(rosa.locator("#correction-form")).to_have_count(0)

    session = live_server.app.extensions["docsys.sessions"]()
    try:
        norm = session.get(Document, norm_id)
        assert (norm.status, norm.legal_status, norm.official_number) == ("emitido", "vigente",
                                                                         number)
        assert session.scalar(select(Issuance.pdf_sha256)
                              .where(Issuance.document_id == norm_id)) == sha
        assert [(c.document_id, c.kind) for c in session.scalars(
            select(NormCorrection).where(NormCorrection.corrected_document_id == norm_id))] \
            == [(draft_id, "dejar_sin_efecto")]
    finally:
        session.close()
    assert not jorge.js_errors and not rosa.js_errors
