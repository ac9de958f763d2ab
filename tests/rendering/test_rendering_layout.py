"""The one layout every rendering draws from."""
from __future__ import annotations

import datetime as dt

import pytest

from docsys.rendering import RenderMeta, build_meta, layout_blocks, layout_text
from docsys.rendering.layout import (Article, Closing, Heading, Letterhead, Paragraph, PlaceDate,
                                     SectionTitle, Signature, draft_number, item_label)
from tests.rendering.support import RGM_TEMPLATE, SETTINGS, meta_for, resolution_content


def test_build_meta_reads_settings_template_and_content(settings):
    content = resolution_content()
    meta = build_meta(settings, RGM_TEMPLATE, content, version_label="Versión 3 — borrador",
                      office_name="Gerencia Municipal")
    assert isinstance(meta, RenderMeta)
    assert meta.municipality_name == "Municipalidad Distrital de Megantoni"
    assert meta.municipality_code == "MDM"
    assert meta.location == "Provincia de La Convención - Región Cusco"
    assert meta.year_name == SETTINGS["YEAR_NAME"]
    assert meta.place == "Camisea"
    assert meta.heading_template == RGM_TEMPLATE["heading"]
    assert meta.number_pattern == RGM_TEMPLATE["number_pattern"]
    assert meta.issuing_office == "GM"
    assert meta.office_name == "Gerencia Municipal"
    assert meta.version_label == "Versión 3 — borrador"
    assert meta.year == 2024
    assert meta.number is None and meta.is_draft


@pytest.mark.parametrize("fecha", ["", "no es fecha", "2024-13-01"])
def test_year_is_the_current_one_without_a_valid_date(settings, fecha):
    meta = build_meta(settings, RGM_TEMPLATE, resolution_content(fecha=fecha))
    assert meta.year == dt.date.today().year


def test_draft_heading_shows_the_sequence_as_underscores(settings):
    meta = build_meta(settings, RGM_TEMPLATE, resolution_content(fecha=""))
    year = dt.date.today().year
    assert meta.heading_text() == f"RESOLUCIÓN DE GERENCIA MUNICIPAL N° ____-{year}-GM-MDM"


def test_issued_heading_shows_the_official_number(settings):
    meta = build_meta(settings, RGM_TEMPLATE, resolution_content(), number="0045-2024-GM-MDM")
    assert not meta.is_draft
    assert meta.heading_text() == "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0045-2024-GM-MDM"
    blocks = layout_blocks(resolution_content(), meta)
    assert blocks[1] == Heading("RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0045-2024-GM-MDM")


@pytest.mark.parametrize("pattern, expected", [
    ("{seq:04d}-{year}-GM-{muni}", "____-2026-GM-MDM"),
    ("{seq:03d}-{year}-A-{muni}", "___-2026-A-MDM"),
    ("{seq:03d}-{year}-{muni}", "___-2026-MDM"),
    ("{seq}-{year}-{office}-{muni}", "____-2026-GM-MDM"),
    ("{seq:03d}-{muni}", "___-MDM"),
    ("{seq:03d}-{year}-{oficina}-{muni}", "___-2026-GM-MDM"),
    ("{seq:03d}-{year}-{desconocido}", "___-2026-{desconocido}"),
    ("{seq:03d}-{year", "{seq:03d}-{year"),
])
def test_draft_number(pattern, expected):
    assert draft_number(pattern, 2026, "MDM", "GM") == expected


def test_office_code_fills_the_number_when_the_template_has_no_issuing_office(settings):
    template = {"heading": "RESOLUCIÓN DE GERENCIA N° {numero}", "issuing_office": "",
                "number_pattern": "{seq:03d}-{year}-{oficina}-{muni}"}
    content = resolution_content()
    unknown = build_meta(settings, template, content)
    assert unknown.heading_text() == "RESOLUCIÓN DE GERENCIA N° ___-2024-____-MDM"
    known = build_meta(settings, template, content, office_code="GDUR")
    assert known.heading_text() == "RESOLUCIÓN DE GERENCIA N° ___-2024-GDUR-MDM"
    own = build_meta(settings, RGM_TEMPLATE, content, office_code="GDUR")
    assert own.issuing_office == "GM", "the template's own issuing office wins"


