"""Issuing in a real browser, end to end: the Gerente Municipal issues and signs an approved
resolution, downloads the signed PDF, the Secretaría General publishes it, and a citizen
finds it on the public portal and verifies it by code and by uploading the file (the
original, and a copy altered by one byte)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from docsys.signing.demo_setup import DEMO_SIGNING_SECRET
from tests.finishing import finish

pytestmark = pytest.mark.browser

SUMILLA = "Aprobar la liquidación técnica y financiera de la obra del puente Kirigueti"


@pytest.fixture
def approved(live_server, make_draft):
    """An RGM taken through review by the domain functions, its vistos buenos signed with
    demo certificates (in a thread of its own: pyHanko runs an event loop, and this
    thread's belongs to Playwright)."""
    from concurrent.futures import ThreadPoolExecutor

    from docsys import workflow
    from docsys.models import Document, User
    from docsys.signing.demo_setup import setup_demo_pki
    from tests.issuing.support import give_vistos

    document_id = make_draft("redactora", sumilla=SUMILLA)

    def review():
        session = live_server.app.extensions["docsys.sessions"]()
        try:
            def user(name):
                return session.scalar(select(User).where(User.username == name))
            setup_demo_pki(session, live_server.app.config, usernames=["asesora", "gerente"])
            document = session.get(Document, document_id)
            finish(session, document, user("redactora"))
            workflow.transition(session, document, "enviar", user("redactora"))
            give_vistos(session, live_server.app.config, document, legal="asesora",
                        area="gerente")
            workflow.transition(session, document, "aprobar", user("asesora"))
            session.commit()
        finally:
            session.close()
    with ThreadPoolExecutor(1) as pool:
        pool.submit(review).result()
    return document_id


def test_issue_publish_find_and_verify(new_page, approved, tmp_path, screenshot):
    review = f"/documentos/{approved}/revision"

    # --- The Gerente Municipal issues and signs it.
    jorge = new_page("gerente")
    jorge.goto(review)
    panel = jorge.locator("#issue")
    expect(panel).to_contain_text("escriba su clave de firma")
    # The page says what will happen: the version, the number to be taken, no undoing.
    expect(panel.locator("#issue-number")).to_contain_text("N° 0001-")
    expect(panel.locator("#issue-version")).to_contain_text("Versión")
    expect(panel.locator("#issue-irreversible")).to_contain_text("no se puede deshacer")
    panel.get_by_label("Clave de firma").fill(DEMO_SIGNING_SECRET)
    panel.get_by_label("Entiendo que no se puede deshacer").check()
    panel.get_by_role("button", name="Emitir y firmar").click()
    expect(jorge.locator(".flash-success")).to_contain_text("Norma emitida y firmada")
    issued = jorge.locator("#issuance")
    expect(issued).to_contain_text("RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0001-")
    code = jorge.locator("#verification-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    number = issued.locator(".official-number").inner_text()
    expect(jorge.locator("#doc-status")).to_have_text("Emitido")
    with jorge.expect_download() as download_info:
        issued.get_by_role("link", name="Descargar PDF firmado").click()
    signed = tmp_path / "firmado.pdf"
    download_info.value.save_as(signed)
    assert signed.read_bytes().startswith(b"%PDF")
    screenshot(jorge, "emitida")

    # --- The Secretaría General publishes it.
    ana = new_page("archivera")
    ana.goto(review)
    expect(ana.locator("#publish-irreversible")).to_contain_text(number)
    ana.locator("#publish-form").get_by_label("Entiendo que no se puede deshacer").check()
    ana.get_by_role("button", name="Publicar en el portal de normas").click()
    expect(ana.locator(".flash-success")).to_contain_text("Publicada en el portal")
    expect(ana.locator("#doc-status")).to_have_text("Publicado")

    # --- A citizen (no login) finds it by its number on the portal.
    citizen = new_page()
    citizen.goto("/normas")
    expect(citizen.get_by_role("heading", name="Normas municipales publicadas")).to_be_visible()
    year = number.split("-")[1]
    citizen.locator("#q").fill(f"RGM 1-{year}")
    citizen.get_by_role("button", name="Buscar").click()
    first = citizen.locator(".hit").first
    expect(first).to_contain_text(number)
    first.locator(".hit-title").click()
    expect(citizen).to_have_url(re.compile(rf"/normas/rgm/{year}/1$"))
    expect(citizen.locator("#norm-number")).to_have_text(number)
    expect(citizen.locator("#legal-status")).to_have_text("Vigente")
    expect(citizen.locator("#h-text + .document-view")).to_contain_text("SE RESUELVE")
    screenshot(citizen, "portal-norma")

    # --- ... and verifies it from its page (by code).
    citizen.get_by_role("link", name="Verificar autenticidad").click()
    result = citizen.locator("#verification-result")
    expect(result).to_contain_text("Documento auténtico")
    expect(citizen.locator("#signatures tbody tr")).to_have_count(3)
    expect(citizen.locator("#signatures")).to_contain_text("Doy V° B°")
    expect(citizen.locator("#signatures")).to_contain_text("Soy el autor del documento")
    expect(citizen.locator("#signatures .signer-dni").first).to_contain_text(re.compile(r"DNI \d{8}"))

    # --- By typing the code printed on paper (lower case, with spaces).
    citizen.goto("/verificar")
    citizen.locator("#codigo").fill(code.lower().replace("-", " "))
    citizen.get_by_role("button", name="Verificar código").click()
    expect(citizen.locator("#verified-number")).to_have_text(number)

    # --- By uploading the downloaded PDF, then a copy altered by one byte.
    citizen.goto("/verificar")
    citizen.locator("#archivo").set_input_files(str(signed))
    citizen.get_by_role("button", name="Verificar archivo").click()
    expect(citizen.locator("#verdict-text")).to_contain_text("Documento auténtico")
    screenshot(citizen, "verificado")
    data = signed.read_bytes()
    at = data.index(b"WeasyPrint") + 1
    altered = tmp_path / "alterado.pdf"
    altered.write_bytes(data[:at] + b"X" + data[at + 1:])
    citizen.goto("/verificar")
    citizen.locator("#archivo").set_input_files(str(altered))
    citizen.get_by_role("button", name="Verificar archivo").click()
    expect(citizen.locator("#verdict-text")).to_contain_text("este archivo NO es el emitido")
    expect(citizen.locator("#verification-result")).to_contain_text("NO VÁLIDO")
    screenshot(citizen, "alterado")
    for page in (jorge, ana, citizen):
        assert not page.js_errors
