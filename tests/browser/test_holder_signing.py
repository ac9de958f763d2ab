"""Issue 12's browser test: every signature made by its holder, each typing their own
clave de firma. The legal adviser signs her visto bueno when she gives it, the area head
signs his, the Gerente Municipal signs at issuing; the signed PDF is then valid for poppler's
pdfsig and for docsys, with three signatures by three people."""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from docsys.signing.demo_setup import DEMO_SIGNING_SECRET
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser

SUMILLA = "Aprobar el expediente técnico de la trocha carrozable Kepashiato"
HEAD = ("jefe_gdur", "Julio Quispe Ramos", "Gerente de Desarrollo Urbano y Rural")


def _in_thread(func, *args):
    """Domain work that signs or verifies (pyHanko runs an event loop) in a thread of its
    own: this one's belongs to Playwright."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(func, *args).result()


@pytest.fixture
def in_review(live_server, make_draft):
    """A GDUR resolution, finished and sent to review; demo certificates (stored under the
    demo clave de firma) for the legal adviser, the head of GDUR and the Gerente."""
    from docsys import accounts, workflow
    from docsys.models import Document, User
    from docsys.signing.demo_setup import setup_demo_pki
    from tests.finishing import finish

    document_id = make_draft("redactor_gdur", sumilla=SUMILLA)

    def prepare():
        session = live_server.app.extensions["docsys.sessions"]()
        try:
            def user(name):
                return session.scalar(select(User).where(User.username == name))
            if user(HEAD[0]) is None:   # the head of GDUR: its signer
                accounts.create_user(session, HEAD[0], PASSWORD, HEAD[1], ["signer"],
                                     office_code="GDUR", position=HEAD[2])
            setup_demo_pki(session, live_server.app.config,
                           usernames=["asesora", HEAD[0], "gerente"])
            document = session.get(Document, document_id)
            finish(session, document, user("redactor_gdur"))
            workflow.transition(session, document, "enviar", user("redactor_gdur"))
            session.commit()
            return document.id
        finally:
            session.close()
    return _in_thread(prepare)


def _verify(live_server, pdf_path, tmp_path):
    """docsys' verification of the downloaded file, pyHanko's modification levels, pdfsig."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    from docsys import verification
    from docsys.models import User
    from tests.signing.support import PDFSIG, make_nss_db, run_pdfsig

    session = live_server.app.extensions["docsys.sessions"]()
    try:
        result = verification.verify_file(session, live_server.app.config, pdf_path.read_bytes())
        people = {u: session.scalar(select(User.dni).where(User.username == u))
                  for u in ("asesora", HEAD[0], "gerente")}
    finally:
        session.close()
    embedded = PdfFileReader(io.BytesIO(pdf_path.read_bytes())).embedded_signatures
    levels = [validate_pdf_signature(sig, skip_diff=False).modification_level.name
              for sig in embedded]
    pdfsig = None
    if PDFSIG:
        from pathlib import Path
        ca = Path(live_server.app.config["PKI_DIR"]) / "ca.pem"
        pdfsig = run_pdfsig(pdf_path, make_nss_db(tmp_path / "nss", ca.read_bytes()))
    return result, people, levels, pdfsig


