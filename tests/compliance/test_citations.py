"""Citation extraction: the gold set, canonical ids and labels, archive keys, bad input."""
from __future__ import annotations

import pytest

from docsys.compliance.citations import (archive_key_for, canonical_id_for, canonical_label_for,
                                         extract_citations, parse_norm_reference)
from tests.compliance.gold import citation_key, load_gold, score

GOLD = load_gold()


@pytest.mark.parametrize("sentence", GOLD, ids=[g.text[:50] for g in GOLD])
def test_gold_sentence(sentence):
    assert [citation_key(c) for c in extract_citations(sentence.text)] == list(sentence.cites)


def test_gold_set_size_and_scores():
    assert len(GOLD) >= 130 and sum(len(g.cites) for g in GOLD) >= 140
    assert sum(1 for g in GOLD if not g.cites) >= 10          # negatives too
    strict = score(GOLD, extract_citations)
    assert strict.precision >= 0.97 and strict.recall >= 0.97, strict.errors


def test_spans_point_at_the_text():
    text = "Que, según la R.A. No. 145-2023-A-MDM y el D.S. N° 004-2019-JUS;"
    for c in extract_citations(text):
        assert text[c.start:c.end] == c.text
    assert [c.text for c in extract_citations(text)] == ["R.A. No. 145-2023-A-MDM",
                                                         "D.S. N° 004-2019-JUS"]


@pytest.mark.parametrize("args, expected", [
    (("OM", "012", 2019, "MDM"), "OM-12-2019"),
    (("RG", "021", 2024, "GDUR-MDM"), "RG-21-2024-GDUR"),
    (("DIR", "2", 2024, "GM-MDM"), "DIR-2-2024-GM"),
    (("OM", "10", 2018, "MPLC"), "OM-10-2018-MPLC"),
    (("DS", "004", 2019, "JUS"), "DS-4-2019-JUS"),
    (("LEY", "27.972", None, None), "LEY-27972"),
    (("TUO", "27444", None, "LEY"), "TUO-LEY-27444"),
    (("CONST", "", None, None), "CONST"),
])
def test_canonical_ids(args, expected):
    assert canonical_id_for(*args) == expected


def test_labels_pad_numbers_back():
    assert canonical_label_for("OM", "12", 2019, "MDM") == "Ordenanza Municipal N° 012-2019-MDM"
    assert canonical_label_for("RGM", "45", 2024, "GM-MDM") == \
        "Resolución de Gerencia Municipal N° 0045-2024-GM-MDM"
    assert canonical_label_for("TUO", "27444", None, "LEY") == \
        "Texto Único Ordenado de la Ley N° 27444"


def test_archive_keys_are_the_documents_number_keys():
    from search.numbers import number_key

    for doc_type, number in [("RGM", "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0045-2024-GM-MDM"),
                             ("RG", "RESOLUCIÓN DE GERENCIA N° 021-2024-GDUR-MDM"),
                             ("LEY", "LEY N° 27972"), ("DS", "DECRETO SUPREMO N° 004-2019-JUS"),
                             ("DIR", "DIRECTIVA N° 002-2024-GM-MDM")]:
        assert parse_norm_reference(number, doc_type).archive_key == number_key(doc_type, number)
    # the Constitution is filed under its type's code; a TUO under none (found by its decree)
    assert archive_key_for("CONST", "") == "CONST" and archive_key_for("TUO", "27444") is None


def test_own_number_field_with_a_default_type():
    assert parse_norm_reference("0045-2024-GM-MDM", "RGM").canonical_id == "RGM-45-2024"
    assert parse_norm_reference("sin número", "RGM") is None
    assert parse_norm_reference("", "RGM") is None


def test_locality():
    local, foreign, national = extract_citations(
        "la Ordenanza N° 012-2019-MDM, la Ordenanza N° 10-2018-MPLC y la Ley N° 27972")
    assert local.is_local and not foreign.is_local and not national.is_local


@pytest.mark.parametrize("junk", ["", "\x00\x01\x02", "N° N° N°", "Ley N°", "ley " * 5000,
                                  "artículos " + ", ".join(map(str, range(1, 3000))),
                                  "Ordenanzas N° " + " y ".join(["1-2019-MDM"] * 2000)])
def test_odd_input_never_fails(junk):
    for c in extract_citations(junk):
        assert junk[c.start:c.end] == c.text


def test_long_ranges_are_kept_as_a_range():
    (c,) = extract_citations("los artículos 3 al 60 de la Ley N° 27444")
    assert c.articles == ("3..60",)


