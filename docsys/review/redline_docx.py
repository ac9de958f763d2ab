"""The redline as a DOCX with real Word tracked changes (revisions).

``render_tracked_docx(redline, title=..., old_version=..., new_version=...,
author=..., date=...)`` writes, with python-docx and its oxml layer, a document whose
changes are *revisions*, not formatting: inserted text is ``w:ins/w:r/w:t``, deleted text
``w:del/w:r/w:delText``, each with a unique ``w:id``, the ``w:author`` and the ``w:date``
given. Word and LibreOffice show them as suggestions to accept or reject one by one or
all at once; "track changes" is left on so that the reviewer's own edits are tracked too.

The document:

1. a cover (not revised): the title, "Comparación de la versión X con la versión Y", who
   and when, the summary of changes and the list of moved articles;
2. the body, one paragraph per reading line of ``redline.version_lines``: fields
   ("Sumilla: ..."), section titles, items (label, heading, text lines as the layout
   renders them) and the closing, with the changes as revisions;
3. a closing note (not revised) on how to accept or reject.

Accepting every revision of the body gives exactly the new version's lines, rejecting
every revision the old version's lines (the tests check both).

Paragraphs. Every body paragraph ends with its own paragraph mark. A paragraph (or line
of an item) that exists only in the new version has its text in ``w:ins`` *and* its mark
inserted (``w:pPr/w:rPr/w:ins``); one that exists only in the old version has its text in
``w:del`` and its mark deleted (``w:pPr/w:rPr/w:del``), which is how Word itself records
a deleted paragraph: accepting removes the paragraph, rejecting restores it. Lines split
or joined inside an item are inserted or deleted paragraph marks too. The closing note
after the body guarantees that the body's last mark is never the document's last one
(which Word does not let anybody delete).

Moves. A moved article is written as a deletion at its old place and an insertion at its
new place (not as ``w:moveFrom``/``w:moveTo``, whose rendering differs between Word and
LibreOffice versions and which python-docx cannot read back); the labels inside them
("ARTÍCULO TERCERO.-" deleted, "ARTÍCULO PRIMERO.-" inserted) and the cover's list of
moves ("ARTÍCULO TERCERO pasó a ser ARTÍCULO PRIMERO") make the move recognisable, without
Word comments. A renumbered article (same place, new label) has only the changed word
of its label revised.
"""
from __future__ import annotations

import datetime as _dt
import io
from dataclasses import dataclass

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.shared import Cm, RGBColor

from docsys.rendering.docx_styles import LANGUAGE, ParagraphStyle, define_paragraph_styles
from docsys.rendering.layout import clean_line
from docsys.rendering.ordinals import long_date
from docsys.review.redline import (DELETE, EQUAL, INSERT, MOVED, DiffOp, ItemChange,
                                   MoveOrigin, Redline, SectionChange, diff_words, nfc,
                                   summary_lines)

DEFAULT_AUTHOR = "docsys"

TITLE_STYLE = "Redline Titulo"
SUBTITLE_STYLE = "Redline Subtitulo"
COVER_STYLE = "Redline Resumen"
FIELD_STYLE = "Redline Dato"
SECTION_STYLE = "Redline Seccion"
ITEM_STYLE = "Redline Parrafo"
ARTICLE_STYLE = "Redline Articulo"
CLOSING_STYLE = "Redline Cierre"
NOTE_STYLE = "Redline Nota"
BODY_STYLES = (FIELD_STYLE, SECTION_STYLE, ITEM_STYLE, ARTICLE_STYLE, CLOSING_STYLE)
"""The styles of the body paragraphs (the compared text); the cover and the final note
use the others."""

_STYLES = {
    TITLE_STYLE: ParagraphStyle(13, True, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 4, True),
    SUBTITLE_STYLE: ParagraphStyle(11, True, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 10, True),
    COVER_STYLE: ParagraphStyle(9.5, False, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 2, False),
    FIELD_STYLE: ParagraphStyle(11, False, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 3, False),
    SECTION_STYLE: ParagraphStyle(11, True, False, WD_ALIGN_PARAGRAPH.LEFT, 12, 5, True),
    ITEM_STYLE: ParagraphStyle(11, False, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 0, 7, False),
    ARTICLE_STYLE: ParagraphStyle(11, False, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 0, 7, False),
    CLOSING_STYLE: ParagraphStyle(11, True, False, WD_ALIGN_PARAGRAPH.LEFT, 14, 0, False),
    NOTE_STYLE: ParagraphStyle(8.5, False, True, WD_ALIGN_PARAGRAPH.LEFT, 18, 0, False),
}

