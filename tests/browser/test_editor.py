"""The structured editor in a real browser: create, edit, preview, save, history, downloads,
conflicts between two people, autosave, error messages and the read-only view."""
from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NEW_CONSIDERANDO = ("Que, mediante el Informe N° 123-2026-GAJ-MDM, la Gerencia de Asesoría "
                    "Jurídica opina que es procedente aprobar el expediente técnico;")
EDITED_ARTICLE = ("APROBAR el expediente técnico del proyecto «Mejoramiento del camino vecinal "
                  "Camisea - Kirigueti», con un presupuesto de S/ 1 250 000,00.")
NOTE = "Se precisa el proyecto aprobado"


def item_text(page, noun, n):
    return page.get_by_label(f"Texto del {noun} {n}", exact=True)


def item_of(locator):
    return locator.locator("xpath=ancestor::li[contains(@class, 'item')][1]")


def normalized(text: str) -> str:
    return " ".join(text.split())


def test_create_edit_preview_save_history_and_downloads(new_page, screenshot):
    page = new_page("redactora")

    # Nuevo documento -> plantilla -> formulario -> borrador (versión 1)
    page.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Nuevo documento").click()
    page.get_by_role("link", name="Resolución de Gerencia Municipal", exact=True).click()
    page.locator('[name="sumilla"]').fill("Aprobar el expediente técnico del camino vecinal")
    page.locator('[name="expediente"]').fill("2026-004512")
    page.locator('[name="informes"]').fill("el Informe N° 045-2026-GIP-MDM de la Gerencia de Infraestructura")
    page.locator('[name="resolucion_delegacion"]').fill("Resolución de Alcaldía N° 002-2026-A-MDM")
    page.locator('[name="firmante_nombre"]').fill("Ing. Jorge Mendoza Salas")
    page.get_by_role("button", name="Crear borrador").click()
    page.wait_for_url(re.compile(r"/documentos/\d+$"))

    expect(page.locator("#version-indicator")).to_have_text("Versión 1")
    expect(page.locator("#save-state")).to_have_text("Guardado")
    expect(page.get_by_label("Sumilla")).to_have_value("Aprobar el expediente técnico del camino vecinal")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("RESOLUCIÓN DE GERENCIA MUNICIPAL")

    # Every form control has a label (accessible name).
    unlabeled = page.evaluate("""() => [...document.querySelectorAll(
        '#editor-form input, #editor-form textarea, #editor-form select, #save-form input')]
        .filter(c => !(c.labels && c.labels.length) && !c.getAttribute('aria-label'))
        .map(c => c.outerHTML)""")
    assert unlabeled == []

    # Add a considerando with the keyboard only: focus the button, Enter, type.
    considerandos = page.locator("ol.items[data-noun='considerando'] > li")
    before = considerandos.count()
    page.get_by_role("button", name="Agregar considerando").focus()
    page.keyboard.press("Enter")
    new_text = item_text(page, "considerando", before + 1)
    expect(new_text).to_be_focused()
    page.keyboard.type(NEW_CONSIDERANDO)
    expect(page.locator("#save-state")).to_have_text("Cambios sin guardar")
    assert item_of(new_text).get_attribute("data-id") is None

    # Edit article 1 (text and heading).
    item_text(page, "artículo", 1).fill(EDITED_ARTICLE)
    page.get_by_label("Título del artículo 1 (opcional)").fill("Aprobación")

    # Move article 3 (NOTIFICAR) up, by keyboard; its id travels with it.
    third = item_of(item_text(page, "artículo", 3))
    moved_id = third.get_attribute("data-id")
    assert moved_id
    page.get_by_role("button", name="Subir artículo 3").focus()
    page.keyboard.press("Enter")
    expect(item_text(page, "artículo", 2)).to_have_value(re.compile(r"^NOTIFICAR"))
    expect(item_text(page, "artículo", 3)).to_have_value(re.compile(r"^ENCARGAR"))
    assert item_of(item_text(page, "artículo", 2)).get_attribute("data-id") == moved_id
    expect(page.get_by_role("button", name="Subir artículo 2")).to_be_focused()

    # The live preview follows (debounced), in the new order.
    expect(preview).to_contain_text("Mejoramiento del camino vecinal Camisea - Kirigueti")
    expect(preview).to_contain_text("Informe N° 123-2026-GAJ-MDM")
    expect(preview).to_contain_text("Aprobación")
    text = normalized(preview.inner_text())
    assert text.index("NOTIFICAR") < text.index("ENCARGAR")
    screenshot(page, "editor")

    # Save with a note -> version 2; the new considerando learns its server id.
    page.get_by_label("Nota de la versión").fill(NOTE)
    page.get_by_role("button", name="Guardar versión").click()
    expect(page.locator("#version-indicator")).to_have_text("Versión 2")
    expect(page.locator("#save-state")).to_have_text("Guardado")
    expect(page.get_by_label("Nota de la versión")).to_have_value("")
    expect(item_of(new_text)).to_have_attribute("data-id", re.compile(r"^[0-9a-f]{8}$"))
    assert item_of(item_text(page, "artículo", 2)).get_attribute("data-id") == moved_id
    expect(page.get_by_role("link", name="Descargar DOCX")).to_have_attribute(
        "href", re.compile(r"/versiones/2/descargar\.docx$"))

    # Downloads of the saved version carry the edited text.
    with page.expect_download() as info:
        page.get_by_role("link", name="Descargar DOCX").click()
    import docx
    document = docx.Document(info.value.path())
    docx_text = normalized("\n".join(p.text for p in document.paragraphs))
    assert "Mejoramiento del camino vecinal Camisea - Kirigueti" in docx_text
    assert "Informe N° 123-2026-GAJ-MDM" in docx_text

    with page.expect_download() as info:
        page.get_by_role("link", name="Descargar PDF").click()
    import pypdf
    with open(info.value.path(), "rb") as fh:
        reader = pypdf.PdfReader(io.BytesIO(fh.read()))
    pdf_text = normalized(" ".join(p.extract_text() or "" for p in reader.pages))
    assert "Mejoramiento del camino vecinal" in pdf_text
    assert "Kirigueti" in pdf_text

    # History: v2 with the note, v1 from the template.
    page.get_by_role("link", name="Historial").click()
    expect(page.get_by_role("heading", name="Historial de versiones")).to_be_visible()
    expect(page.locator("#versions tbody tr")).to_have_count(2)
    expect(page.locator("tr[data-version='2']")).to_contain_text(NOTE)
    expect(page.locator("tr[data-version='1']")).to_contain_text("v1")
    assert page.js_errors == []

    # All of it ran under the strict policy (new_page fails the test on any violation),
    # and the watch on violations works: a foreign image is refused and reported.
    policy = page.request.get(page.url).headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert page.csp_violations == []
    page.evaluate("""() => { const img = new Image();
                             img.src = 'http://192.0.2.1/x.png'; document.body.append(img); }""")
    for _ in range(200):
        if page.csp_violations:
            break
        page.wait_for_timeout(50)
    assert page.csp_violations and "img-src" in page.csp_violations[0]
    page.csp_violations.clear()