@pytest.mark.parametrize("text, expected", [
    # OCR'd degree signs (development slice: LEY-28245, DLEG-821, DU-025-2020)
    ("Modifícase el artículo 4% de la Ley N* 26410, Ley del", ["LEY-26410"]),
    ("Reglamento del Decreto Legislativo N”775, las cuales", ["DLEG-775"]),
    ("modificado por D.S. N* 10-95-EF,", ["DS-10-1995-EF"]),
    ("del Decreto Legislativo N? 1440, Decreto Legislativo del", ["DLEG-1440"]),
    # a sector after a space (DS-006-2007-DE-EP, Resolución Jefatural ... INEI)
    ("D.S. Nº 021-2006 DE/EP del 14 de septiembre del 2006.", ["DS-21-2006-DE"]),
    ("Tercera Disposición Complementaria de DS Nº 085-2003 PCM\n", ["DS-85-2003-PCM"]),
    ("Resolución Jefatural Nº 256-2009 INEI.", ["RJ-256-2009-INEI"]),
])
def test_ocr_markers_and_sectors_after_a_space(text, expected):
    assert [c.canonical_id for c in extract_citations(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("según el Anexo N* 2 y el Cuadro N” 3 del informe", []),   # no type before the marker
    ("la Ley N* y su reglamento", []),                          # a marker without a number
    ("For Oficio N*1522--91--TC/15.02, el Ministerio", []),     # not a norm
    # capitals after the number are a heading's words, not a sector
    ("DECRETO SUPREMO Nº 004-2019 QUE APRUEBA EL REGLAMENTO", ["DS-4-2019"]),
    ("APROBADO POR DECRETO SUPREMO Nº 004-2019 DE LA PRESIDENCIA", ["DS-4-2019"]),
    ("el Decreto Supremo Nº 004-2019 del 14 de marzo", ["DS-4-2019"]),
    ("DECRETO SUPREMO Nº 004-2019 EN.", ["DS-4-2019"]),
])
def test_no_citation_or_sector_from_ordinary_text(text, expected):
    assert [c.canonical_id for c in extract_citations(text)] == expected


@pytest.mark.parametrize("text, expected", [
    # a law cited by its name, then its number (RM-614-2007-MINSA.md, LEY-27853-2002.md, ...)
    ("Modifícase el artículo 22 de la Ley General de Salud Nº 26842, en los términos:",
     [("LEY-26842", "Ley General de Salud Nº 26842", ("22",))]),
    ("conforme a la Ley Orgánica de Elecciones, Nº 26859 y la Ley de Partidos Políticos, Nº "
     "28094;", [("LEY-26859", "Ley Orgánica de Elecciones, Nº 26859", ()),
                ("LEY-28094", "Ley de Partidos Políticos, Nº 28094", ())]),
    ("los límites de la Ley de creación Nº 23760, del 31 de diciembre de 1983",
     [("LEY-23760", "Ley de creación Nº 23760", ())]),
    # never across another norm's head, a document, a conjunction, or without a marker
    ("la Ley de Extranjería aprobada por Decreto Legislativo Nº 703",
     [("DLEG-703", "Decreto Legislativo Nº 703", ())]),
    ("la Ley y el Reglamento N° 5 del sector", []),
    ("la Ley de Promoción del Sector Agrario y Nº 877", []),
    ("la Ley de Presupuesto del Sector Público para el Año Fiscal 2025, Ley N° 32185",
     [("LEY-32185", "Ley N° 32185", ())]),
])
def test_a_law_cited_by_its_name_and_then_its_number(text, expected):
    assert [(c.canonical_id, c.text, c.articles) for c in extract_citations(text)] == expected


@pytest.mark.parametrize("text, articles", [
    # a list of locators, each with its own parent (DLEG-1561's clause on Ley 27444)
    ("Modificar los artículos 36, 36-A, los numerales 37.3 y 37.4 del artículo 37, los "
     "numerales 38.3 y 38.8 del artículo 38 y el numeral 44.7 del artículo 44 de la Ley N° "
     "27444", ("36", "36-A", "37.3", "37.4", "38.3", "38.8", "44.7")),
    ("Modificar el artículo 5, el numeral 7.2 del artículo 7 y el artículo 9 de la Ley N° 27444",
     ("5", "7.2", "9")),
    ("Modificar los artículos 5 y 6, y el numeral 7.2 del artículo 7 de la Ley N° 27444",
     ("5", "6", "7.2")),
    # a part numbered by an ordinal (Ley 27809 on the Código Civil)
    ("Modifícanse los artículos 95, 330, 846 y 852 y el inciso octavo del artículo 2030 del "
     "Código Civil", ("95", "330", "846", "852", "2030.8")),
    # as before: a child after its article, a chain of parents, two lists joined by "y"
    ("conforme al artículo 20, numeral 6 de la Ley N° 27972", ("20.6",)),
    ("el literal a) del numeral 6 del artículo 20 de la Ley N° 27972", ("20.6.a",)),
    ("el artículo 20, numeral 6 y el artículo 42 de la Ley N° 27972", ("20.6", "42")),
])
def test_every_locator_of_a_list_is_read(text, articles):
    (citation,) = [c for c in extract_citations(text) if c.articles]
    assert citation.articles == articles
