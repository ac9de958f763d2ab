"""Every document template in templates/documents/ renders to HTML, PDF and DOCX with the same text."""
from __future__ import annotations

import io
import re

import pytest
from docx import Document

from docsys.config import PROJECT_ROOT
from docsys.drafting.templates import instantiate, parse_template, template_files
from docsys.rendering import (build_meta, layout_blocks, layout_text, render_docx, render_html,
                              render_pdf)
from docsys.rendering.layout import Article, Heading
from tests.rendering.support import SETTINGS, body_words, pdftotext_pages, words

TEMPLATES_DIR = PROJECT_ROOT / "templates" / "documents"
FILES = template_files(TEMPLATES_DIR)
PARAMS = [pytest.param(path, id=path.stem) for path in FILES] or [
    pytest.param(None, marks=pytest.mark.skip(
        reason=f"no hay plantillas *.yaml en {TEMPLATES_DIR} todavía"))]


@pytest.mark.parametrize("path", PARAMS)
def test_template_renders_in_all_three_formats(path):
    definition = parse_template(path.read_text(encoding="utf-8"))
    content = instantiate(definition, {"sumilla": "Prueba"})
    meta = build_meta(SETTINGS, definition, content, version_label="Versión 1 — borrador")
    blocks = layout_blocks(content, meta)
    expected = layout_text(blocks)

    heading = next(b for b in blocks if isinstance(b, Heading)).text
    assert "{" not in heading and re.search(r"N° _{3,}-", heading), heading
    assert heading.startswith(definition["heading"].split("{numero}")[0].strip())
    for section in content["sections"]:
        if section["kind"] == "articles" and section["numbering"] != "none" and section["items"]:
            assert any(isinstance(b, Article) and b.section == section["key"] and b.label
                       for b in blocks)

    html = render_html(content, meta, standalone=False)
    assert heading in html

    pdf = render_pdf(content, meta)
    pages = pdftotext_pages(pdf)
    letterhead = [SETTINGS["MUNICIPALITY_NAME"].upper(), SETTINGS["MUNICIPALITY_LOCATION"],
                  f"“{SETTINGS['YEAR_NAME']}”", "Versión 1 — borrador"]
    assert body_words(pages, letterhead) == words(expected)
    assert f"Página 1 de {len(pages)}" in " ".join(pages[0].split())

    document = Document(io.BytesIO(render_docx(content, meta)))
    assert "\n".join(p.text for p in document.paragraphs).splitlines() == expected.splitlines()
    assert document.core_properties.title == "Prueba"


def test_minimal_content_renders_in_all_three_formats():
    content = {"doc_type": "RA", "fields": {}, "sections": [], "closing": ""}
    meta = build_meta(SETTINGS, {"heading": "RESOLUCIÓN DE ALCALDÍA N° {numero}",
                                 "number_pattern": "{seq:03d}-{year}-A-{muni}"}, content)
    expected = layout_text(layout_blocks(content, meta))
    assert expected.splitlines()[1:] == ["Camisea, [fecha de emisión]", "[nombre del firmante]",
                                         "[cargo del firmante]"]
    assert "<article" in render_html(content, meta, standalone=False)
    pages = pdftotext_pages(render_pdf(content, meta))
    assert body_words(pages, [SETTINGS["MUNICIPALITY_NAME"].upper(), SETTINGS["MUNICIPALITY_LOCATION"],
                              f"“{SETTINGS['YEAR_NAME']}”"]) == words(expected)
    document = Document(io.BytesIO(render_docx(content, meta)))
    assert [p.text for p in document.paragraphs] == expected.splitlines()
    assert document.core_properties.title == meta.heading_text()


def test_long_unbreakable_text_stays_in_the_pdf():
    content = {"doc_type": "RA", "fields": {"sumilla": "URL larga"}, "sections": [
        {"key": "visto", "title": "VISTO:", "kind": "paragraphs",
         "items": [{"text": "Véase https://www.munimegantoni.gob.pe/" + "x" * 300 + " al final."}]}],
        "closing": ""}
    meta = build_meta(SETTINGS, {"heading": "RESOLUCIÓN DE ALCALDÍA N° {numero}"}, content)
    text = "".join(" ".join(pdftotext_pages(render_pdf(content, meta))).split())
    assert "x" * 300 + "alfinal." in text
