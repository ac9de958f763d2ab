"""The compliance check page and a draft's report in a real browser."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from docsys.db import transaction
from tests.compliance.files import docx_bytes
from tests.compliance.support import CUIS, REPEALER, add_norm

pytestmark = pytest.mark.browser

TEXT = """RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0099-2026-GM-MDM
VISTO:
El Informe N° 031-2026-GDE-MDM; y,
CONSIDERANDO:
Que, el Cuadro Único de Infracciones y Sanciones fue aprobado por la Ordenanza Municipal N° 008-2021-MDM;
Que, la Ordenanza Municipal N° 013-2019-MDM regula el comercio ambulatorio;
SE RESUELVE:
ARTÍCULO PRIMERO.- APROBAR el Cuadro Único de Infracciones y Sanciones para el comercio ambulatorio."""


@pytest.fixture(scope="module")
def archive(live_server):
    """The CUIS and the ordinance that repealed it, the repeal confirmed by an archivist
    (this module's server has none: the legal adviser is given the role)."""
    from sqlalchemy import select

    from docsys.compliance.norms import confirm_relation
    from docsys.models import NormRelation, UserRole
    from tests.conftest import get_user

    with transaction(live_server.app.extensions["docsys.sessions"]) as session:
        add_norm(session, CUIS, office="GM", author="asesora")
        add_norm(session, REPEALER, office="GM", author="asesora")
        archivist = get_user(session, "asesora")
        session.add(UserRole(user_id=archivist.id, role="archivist"))
        session.flush()
        session.refresh(archivist)
        confirm_relation(session, session.scalar(select(NormRelation)), archivist)


def test_check_pasted_text_and_an_uploaded_file(new_page, archive, screenshot, tmp_path):
    page = new_page("redactora")
    page.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Cumplimiento").click()
    expect(page.get_by_role("heading", name="Revisión de cumplimiento")).to_be_visible()
    page.get_by_label("Texto del documento").fill(TEXT)
    page.get_by_role("button", name="Revisar").click()

    warnings = page.locator("#warnings li")
    expect(warnings.first).to_contain_text("La Ordenanza Municipal N° 008-2021-MDM está derogada")
    expect(warnings.first).to_contain_text("Ordenanza Municipal N° 002-2025-MDM la derogó")
    expect(page.locator("#warnings")).to_contain_text("013-2019-MDM no está en el archivo")
    expect(page.locator("#warnings")).to_contain_text("REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE")
    expect(page.locator("#citations")).to_contain_text("OM-8-2021")
    expect(page.locator("#similar")).to_contain_text("ORDENANZA MUNICIPAL N° 008-2021-MDM")
    expect(page.get_by_label("Texto del documento")).to_have_value(TEXT)   # kept for editing
    page.get_by_text("Texto revisado, con las citas marcadas").click()
    expect(page.locator("mark.cite-repealed")).to_have_text("Ordenanza Municipal N° 008-2021-MDM")
    screenshot(page, "compliance-check")

    # The repealed norm's page, from the warning.
    page.locator("#warnings li").first.get_by_role("link", name="Ver norma").click()
    expect(page.locator("#legal-status")).to_have_text("Derogada")
    expect(page.locator("#affected-by")).to_contain_text("ORDENANZA MUNICIPAL N° 002-2025-MDM")

    # A Word file.
    path = tmp_path / "proyecto.docx"
    path.write_bytes(docx_bytes(TEXT.split("\n")))
    page.goto("/cumplimiento")
    page.get_by_label("O adjunte un archivo").set_input_files(str(path))
    page.get_by_role("button", name="Revisar").click()
    expect(page.get_by_role("heading", name="Informe de cumplimiento de «proyecto.docx»")) \
        .to_be_visible()
    expect(page.locator("#warnings li").first).to_contain_text("está derogada")
    assert not page.js_errors


def test_an_empty_check_explains_itself(new_page):
    page = new_page("redactora")
    page.goto("/cumplimiento")
    page.get_by_role("button", name="Revisar").click()
    expect(page.locator("#check-error")).to_contain_text("El texto está vacío")


def test_draft_report_from_the_editor(new_page, make_draft, archive):
    document_id = make_draft(sumilla="Aprobar el Cuadro de Infracciones del comercio ambulatorio")
    page = new_page("redactora")
    page.goto(f"/documentos/{document_id}")
    page.get_by_role("navigation", name="Acciones del documento").get_by_role(
        "link", name="Cumplimiento").click()
    expect(page.get_by_role("heading", name="Cumplimiento de la versión 1")).to_be_visible()
    expect(page.locator("#warnings")).to_contain_text("Quedan indicaciones de la plantilla")
    expect(page.locator("#citations")).to_contain_text("LEY-27972")
    assert not page.js_errors
