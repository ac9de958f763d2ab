"""The text a compliance check reads: a draft as it prints, a pasted text, an uploaded file.

A structured draft becomes the text of its PDF (the same layout: heading, section titles,
"ARTÍCULO PRIMERO.-" labels, closing formula), so citations, relations and structural
rules see drafts and pasted documents alike.
"""
from __future__ import annotations

import re

from docsys.errors import ValidationError
from docsys.models import Document
from docsys.rendering.layout import (DATE_PLACEHOLDER, SIGNER_NAME_PLACEHOLDER,
                                     SIGNER_POSITION_PLACEHOLDER, Heading, Letterhead,
                                     build_meta, layout_blocks, layout_text)
from search.analysis import WORD_RE

MAX_CHECK_CHARS = 1_000_000      # about 300 pages; a 20-page resolution has ~60,000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff]")


def content_text(content: dict, heading: str = "", definition: dict | None = None,
                 office_code: str = "") -> str:
    """The reading text of a structured draft under ``heading`` (its number, or the
    template's heading with the number left blank when not given)."""
    meta = build_meta({}, definition or {}, content or {}, number=None, office_code=office_code)
    blocks = [b for b in layout_blocks(content or {}, meta)
              if not isinstance(b, (Letterhead, Heading))]
    # The layout's own blanks (date and signer, filled when the norm is issued) are not
    # the drafter's to fill: they are left out rather than reported.
    lines = [line for line in layout_text(blocks).split("\n")
             if not line.endswith(DATE_PLACEHOLDER)
             and line not in (SIGNER_NAME_PLACEHOLDER, SIGNER_POSITION_PLACEHOLDER)]
    return "\n".join([heading or meta.heading_text()] + lines)


def document_text(document: Document, content: dict) -> str:
    """A document's content as it prints: a norm under its official number."""
    definition = document.template_version.definition if document.template_version else {}
    return content_text(content, document.official_number or "", definition,
                        document.office.code if document.office else "")


def prepare_text(text, limit: int = MAX_CHECK_CHARS) -> str:
    """A text fit to check: a string, control characters removed, within ``limit``
    characters, with at least one word. Raises ValidationError (Spanish) otherwise."""
    if text is None:
        raise ValidationError("Envíe el texto que desea revisar.")
    if not isinstance(text, str):
        raise ValidationError("El texto a revisar debe ser una cadena de caracteres.")
    if len(text) > limit:
        raise ValidationError(
            f"El texto tiene {len(text):,} caracteres; se revisan hasta {limit:,} (unas "
            f"{limit // 3300:,} páginas). Divídalo en partes.".replace(",", " "))
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise ValidationError("El texto está vacío: pegue el documento o adjunte un archivo.")
    if not WORD_RE.search(text):
        raise ValidationError("El texto no contiene palabras que revisar.")
    return text


def text_from_file(data: bytes, filename: str, max_bytes: int, settings=None) -> str:
    """The text of an uploaded TXT, PDF or DOCX (type read from the content, never the
    name), read in a bounded child process: up to COMPLIANCE_MAX_PAGES pages and
    COMPLIANCE_TIMEOUT_SECONDS (a check is interactive: OCR of a long scan is the
    archive's job). Raises ExtractionError with a Spanish reason for anything else."""
    from docsys.archive.extract import extract_bounded
    from docsys.bounded import Limits

    settings = settings or {}
    return extract_bounded(data, filename or "documento", max_bytes,
                           max_pages=int(settings.get("COMPLIANCE_MAX_PAGES", 100)),
                           limits=Limits.from_settings(settings, "COMPLIANCE_TIMEOUT_SECONDS",
                                                       60)).text