# Elements that follow w:trackRevisions in w:settings (the schema's order).
_AFTER_TRACK_REVISIONS = (
    "w:doNotTrackMoves", "w:doNotTrackFormatting", "w:documentProtection",
    "w:autoFormatOverride", "w:styleLockTheme", "w:styleLockQFSet", "w:defaultTabStop",
    "w:autoHyphenation", "w:consecutiveHyphenLimit", "w:hyphenationZone",
    "w:doNotHyphenateCaps", "w:showEnvelope", "w:summaryLength", "w:clickAndTypeStyle",
    "w:defaultTableStyle", "w:evenAndOddHeaders", "w:bookFoldRevPrinting",
    "w:bookFoldPrinting", "w:bookFoldPrintingSheets", "w:drawingGridHorizontalSpacing",
    "w:drawingGridVerticalSpacing", "w:displayHorizontalDrawingGridEvery",
    "w:displayVerticalDrawingGridEvery", "w:doNotUseMarginsForDrawingGridOrigin",
    "w:drawingGridHorizontalOrigin", "w:drawingGridVerticalOrigin", "w:doNotShadeFormData",
    "w:noPunctuationKerning", "w:characterSpacingControl", "w:printTwoOnOne",
    "w:strictFirstAndLastChars", "w:noLineBreaksAfter", "w:noLineBreaksBefore",
    "w:savePreviewPicture", "w:doNotValidateAgainstSchema", "w:saveInvalidXml",
    "w:ignoreMixedContent", "w:alwaysShowPlaceholderText", "w:doNotDemarcateInvalidXml",
    "w:saveXmlDataOnly", "w:useXSLTWhenSaving", "w:saveThroughXslt", "w:showXMLTags",
    "w:alwaysMergeEmptyNamespace", "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr",
    "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema",
    "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown",
    "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags",
    "w:decimalSymbol", "w:listSeparator",
)


def revision_date(value: _dt.datetime | _dt.date | None = None) -> str:
    """The ``w:date`` of the revisions: ISO 8601 to the second, in UTC ("...Z") for an
    aware datetime or none given (now); a naive datetime is written as given."""
    if value is None:
        value = _dt.datetime.now(_dt.timezone.utc)
    elif not isinstance(value, _dt.datetime):
        value = _dt.datetime(value.year, value.month, value.day)
    value = value.replace(microsecond=0)
    if value.tzinfo is not None:
        return value.astimezone(_dt.timezone.utc).replace(tzinfo=None).isoformat() + "Z"
    return value.isoformat()


# --------------------------------------------------------------------------- body blocks

@dataclass(frozen=True)
class _Block:
    """One unit of the body (a field, a section title, an item, the closing): its old and
    new reading text ("" when absent on that side) and a bold label at its start."""
    style: str
    old: str
    new: str
    old_label: str = ""
    new_label: str = ""

    def ops(self) -> list[DiffOp]:
        if self.old and self.new:
            ops = list(diff_words(self.old, self.new))
            return ops + [DiffOp(EQUAL, "\n")]
        if self.old:
            return [DiffOp(DELETE, self.old + "\n")]
        if self.new:
            return [DiffOp(INSERT, self.new + "\n")]
        return []


def _item_blocks(item: ItemChange | MoveOrigin[ItemChange], section_kind: str,
                 mode: str) -> list[_Block]:
    """``mode``: "both" (a section in place), "old" (the old place of a moved section)
    or "new" (its new place)."""
    if isinstance(item, MoveOrigin):
        change, old_side, new_side = item.change, mode != "new", False
    else:
        change = item
        old_side = mode != "new" and item.status != MOVED   # a move's old side: its origin
        new_side = mode != "old"
    old = "\n".join(change.old_display) if old_side else ""
    new = "\n".join(change.new_display) if new_side else ""
    if not old and not new:
        return []
    style = ARTICLE_STYLE if section_kind == "articles" else ITEM_STYLE
    return [_Block(style, old, new, change.old_label if old else "",
                   change.new_label if new else "")]


