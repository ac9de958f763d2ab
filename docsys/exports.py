"""Render a stored version to HTML, PDF or DOCX, with the settings of this installation."""
from __future__ import annotations

from dataclasses import dataclass

from docsys.models import Document, DocumentVersion
from docsys.errors import ValidationError
from docsys.states import STATUS_LABELS
from docsys.rendering import build_meta, render_docx, render_html, render_pdf
from docsys.policy import template_definition

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


@dataclass
class Rendered:
    data: bytes
    mimetype: str
    filename: str


def meta_for(settings: dict, document: Document, version: DocumentVersion):
    label = f"Versión {version.number} — {STATUS_LABELS.get(document.status, document.status)}"
    return build_meta(settings, template_definition(document), version.content,
                      number=None, version_label=label, office_code=document.office.code,
                      office_name=document.office.name)


def preview_html(settings: dict, document: Document, content: dict) -> str:
    """The live preview of unsaved content (same layout as the final document)."""
    meta = build_meta(settings, template_definition(document), content, number=None,
                      version_label="Vista previa", office_code=document.office.code,
                      office_name=document.office.name)
    return render_html(content, meta, standalone=False)


def render_version(settings: dict, document: Document, version: DocumentVersion,
                   fmt: str) -> Rendered:
    if fmt not in FORMATS:
        raise ValidationError("Formato no admitido. Use pdf, docx o html.")
    meta = meta_for(settings, document, version)
    base = f"{document.doc_type}-{document.id}-v{version.number}"
    if fmt == "pdf":
        data = render_pdf(version.content, meta)
    elif fmt == "docx":
        data = render_docx(version.content, meta)
    else:
        data = render_html(version.content, meta, standalone=True).encode("utf-8")
    return Rendered(data=data, mimetype=FORMATS[fmt], filename=f"{base}.{fmt}")
