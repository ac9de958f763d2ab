"""What an archived norm looks like inside docsys: its type names, official number,
number conflicts and content. Shared by the import and the archivist's confirmation."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from docsys.drafting.structure import MAX_ITEM_LENGTH, MAX_ITEMS_PER_SECTION, normalize_content
from docsys.models import Document
from docsys.states import Origin
from search.numbers import TYPE_CODES
from search.registry import registry

ORIGIN = Origin.IMPORTED
UNKNOWN_TYPE = "NORMA"  # until the archivist says which type it is
# The norm types an archived norm can have (the registry's: municipal, regional and
# national), with their names as written.
TYPE_NAMES = {code: TYPE_CODES[code] for code in registry().codes()}
TYPE_LABELS = {**TYPE_NAMES, UNKNOWN_TYPE: "Norma (tipo por confirmar)"}
# Types whose numbers carry no office: the Concejo's norms ("012-2019-MDM").
NO_OFFICE_IN_NUMBER = ("OM", "AC")
# (an SGD number opens with a D: "D000226-2025-MIMP-DM", see search.numbers.SGD_PREFIX)
_LABEL_RE = re.compile(r"^\s*(?:D(?=[0-9]{6}(?![0-9])))?(?P<num>[0-9]{1,6})(?![0-9])(?:\s*-\s*(?P<year>(?:19|20)[0-9]{2}))?(?P<rest>.*)$")


def type_heading(doc_type: str) -> str:
    """"RESOLUCIÓN DE ALCALDÍA" for "RA" (the heading of an official number)."""
    return TYPE_NAMES.get(doc_type, "Norma").upper()


def compose_label(number: int, year: int, office_code: str | None, doc_type: str,
                  muni_code: str) -> str:
    """The number as the municipality writes it when nothing better is known:
    "145-2023-A-MDM", ordinances "012-2019-MDM"; a national or regional norm without
    the municipality's code ("004-2019-JUS", a law "27972")."""
    doc_type_info = registry().get(doc_type)
    if doc_type_info is not None and not doc_type_info.municipal:
        if doc_type_info.numbering == "sin_anio":
            return str(number)
        return "-".join([f"{number:03d}", str(year)] + ([office_code] if office_code else []))
    parts = [f"{number:03d}", str(year)]
    if office_code and doc_type not in NO_OFFICE_IN_NUMBER:
        parts.append(office_code)
    return "-".join(parts + [muni_code])


def compose_official_number(doc_type: str, label: str | None, number: int, year: int,
                            office_code: str | None, muni_code: str) -> str:
    """"RESOLUCIÓN DE ALCALDÍA N° 145-2023-A-MDM": the number as written in the norm when
    it agrees with ``number`` and ``year`` (also a pattern without year, "646-MSB"), else
    composed in the municipality's usual form (a bare "45" too)."""
    parsed = parse_label(label) if label else None
    info = registry().get(doc_type)
    if info is not None and info.numbering == "sin_anio" and parsed and parsed[0] == number:
        return f"{type_heading(doc_type)} N° {number}"   # "LEY N° 27972": no year
    bare = parsed is not None and parsed[1] is None and not parsed[2].strip(" -")
    if (not parsed or label is None or bare or parsed[0] != number
            or (parsed[1] is not None and parsed[1] != year)):
        label = compose_label(number, year, office_code, doc_type, muni_code)
    return f"{type_heading(doc_type)} N° {label.strip()}"


def single_norm_number(doc_type: str, year: int | None) -> tuple[str, str] | None:
    """(official number, number key) of a norm whose type is one norm: a Constitution is
    "Constitución Política del Perú de 1993" (its year tells the 1979 one apart), filed
    under ``CONST``, the key its citations carry (see
    ``docsys.compliance.citations.archive_key_for``). None for the other types."""
    info = registry().get(doc_type or "")
    if info is None or not info.single:
        return None
    return (f"{info.name} de {year}" if year else info.name), info.code


def parse_label(label: str) -> tuple[int, int | None, str] | None:
    """(number, year or None, the rest) of "0045-2024-GM-MDM"; None if it is not one."""
    match = _LABEL_RE.match(label or "")
    if not match:
        return None
    year = int(match["year"]) if match["year"] else None
    return int(match["num"]), year, match["rest"]


@dataclass(frozen=True)
class NumberConflict:
    document_id: int
    exact: bool  # the very same official number (it is unique): it cannot be given twice
    message: str


def number_conflicts(session: Session, official: str, key: str, office_id: int,
                     exclude_id: int | None = None) -> NumberConflict | None:
    """Another document with this official number, or with the same number key in the same
    office (the same norm written differently: "045" and "0045"). National norms numbered
    per sector share keys across sectors ("DS-4-2019" of JUS and of EF), and every
    Constitution is filed under ``CONST``: only the official number counts."""
    info = registry().get(key.split("-")[0]) if key else None
    same_key: ColumnElement[bool] = (Document.number_key == key) & (Document.office_id == office_id)
    if not key or (info is not None and (info.single or info.has_sector and not info.municipal)):
        same_key = Document.id.is_(None)  # never true: only the official number counts
    query = select(Document.id, Document.title, Document.official_number).where(
        (Document.official_number == official) | same_key)
    if exclude_id is not None:
        query = query.where(Document.id != exclude_id)
    row = session.execute(query.limit(1)).first()
    if row is None:
        return None
    exact = row.official_number == official
    if exact:
        message = (f"El número «{official}» ya lo tiene el documento {row.id} («{row.title}»): "
                   "¿es otra copia de la misma norma? No se asignó el número.")
    else:
        message = (f"El documento {row.id} («{row.official_number}») tiene el mismo número "
                   "en la misma oficina: revise si es la misma norma.")
    return NumberConflict(row.id, exact, message)


def norm_content(doc_type: str, text: str, *, sumilla: str, date: str = "", place: str = "",
                 number: str = "", sections: list | None = None) -> dict:
    """The structured content of an archived norm: its metadata as fields and its text as
    one "texto" section (PDF pages, or pieces that fit the structure's limits)."""
    if sections is None:
        items = [{"text": piece} for piece in _pieces(text)]
        sections = []
        for start in range(0, len(items), MAX_ITEMS_PER_SECTION):
            key = "texto" if start == 0 else f"texto_{start // MAX_ITEMS_PER_SECTION + 1}"
            sections.append({"key": key, "title": "", "kind": "text", "numbering": "none",
                             "items": items[start:start + MAX_ITEMS_PER_SECTION]})
    content = {"doc_type": doc_type,
               "fields": {"sumilla": sumilla[:1000], "fecha": date, "lugar": place,
                          "numero": number},
               "sections": sections, "closing": ""}
    return normalize_content(content)


def _pieces(text: str) -> list[str]:
    """Pages (form feeds) merged or split so each piece stays under the item limit,
    cutting at a paragraph or line break."""
    limit = MAX_ITEM_LENGTH - 100
    pieces: list[str] = []
    for page in (p.strip() for p in text.split("\f")):
        while len(page) > limit:
            cut = max(page.rfind("\n\n", 0, limit), page.rfind("\n", 0, limit))
            cut = cut if cut > limit // 2 else limit
            pieces.append(page[:cut].strip())
            page = page[cut:].strip()
        if page:
            pieces.append(page)
    return pieces or [""]


def norm_text(content: dict) -> str:
    """The text of an archived norm, pages separated by a blank line (the "texto" sections)."""
    parts: list[str] = []
    for section in content.get("sections") or []:
        if section.get("key", "").startswith("texto"):
            parts.extend(item.get("text", "") for item in section.get("items") or [])
    return "\n\n".join(p for p in parts if p)
