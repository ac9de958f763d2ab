"""DOCX: rendered with python-docx and read back with python-docx (and LibreOffice when installed)."""
from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm

from docsys.rendering import layout_blocks, layout_text, render_docx, render_pdf
from tests.rendering.support import (SETTINGS, body_words, meta_for, pdftotext_pages,
                                     pypdf_pages, resolution_content, words)

VERSION = "Versión 3 — borrador"
LETTERHEAD = ["MUNICIPALIDAD DISTRITAL DE MEGANTONI", "Provincia de La Convención - Región Cusco",
              f"“{SETTINGS['YEAR_NAME']}”"]


def sample():
    content = resolution_content(considerandos=9, articles=5)
    content["sections"][2]["items"][4]["heading"] = "DE LA PUBLICACIÓN"
    content["sections"][2]["items"][3]["text"] += "\nSegundo párrafo del artículo cuarto."
    content["sections"][1]["items"][2]["text"] = "Que, el vecino escribió <script>alert(1)</script> & más;"
    return content


@pytest.fixture(scope="module")
def rendered():
    content = sample()
    meta = meta_for(content, version_label=VERSION)
    data = render_docx(content, meta)
    return content, meta, data, Document(io.BytesIO(data))


def body_text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def test_docx_text_is_the_layout_text(rendered):
    content, meta, _, document = rendered
    assert body_text(document).splitlines() == layout_text(layout_blocks(content, meta)).splitlines()


def test_docx_pdf_and_layout_carry_the_same_words(rendered):
    content, meta, _, document = rendered
    expected = words(layout_text(layout_blocks(content, meta)))
    pdf = render_pdf(content, meta)
    assert words(body_text(document)) == expected
    assert body_words(pdftotext_pages(pdf), LETTERHEAD + [VERSION]) == expected
    assert body_words(pypdf_pages(pdf), LETTERHEAD + [VERSION]) == expected


def test_named_styles_are_defined_and_used(rendered):
    _, _, _, document = rendered
    by_text = {p.text: p.style.name for p in document.paragraphs}
    assert by_text["RESOLUCIÓN DE GERENCIA MUNICIPAL N° ____-2024-GM-MDM"] == "Docsys Titulo"
    assert by_text["Camisea, 12 de marzo de 2024"] == "Docsys Fecha"
    for title in ("VISTO:", "CONSIDERANDO:", "SE RESUELVE:"):
        assert by_text[title] == "Docsys Seccion"
    assert by_text["REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE."] == "Docsys Cierre"
    assert by_text["Abog. Jorge Mendoza Salas"] == "Docsys Firma"
    assert by_text["Gerente Municipal"] == "Docsys Cargo"
    used = {p.style.name for p in document.paragraphs}
    assert {"Docsys Parrafo", "Docsys Articulo"} <= used

    styles = document.styles
    assert styles["Docsys Titulo"].font.bold and styles["Docsys Seccion"].font.bold
    assert styles["Docsys Cierre"].font.bold
    assert styles["Docsys Titulo"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert styles["Docsys Firma"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    for name in ("Docsys Parrafo", "Docsys Articulo"):
        assert styles[name].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    label = styles["Docsys Etiqueta"]
    assert label.type == WD_STYLE_TYPE.CHARACTER and label.font.bold
    assert styles["Normal"].font.name == "Arial"
    lang = styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "es-PE"


def test_article_label_is_bold_and_followed_by_its_text_in_the_same_paragraph(rendered):
    content, _, _, document = rendered
    articles = [p for p in document.paragraphs if p.style.name == "Docsys Articulo"]
    first = articles[0]
    assert first.runs[0].text == "ARTÍCULO PRIMERO.-"
    assert first.runs[0].style.name == "Docsys Etiqueta"
    assert first.text == "ARTÍCULO PRIMERO.- " + content["sections"][2]["items"][0]["text"]
    assert all(r.style.name != "Docsys Etiqueta" for r in first.runs[1:])
    with_heading = [p for p in articles if p.text.startswith("ARTÍCULO QUINTO.-")][0]
    assert with_heading.text == "ARTÍCULO QUINTO.- DE LA PUBLICACIÓN"
    assert with_heading.runs[0].style.name == "Docsys Etiqueta"


def test_letterhead_in_the_header_and_page_fields_in_the_footer(rendered):
    _, _, _, document = rendered
    section = document.sections[0]
    header = [(p.text, p.style.name) for p in section.header.paragraphs]
    assert header == [(LETTERHEAD[0], "Docsys Membrete"), (LETTERHEAD[1], "Docsys Membrete Detalle"),
                      (LETTERHEAD[2], "Docsys Lema")]
    assert document.styles["Docsys Lema"].font.italic
    footer = section.footer
    xml = footer._element
    instructions = [t.text.strip() for t in xml.iter(qn("w:instrText"))]
    simple = [f.get(qn("w:instr")).strip() for f in xml.iter(qn("w:fldSimple"))]
    assert sorted(instructions + simple) == ["NUMPAGES", "PAGE"]
    kinds = [c.get(qn("w:fldCharType")) for c in xml.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"] * 2
    text = footer.paragraphs[0].text
    assert text.startswith(VERSION) and "\tPágina 1 de 1" in text


def test_page_is_a4_with_resolution_margins(rendered):
    _, _, _, document = rendered
    section = document.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.01)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.01)
    assert section.left_margin >= Cm(2.5) and section.right_margin >= Cm(2)
    assert section.top_margin >= Cm(2.5) and section.bottom_margin >= Cm(2)


def test_core_properties(rendered):
    content, meta, _, document = rendered
    props = document.core_properties
    assert props.title == content["fields"]["sumilla"]
    assert props.subject == meta.heading_text()
    assert props.author == SETTINGS["MUNICIPALITY_NAME"]
    assert props.language == "es-PE"


def test_user_markup_is_plain_text(rendered):
    _, _, data, document = rendered
    assert "Que, el vecino escribió <script>alert(1)</script> & más;" in body_text(document)


def test_issued_document_has_no_version_label():
    content = resolution_content(considerandos=1, articles=1)
    document = Document(io.BytesIO(render_docx(content, meta_for(content, number="0045-2024-GM-MDM"))))
    assert document.paragraphs[0].text == "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0045-2024-GM-MDM"
    assert document.sections[0].footer.paragraphs[0].text == "\tPágina 1 de 1"


def test_twenty_page_docx_renders():
    content = resolution_content(considerandos=150, articles=40)
    meta = meta_for(content)
    document = Document(io.BytesIO(render_docx(content, meta)))
    assert body_text(document).splitlines() == layout_text(layout_blocks(content, meta)).splitlines()


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) no está instalado: no se comprueba la apertura del DOCX")
def test_libreoffice_opens_the_docx_and_computes_the_page_fields(rendered, tmp_path):
    content, meta, data, _ = rendered
    source = tmp_path / "documento.docx"
    source.write_bytes(data)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    pages = pdftotext_pages((tmp_path / "documento.pdf").read_bytes())
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Página {number} de {len(pages)}" in " ".join(page.split())
    assert body_words(pages, LETTERHEAD + [VERSION]) == words(layout_text(layout_blocks(content, meta)))
