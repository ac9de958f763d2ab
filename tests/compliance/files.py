"""Real files to upload: a DOCX written by python-docx and a PDF written by WeasyPrint."""
from __future__ import annotations

import io

from docx import Document as DocxDocument


def docx_bytes(paragraphs: list[str]) -> bytes:
    doc = DocxDocument()
    for paragraph in paragraphs:
        doc.add_paragraph(paragraph)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def pdf_bytes(paragraphs: list[str]) -> bytes:
    from html import escape

    from weasyprint import HTML

    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()