def test_block_order_and_kinds(settings):
    content = resolution_content(considerandos=2, articles=2)
    meta = build_meta(settings, RGM_TEMPLATE, content, version_label="Versión 1 — borrador")
    blocks = layout_blocks(content, meta)
    kinds = [type(b) for b in blocks]
    assert kinds == [Letterhead, Heading, PlaceDate,
                     SectionTitle, Paragraph,
                     SectionTitle, Paragraph, Paragraph,
                     SectionTitle, Article, Article,
                     Closing, Signature]
    assert blocks[0] == Letterhead(municipality="MUNICIPALIDAD DISTRITAL DE MEGANTONI",
                                   location="Provincia de La Convención - Región Cusco",
                                   year_name=SETTINGS["YEAR_NAME"], office="",
                                   version_label="Versión 1 — borrador")
    assert blocks[0].year_name_quoted == f"“{SETTINGS['YEAR_NAME']}”"
    assert blocks[2] == PlaceDate("Camisea, 12 de marzo de 2024")
    assert [b.text for b in blocks if isinstance(b, SectionTitle)] == [
        "VISTO:", "CONSIDERANDO:", "SE RESUELVE:"]
    assert blocks[-2] == Closing("REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE.")
    assert blocks[-1] == Signature("Abog. Jorge Mendoza Salas", "Gerente Municipal")
    assert blocks[6].item_id == "c0" and blocks[6].section == "considerando"


def test_place_and_date_line_without_date_or_place(settings):
    content = resolution_content(fecha="", extra_fields={"lugar": ""})
    blocks = layout_blocks(content, build_meta(settings, RGM_TEMPLATE, content))
    assert blocks[2] == PlaceDate("Camisea, [fecha de emisión]")
    settings["MUNICIPALITY_PLACE"] = "Kepashiato"
    blocks = layout_blocks(content, build_meta(settings, RGM_TEMPLATE, content))
    assert blocks[2] == PlaceDate("Kepashiato, [fecha de emisión]")
    content["fields"]["lugar"] = "Kiteni"
    content["fields"]["fecha"] = "2025-09-01"
    blocks = layout_blocks(content, build_meta(settings, RGM_TEMPLATE, content))
    assert blocks[2] == PlaceDate("Kiteni, 1 de setiembre de 2025")


@pytest.mark.parametrize("numbering, labels", [
    ("ordinal_upper", ["ARTÍCULO PRIMERO.-", "ARTÍCULO SEGUNDO.-", "ARTÍCULO TERCERO.-"]),
    ("arabic", ["Artículo 1.-", "Artículo 2.-", "Artículo 3.-"]),
    ("ordinal_plain", ["PRIMERO.-", "SEGUNDO.-", "TERCERO.-"]),
    ("numeric", ["1.", "2.", "3."]),
    ("none", ["", "", ""]),
])
def test_article_labels_for_each_numbering_style(numbering, labels):
    content = resolution_content(considerandos=1, articles=3, numbering=numbering)
    blocks = layout_blocks(content, meta_for(content))
    articles = [b for b in blocks if isinstance(b, Article)]
    assert [a.label for a in articles] == labels
    assert [a.text for a in articles] == [s["text"] for s in content["sections"][2]["items"]]
    text = layout_text(blocks)
    for label, article in zip(labels, articles):
        assert f"{label} {article.text}".strip() in text.splitlines()


def test_eleventh_and_twenty_first_articles():
    content = resolution_content(considerandos=1, articles=21)
    articles = [b for b in layout_blocks(content, meta_for(content)) if isinstance(b, Article)]
    assert articles[10].label == "ARTÍCULO DÉCIMO PRIMERO.-"
    assert articles[20].label == "ARTÍCULO VIGÉSIMO PRIMERO.-"


def test_item_label_function():
    assert item_label("ordinal_upper", 7) == "ARTÍCULO SÉPTIMO.-"
    assert item_label("arabic", 12) == "Artículo 12.-"
    assert item_label("ordinal_plain", 10) == "DÉCIMO.-"
    assert item_label("numeric", 4) == "4."
    assert item_label("none", 4) == ""


