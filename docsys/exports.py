"""Render a stored version to HTML, PDF or DOCX, with the settings of this installation.

PDF and DOCX are drawn in a bounded child process (docsys.bounded): past the size, page,
time or memory limits of the settings the download is refused with a Spanish message."""
from __future__ import annotations

import json
from dataclasses import dataclass

from docsys import bounded
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
    if fmt == "html":
        data = render_html(version.content, meta, standalone=True).encode("utf-8")
    else:
        data = render_bounded(settings, fmt, version.content, meta)
    return Rendered(data=data, mimetype=FORMATS[fmt], filename=f"{base}.{fmt}")


def render_bounded(settings, fmt: str, content: dict, meta) -> bytes:
    """A PDF or DOCX drawn within the installation's limits (RENDER_MAX_CHARS of content,
    RENDER_MAX_PAGES, RENDER_TIMEOUT_SECONDS, WORK_MEMORY_MB)."""
    size = len(json.dumps(content, ensure_ascii=False))
    max_chars = int(settings.get("RENDER_MAX_CHARS", 1_000_000))
    if size > max_chars:
        raise bounded.LimitExceeded(
            f"El documento es demasiado extenso para generar el {fmt.upper()} ({size:,} "
            f"caracteres; el límite es {max_chars:,}). Divídalo en partes."
            .replace(",", " "), "too_large")
    limits = bounded.Limits.from_settings(settings, "RENDER_TIMEOUT_SECONDS", 60)
    return bounded.run(_render_job, fmt, content, meta,
                       int(settings.get("RENDER_MAX_PAGES", 300)), limits=limits,
                       what=f"La generación del {fmt.upper()}")


def _render_job(fmt: str, content: dict, meta, max_pages: int) -> bytes:
    if fmt == "pdf":
        return render_pdf(content, meta, max_pages=max_pages)
    return render_docx(content, meta)