def test_each_holder_signs_with_their_own_clave(new_page, in_review, live_server, tmp_path,
                                                screenshot):
    review = f"/documentos/{in_review}/revision"

    # --- The legal adviser: the page says what will happen; a wrong clave changes nothing.
    ana = new_page("asesora")
    ana.goto(review)
    form = ana.locator("#vb-form")
    expect(form.locator("#vb-what")).to_contain_text("se firma ahora con su certificado digital")
    expect(form.locator("#vb-what")).to_contain_text("versión 2")
    expect(form.locator("#vb-what")).to_contain_text("No se puede deshacer")
    form.get_by_label("Clave de firma").fill("no-es-mi-clave")
    form.get_by_role("button", name="Dar V°B° a la versión 2").click()
    expect(ana.locator("body")).to_contain_text("La clave de firma no es correcta.")
    ana.goto(review)
    expect(ana.locator(".vistos")).to_contain_text("Asesoría Jurídica: pendiente")
    ana.locator("#vb-form").get_by_label("Clave de firma").fill(DEMO_SIGNING_SECRET)
    ana.get_by_role("button", name="Dar V°B° a la versión 2").click()
    expect(ana.locator(".flash-success")).to_have_text(
        "Visto bueno registrado y firmado con su certificado sobre la versión 2.")
    expect(ana.locator(".vistos")).to_contain_text("V°B° Ana Lucía Torres Vargas, firmado")
    expect(ana.locator("#give-vb")).to_have_count(0)   # given: no second button
    screenshot(ana, "vb-asesora-firmado")

    # --- The head of GDUR signs his.
    head = new_page(HEAD[0])
    head.goto(review)
    head.locator("#vb-form").get_by_label("Clave de firma").fill(DEMO_SIGNING_SECRET)
    head.get_by_role("button", name="Dar V°B° a la versión 2").click()
    expect(head.locator(".flash-success")).to_contain_text("firmado con su certificado")
    expect(head.locator(".vistos")).to_contain_text(f"Jefe del área (GDUR): V°B° {HEAD[1]}")

    # --- The legal adviser approves.
    ana.reload()
    approve = ana.locator("form.action-form[data-move='aprobar']")
    approve.locator("summary", has_text="Aprobar…").click()
    approve.get_by_role("button", name="Sí, aprobar").click()
    expect(ana.locator("#doc-status")).to_have_text("Aprobado")

    # --- The Gerente Municipal issues: the page says the version, the number, no undoing.
    jorge = new_page("gerente")
    jorge.goto(review)
    panel = jorge.locator("#issue")
    expect(panel.locator("#issue-version")).to_contain_text("Versión 2")
    number = panel.locator("#issue-number strong").inner_text()
    assert re.fullmatch(r"RESOLUCIÓN DE GERENCIA MUNICIPAL N° \d{4}-\d{4}-GM-MDM", number)
    expect(panel.locator("#issue-irreversible")).to_contain_text("no se puede deshacer")
    expect(panel.locator("#issue-irreversible")).to_contain_text(number)
    screenshot(jorge, "emitir-con-su-clave")
    panel.get_by_label("Clave de firma").fill(DEMO_SIGNING_SECRET)
    panel.get_by_label("Entiendo que no se puede deshacer").check()
    panel.get_by_role("button", name="Emitir y firmar").click()
    expect(jorge.locator(".flash-success")).to_contain_text("Norma emitida y firmada")
    issued = jorge.locator("#issuance")
    expect(issued.locator(".official-number")).to_have_text(number)
    with jorge.expect_download() as download_info:
        issued.get_by_role("link", name="Descargar PDF firmado").click()
    signed = tmp_path / "firmado.pdf"
    download_info.value.save_as(signed)
    screenshot(jorge, "emitida-por-su-titular")

    # --- Three signatures by three people, valid for docsys, pyHanko and pdfsig.
    result, dnis, levels, pdfsig = _in_thread(_verify, live_server, signed, tmp_path)
    assert result.verdict == "VÁLIDO", result.report.summary
    assert result.authentic and not result.wrong_signers
    assert [(s.field_name, s.signer_dni) for s in result.report.signatures] == [
        ("VB_1", dnis["asesora"]), ("VB_2", dnis[HEAD[0]]), ("FIRMA", dnis["gerente"])]
    assert len(set(dnis.values())) == 3
    assert levels == ["FORM_FILLING", "FORM_FILLING", "NONE"]
    if pdfsig is not None:
        assert [s.field_name for s in pdfsig] == ["VB_1", "VB_2", "FIRMA"]
        assert all(s.valid and s.trusted for s in pdfsig), [s.lines for s in pdfsig]
    for page in (ana, head, jorge):
        assert not page.js_errors
