"""Norms in the open-data format: Markdown with a YAML front matter (legalize.dev SPEC,
as in the legalize-pe dataset of Peruvian national norms).

The front matter is the source's word on the norm: ``rank`` gives the type (through the
registry of document types), ``identifier`` the number, year and sector
("DS-004-2019-JUS", "DS-026-99-AG-1999", "LEY-ORGANICA-27972-2003"), ``publication_date``
the date, ``title`` the sumilla, ``source`` where the text was taken from (SPIJ, El
Peruano...). The official number is taken from the norm's own heading when it agrees
("## DECRETO SUPREMO Nº 004-2019-JUS", never from a CONCORDANCIAS block further down),
else composed from the identifier.
"""
from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import yaml

from docsys.archive.metadata import FIELDS, GuessedMetadata, guess_metadata
from search.numbers import SPACED_SECTOR_TYPES, full_year, spaced_sector
from search.registry import registry

SOURCE = "metadatos del archivo"
HEADING_SOURCE = "encabezado de la norma (el identificador no trae su número)"
# libyaml's safe loader when PyYAML was built with it (several times faster per file).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<yaml>.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
# an SGD number opens with a D ("RM-D000226-2025-MIMP-DM"; search.numbers.SGD_PREFIX)
_SGD_PART = re.compile(r"D\d{6}")
_ID_NUMBER = re.compile(r"^D?(?P<num>\d{1,7})(?:-(?P<year>\d{4}|\d{2}))?(?:-(?P<rest>.*))?$")
_HEADING = re.compile(r"^#{1,3}\s*\**(?P<heading>[^\n]{3,120})$", re.MULTILINE)


@dataclass
class Structured:
    metadata: GuessedMetadata
    title: str
    body: str
    official_number: str | None


def has_front_matter(text: str) -> bool:
    return bool(_FRONT.match(text or ""))


def read_structured(text: str, filename: str = "") -> Structured | None:
    """The norm of a Markdown file with front matter, or None when ``text`` has none (or
    it is not a mapping with a ``rank`` or an ``identifier``)."""
    match = _FRONT.match(text or "")
    if match is None:
        return None
    try:
        data = yaml.load(match["yaml"], Loader=_LOADER)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict) or not (data.get("rank") or data.get("identifier")):
        return None
    body = text[match.end():].lstrip("\n")
    meta = GuessedMetadata()
    doc_type = registry().by_rank(str(data.get("rank") or ""))
    # Some sources' titles carry HTML entities ("Aprueban Pol&iacute;tica Nacional"): the
    # sumilla is stored, shown and indexed as the words it spells.
    title = " ".join(html.unescape(str(data.get("title") or "")).split())
    identifier = str(data.get("identifier") or "")
    number = year = None
    sector = ""
    date = _date(data.get("publication_date"))
    confidence, source = 0.99, SOURCE
    if doc_type is not None:
        _set(meta, "doc_type", doc_type.code)
        if not doc_type.unnumbered:
            number, year, sector = _from_identifier(identifier, doc_type.code,
                                                    date.year if date else None)
            if number is None:   # the identifier has none: the norm's own heading may
                number, year, sector, confidence = _from_heading(body, doc_type.code)
                source = HEADING_SOURCE
    if number is not None:
        _set(meta, "number", number, confidence, source)
    if year is not None:
        _set(meta, "year", year, confidence, source)
    if date is not None:
        _set(meta, "date", date)
        if meta.year is None:
            _set(meta, "year", date.year)
    if title:
        meta.sumilla = title[:240]
        meta.confidence["sumilla"], meta.sources["sumilla"] = 0.99, SOURCE
    official = None
    if doc_type is not None and (number is not None or doc_type.unnumbered):
        official = _official_number(body, doc_type.code, number, year, sector, identifier)
        meta.number_label = official.split(" N° ", 1)[-1] if " N° " in official else None
    meta.office = None
    for name in FIELDS:
        meta.confidence.setdefault(name, 0.0)
    meta.confidence["office"] = 0.99 if doc_type and not doc_type.municipal else 0.0
    if date and date.year < 1821:
        meta.notes.append(f"La fecha de publicación de los metadatos ({date.isoformat()}) "
                          "no es creíble: revísela.")
        meta.confidence["date"] = 0.3
    meta.source_url = _web_address(data.get("source"))
    meta.source_identifier = identifier[:200] or None
    return Structured(meta, title or official or filename, body, official)


def _web_address(value) -> str | None:
    """The source's address when it is one a browser may open (http or https, with a
    host, which names the source on the pages): the archive links to it, so anything else
    (``javascript:``, a file path, "http://") is dropped."""
    url = " ".join(str(value or "").split())
    if len(url) > 1000:
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:    # "http://[::1" and the like
        return None
    return url if parts.scheme.lower() in ("http", "https") and host else None


