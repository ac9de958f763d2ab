"""The structure of a draft: one JSON-compatible dict that every rendering reads.

A draft's content is plain data so that it can be versioned immutably, diffed,
indexed and rendered to HTML, PDF and DOCX from the same source:

    {
      "doc_type": "RGM",                      # key of the document type (see doctypes.yaml)
      "fields": {"sumilla": "...", "expediente": "...", "lugar": "Camisea",
                 "fecha": "2024-03-12", "firmante_nombre": "...", "firmante_cargo": "...", ...},
      "sections": [
        {"key": "visto", "title": "VISTO:", "kind": "paragraphs",
         "items": [{"id": "a1b2c3d4", "text": "El Informe N° ..."}]},
        {"key": "considerando", "title": "CONSIDERANDO:", "kind": "paragraphs", "items": [...]},
        {"key": "resuelve", "title": "SE RESUELVE:", "kind": "articles",
         "numbering": "ordinal_upper", "items": [{"id": "...", "text": "..."}]},
      ],
      "closing": "REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE."
    }

Every item has a stable short id so that later work (comments, redlines) can anchor
to a considerando or article even when it moves.
"""
from __future__ import annotations

import copy
import hashlib
import json
import re
import secrets

from docsys.errors import ValidationError


def content_hash(content: dict) -> str:
    """The SHA-256 of a content in canonical JSON: equal texts, equal hashes."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

SECTION_KINDS = ("paragraphs", "articles", "text")
NUMBERING_STYLES = ("ordinal_upper", "arabic", "ordinal_plain", "ordinal_feminine", "numeric",
                    "none")

MAX_FIELD_LENGTH = 2_000
MAX_SUMILLA_LENGTH = 1_000
MAX_ITEM_LENGTH = 30_000
MAX_ITEMS_PER_SECTION = 300
MAX_SECTIONS = 40
MAX_TITLE_LENGTH = 300
MAX_CLOSING_LENGTH = 1_000
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_KEY_RE = re.compile(r"^[a-z0-9_]{1,40}$")


def new_item_id() -> str:
    """A short random id; unique enough inside one document."""
    return secrets.token_hex(4)


def _clean_text(value, where: str, max_length: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(f"El campo «{where}» debe ser texto.")
    value = value.replace("\r\n", "\n").replace("\x00", "").strip()
    if required and not value:
        raise ValidationError(f"El campo «{where}» no puede estar vacío.")
    if len(value) > max_length:
        raise ValidationError(
            f"El campo «{where}» supera el máximo de {max_length} caracteres ({len(value)})."
        )
    return value


def normalize_content(content, required_fields=()) -> dict:
    """Validate untrusted content and return a clean copy.

    Raises ValidationError with a Spanish message naming the offending part; never
    mutates its argument. ``required_fields`` are field keys that must not be empty.
    """
    if not isinstance(content, dict):
        raise ValidationError("El contenido del documento debe ser un objeto JSON.")
    doc_type = content.get("doc_type")
    if not isinstance(doc_type, str) or not doc_type.strip():
        raise ValidationError("Falta el tipo de documento (doc_type).")

    raw_fields = content.get("fields") or {}
    if not isinstance(raw_fields, dict):
        raise ValidationError("Los campos del documento deben ser un objeto JSON.")
    fields = {}
    for key, value in raw_fields.items():
        if not isinstance(key, str) or not _KEY_RE.match(key):
            raise ValidationError(f"Nombre de campo no válido: «{key}».")
        limit = MAX_SUMILLA_LENGTH if key == "sumilla" else MAX_FIELD_LENGTH
        fields[key] = _clean_text(value, key, limit)
    for key in required_fields:
        if not fields.get(key):
            raise ValidationError(f"El campo «{key}» es obligatorio.")

    raw_sections = content.get("sections") or []
    if not isinstance(raw_sections, list):
        raise ValidationError("Las secciones del documento deben ser una lista.")
    if len(raw_sections) > MAX_SECTIONS:
        raise ValidationError(f"El documento no puede tener más de {MAX_SECTIONS} secciones.")
    sections, seen_keys, seen_ids = [], set(), set()
    for position, raw in enumerate(raw_sections, start=1):
        if not isinstance(raw, dict):
            raise ValidationError(f"La sección {position} no es válida.")
        key = raw.get("key")
        if not isinstance(key, str) or not _KEY_RE.match(key) or key in seen_keys:
            raise ValidationError(f"La sección {position} tiene una clave no válida o repetida.")
        seen_keys.add(key)
        kind = raw.get("kind", "paragraphs")
        if kind not in SECTION_KINDS:
            raise ValidationError(f"La sección «{key}» tiene un tipo desconocido: «{kind}».")
        numbering = raw.get("numbering", "none" if kind != "articles" else "ordinal_upper")
        if numbering not in NUMBERING_STYLES:
            raise ValidationError(f"La sección «{key}» tiene una numeración desconocida: «{numbering}».")
        items_raw = raw.get("items") or []
        if not isinstance(items_raw, list):
            raise ValidationError(f"Los elementos de la sección «{key}» deben ser una lista.")
        if len(items_raw) > MAX_ITEMS_PER_SECTION:
            raise ValidationError(
                f"La sección «{key}» no puede tener más de {MAX_ITEMS_PER_SECTION} elementos."
            )
        items = []
        for index, item in enumerate(items_raw, start=1):
            if isinstance(item, str):
                item = {"text": item}
            if not isinstance(item, dict):
                raise ValidationError(f"El elemento {index} de la sección «{key}» no es válido.")
            item_id = item.get("id") or new_item_id()
            if not isinstance(item_id, str) or not _ID_RE.match(item_id) or item_id in seen_ids:
                item_id = new_item_id()
            seen_ids.add(item_id)
            clean = {"id": item_id,
                     "text": _clean_text(item.get("text"), f"{key} {index}", MAX_ITEM_LENGTH)}
            heading = item.get("heading")
            if heading:
                clean["heading"] = _clean_text(heading, f"{key} {index} (título)", MAX_TITLE_LENGTH)
            items.append(clean)
        section = {
            "key": key,
            "title": _clean_text(raw.get("title", ""), f"título de {key}", MAX_TITLE_LENGTH),
            "kind": kind,
            "numbering": numbering,
            "items": items,
        }
        sections.append(section)

    closing = _clean_text(content.get("closing", ""), "fórmula de cierre", MAX_CLOSING_LENGTH)
    return {"doc_type": doc_type.strip(), "fields": fields, "sections": sections, "closing": closing}


def plain_text(content: dict) -> str:
    """All the words of a draft, in reading order (for search, diffs and tests)."""
    # Runs for every document of an index rebuild: plain loops, no generator per part.
    parts = [content.get("fields", {}).get("sumilla", "")]
    append = parts.append
    for section in content.get("sections", ()):
        append(section.get("title", ""))
        for item in section.get("items", ()):
            heading = item.get("heading")
            if heading:
                append(heading)
            append(item.get("text", ""))
    append(content.get("closing", ""))
    return "\n".join(filter(None, parts))


def clone(content: dict) -> dict:
    return copy.deepcopy(content)
