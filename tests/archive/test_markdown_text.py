"""An imported norm written in Markdown (legalize-pe's copies of SPIJ) is shown as what
it says: its markup rendered, SPIJ's links made absolute, nothing of the file able to run
in the page; and its pages (archive and portal) show it so."""
from __future__ import annotations

import shutil

import pytest

from docsys.archive.markdown_text import is_markdown, markdown_html
from docsys.archive.service import ImportSettings, import_directory
from tests.archive.test_national import CORPUS, needs_corpus
from tests.conftest import get_user

SPIJ_COPY = """# Ley que fomenta la liquidez e integración del Mercado de Valores

## LEY Nº 30341(\\*)

(\\*) DEROGADA DEL ORDENAMIENTO JURÍDICO VIGENTE por el [Artículo 1 de la Ley Nº 32114](/spij-ext-web/detallenorma/H1384043), publicada el 03 setiembre 2024.

      EL PRESIDENTE DE LA REPÚBLICA

     **Artículo 1. Norma general**

      Para los efectos de la presente Ley se entiende por Ley al Texto Único Ordenado.
"""


def test_spij_markup_is_rendered_and_its_links_lead_to_spij():
    html = markdown_html(SPIJ_COPY)
    assert "<h3>Ley que fomenta la liquidez" in html and "<h4>LEY Nº 30341(*)</h4>" in html
    assert ('<a href="https://spij.minjus.gob.pe/spij-ext-web/#/detallenorma/H1384043" '
            'rel="noopener noreferrer">Artículo 1 de la Ley Nº 32114</a>') in html
    # indented paragraphs (as SPIJ prints them) are paragraphs, not code
    assert "<p>EL PRESIDENTE DE LA REPÚBLICA</p>" in html and "<pre>" not in html
    assert "<p><strong>Artículo 1. Norma general</strong></p>" in html
    assert "#" not in html.replace("#/detallenorma", "") and "**" not in html


@pytest.mark.parametrize("markdown, shown, absent", [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;", "<script>"),
    ('<img src=x onerror="alert(1)">', "&lt;img", "<img"),
    ("[clic](javascript:alert(1))", "[clic](javascript:alert(1))", "href=\"javascript"),
    ("[otra](/ruta/relativa)", "otra", "href"),
    ("[otra](http://sin-cifrar.example/x)", "otra", "href"),
    ("![imagen](https://example.org/x.png)", "imagen", "<img"),
])
def test_nothing_of_the_file_runs_or_loads_in_the_page(markdown, shown, absent):
    html = markdown_html(markdown)
    assert shown in html and absent not in html


def test_markdown_originals_are_recognised_by_their_name():
    assert is_markdown("LEY-30341-2015.md") and is_markdown("norma.MARKDOWN")
    assert not is_markdown("norma.pdf") and not is_markdown(None) and not is_markdown("md")


@needs_corpus
def test_the_archive_and_portal_pages_show_the_text_rendered(app, browser, tmp_path):
    """A real national norm of the corpus, imported: the archive's page and the portal's
    show its text rendered, with SPIJ's links; no Markdown markup is left in them."""
    folder = tmp_path / "marco"
    folder.mkdir()
    shutil.copy(CORPUS / "LEY-27741-2002.md", folder / "LEY-27741-2002.md")
    factory = app.extensions["docsys.sessions"]
    with factory() as session:
        actor_id = get_user(session, "archivo").id
    summary = import_directory(factory, ImportSettings.from_config(app.config), folder,
                               actor_id)
    (imported,) = summary.imported
    archive_page = browser("archivo").get(f"/archivo/normas/{imported.document_id}")
    html = archive_page.get_data(as_text=True)
    assert archive_page.status_code == 200
    assert 'class="archive-text archive-markdown" id="norm-text"' in html
    text = html[html.index('id="norm-text"'):]
    assert "<h3>" in text and "](/spij-ext-web" not in text and "\n## " not in text
    assert 'href="https://spij.minjus.gob.pe/spij-ext-web/#/detallenorma/' in text
    portal = app.test_client().get("/normas/ley/2002/27741")
    page = portal.get_data(as_text=True)
    assert portal.status_code == 200 and 'class="archive-text archive-markdown"' in page
    assert "](/spij-ext-web" not in page[page.index('id="norm-text"'):]
    # indexed as its words: the hits' snippets show no markup, the links' addresses are
    # no words of the norm
    listing = app.test_client().get("/normas?q=ley+27741").get_data(as_text=True)
    assert 'href="/normas/ley/2002/27741"' in listing
    hits = listing[listing.index('class="hit"'):]
    assert "](/spij" not in hits and "**" not in hits and "\\*" not in hits
    assert 'href="/normas/ley/2002/27741"' not in app.test_client().get(
        "/normas?q=detallenorma").get_data(as_text=True)
