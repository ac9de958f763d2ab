"""The one layout of a document: content + meta → an ordered list of blocks.

HTML (preview and PDF) and DOCX are both drawn from the blocks built here, so every
rendering carries the same words in the same order. Nothing in this module knows about
markup; a renderer only decides how each kind of block looks.

Blocks, in reading order::

    Letterhead      municipality, location, office, "Año de ..."   (page furniture)
    Heading         "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0045-2024-GM-MDM"
    PlaceDate       "Camisea, 12 de marzo de 2024"
    SectionTitle    "VISTO:", "CONSIDERANDO:", "SE RESUELVE:" ...
    Paragraph       a visto / considerando / free text (optionally numbered)
    Article         "ARTÍCULO PRIMERO.-" + optional heading + text
    Closing         "REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE."
    Signature       firmante_nombre, firmante_cargo
"""
from __future__ import annotations

import datetime as _dt
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Union

from docsys.rendering.ordinals import (long_date, ordinal_upper, ordinal_upper_feminine,
                                       parse_iso_date)

DATE_PLACEHOLDER = "[fecha de emisión]"
SIGNER_NAME_PLACEHOLDER = "[nombre del firmante]"
SIGNER_POSITION_PLACEHOLDER = "[cargo del firmante]"
DEFAULT_SEQ_WIDTH = 4
_WIDTH_RE = re.compile(r"(\d+)")
_SPACES_RE = re.compile(r"[ \t\n\r\f\v]+")
# C0 controls other than newline, DEL, lone surrogates and non-characters: not allowed in
# XML (DOCX) nor meaningful in HTML/PDF. Removing them here keeps every rendering's text
# identical.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(value) -> str:
    """Text safe for every rendering: tabs become spaces, other control characters go,
    line breaks are normalised to \\n, surrounding spaces stripped."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL_RE.sub("", text).strip()


def _collapse(text: str) -> str:
    """Runs of ASCII whitespace become one space (as HTML shows them); no-break spaces stay."""
    return _SPACES_RE.sub(" ", text).strip(" ")


def clean_line(value) -> str:
    """clean_text on one line: inner whitespace (newlines included) collapsed."""
    return _collapse(clean_text(value))


# --------------------------------------------------------------------------- meta

@dataclass(frozen=True)
class RenderMeta:
    """Everything a rendering needs besides the content itself.

    ``number`` is the full official number ("0045-2024-GM-MDM") once the document is
    issued, and None for a draft; a draft's heading shows ``number_pattern`` with the
    sequence as underscores.
    """

    municipality_name: str
    municipality_code: str
    location: str
    year_name: str
    heading_template: str
    number_pattern: str
    year: int
    place: str = ""
    number: str | None = None
    issuing_office: str = ""
    office_name: str = ""
    version_label: str = ""
    # Issued documents only: the footer on every page and the blank space left at the end
    # of the last page for the signature stamps (points).
    verification_code: str = ""
    verification_url: str = ""
    qr_data_uri: str = ""
    signature_space: float = 0.0
    # The letterhead images an administrator uploaded (docsys.institution): data URIs, or
    # their addresses in a rendering shown on a page.
    shield_uri: str = ""
    letterhead_uri: str = ""
    # A signing copy (docsys.holder_signing): the number, the place-date line and the
    # signer's name and position are empty PDF text fields, filled when the norm is issued;
    # ``number_width`` (points) is the room kept for the number in the heading.
    form_fields: bool = False
    number_width: float = 0.0

    @property
    def is_draft(self) -> bool:
        return not self.number and not self.form_fields

    def number_text(self) -> str:
        """The official number, or the pattern with the sequence left blank for a draft."""
        if self.number:
            return self.number
        return draft_number(self.number_pattern, self.year, self.municipality_code,
                            self.issuing_office)

    def heading_text(self) -> str:
        heading = self.heading_template or "{numero}"
        return clean_line(heading.replace("{numero}", self.number_text()))

    def heading_parts(self) -> tuple[str, str]:
        """The heading's words before and after the number (a signing copy's field)."""
        heading = self.heading_template or "{numero}"
        before, _, after = heading.partition("{numero}")
        return clean_line(before), clean_line(after)


def draft_number(pattern: str, year: int, muni: str, office: str = "") -> str:
    """Format a number pattern with the sequence shown as underscores.

    "{seq:04d}-{year}-GM-{muni}" → "____-2026-GM-MDM". ``{office}`` / ``{oficina}`` take
    the issuing office's code, or underscores when it is not known yet. Other placeholders
    are left as written so that a mistake in a pattern stays visible.
    """
    blank_office = "_" * DEFAULT_SEQ_WIDTH
    values = {"year": year, "muni": muni, "office": office or blank_office,
              "oficina": office or blank_office}
    out = []
    try:
        parsed = list(string.Formatter().parse(pattern or ""))
    except ValueError:
        return pattern or ""
    for literal, name, spec, conversion in parsed:
        out.append(literal)
        if name is None:
            continue
        if name == "seq":
            width = _WIDTH_RE.search(spec or "")
            out.append("_" * (int(width.group(1)) if width else DEFAULT_SEQ_WIDTH))
        elif name in values:
            try:
                out.append(format(values[name], spec or ""))
            except (ValueError, TypeError):
                out.append(str(values[name]))
        else:
            original = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            out.append("{" + original + "}")
    return "".join(out)


def _content_year(content: dict) -> int:
    fields = (content or {}).get("fields") or {}
    date = parse_iso_date(fields.get("fecha"))
    return date.year if date else _dt.date.today().year


def build_meta(settings: dict, template_definition: dict, content: dict,
               number: str | None = None, version_label: str = "", *,
               office_name: str = "", office_code: str = "") -> RenderMeta:
    """Meta from the app settings (Flask-config-like dict), the template and the content.

    The year is that of ``fields.fecha`` when it is a valid ISO date, else the current year;
    its official name comes from ``settings["YEAR_NAMES"]`` (docsys.institution), else
    ``YEAR_NAME``.
    ``office_code`` is the code of the document's office, used in the number when the
    template has no ``issuing_office`` of its own (e.g. "{oficina}" in a Resolución de
    Gerencia); ``office_name`` is shown under the letterhead when given.
    """
    settings = settings or {}
    template_definition = template_definition or {}
    return RenderMeta(
        municipality_name=str(settings.get("MUNICIPALITY_NAME") or ""),
        municipality_code=str(settings.get("MUNICIPALITY_CODE") or ""),
        location=str(settings.get("MUNICIPALITY_LOCATION") or ""),
        year_name=str((settings.get("YEAR_NAMES") or {}).get(_content_year(content))
                      or settings.get("YEAR_NAME") or ""),
        place=str(settings.get("MUNICIPALITY_PLACE") or ""),
        heading_template=str(template_definition.get("heading") or "{numero}"),
        number_pattern=str(template_definition.get("number_pattern") or "{seq:03d}-{year}-{muni}"),
        issuing_office=str(template_definition.get("issuing_office") or office_code or ""),
        year=_content_year(content),
        number=number or None,
        office_name=office_name or "",
        version_label=version_label or "",
        shield_uri=str(settings.get("SHIELD_DATA_URI") or ""),
        letterhead_uri=str(settings.get("LETTERHEAD_DATA_URI") or ""),
    )


# --------------------------------------------------------------------------- blocks

def _lines(text: str) -> tuple[str, ...]:
    """The non-empty lines of a text, each with its whitespace collapsed (as HTML shows it)."""
    lines = (_collapse(line) for line in clean_text(text).split("\n"))
    return tuple(line for line in lines if line)


@dataclass(frozen=True)
class Letterhead:
    """Page furniture: repeated on every page (PDF running header, DOCX section header)."""
    kind: ClassVar[str] = "letterhead"
    municipality: str
    location: str
    year_name: str
    office: str = ""
    version_label: str = ""

    @property
    def year_name_quoted(self) -> str:
        return f"“{self.year_name}”" if self.year_name else ""


@dataclass(frozen=True)
class Heading:
    kind: ClassVar[str] = "heading"
    text: str


@dataclass(frozen=True)
class PlaceDate:
    kind: ClassVar[str] = "place_date"
    text: str


@dataclass(frozen=True)
class SectionTitle:
    kind: ClassVar[str] = "section_title"
    text: str
    section: str = ""


class _ItemLines:
    """How an item's text splits around its label: when there is no heading the first
    line runs on in the label's paragraph; otherwise label and heading stand alone."""

    # Provided as dataclass fields by the subclasses.
    text: str
    heading: str

    @property
    def lines(self) -> tuple[str, ...]:
        return _lines(self.text)

    @property
    def lead_text(self) -> str:
        lines = self.lines
        return lines[0] if lines and not self.heading else ""

    @property
    def following_lines(self) -> tuple[str, ...]:
        lines = self.lines
        return lines if self.heading else lines[1:]