def test_numbered_paragraphs_and_item_headings_and_text_sections():
    content = {
        "doc_type": "OM",
        "fields": {"sumilla": "Ordenanza de prueba", "fecha": "2024-06-01"},
        "sections": [
            {"key": "base_legal", "title": "III. BASE LEGAL", "kind": "paragraphs",
             "numbering": "numeric", "items": [{"text": "Ley N° 27972."}, {"text": "Ley N° 27444."}]},
            {"key": "objetivo", "title": "I. OBJETIVO", "kind": "text",
             "items": [{"text": "Regular el uso.\n\nSegundo párrafo   con  espacios."}, {"text": ""}]},
            {"key": "articulado", "title": "", "kind": "articles", "numbering": "arabic",
             "items": [{"heading": "OBJETO", "text": "La presente ordenanza regula.\nY precisa."},
                       {"text": "Sin título.\nCon segunda línea."}, {"text": ""}]},
        ],
        "closing": "REGÍSTRESE, PUBLÍQUESE Y CÚMPLASE.",
    }
    blocks = layout_blocks(content, meta_for(content))
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    assert [(p.label, p.text) for p in paragraphs[:2]] == [("1.", "Ley N° 27972."),
                                                           ("2.", "Ley N° 27444.")]
    assert paragraphs[2].label == "" and paragraphs[2].lines == (
        "Regular el uso.", "Segundo párrafo con espacios.")
    assert len(paragraphs) == 3, "an empty free-text item is dropped"
    articles = [b for b in blocks if isinstance(b, Article)]
    assert articles[0].heading == "OBJETO"
    assert articles[0].lead_text == "" and articles[0].following_lines == (
        "La presente ordenanza regula.", "Y precisa.")
    assert articles[1].lead_text == "Sin título."
    assert articles[1].following_lines == ("Con segunda línea.",)
    assert articles[2].label == "Artículo 3.-"
    assert not any(isinstance(b, SectionTitle) and not b.text for b in blocks)
    assert layout_text(blocks).splitlines() == [
        "RESOLUCIÓN DE GERENCIA MUNICIPAL N° ____-2024-GM-MDM",
        "Camisea, 1 de junio de 2024",
        "III. BASE LEGAL", "1. Ley N° 27972.", "2. Ley N° 27444.",
        "I. OBJETIVO", "Regular el uso.", "Segundo párrafo con espacios.",
        "Artículo 1.- OBJETO", "La presente ordenanza regula.", "Y precisa.",
        "Artículo 2.- Sin título.", "Con segunda línea.",
        "Artículo 3.-",
        "REGÍSTRESE, PUBLÍQUESE Y CÚMPLASE.",
        "[nombre del firmante]", "[cargo del firmante]",
    ]


def test_layout_text_leaves_out_the_letterhead_unless_asked():
    content = resolution_content(considerandos=1, articles=1)
    blocks = layout_blocks(content, meta_for(content, version_label="Versión 2 — borrador"))
    assert "MEGANTONI" not in layout_text(blocks)
    with_letterhead = layout_text(blocks, include_letterhead=True).splitlines()
    assert with_letterhead[:3] == ["MUNICIPALIDAD DISTRITAL DE MEGANTONI",
                                   "Provincia de La Convención - Región Cusco",
                                   f"“{SETTINGS['YEAR_NAME']}”"]


def test_control_characters_are_removed_and_user_text_is_kept_verbatim():
    content = resolution_content(considerandos=1, articles=1)
    content["sections"][1]["items"][0]["text"] = "Que,\x0b el\x07 texto\ttiene <b>marcas</b> & más\u00a0N°\x00 5;"
    blocks = layout_blocks(content, meta_for(content))
    para = [b for b in blocks if isinstance(b, Paragraph) and b.section == "considerando"][0]
    assert para.lines == ("Que, el texto tiene <b>marcas</b> & más\u00a0N° 5;",)


def test_layout_does_not_mutate_content():
    import copy
    content = resolution_content()
    before = copy.deepcopy(content)
    layout_blocks(content, meta_for(content))
    assert content == before
