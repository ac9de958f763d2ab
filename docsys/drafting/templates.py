"""Document templates: YAML files under templates/documents/, loaded into the database.

A template file looks like::

    key: resolucion-gerencia-municipal
    name: Resolución de Gerencia Municipal
    doc_type: RGM
    issuing_office: GM                      # office code whose sequence numbers it
    signer_office: A                        # optional: office of the signing authority
                                            # (default: issuing_office, else the drafter's)
    heading: "RESOLUCIÓN DE GERENCIA MUNICIPAL N° {numero}"
    number_pattern: "{seq:04d}-{year}-GM-{muni}"
    description: "..."
    fields:                                 # asked for at creation, editable later
      - {key: sumilla, label: "Sumilla", required: true, multiline: true, help: "..."}
      - {key: expediente, label: "Expediente(s)"}
      - {key: firmante_cargo, label: "Cargo del firmante", default: "Gerente Municipal"}
    sections:                               # the structure and boilerplate
      - key: visto
        title: "VISTO:"
        kind: paragraphs                    # paragraphs | articles | text
        numbering: none                     # ordinal_upper | arabic | ordinal_plain | numeric | none
        items: ["El Expediente N° {expediente} ..."]
    closing: "REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE."

``{campo}`` in an item is replaced by that field's value when a draft is created.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from docsys.drafting.structure import normalize_content
from docsys.errors import ValidationError

REQUIRED_KEYS = ("key", "name", "doc_type", "heading", "fields", "sections")
_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")
_TEMPLATE_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")
MAX_TEMPLATE_BYTES = 200_000


class _AliasRefused(yaml.YAMLError):
    def __init__(self, mark):
        super().__init__("alias")
        self.problem_mark = mark


class _TemplateLoader(yaml.SafeLoader):
    """Safe YAML without anchors' aliases: a template never needs them, and an alias can
    expand a few hundred bytes into megabytes (the "billion laughs")."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise _AliasRefused(self.peek_event().start_mark)
        return super().compose_node(parent, index)


def parse_template(source_text: str) -> dict:
    """Parse and validate a template's YAML text; raise ValidationError in Spanish."""
    if len(source_text.encode("utf-8")) > MAX_TEMPLATE_BYTES:
        raise ValidationError("La plantilla es demasiado grande (máximo 200 KB).")
    try:
        definition = yaml.load(source_text, Loader=_TemplateLoader)  # noqa: S506 (safe loader)
    except _AliasRefused as exc:
        line = exc.problem_mark.line + 1
        raise ValidationError(f"La plantilla usa un alias de YAML (*nombre) en la línea {line}: "
                              "escriba el texto completo; los alias no se admiten.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (línea {mark.line + 1}, columna {mark.column + 1})" if mark else ""
        raise ValidationError(f"La plantilla no es YAML válido{where}.") from None
    if not isinstance(definition, dict):
        raise ValidationError("La plantilla debe ser un objeto YAML con claves.")
    missing = [k for k in REQUIRED_KEYS if k not in definition]
    if missing:
        raise ValidationError("A la plantilla le faltan las claves: " + ", ".join(missing) + ".")
    if not isinstance(definition["key"], str) or not _TEMPLATE_KEY.match(definition["key"]):
        raise ValidationError("La clave de la plantilla solo admite minúsculas, números y guiones.")
    fields = definition["fields"]
    if not isinstance(fields, list) or not all(isinstance(f, dict) and f.get("key") for f in fields):
        raise ValidationError("«fields» debe ser una lista de campos, cada uno con «key» y «label».")
    if not any(f["key"] == "sumilla" for f in fields):
        raise ValidationError("La plantilla debe pedir el campo «sumilla».")
    for f in fields:
        f.setdefault("label", f["key"])
        f.setdefault("required", False)
        f.setdefault("multiline", False)
        f.setdefault("default", "")
        f.setdefault("help", "")
    definition.setdefault("closing", "")
    definition.setdefault("description", "")
    definition.setdefault("number_pattern", "{seq:03d}-{year}-{muni}")
    definition.setdefault("issuing_office", "")
    definition.setdefault("signer_office", "")
    # The skeleton must itself be a valid document structure.
    normalize_content({"doc_type": definition["doc_type"], "fields": {},
                       "sections": definition["sections"], "closing": definition["closing"]})
    return definition


def source_hash(source_text: str) -> str:
    return hashlib.sha256(source_text.encode("utf-8")).hexdigest()


def template_files(directory: str | Path) -> list[Path]:
    return sorted(p for p in Path(directory).glob("*.yaml") if not p.name.startswith("_"))


def field_values(definition: dict, submitted: dict) -> dict:
    """Merge submitted values over the template's defaults; check the required ones."""
    values = {}
    for field in definition["fields"]:
        key = field["key"]
        raw = submitted.get(key)
        value = (raw if isinstance(raw, str) else "").strip() or str(field.get("default") or "")
        if field.get("required") and not value:
            raise ValidationError(f"El campo «{field['label']}» es obligatorio.")
        values[key] = value
    return values


def instantiate(definition: dict, submitted_fields: dict) -> dict:
    """Build a new draft's content from a template definition and the user's field values."""
    values = field_values(definition, submitted_fields)

    def fill(text: str) -> str:
        return _PLACEHOLDER.sub(lambda m: values.get(m.group(1)) or f"[{m.group(1)}]", text)

    sections = []
    for section in definition["sections"]:
        items = []
        for item in section.get("items") or []:
            if isinstance(item, str):
                item = {"text": item}
            filled = {"text": fill(item.get("text", ""))}
            if item.get("heading"):
                filled["heading"] = fill(item["heading"])
            items.append(filled)
        sections.append({**section, "title": fill(section.get("title", "")), "items": items})
    return normalize_content({
        "doc_type": definition["doc_type"],
        "fields": values,
        "sections": sections,
        "closing": definition.get("closing", ""),
    })