@dataclass(frozen=True)
class Paragraph(_ItemLines):
    """A visto, considerando or free-text paragraph; ``label`` when the section is numbered."""
    kind: ClassVar[str] = "paragraph"
    text: str
    label: str = ""
    heading: str = ""
    section: str = ""
    item_id: str = ""


@dataclass(frozen=True)
class Article(_ItemLines):
    """An operative article: bold label, optional heading, then its text."""
    kind: ClassVar[str] = "article"
    label: str
    text: str
    heading: str = ""
    section: str = ""
    item_id: str = ""


@dataclass(frozen=True)
class Closing:
    kind: ClassVar[str] = "closing"
    text: str


@dataclass(frozen=True)
class Signature:
    kind: ClassVar[str] = "signature"
    name: str
    position: str


Block = Union[Letterhead, Heading, PlaceDate, SectionTitle, Paragraph, Article, Closing, Signature]


def item_label(numbering: str, number: int) -> str:
    """The label of the ``number``-th item of a section numbered in ``numbering`` style."""
    if numbering == "ordinal_upper":
        return f"ARTÍCULO {ordinal_upper(number)}.-"
    if numbering == "arabic":
        return f"Artículo {number}.-"
    if numbering == "ordinal_plain":
        return f"{ordinal_upper(number)}.-"
    if numbering == "ordinal_feminine":
        return f"{ordinal_upper_feminine(number)}.-"
    if numbering == "numeric":
        return f"{number}."
    return ""


