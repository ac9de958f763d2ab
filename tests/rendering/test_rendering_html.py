"""HTML: the live-preview fragment and the standalone page (the PDF's source)."""
from __future__ import annotations

import sys
from html.parser import HTMLParser

from docsys.rendering import layout_blocks, layout_text, render_html
from docsys.rendering.html import DOCUMENT_CSS
from tests.rendering.support import SETTINGS, meta_for, resolution_content, words

SCRIPT = "<script>alert('x')</script>"


class _Text(HTMLParser):
    """Collects the text inside elements whose class contains ``wanted``."""

    def __init__(self, wanted: str):
        super().__init__()
        self.wanted = wanted
        self.depth = 0
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        classes = (dict(attrs).get("class") or "").split()
        if self.depth or self.wanted in classes:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(self.parts)


def text_of(html: str, css_class: str) -> str:
    parser = _Text(css_class)
    parser.feed(html)
    return parser.text


def content_with_script():
    content = resolution_content(considerandos=3, articles=2)
    content["sections"][1]["items"][1]["text"] = f"Que, el solicitante escribió {SCRIPT} & <b>más</b>;"
    content["fields"]["sumilla"] = f"Sumilla {SCRIPT}"
    content["fields"]["firmante_nombre"] = "<img src=x onerror=alert(1)>"
    return content


def test_user_text_is_escaped_in_fragment_and_page():
    content = content_with_script()
    meta = meta_for(content)
    for html in (render_html(content, meta, standalone=False), render_html(content, meta)):
        assert "<script>" not in html
        assert "<b>más</b>" not in html and "<img" not in html
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;más&lt;/b&gt;" in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        # the escaped text reads back as the user wrote it
        assert f"Que, el solicitante escribió {SCRIPT} & <b>más</b>;" in text_of(html, "doc-body")


def test_fragment_is_a_single_article_without_page_chrome():
    content = resolution_content()
    html = render_html(content, meta_for(content), standalone=False).strip()
    assert html.startswith('<article class="docsys-document is-draft"')
    assert html.endswith("</article>")
    assert "<html" not in html and "<style" not in html and "<title" not in html


def test_standalone_page_has_title_language_and_the_document_stylesheet():
    content = content_with_script()
    html = render_html(content, meta_for(content))
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert '<html lang="es-PE">' in html
    assert "<title>Sumilla &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</title>" in html
    css = DOCUMENT_CSS.read_text(encoding="utf-8")
    assert css.strip() in html
    assert "size: A4" in css and 'counter(page) " de " counter(pages)' in css


def test_html_carries_the_layout_text():
    content = resolution_content(considerandos=5, articles=4)
    content["sections"][2]["items"][1]["heading"] = "DE LA EJECUCIÓN"
    content["sections"][2]["items"][2]["text"] += "\nSegundo párrafo del artículo."
    meta = meta_for(content, version_label="Versión 3 — borrador")
    html = render_html(content, meta, standalone=False)
    assert words(text_of(html, "doc-body")) == words(layout_text(layout_blocks(content, meta)))
    letterhead = text_of(html, "doc-letterhead")
    assert words(letterhead) == words(
        f"MUNICIPALIDAD DISTRITAL DE MEGANTONI Provincia de La Convención - Región Cusco "
        f"“{SETTINGS['YEAR_NAME']}”")
    assert text_of(html, "doc-version").strip() == "Versión 3 — borrador"


def test_article_label_is_bold_and_text_follows_in_the_same_paragraph():
    content = resolution_content(considerandos=1, articles=1)
    html = render_html(content, meta_for(content), standalone=False)
    expected = (f'<p class="doc-lead"><strong class="doc-label">ARTÍCULO PRIMERO.-</strong> '
                f'{content["sections"][2]["items"][0]["text"]}</p>')
    assert expected in html


def test_issued_document_is_not_marked_as_draft():
    content = resolution_content()
    html = render_html(content, meta_for(content, number="0045-2024-GM-MDM"), standalone=False)
    assert "is-draft" not in html
    assert "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0045-2024-GM-MDM" in html


def test_html_rendering_does_not_load_weasyprint():
    import subprocess
    code = ("import sys; import docsys.rendering as r; "
            "r.render_html; print('weasyprint' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]


def test_rendering_package_never_imports_flask():
    import ast
    from pathlib import Path

    import docsys.rendering
    for path in Path(docsys.rendering.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0].startswith("flask") for n in names), path.name


def test_office_name_in_the_letterhead_of_html_and_docx():
    import io

    from docx import Document

    from docsys.rendering import build_meta, render_docx
    from tests.rendering.support import RGM_TEMPLATE

    content = resolution_content(considerandos=1, articles=1)
    meta = build_meta(SETTINGS, RGM_TEMPLATE, content, office_name="Gerencia Municipal")
    expected = layout_text(layout_blocks(content, meta), include_letterhead=True).splitlines()[:4]
    assert expected == ["MUNICIPALIDAD DISTRITAL DE MEGANTONI",
                        "Provincia de La Convención - Región Cusco", "Gerencia Municipal",
                        f"“{SETTINGS['YEAR_NAME']}”"]
    html = render_html(content, meta, standalone=False)
    assert words(text_of(html, "doc-letterhead")) == words(" ".join(expected))
    header = Document(io.BytesIO(render_docx(content, meta))).sections[0].header
    assert [p.text for p in header.paragraphs] == expected