def test_conflict_keeps_text_and_lets_the_user_choose(new_page, make_draft, db_versions, screenshot):
    document_id = make_draft("redactora")
    rosa = new_page("redactora")
    luis = new_page("redactor2")
    rosa.goto(f"/documentos/{document_id}")
    luis.goto(f"/documentos/{document_id}")

    # Rosa saves first (Ctrl+S) ...
    item_text(rosa, "artículo", 1).fill("APROBAR la versión de Rosa.")
    rosa.keyboard.press("Control+s")
    expect(rosa.locator("#version-indicator")).to_have_text("Versión 2")

    # ... then Luis, who worked on version 1, gets the conflict panel, not a lost text.
    item_text(luis, "artículo", 2).fill("ENCARGAR la versión de Luis.")
    luis.get_by_role("button", name="Guardar versión").click()
    panel = luis.locator("#conflict")
    expect(panel).to_be_visible()
    expect(luis.locator("#save-state")).to_contain_text("Error:")
    expect(luis.locator("#conflict-theirs-caption")).to_contain_text("Versión 2 de Rosa Quispe Huamán")
    expect(luis.locator("#conflict-theirs")).to_contain_text("APROBAR la versión de Rosa.")
    expect(luis.locator("#conflict-mine-caption")).to_have_text("Su versión (no guardada)")
    expect(luis.locator("#conflict-mine")).to_contain_text("ENCARGAR la versión de Luis.")
    expect(item_text(luis, "artículo", 2)).to_have_value("ENCARGAR la versión de Luis.")
    expect(luis.locator("#version-indicator")).to_have_text("Versión 1")
    # The differing articles are marked on both sides.
    expect(luis.locator("#conflict-theirs .is-changed")).to_contain_text(["APROBAR la versión de Rosa."])
    expect(luis.locator("#conflict-mine .is-changed").first).to_contain_text("APROBAR [indique")
    expect(luis.locator("#conflict-mine .is-changed").nth(1)).to_contain_text("ENCARGAR la versión de Luis.")
    screenshot(luis, "conflict")

    # "Conservar mi versión": saved on top of Rosa's version, consciously.
    luis.get_by_role("button", name="Conservar mi versión").click()
    expect(panel).to_be_hidden()
    expect(luis.locator("#version-indicator")).to_have_text("Versión 3")
    expect(luis.locator("#save-state")).to_have_text("Guardado")
    versions = db_versions(document_id)
    assert [v.number for v in versions] == [1, 2, 3]
    v3_articles = [i["text"] for i in versions[2].content["sections"][-1]["items"]]
    assert "ENCARGAR la versión de Luis." in v3_articles
    assert "APROBAR la versión de Rosa." not in v3_articles  # his whole text won, knowingly

    # A second conflict, resolved the other way: discard and load the latest version.
    item_text(rosa, "artículo", 1).fill("APROBAR otra vez, según Rosa.")  # Rosa is on v2: conflict
    rosa.keyboard.press("Control+s")
    expect(rosa.locator("#conflict")).to_be_visible()
    expect(rosa.locator("#conflict-theirs")).to_contain_text("ENCARGAR la versión de Luis.")
    rosa.once("dialog", lambda dialog: dialog.accept())
    rosa.get_by_role("button", name="Descartar mis cambios y cargar la última versión").click()
    expect(rosa.locator("#conflict")).to_be_hidden()
    expect(rosa.locator("#version-indicator")).to_have_text("Versión 3")
    expect(item_text(rosa, "artículo", 2)).to_have_value("ENCARGAR la versión de Luis.")
    expect(item_text(rosa, "artículo", 1)).to_have_value(re.compile(r"^APROBAR \[indique"))
    expect(rosa.locator("#save-state")).to_have_text("Guardado")
    expect(rosa.locator("#preview")).to_contain_text("ENCARGAR la versión de Luis.")
    assert len(db_versions(document_id)) == 3
    assert rosa.js_errors == [] and luis.js_errors == []


