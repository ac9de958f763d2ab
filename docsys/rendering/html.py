"""HTML rendering: the in-browser live preview and the source of the PDF.

A plain jinja2 Environment (no Flask) with autoescape on renders
``templates/render/document.html`` from the layout blocks. The page that shows the
preview links ``static/css/document.css``; the PDF is drawn with the same stylesheet,
so the preview looks like the final document.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from docsys.config import PROJECT_ROOT
from docsys.rendering.layout import RenderMeta, layout_blocks

TEMPLATES_DIR = PROJECT_ROOT / "templates"
DOCUMENT_TEMPLATE = "render/document.html"
DOCUMENT_CSS = PROJECT_ROOT / "static" / "css" / "document.css"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,
    )


def document_css() -> str:
    """The document stylesheet shared by the preview, standalone HTML and PDF."""
    return Path(DOCUMENT_CSS).read_text(encoding="utf-8")


def document_title(content: dict, meta: RenderMeta) -> str:
    """The sumilla (PDF/DOCX title), falling back on the heading."""
    sumilla = ((content or {}).get("fields") or {}).get("sumilla") or ""
    return " ".join(sumilla.split()) or meta.heading_text()


def _render(content: dict, meta: RenderMeta, *, standalone: bool, inline_css: bool,
            for_print: bool = False) -> str:
    """``for_print``: the verification footer comes first in the source, because WeasyPrint
    shows a running page footer only from the page where it appears; on screen it follows the
    text, in reading order."""
    template = environment().get_template(DOCUMENT_TEMPLATE)
    return template.render(
        blocks=layout_blocks(content, meta),
        meta=meta,
        title=document_title(content, meta),
        heading=meta.heading_text(),
        standalone=standalone,
        for_print=for_print,
        css=document_css() if (standalone and inline_css) else "",
    )


def render_html(content: dict, meta: RenderMeta, standalone: bool = True) -> str:
    """A complete HTML page with its stylesheet inlined, or (``standalone=False``) the
    ``<article class="docsys-document">`` fragment for the live preview, which the page
    styles by linking ``static/css/document.css``."""
    return _render(content, meta, standalone=standalone, inline_css=True)