def _section_blocks(section: SectionChange, mode: str) -> list[_Block]:
    old_title = section.old_title if mode != "new" else ""
    new_title = section.new_title if mode != "old" else ""
    blocks = []
    if old_title or new_title:
        blocks.append(_Block(SECTION_STYLE, old_title, new_title))
    kind = section.new_kind or section.old_kind
    for entry in section.entries:
        if mode == "new" and isinstance(entry, MoveOrigin):
            continue
        blocks.extend(_item_blocks(entry, kind, mode))
    return blocks


def body_blocks(redline: Redline) -> list[_Block]:
    blocks = [_Block(FIELD_STYLE, f.old_line, f.new_line,
                     f"{f.label}:" if f.old else "", f"{f.label}:" if f.new else "")
              for f in redline.fields if f.old or f.new]
    for entry in redline.entries:
        if isinstance(entry, MoveOrigin):
            blocks.extend(_section_blocks(entry.change, "old"))
        elif entry.status == MOVED:
            blocks.extend(_section_blocks(entry, "new"))
        else:
            blocks.extend(_section_blocks(entry, "both"))
    closing = redline.closing
    if closing.old or closing.new:
        blocks.append(_Block(CLOSING_STYLE, closing.old, closing.new))
    return blocks


def _label_pieces(block: _Block) -> list[tuple[str, str, bool]]:
    """The block's ops cut at the end of its label: (tag, text, bold) pieces."""
    pieces = []
    old_pos = new_pos = 0
    old_end, new_end = len(block.old_label), len(block.new_label)
    for tag, text in block.ops():
        pos, end = (new_pos, new_end) if tag == INSERT else (old_pos, old_end)
        cut = min(max(end - pos, 0), len(text))
        if cut:
            pieces.append((tag, text[:cut], True))
        if text[cut:]:
            pieces.append((tag, text[cut:], False))
        if tag != INSERT:
            old_pos += len(text)
        if tag != DELETE:
            new_pos += len(text)
    return pieces


# --------------------------------------------------------------------------- writer

class _RevisionWriter:
    """Appends paragraphs whose runs and marks are revisions, numbering them."""

    def __init__(self, document, author: str, date: str):
        self.document = document
        self.author = author
        self.date = date
        self.next_id = 1
        self.paragraph: CT_P | None = None
        # Style ids looked up once: add_paragraph(style=name) scans every style each time.
        self.style_ids = {name: document.styles[name].style_id for name in BODY_STYLES}

    def _new_paragraph(self, style: str) -> CT_P:
        paragraph = self.document.add_paragraph()._p
        paragraph.style = self.style_ids[style]
        return paragraph

    def _revision(self, tag: str):
        element = OxmlElement("w:ins" if tag == INSERT else "w:del")
        element.set(qn("w:id"), str(self.next_id))
        element.set(qn("w:author"), self.author)
        element.set(qn("w:date"), self.date)
        self.next_id += 1
        return element

    @staticmethod
    def _run(text: str, deleted: bool, bold: bool):
        run = OxmlElement("w:r")
        if bold:
            rpr = OxmlElement("w:rPr")
            rpr.append(OxmlElement("w:b"))
            run.append(rpr)
        t = OxmlElement("w:delText" if deleted else "w:t")
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = text
        run.append(t)
        return run

    def text(self, style: str, tag: str, text: str, bold: bool) -> None:
        if self.paragraph is None:
            self.paragraph = self._new_paragraph(style)
        run = self._run(text, tag == DELETE, bold)
        if tag == EQUAL:
            self.paragraph.append(run)
        else:
            revision = self._revision(tag)
            revision.append(run)
            self.paragraph.append(revision)

    def end_paragraph(self, style: str, tag: str) -> None:
        """Close the paragraph; its mark is inserted or deleted unless ``tag`` is equal."""
        if self.paragraph is None:
            self.paragraph = self._new_paragraph(style)
        if tag != EQUAL:
            ppr = self.paragraph.get_or_add_pPr()
            rpr = OxmlElement("w:rPr")
            rpr.append(self._revision(tag))
            ppr.insert_element_before(rpr, "w:sectPr", "w:pPrChange")
        self.paragraph = None

    def block(self, block: _Block) -> None:
        for tag, text, bold in _label_pieces(block):
            lines = text.split("\n")
            for index, line in enumerate(lines):
                if index:
                    self.end_paragraph(block.style, tag)
                if line:
                    self.text(block.style, tag, line, bold)