def place_of(content: dict, meta: RenderMeta) -> str:
    fields = content.get("fields") or {}
    return clean_line(fields.get("lugar")) or clean_line(meta.place)


def place_date_text(content: dict, meta: RenderMeta, date: str | None = None) -> str:
    """"Camisea, 12 de marzo de 2024": the content's date, or ``date`` (ISO) when given."""
    fields = content.get("fields") or {}
    place = place_of(content, meta)
    text = long_date(date or fields.get("fecha")) or DATE_PLACEHOLDER
    return f"{place}, {text}" if place else text


def layout_blocks(content: dict, meta: RenderMeta) -> list[Block]:
    """The document as an ordered list of blocks (see the module docstring)."""
    content = content or {}
    fields = content.get("fields") or {}
    blocks: list[Block] = [
        Letterhead(municipality=clean_line(meta.municipality_name).upper(),
                   location=clean_line(meta.location), year_name=clean_line(meta.year_name),
                   office=clean_line(meta.office_name),
                   version_label=clean_line(meta.version_label)),
        Heading(meta.heading_text()),
        PlaceDate(place_date_text(content, meta)),
    ]
    for section in content.get("sections") or []:
        key = section.get("key", "")
        kind = section.get("kind", "paragraphs")
        numbering = section.get("numbering") or ("ordinal_upper" if kind == "articles" else "none")
        title = clean_line(section.get("title"))
        if title:
            blocks.append(SectionTitle(title, key))
        for position, item in enumerate(section.get("items") or [], start=1):
            if isinstance(item, str):
                item = {"text": item}
            text = clean_text(item.get("text"))
            heading = clean_line(item.get("heading"))
            item_id = clean_line(item.get("id"))
            if kind == "articles":
                blocks.append(Article(label=item_label(numbering, position), text=text,
                                      heading=heading, section=key, item_id=item_id))
            elif kind == "text":
                if text or heading:
                    blocks.append(Paragraph(text=text, heading=heading, section=key,
                                            item_id=item_id))
            else:
                blocks.append(Paragraph(text=text, label=item_label(numbering, position),
                                        heading=heading, section=key, item_id=item_id))
    closing = clean_line(content.get("closing"))
    if closing:
        blocks.append(Closing(closing))
    blocks.append(Signature(
        name=clean_line(fields.get("firmante_nombre")) or SIGNER_NAME_PLACEHOLDER,
        position=clean_line(fields.get("firmante_cargo")) or SIGNER_POSITION_PLACEHOLDER,
    ))
    return blocks


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def block_lines(block: Block) -> list[str]:
    """The reading lines of one block, as every rendering shows them."""
    if isinstance(block, Letterhead):
        return [line for line in (block.municipality, block.location, block.office,
                                  block.year_name_quoted) if line]
    if isinstance(block, (Paragraph, Article)):
        first = _join(block.label, block.heading, block.lead_text)
        return ([first] if first else []) + list(block.following_lines)
    if isinstance(block, Signature):
        return [block.name, block.position]
    return [block.text] if block.text else []


