"""Named Word paragraph styles, set up the same way for every DOCX docsys writes (the
document itself, the redline with tracked changes): Arial, Spanish (Peru), on top of a
"Normal" style of 11 pt with 1.15 line spacing.
"""
from __future__ import annotations

from typing import NamedTuple

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

FONT = "Arial"
LANGUAGE = "es-PE"

# Elements that must follow w:lang in w:rPr (the schema's order, which Word enforces).
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


class ParagraphStyle(NamedTuple):
    size: float                 # points
    bold: bool
    italic: bool
    alignment: int              # WD_ALIGN_PARAGRAPH
    space_before: float         # points
    space_after: float          # points
    keep_with_next: bool
    outline_level: int | None = None


def set_run_fonts(rpr, font: str) -> None:
    """One font for every script, instead of the theme's."""
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), font)
    for theme_attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme_attribute), None)


def set_language(rpr, language: str) -> None:
    """The proofing language (Word's Spanish spelling and hyphenation)."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, *_AFTER_LANG)
    lang.set(qn("w:val"), language)


def define_paragraph_styles(document, styles: dict[str, ParagraphStyle], *, font: str = FONT,
                            language: str = LANGUAGE) -> None:
    """Set up "Normal" and add ``styles`` based on it, each a quick style with widow
    control; the callers adjust borders, indents and colours afterwards."""
    normal = document.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(11)
    set_run_fonts(normal.element.get_or_add_rPr(), font)
    set_language(normal.element.get_or_add_rPr(), language)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.15
    for name, spec in styles.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        style.font.size = Pt(spec.size)
        style.font.bold = spec.bold
        style.font.italic = spec.italic
        fmt = style.paragraph_format
        fmt.alignment = spec.alignment
        fmt.space_before = Pt(spec.space_before)
        fmt.space_after = Pt(spec.space_after)
        fmt.keep_with_next = spec.keep_with_next
        fmt.widow_control = True
        if spec.outline_level is not None:
            style.element.get_or_add_pPr().get_or_add_outlineLvl().set(
                qn("w:val"), str(spec.outline_level))