def _set(meta: GuessedMetadata, name: str, value, confidence: float = 0.99,
         source: str = SOURCE) -> None:
    setattr(meta, name, value)
    meta.confidence[name] = confidence
    meta.sources[name] = source


def _from_heading(body: str, code: str) -> tuple[int | None, int | None, str, float]:
    """(number, year, sector, confidence) as the norm's own heading prints them, when the
    text reader finds a heading of this very type ("DECRETO LEGISLATIVO 295" in the Código
    Civil, whose identifier is "DLEG-CIVIL-1984"); else nothing, and the archivist gives
    the number."""
    guess = guess_metadata(body)
    if guess.doc_type != code or guess.number is None:
        return None, None, "", 0.0
    doc_type = registry()[code]
    read = ("doc_type", "number", "year") if doc_type.has_year else ("doc_type", "number")
    confidence = min(guess.confidence.get(n, 0.0) for n in read)
    parts = (guess.number_label or "").split("-")   # "018-2013-JUS"
    sector = "-".join(parts[2:]) if doc_type.has_sector else ""
    return guess.number, guess.year if doc_type.has_year else None, sector, confidence


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "")[:10])
    except ValueError:
        return None


def _from_identifier(identifier: str, code: str, published: int | None = None
                     ) -> tuple[int | None, int | None, str]:
    """(number, year of the number, sector) of an identifier: "DS-004-2019-JUS" ->
    (4, 2019, "JUS"); "DS-026-99-AG-1999" -> (26, 1999, "AG"); "LEY-27972-2003" ->
    (27972, 2003, ""); "RESOLUCION-DIRECTORAL-052-2006-MTC-12" -> (52, 2006, "MTC-12");
    "RM-D000226-2025-MIMP-DM" -> (226, 2025, "MIMP-DM"). None for "DLEG-PENAL-1991",
    whose only figure is the year it was ``published``: the Código Penal is no Decreto
    Legislativo N° 1991."""
    parts = identifier.upper().split("-")
    while parts and not parts[0].isdigit() and not _SGD_PART.fullmatch(parts[0]):
        parts.pop(0)
    if parts == [str(published)]:
        return None, None, ""
    match = _ID_NUMBER.match("-".join(parts))
    if match is None:
        return None, None, ""
    number = int(match["num"])
    year = full_year(match["year"]) if match["year"] else None
    rest = match["rest"] or ""
    trailing = re.search(r"(?:^|-)(\d{4})$", rest)
    if trailing and (year is None or len(match["year"]) == 2 or rest != trailing.group(1)):
        rest = rest[:trailing.start()]  # the publication year appended to the identifier
    doc_type = registry().get(code)
    return number or None, year, rest if doc_type and doc_type.has_sector else ""


def _official_number(body: str, code: str, number: int | None, year: int | None,
                     sector: str, identifier: str) -> str:
    """The number as the norm's own heading prints it, when a heading near the top says
    this type and this number; else composed: "Decreto Supremo N° 004-2019-JUS"."""
    doc_type = registry()[code]
    if number is None:
        return doc_type.name
    head = body[:3000]
    cut = re.search(r"CONCORDANCIAS|Concordancias", head)
    head = head[:cut.start()] if cut else head
    for heading in _HEADING.finditer(head):
        # (SPIJ may bold the marker alone: "## **RESOLUCION MINISTERIAL Nº** 0536-RE-2019")
        found = re.search(r"N\s*[°º.]*\s*°?[\s*]*(?P<label>(?:D(?=\d{6}))?0*" + str(number)
                          + r"(?:-[0-9A-Z/.-]+)?)",
                          heading["heading"].upper())
        if found and heading["heading"].upper().lstrip("*# ").startswith(doc_type.heading.split()[0]
                                                                           .replace("Ó", "O")[:6]):
            label = found['label'].rstrip('.*')
            # a sector printed after a space ("Nº 021-2006 DE/EP"), read as search reads it
            spaced = (spaced_sector(heading["heading"], found.end("label"))
                      if code in SPACED_SECTOR_TYPES and re.fullmatch(r"\d+-\d+", label)
                      and len(heading["heading"]) == len(heading["heading"].upper()) else None)
            return f"{doc_type.name} N° {label}" + (f" {spaced[0]}" if spaced else "")
    sgd = any(_SGD_PART.fullmatch(part) for part in identifier.upper().split("-"))
    padded = f"D{number:06d}" if sgd else f"{number:03d}"
    if doc_type.numbering == "sin_anio":
        return f"{doc_type.name} N° {number}"
    if year is None:  # a number printed without its year keeps its sector: "N° 032-DE-SG"
        return f"{doc_type.name} N° " + "-".join(p for p in (padded, sector) if p)
    year_text = str(year)
    two_digits = re.search(rf"-{number:0{len(padded)}d}-(\d{{2}})(?:-|$)", identifier)
    if two_digits and year < 2000:
        year_text = two_digits.group(1)
    label = "-".join(p for p in (padded, year_text, sector) if p)
    return f"{doc_type.name} N° {label}"
