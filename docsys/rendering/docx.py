"""DOCX rendering with python-docx, from the same layout blocks as the HTML and PDF.

The document uses named Word styles (so an editor can restyle it in Word or
LibreOffice): "Docsys Titulo", "Docsys Fecha", "Docsys Seccion", "Docsys Parrafo",
"Docsys Articulo", "Docsys Cierre", "Docsys Firma", "Docsys Cargo", the letterhead
styles "Docsys Membrete", "Docsys Membrete Detalle", "Docsys Lema", the footer style
"Docsys Pie" and the character style "Docsys Etiqueta" for article labels. The page is
A4, the letterhead sits in the section header and the footer says "Página X de Y" with
real PAGE and NUMPAGES fields.
"""
from __future__ import annotations

import base64
import datetime as _dt
import io

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from docsys.rendering.docx_styles import LANGUAGE, ParagraphStyle, define_paragraph_styles
from docsys.rendering.html import document_title
from docsys.rendering.layout import (Article, Closing, Heading, Letterhead, Paragraph,
                                     PlaceDate, RenderMeta, SectionTitle, Signature,
                                     layout_blocks)

PAGE_WIDTH = Cm(21.0)
PAGE_HEIGHT = Cm(29.7)
MARGIN_TOP = Cm(4.1)
MARGIN_BOTTOM = Cm(2.4)
MARGIN_LEFT = Cm(3.0)
MARGIN_RIGHT = Cm(2.5)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

LABEL_STYLE = "Docsys Etiqueta"

_PARAGRAPH_STYLES = {
    "Docsys Membrete": ParagraphStyle(12.5, True, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 0, False),
    "Docsys Membrete Detalle": ParagraphStyle(9, False, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 0,
                                              False),
    "Docsys Lema": ParagraphStyle(9, False, True, WD_ALIGN_PARAGRAPH.CENTER, 2, 0, False),
    "Docsys Titulo": ParagraphStyle(12, True, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 12, True, 0),
    "Docsys Fecha": ParagraphStyle(11, False, False, WD_ALIGN_PARAGRAPH.RIGHT, 0, 16, True),
    "Docsys Seccion": ParagraphStyle(11, True, False, WD_ALIGN_PARAGRAPH.LEFT, 12, 5, True, 1),
    "Docsys Parrafo": ParagraphStyle(11, False, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 0, 7, False),
    "Docsys Articulo": ParagraphStyle(11, False, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 0, 7, False),
    "Docsys Cierre": ParagraphStyle(11, True, False, WD_ALIGN_PARAGRAPH.LEFT, 14, 0, True),
    "Docsys Firma": ParagraphStyle(11, True, False, WD_ALIGN_PARAGRAPH.CENTER, 68, 0, True),
    "Docsys Cargo": ParagraphStyle(10.5, False, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 0, False),
    "Docsys Pie": ParagraphStyle(8.5, False, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0, False),
}


# Elements that must follow w:pBdr in w:pPr (the schema's order, which Word enforces).
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
               "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
               "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
               "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
               "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
               "w:rPr", "w:sectPr", "w:pPrChange")


def _border(ppr, side: str, size_eighths: int = 5, space: int = 2) -> None:
    """A single line on one side of a paragraph (pBdr); ``size_eighths`` in 1/8 pt."""
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.insert_element_before(borders, *_AFTER_PBDR)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), "000000")
    borders.append(line)


def _define_styles(document) -> None:
    define_paragraph_styles(document, _PARAGRAPH_STYLES)
    styles = document.styles
    styles["Docsys Lema"].paragraph_format.space_after = Pt(2)
    _border(styles["Docsys Lema"].element.get_or_add_pPr(), "bottom", size_eighths=5, space=4)
    firma = styles["Docsys Firma"]
    firma.paragraph_format.left_indent = Cm(3.6)
    firma.paragraph_format.right_indent = Cm(3.6)
    firma.paragraph_format.keep_together = True
    _border(firma.element.get_or_add_pPr(), "top", size_eighths=5, space=3)
    styles["Docsys Cargo"].paragraph_format.left_indent = Cm(3.6)
    styles["Docsys Cargo"].paragraph_format.right_indent = Cm(3.6)
    styles["Docsys Pie"].font.color.rgb = RGBColor(0x33, 0x33, 0x33)
    styles["Docsys Pie"].paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    styles["Docsys Membrete Detalle"].next_paragraph_style = styles["Docsys Membrete Detalle"]
    styles["Docsys Seccion"].next_paragraph_style = styles["Docsys Parrafo"]
    styles["Docsys Titulo"].next_paragraph_style = styles["Docsys Fecha"]

    label = styles.add_style(LABEL_STYLE, WD_STYLE_TYPE.CHARACTER)
    label.base_style = styles["Default Paragraph Font"]
    label.quick_style = True
    label.font.bold = True


