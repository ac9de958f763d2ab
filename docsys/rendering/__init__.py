"""Renderings of a document's structured content: HTML (preview), PDF and DOCX.

All three are drawn from one layout (``layout_blocks``), so they carry the same text.
This package never imports Flask: the web layer passes its config as ``settings``.
``render_pdf`` and ``render_docx`` are imported on first use, so that a process that
only previews HTML does not load WeasyPrint.
"""
from docsys.rendering.html import render_html
from docsys.rendering.layout import RenderMeta, build_meta, layout_blocks, layout_text

__all__ = ["RenderMeta", "build_meta", "layout_blocks", "layout_text", "render_html",
           "render_pdf", "render_docx"]

_LAZY = {"render_pdf": "docsys.rendering.pdf", "render_docx": "docsys.rendering.docx"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