# --------------------------------------------------------------------------- document

def _define_styles(document) -> None:
    define_paragraph_styles(document, _STYLES)
    document.styles[COVER_STYLE].font.color.rgb = RGBColor(0x33, 0x33, 0x33)
    document.styles[NOTE_STYLE].font.color.rgb = RGBColor(0x55, 0x55, 0x55)


def _track_revisions(document) -> None:
    settings = document.settings.element
    if settings.find(qn("w:trackRevisions")) is None:
        settings.insert_element_before(OxmlElement("w:trackRevisions"), *_AFTER_TRACK_REVISIONS)


def _cover(document, redline: Redline, *, title: str, heading: str, old_version: str,
           new_version: str, author: str, when: _dt.datetime | _dt.date | None) -> None:
    if heading:
        document.add_paragraph(heading, style=SUBTITLE_STYLE)
    document.add_paragraph(title, style=TITLE_STYLE)
    document.add_paragraph(f"Comparación de la versión {old_version} con la versión "
                           f"{new_version}", style=SUBTITLE_STYLE)
    stamp = f"Cambios marcados como revisiones de «{author}»"
    if when is not None:
        stamp += f", {long_date(when)}"
    document.add_paragraph(stamp + ".", style=COVER_STYLE)
    for line in summary_lines(redline.summary):
        document.add_paragraph(line, style=COVER_STYLE)
    moves = [entry.move_description for entry in redline.sections if entry.status == MOVED]
    moves += [item.move_description for item in redline.moves()]
    if moves:
        document.add_paragraph("Movidos (figuran eliminados en su lugar anterior e "
                               "insertados en el nuevo):", style=COVER_STYLE)
        for move in moves:
            document.add_paragraph(f"– {move}.", style=COVER_STYLE)


def render_tracked_docx(redline: Redline, *, title: str, old_version: int | str,
                        new_version: int | str, author: str = DEFAULT_AUTHOR,
                        date: _dt.datetime | _dt.date | None = None,
                        heading: str = "") -> bytes:
    """The comparison as DOCX bytes with Word tracked changes (see the module docstring).

    ``title``: the document's title (its sumilla); ``heading``: optionally its official
    heading ("RESOLUCIÓN DE GERENCIA MUNICIPAL N° ..."); ``old_version``/``new_version``:
    the version numbers compared; ``author`` and ``date``: the ``w:author`` and ``w:date``
    of every revision (``date`` defaults to now, UTC).
    """
    author = clean_line(nfc(author)) or DEFAULT_AUTHOR
    title = clean_line(nfc(title)) or "Comparación de versiones"
    heading = clean_line(nfc(heading))
    old_version, new_version = clean_line(str(old_version)), clean_line(str(new_version))

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin, section.right_margin = Cm(3.0), Cm(2.5)
    _define_styles(document)
    _track_revisions(document)
    props = document.core_properties
    props.title = title
    props.subject = f"Comparación de la versión {old_version} con la versión {new_version}"
    props.author = author
    props.language = LANGUAGE
    props.comments = "Generado por docsys: cambios como revisiones de Word."

    _cover(document, redline, title=title, heading=heading, old_version=old_version,
           new_version=new_version, author=author, when=date)
    writer = _RevisionWriter(document, author, revision_date(date))
    for block in body_blocks(redline):
        writer.block(block)
    document.add_paragraph(
        f"Las inserciones y eliminaciones son revisiones de Word (Revisar › Aceptar o "
        f"Rechazar). Aceptarlas todas da el texto de la versión {new_version}; "
        f"rechazarlas todas, el de la versión {old_version}. Los artículos movidos figuran "
        f"como eliminados en su lugar anterior e insertados en el nuevo.", style=NOTE_STYLE)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
