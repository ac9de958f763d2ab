"""PDF rendering with WeasyPrint: the standalone HTML drawn with static/css/document.css.

A4, the letterhead repeated on every page (a CSS running element in the top margin),
"Página X de Y" in the footer from the CSS page counters, the draft's version label in
the bottom-left margin, and the sumilla as the PDF title.
"""
from __future__ import annotations

import threading
from pathlib import Path

from weasyprint import CSS, HTML

from docsys.bounded import LimitExceeded
from docsys.rendering.html import DOCUMENT_CSS, TEMPLATES_DIR, _render
from docsys.rendering.layout import RenderMeta

_css_lock = threading.Lock()
_css_cache: dict[str, tuple[float, CSS]] = {}


def _stylesheet() -> CSS:
    """document.css parsed once, and again only when the file changes."""
    path = Path(DOCUMENT_CSS)
    mtime = path.stat().st_mtime
    with _css_lock:
        cached = _css_cache.get(str(path))
        if cached is None or cached[0] != mtime:
            cached = (mtime, CSS(string=path.read_text(encoding="utf-8"),
                                 base_url=str(path.parent)))
            _css_cache[str(path)] = cached
        return cached[1]


def render_pdf(content: dict, meta: RenderMeta, max_pages: int | None = None) -> bytes:
    """The document as PDF bytes; refused (before the PDF is written) past ``max_pages``."""
    source = _render(content, meta, standalone=True, inline_css=False, for_print=True)
    # A signing copy's inputs become PDF text fields (AcroForm), filled at issuing.
    forms = {"pdf_forms": True} if meta.form_fields else {}
    document = HTML(string=source, base_url=str(TEMPLATES_DIR)).render(
        stylesheets=[_stylesheet()], **forms)
    if max_pages is not None and len(document.pages) > max_pages:
        raise LimitExceeded(f"El documento excede el límite de {max_pages} páginas (tiene "
                            f"{len(document.pages)}). Divídalo en partes.", "too_many_pages")
    return document.write_pdf(**forms)
