"""The archivist in a real browser: upload several old norms at once, watch the import
finish (the background worker, the page refreshing itself), open the review queue, read
the extracted text beside the form, confirm the metadata, and find the norm by number."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from demo import specimens
from tests.archive.test_review import DOUBTFUL


@pytest.fixture(scope="module")
def archivist(live_server):
    """The archivist of the Secretaría General (tests/browser/conftest.py), and the Alcaldía
    office that the imported resolutions belong to."""
    from docsys import accounts

    session = live_server.app.extensions["docsys.sessions"]()
    try:
        accounts.ensure_office(session, "A", "Alcaldía")
        session.commit()
    finally:
        session.close()
    return "archivera"


def _search_hit(page, query: str, name: str):
    """The link of the hit named ``name`` on the search page for ``query``, once it shows
    (the index may be busy with the server's own indexer a moment)."""
    result = page.get_by_role("link", name=re.compile(re.escape(name)))
    for _ in range(10):
        page.goto("/buscar?q=" + query)
        if result.count():
            break
        page.wait_for_timeout(500)
    return result


def test_upload_review_and_confirm(new_page, archivist, tmp_path, screenshot):
    norm = specimens.specimens(1, seed=21, types=("RA",))[0]
    clean = tmp_path / "RA antigua.pdf"
    clean.write_bytes(specimens.to_pdf(norm))
    doubtful = tmp_path / "resolución sin número.txt"
    doubtful.write_text(DOUBTFUL, encoding="utf-8")

    page = new_page(archivist)
    page.get_by_role("link", name="Importar al archivo").click()
    page.get_by_label(re.compile("^Archivos")).set_input_files([str(clean), str(doubtful)])
    page.get_by_role("button", name="Importar").click()
    expect(page.locator("#batch-state")).to_contain_text("Terminada.", timeout=30_000)
    expect(page.locator("#count-imported")).to_have_text("2")
    expect(page.locator("#batch-files")).to_contain_text(norm.heading)
    screenshot(page, "archive-batch")

    page.get_by_role("link", name="revisar datos").click()
    expect(page.locator("#extracted-text")).to_contain_text("puente peatonal de Kepashiato")
    expect(page.get_by_label("Tipo")).to_have_value("RGM")
    expect(page.get_by_label("Fecha")).to_have_value("2022-08-22")
    screenshot(page, "archive-review")
    page.get_by_label("Número (como figura en la norma)").fill("0087-2022-GM-MDM")
    page.get_by_label("Año").fill("2021")
    page.get_by_role("button", name="Confirmar datos").click()
    expect(page.locator("#review-error")).to_contain_text("indica el año 2022")
    page.get_by_label("Año").fill("2022")
    page.get_by_label("Sumilla").fill("Aprobar la liquidación de la obra del puente peatonal")
    page.get_by_role("button", name="Confirmar datos").click()
    expect(page.locator(".flash-success")).to_contain_text(
        "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0087-2022-GM-MDM")
    expect(page.locator("main")).to_contain_text("No hay normas por revisar")

    result = _search_hit(page, "rgm 87-2022", "N° 0087-2022-GM-MDM")
    expect(result).to_be_visible()
    result.click()
    expect(page.locator("#norm-meta")).to_contain_text("22/08/2022")  # dd/mm/yyyy, as everywhere
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar el original").click()
    assert download.value.suggested_filename == "resolución sin número.txt"
    assert page.js_errors == []


SPIJ = "https://spij.minjus.gob.pe/spij-ext-web/#/detallenorma/H682684"


def test_an_open_data_norm_shows_where_its_text_came_from(new_page, archivist, tmp_path):
    """A Markdown file of the open data (front matter with its SPIJ address): the archive
    page and the portal page name SPIJ and link to the text there."""
    law = tmp_path / "LEY-27444-2001.md"
    law.write_text("---\ntitle: Ley del Procedimiento Administrativo General\nidentifier: "
                   f"LEY-27444-2001\ncountry: pe\nrank: ley\npublication_date: '2001-04-11'\n"
                   f"source: '{SPIJ}'\n---\n\n# LEY N° 27444\n\nArtículo 1.- Concepto de acto "
                   "administrativo\nSon actos administrativos las declaraciones.\n",
                   encoding="utf-8")
    page = new_page(archivist)
    page.get_by_role("link", name="Importar al archivo").click()
    picker = page.get_by_label(re.compile("^Archivos"))
    assert ".md" in picker.get_attribute("accept").split(",")  # offered by the file chooser
    picker.set_input_files([str(law)])
    page.get_by_role("button", name="Importar").click()
    expect(page.locator("#batch-state")).to_contain_text("Terminada.", timeout=30_000)
    _search_hit(page, "ley 27444", "27444").first.click()
    source = page.locator("#text-source a")
    expect(source).to_have_text("SPIJ")
    expect(source).to_have_attribute("href", SPIJ)
    expect(page.locator("#text-source")).to_contain_text("LEY-27444-2001")
    page.goto("/normas/ley/2001/27444")
    expect(page.locator("#text-source")).to_contain_text("Fuente del texto: SPIJ")
    expect(page.locator("#text-source a")).to_have_attribute("href", SPIJ)
    assert page.js_errors == []


def test_the_archivist_confirms_what_the_source_records(new_page, archivist, tmp_path):
    """A law whose text notes its change by a decree, and the decree, uploaded together:
    the relation queue says the source records the decree's proposal, the archivist
    confirms it (asked first), and the law's archive page leads to the change."""
    law = tmp_path / "LEY-27000-1998.md"
    law.write_text("---\ntitle: Ley de prueba de relaciones\nidentifier: LEY-27000-1998\n"
                   "country: pe\nrank: ley\npublication_date: '1998-05-10'\n---\n\n"
                   "# LEY N° 27000\n\nArtículo 1.- Objeto\nTexto del artículo.\n\n(\\*) Artículo "
                   "modificado por el [Decreto Legislativo N° 1300](/spij-ext-web/detallenorma/"
                   "H9), publicado el 30 diciembre 2016\n", encoding="utf-8")
    decree = tmp_path / "DLEG-1300-2016.md"
    decree.write_text("---\ntitle: Decreto Legislativo que modifica la Ley N° 27000\n"
                      "identifier: DLEG-1300-2016\ncountry: pe\nrank: decreto_legislativo\n"
                      "publication_date: '2016-12-30'\n---\n\n# DECRETO LEGISLATIVO N° 1300\n\n"
                      "Artículo 1.- Modifícase el artículo 1 de la Ley N° 27000.\n",
                      encoding="utf-8")
    page = new_page(archivist)
    page.get_by_role("link", name="Importar al archivo").click()
    page.get_by_label(re.compile("^Archivos")).set_input_files([str(decree), str(law)])
    page.get_by_role("button", name="Importar").click()
    expect(page.locator("#batch-state")).to_contain_text("Terminada.", timeout=30_000)
    page.get_by_role("link", name="Relaciones", exact=True).click()
    card = page.locator(".relation", has_text="DECRETO LEGISLATIVO N° 1300")
    expect(card).to_contain_text("Registrada por la fuente")
    expect(card).to_contain_text("el artículo 1 de")
    form = page.locator("#confirm-noted")
    form.get_by_text("Confirmar la registrada por la fuente…").click()
    form.get_by_role("button", name="Sí, confirmar la registrada por la fuente").click()
    expect(page.locator(".flash")).to_contain_text("1 relación confirmada")
    expect(page.locator("#confirm-noted")).to_have_count(0)
    _search_hit(page, "ley 27000", "LEY N° 27000").first.click()
    page.get_by_role("link", name="Modificaciones, derogaciones y citas").click()
    affected = page.locator("#affected-by")
    expect(affected).to_contain_text("DECRETO LEGISLATIVO N° 1300 modifica el artículo 1")
    expect(affected).to_contain_text("Confirmada")
    expect(page.locator("#noted-by")).to_contain_text(   # the article SPIJ's note stands under
        "Modificada en parte (Artículo 1) por Decreto Legislativo N° 1300, desde el 30/12/2016")
    assert page.js_errors == []
