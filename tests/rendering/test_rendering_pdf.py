"""PDF: rendered with WeasyPrint and read back with pypdf and with Poppler's pdftotext."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from docsys.rendering import layout_blocks, layout_text, render_pdf
from tests.rendering.support import (SETTINGS, body_words, meta_for, pdftotext_pages,
                                     pypdf_pages, resolution_content, words)

VERSION = "Versión 3 — borrador"
LETTERHEAD = ["MUNICIPALIDAD DISTRITAL DE MEGANTONI", "Provincia de La Convención - Región Cusco",
              f"“{SETTINGS['YEAR_NAME']}”"]
A4 = (595.28, 841.89)


@pytest.fixture(scope="module")
def two_pages():
    content = resolution_content(considerandos=9, articles=5)
    content["sections"][2]["items"][4]["heading"] = "DE LA PUBLICACIÓN"
    content["sections"][2]["items"][3]["text"] += "\nSegundo párrafo del artículo cuarto."
    content["sections"][1]["items"][2]["text"] = "Que, el vecino escribió <script>alert(1)</script>;"
    meta = meta_for(content, version_label=VERSION)
    return content, meta, render_pdf(content, meta)


@pytest.fixture(scope="module", params=["pypdf", "pdftotext"])
def extracted(request, two_pages):
    _, _, pdf = two_pages
    return (pypdf_pages if request.param == "pypdf" else pdftotext_pages)(pdf)


def test_is_a_two_page_a4_pdf_with_the_sumilla_as_title(two_pages):
    content, _, pdf = two_pages
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=0.5)
    assert reader.metadata.title == content["fields"]["sumilla"]
    assert reader.metadata.author == SETTINGS["MUNICIPALITY_NAME"]


def test_text_contains_heading_considerandos_articles_and_page_numbers(two_pages, extracted):
    content, _, _ = two_pages
    flat = " ".join(" ".join(extracted).split())
    assert "RESOLUCIÓN DE GERENCIA MUNICIPAL N° ____-2024-GM-MDM" in flat
    assert "Camisea, 12 de marzo de 2024" in flat
    for title in ("VISTO:", "CONSIDERANDO:", "SE RESUELVE:", "REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE."):
        assert title in flat
    for item in content["sections"][1]["items"]:
        assert " ".join(item["text"].split()) in flat
    labels = ["ARTÍCULO PRIMERO.-", "ARTÍCULO SEGUNDO.-", "ARTÍCULO TERCERO.-",
              "ARTÍCULO CUARTO.-", "ARTÍCULO QUINTO.- DE LA PUBLICACIÓN"]
    for label, item in zip(labels, content["sections"][2]["items"]):
        assert label in flat
        assert " ".join(item["text"].split()) in flat
    assert "<script>alert(1)</script>" in flat
    for number, page in enumerate(extracted, start=1):
        assert f"Página {number} de 2" in " ".join(page.split())


def test_letterhead_and_version_label_on_every_page(extracted):
    assert len(extracted) == 2
    for page in extracted:
        flat = " ".join(page.split())
        for line in LETTERHEAD + [VERSION]:
            assert line in flat


def test_pdf_words_are_the_layout_words(two_pages, extracted):
    content, meta, _ = two_pages
    expected = words(layout_text(layout_blocks(content, meta)))
    assert body_words(extracted, LETTERHEAD + [VERSION]) == expected


def test_signature_block_ends_the_document(extracted):
    last = words(extracted[-1])
    body = " ".join(last)
    assert "Abog. Jorge Mendoza Salas Gerente Municipal" in body
    assert body.index("CÚMPLASE.") < body.index("Abog. Jorge Mendoza Salas")


def test_issued_document_heading_and_no_version_label():
    content = resolution_content(considerandos=2, articles=2)
    pdf = render_pdf(content, meta_for(content, number="0045-2024-GM-MDM"))
    pages = pdftotext_pages(pdf)
    assert len(pages) == 1
    text = " ".join(pages[0].split())
    assert "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0045-2024-GM-MDM" in text
    assert "Versión" not in text and "Página 1 de 1" in text
    assert body_words(pages, LETTERHEAD) == words(
        layout_text(layout_blocks(content, meta_for(content, number="0045-2024-GM-MDM"))))


def test_twenty_page_document_renders():
    content = resolution_content(considerandos=150, articles=40)
    meta = meta_for(content, version_label=VERSION)
    pdf = render_pdf(content, meta)
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    assert 18 <= total <= 26, total
    pages = pdftotext_pages(pdf)
    assert len(pages) == total
    assert f"Página {total} de {total}" in " ".join(pages[-1].split())
    assert body_words(pages, LETTERHEAD + [VERSION]) == words(
        layout_text(layout_blocks(content, meta)))
    assert "ARTÍCULO CUADRAGÉSIMO.-" in " ".join(" ".join(pages).split())