def layout_text(blocks: Sequence[Block], *, include_letterhead: bool = False) -> str:
    """The plain reading text of the document body, one line per rendered paragraph.

    The letterhead is page furniture (repeated on every page of a PDF, in the header of
    a DOCX), so it is left out unless ``include_letterhead``.
    """
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Letterhead) and not include_letterhead:
            continue
        lines.extend(block_lines(block))
    return "\n".join(lines)


def _spoken(label: str) -> str:
    """"ARTÍCULO PRIMERO.-" → "Artículo Primero"; "Artículo 2.-" → "Artículo 2"."""
    words = label.rstrip(".-: ").split()
    return " ".join(word if word[:1].isdigit() else word.capitalize() for word in words)


_KEY_WORDS = {"preambulo": "Preámbulo", "aprobacion": "Aprobación", "resolucion": "Resolución",
              "disposicion": "Disposición"}


def section_name(section: dict) -> str:
    """A section as the document shows it: its title, or else its key in words
    ("preambulo" → "Preámbulo"), never "sin título"."""
    title = clean_line(section.get("title"))
    if title:
        return title.rstrip(":").strip()
    key = str(section.get("key") or "")
    words = [_KEY_WORDS.get(word, word) for word in key.split("_") if word]
    return " ".join(words).capitalize() if words else "Texto"


def part_names(content: dict) -> dict[str, str]:
    """Item id -> the part as the document names it: "Considerando 3", "Artículo 2",
    "SE RESUELVE: Artículo Primero" (the section title stands before a numbered label,
    an unnumbered item is called by its section's noun and position)."""
    names: dict[str, str] = {}
    for section in (content or {}).get("sections") or []:
        kind = section.get("kind", "paragraphs")
        numbering = section.get("numbering") or ("ordinal_upper" if kind == "articles" else "none")
        title = clean_line(section.get("title"))
        noun = _spoken(title) if title else section_name(section)
        for position, item in enumerate(section.get("items") or [], start=1):
            if not isinstance(item, dict) or not item.get("id"):
                continue
            label = _spoken(item_label(numbering, position))
            if not label or label[:1].isdigit():
                names[item["id"]] = f"{noun} {position}"
            elif title and (len(title) <= 20 or not label.startswith("Artículo")):
                names[item["id"]] = f"{title} {label}"   # "SE RESUELVE: Artículo Primero"
            else:
                names[item["id"]] = label                # "Artículo 2"
    return names