def _field(paragraph, instruction: str, cached: str) -> None:
    """A complex field (fldChar begin / instrText / separate / result / end)."""
    def run_with(child):
        run = paragraph.add_run()
        run._r.append(child)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(cached)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _image_bytes(data_uri: str) -> bytes | None:
    """The bytes of a ``data:image/...;base64,`` URI (the letterhead images)."""
    head, _, payload = data_uri.partition(",")
    if not head.startswith("data:image/") or not head.endswith(";base64"):
        return None
    return base64.b64decode(payload)


def _add_letterhead_images(header, meta: RenderMeta) -> None:
    """The shield and the letterhead logo, on one centred line above the letterhead text."""
    images = [data for data in (_image_bytes(meta.shield_uri), _image_bytes(meta.letterhead_uri))
              if data]
    if not images:
        return
    paragraph = header.paragraphs[0].insert_paragraph_before()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for position, data in enumerate(images):
        run = paragraph.add_run("    " if position else "")
        run.add_picture(io.BytesIO(data), height=Cm(1.6))


def _setup_page(document, letterhead: Letterhead | None) -> None:
    section = document.sections[0]
    section.page_width = PAGE_WIDTH
    section.page_height = PAGE_HEIGHT
    section.top_margin = MARGIN_TOP
    section.bottom_margin = MARGIN_BOTTOM
    section.left_margin = MARGIN_LEFT
    section.right_margin = MARGIN_RIGHT
    section.header_distance = Cm(1.2)
    section.footer_distance = Cm(1.0)

    header = section.header
    header.is_linked_to_previous = False
    lines = []
    if letterhead is not None:
        lines.append(("Docsys Membrete", letterhead.municipality))
        if letterhead.location:
            lines.append(("Docsys Membrete Detalle", letterhead.location))
        if letterhead.office:
            lines.append(("Docsys Membrete Detalle", letterhead.office))
        if letterhead.year_name:
            lines.append(("Docsys Lema", letterhead.year_name_quoted))
    first = header.paragraphs[0]
    for position, (style, text) in enumerate(lines):
        paragraph = first if position == 0 else header.add_paragraph()
        paragraph.style = document.styles[style]
        paragraph.add_run(text)

    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = document.styles["Docsys Pie"]
    if letterhead is not None and letterhead.version_label:
        version = paragraph.add_run(letterhead.version_label)
        version.font.color.rgb = RGBColor(0x8A, 0x1C, 0x1C)
    paragraph.add_run("\tPágina ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" de ")
    _field(paragraph, "NUMPAGES", "1")


class _Writer:
    """Adds styled paragraphs to the body. Styles are set by id on the XML element:
    python-docx's lookup by name scans every style on each call, which dominated the
    rendering time of long documents."""

    def __init__(self, document):
        self.document = document
        self.ids = {style.name: style.style_id for style in document.styles}

    def paragraph(self, style_name: str, text: str = ""):
        paragraph = self.document.add_paragraph()
        paragraph._p.style = self.ids[style_name]
        if text:
            paragraph.add_run(text)
        return paragraph

    def label(self, paragraph, text: str) -> None:
        run = paragraph.add_run(text)
        run._r.style = self.ids[LABEL_STYLE]

    def item(self, block: Paragraph | Article, style_name: str) -> None:
        lead_label = " ".join(part for part in (block.label, block.heading) if part)
        if lead_label or block.lead_text:
            paragraph = self.paragraph(style_name)
            if lead_label:
                self.label(paragraph, lead_label)
            if block.lead_text:
                paragraph.add_run((" " if lead_label else "") + block.lead_text)
            if block.heading:
                paragraph.paragraph_format.keep_with_next = True
        for line in block.following_lines:
            self.paragraph(style_name, line)


def render_docx(content: dict, meta: RenderMeta) -> bytes:
    """The document as DOCX bytes."""
    blocks = layout_blocks(content, meta)
    document = Document()
    _define_styles(document)
    letterhead = next((b for b in blocks if isinstance(b, Letterhead)), None)
    _setup_page(document, letterhead)
    _add_letterhead_images(document.sections[0].header, meta)

    writer = _Writer(document)
    for block in blocks:
        if isinstance(block, Heading):
            writer.paragraph("Docsys Titulo", block.text)
        elif isinstance(block, PlaceDate):
            writer.paragraph("Docsys Fecha", block.text)
        elif isinstance(block, SectionTitle):
            writer.paragraph("Docsys Seccion", block.text)
        elif isinstance(block, Article):
            writer.item(block, "Docsys Articulo")
        elif isinstance(block, Paragraph):
            writer.item(block, "Docsys Parrafo")
        elif isinstance(block, Closing):
            writer.paragraph("Docsys Cierre", block.text)
        elif isinstance(block, Signature):
            writer.paragraph("Docsys Firma", block.name)
            writer.paragraph("Docsys Cargo", block.position)

    now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    props = document.core_properties
    props.title = document_title(content, meta)[:255]
    props.subject = meta.heading_text()[:255]
    props.author = meta.municipality_name[:255]
    props.last_modified_by = meta.municipality_name[:255]
    props.language = LANGUAGE
    props.keywords = str((content or {}).get("doc_type") or "")[:255]
    props.comments = meta.version_label[:255]
    props.category = "Documento municipal"
    props.revision = 1
    props.created = now
    props.modified = now

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