def test_autosave_keeps_a_working_copy_not_a_version(new_page, make_draft, db_versions, autosave):
    autosave(2)
    document_id = make_draft("redactora")
    page = new_page("redactora")
    page.goto(f"/documentos/{document_id}")
    expect(page.locator("#version-indicator")).to_have_text("Versión 1")

    item_text(page, "artículo", 4).fill("DISPONER la publicación, guardada sola.")
    expect(page.locator("#save-state")).to_have_text("Cambios sin guardar")
    # AUTOSAVE_SECONDS is 2 in these tests: the typing is kept, no version is made.
    expect(page.locator("#save-state")).to_have_text(
        "Copia de trabajo guardada (aún no es una versión)", timeout=6_000)
    expect(page.locator("#version-indicator")).to_have_text("Versión 1")
    page.wait_for_timeout(2_500)
    assert len(db_versions(document_id)) == 1
    assert page.js_errors == []


def test_alt_arrows_move_the_item_being_edited_and_delete_asks_first(new_page, make_draft):
    document_id = make_draft("redactora")
    page = new_page("redactora")
    page.goto(f"/documentos/{document_id}")
    articles = page.locator("ol.items[data-noun='artículo'] > li")
    expect(articles).to_have_count(4)

    first = item_text(page, "artículo", 1)
    first_id = item_of(first).get_attribute("data-id")
    first.focus()
    page.keyboard.press("Alt+ArrowDown")
    moved = item_text(page, "artículo", 2)
    expect(moved).to_have_value(re.compile(r"^APROBAR"))
    expect(moved).to_be_focused()
    assert item_of(moved).get_attribute("data-id") == first_id
    page.keyboard.type(" Texto añadido.")  # still typing in the same article
    expect(moved).to_have_value(re.compile(r"Texto añadido\.$"))
    expect(page.locator("#preview")).to_contain_text("ARTÍCULO SEGUNDO.- APROBAR")

    # Eliminar asks for confirmation: dismissed keeps the article, accepted removes it.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Eliminar artículo 4").click()
    expect(articles).to_have_count(4)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Eliminar artículo 4").click()
    expect(articles).to_have_count(3)
    expect(page.locator("#preview")).not_to_contain_text("ARTÍCULO CUARTO")
    expect(item_text(page, "artículo", 3)).to_be_focused()
    assert page.js_errors == []


def test_errors_are_shown_in_spanish_and_unsaved_changes_are_guarded(new_page, make_draft):
    document_id = make_draft("redactora")
    page = new_page("redactora")
    page.goto(f"/documentos/{document_id}")

    # A required field left empty: caught before sending.
    page.get_by_label("Sumilla").fill("")
    page.keyboard.press("Control+s")
    expect(page.locator("#save-state")).to_have_text("Error: El campo «Sumilla» es obligatorio.")
    expect(page.get_by_label("Sumilla")).to_be_focused()
    expect(page.get_by_label("Sumilla")).to_have_attribute("aria-invalid", "true")

    # The server's 400 message, shown as is (a script bypasses the field's maxlength).
    page.get_by_label("Sumilla").evaluate(
        "el => { el.value = 'x'.repeat(1001); el.dispatchEvent(new Event('input', {bubbles: true})); }")
    page.get_by_role("button", name="Guardar versión").click()
    expect(page.locator("#save-state")).to_contain_text("supera el máximo de 1000 caracteres")
    expect(page.locator("#version-indicator")).to_have_text("Versión 1")

    # Leaving with unsaved changes asks first.
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]


def test_read_only_when_not_editable(new_page, make_draft, live_server):
    from docsys.models import Document

    document_id = make_draft("redactora")
    session = live_server.app.extensions["docsys.sessions"]()
    try:
        session.get(Document, document_id).status = "en_revision"
        session.commit()
    finally:
        session.close()
    page = new_page("redactora")
    page.goto(f"/documentos/{document_id}")
    expect(page.get_by_role("note")).to_contain_text("no se puede editar")
    expect(page.locator(".paper")).to_contain_text("SE RESUELVE:")
    expect(page.locator("#editor-form")).to_have_count(0)
    expect(page.get_by_role("button", name="Guardar versión")).to_have_count(0)
    expect(page.get_by_role("link", name="Descargar PDF")).to_be_visible()
