"""Norm numbers as keys: a document's own number, citations in text, typed queries."""
from __future__ import annotations

import pytest

from search import SearchDoc
from search.numbers import (extract_number_keys, find_number_in_query, key_sector, key_year,
                            normalize_type, number_key, number_keys, yearless_key)


@pytest.mark.parametrize("doc_type, number, year, key", [
    ("OM", "ORDENANZA MUNICIPAL N° 012-2019-MDM", None, "OM-12-2019"),
    ("RGM", "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0045-2024-GM-MDM", None, "RGM-45-2024"),
    ("RA", "RESOLUCIÓN DE ALCALDÍA N° 145-2024-A-MDM", None, "RA-145-2024"),
    ("DA", "DECRETO DE ALCALDÍA N° 003-2024-A-MDM", None, "DA-3-2024"),
    ("AC", "ACUERDO DE CONCEJO N° 034-2024-MDM", None, "AC-34-2024"),
    ("RG", "RESOLUCIÓN DE GERENCIA N° 021-2024-GDUR-MDM", None, "RG-21-2024"),
    ("DIR", "DIRECTIVA N° 002-2024-GM-MDM", None, "DIR-2-2024"),
    ("LEY", "Ley N° 27972", None, "LEY-27972"),
    ("DS", "Decreto Supremo N° 004-2019-JUS", None, "DS-4-2019"),
    ("DLEG", "Decreto Legislativo N° 1440", None, "DLEG-1440"),
    ("RA", "0347-2025-MPT-GM", None, "RA-347-2025"),              # number alone
    ("RA", "N° 008-2025-A/MPCH", None, "RA-8-2025"),
    ("RGM", "N° 646-MSB", 2023, "RGM-646-2023"),                  # year from the document
    ("Resolución de Alcaldía", "N.° 12-2020", None, "RA-12-2020"),  # type by name
    ("RA", "", 2024, ""),                                         # drafts have none
])
def test_number_key(doc_type, number, year, key):
    assert number_key(doc_type, number, year) == key


@pytest.mark.parametrize("value, code", [
    ("Ordenanza Municipal", "OM"), ("ordenanza", "OM"), ("om", "OM"), ("RGM", "RGM"),
    ("resolución de gerencia municipal", "RGM"), ("Resolución de Gerencia", "RG"),
    ("decreto de alcaldía", "DA"), ("D.S.", "DS"), ("decreto legislativo", "DLEG"),
    ("Ley", "LEY"), ("tuo", "TUO"),
])
def test_normalize_type(value, code):
    assert normalize_type(value) == code


def test_citations_in_text():
    text = ("Que, el artículo 194 de la Constitución Política del Perú; la Ley N° 27972, Ley "
            "Orgánica de Municipalidades; el TUO de la Ley Nº 27444, aprobado por Decreto "
            "Supremo N° 004-2019-JUS; el numeral 6 del artículo 20 de la Ley No. 27972; la "
            "Ordenanza Municipal N° 012-2019-MDM; la RESOLUCIÓN DE ALCALDÍA N° 145-2023-A-MDM; "
            "el Decreto Legislativo N° 1440 - Ley N° 30225; la Resolución de Gerencia de "
            "Desarrollo Urbano y Rural N° 021-2024-GDUR-MDM; Resolución de Gerencia Municipal "
            "Nro. 0045-2024-GM-MDM; Decreto de Alcaldía Núm. 3-2020; la ordenanza 2019.")
    assert extract_number_keys(text) == {
        "LEY-27972", "LEY-27444", "DS-4-2019", "DS-4-2019-JUS", "OM-12-2019", "RA-145-2023",
        "DLEG-1440", "LEY-30225", "RG-21-2024", "RGM-45-2024", "DA-3-2020",
    }


def test_citations_of_norms_numbered_per_sector_name_their_sector():
    """The plain key finds every norm citing the number; the sector key tells which of
    its namesakes is cited (search.fitting counts those)."""
    text = ("Decreto Supremo N° 003-2009-EF; Resolución Ministerial Nº 110-2023/MINSA; "
            "Decreto Supremo N° 026-99-AG; Decreto de Urgencia N° 011-2023")
    assert extract_number_keys(text) == {
        "DS-3-2009", "DS-3-2009-EF", "RM-110-2023", "RM-110-2023-MINSA", "DS-26-1999",
        "DS-26-1999-AG", "DU-11-2023"}


def test_a_decree_repeating_its_heading_does_not_cite_itself():
    doc = SearchDoc(id="doc-1", document_id=1, version_number=1, doc_type="DS",
                    number="Decreto Supremo N° 003-2009-EF", title="Reglamento",
                    body="DECRETO SUPREMO N° 003-2009-EF ... el Decreto Supremo N° "
                         "003-2009-PRODUCE").normalized()
    assert doc.cited_keys() == ["DS-3-2009-PRODUCE"]  # its namesake, by its sector


def test_document_does_not_cite_itself():
    doc = SearchDoc(id="doc-1", document_id=1, version_number=1, doc_type="OM",
                    number="ORDENANZA MUNICIPAL N° 012-2019-MDM",
                    title="Ordenanza", body="ORDENANZA MUNICIPAL N° 012-2019-MDM ... la Ley "
                                            "N° 27972").normalized()
    assert doc.number_key == "OM-12-2019"
    assert doc.cited_keys() == ["LEY-27972"]


def test_registry_lookups_do_not_hash_the_registry(monkeypatch):
    """A type is found by code or rank without hashing the registry (every field of every
    type): ``get`` runs for every number key, 100,000 times in a reindex of the archive."""
    from search.registry import Registry, registry

    reg = registry()
    hashed = []
    original = Registry.__hash__
    monkeypatch.setattr(Registry, "__hash__", lambda self: hashed.append(1) or original(self))
    assert reg.get("ds").name == "Decreto Supremo" and reg["LEY"].code == "LEY"
    assert reg.by_rank("decreto_supremo").code == "DS"
    assert reg.get("no-such-type") is None
    assert hashed == []


@pytest.mark.parametrize("query, key, sector_key", [
    # the type joined by a hyphen, as the open data's identifiers and file names write it
    ("DS-004-2019-JUS", "DS-4-2019", "DS-4-2019-JUS"),
    ("RM-1110-2023-MINSA", "RM-1110-2023", "RM-1110-2023-MINSA"),
    ("Ley-27972", "LEY-27972", ""),
    # "D.Ley" is a Decreto Ley, not a Ley
    ("D.Ley 25844", "DLEY-25844", ""),
    ("D. Ley N° 25844", "DLEY-25844", ""),
    # the year parted by a space, and "N" without its degree sign
    ("DS 4 2019", "DS-4-2019", ""),
    ("ordenanza 12 2019", "OM-12-2019", ""),
    ("D.S. N 004-2019-JUS", "DS-4-2019", "DS-4-2019-JUS"),
    ("Ley N 27972", "LEY-27972", ""),
])
def test_lawyers_spellings_of_a_number(query, key, sector_key):
    from search.numbers import find_number_in_query
    mention = find_number_in_query(query)
    assert mention is not None and (mention.key, mention.sector_key) == (key, sector_key)


def test_a_space_parts_a_typed_number_from_a_four_digit_year_only():
    from search.numbers import find_number_in_query
    assert find_number_in_query("DS 4 99") is None
    assert find_number_in_query("decreto supremo 2019") is None
    # in running text a number followed by a year is not read as number and year
    assert extract_number_keys("la Ordenanza Municipal N° 12 2019 y la Ley N 27972") == {
        "LEY-27972"}


def test_an_abbreviation_two_types_share_is_read_as_both():
    """"D.L." is what lawyers write for a Decreto Legislativo (D.L. 1440) and for a
    Decreto Ley (D.L. 25844): the number fits either."""
    from search.numbers import find_number_in_query
    mention = find_number_in_query("D.L. 25844")
    assert (mention.key, mention.other_keys) == ("DLEG-25844", ("DLEY-25844",))
    assert find_number_in_query("D.Leg. 1440").other_keys == ()
    assert find_number_in_query("D.Ley 25844").other_keys == ()


def test_ocr_degree_signs_before_the_digits_only():
    """OCR'd gazette pages of the development slice print "N°" as "N*", "N?" or "N”"."""
    assert extract_number_keys("Modifícase el artículo 4% de la Ley N* 26410, Ley del") == {
        "LEY-26410"}
    assert extract_number_keys("el Decreto Legislativo N”775, las cuales") == {"DLEG-775"}
    # no number right after the sign, or no type before it: nothing
    assert extract_number_keys("¿Qué dice la Ley N? Nada; el Anexo N* 2 tampoco.") == set()
    assert find_number_in_query("ley n?") is None


def test_a_key_s_year_sector_and_yearless_form_are_read_from_the_key_alone():
    """The pieces the index and the notices take from a norm's keys: its year, its key
    without the year (a number typed without one) and the sector its sector key adds."""
    plain, with_sector = number_keys("DS", "Decreto Supremo N° 004-2019-JUS", 2019)
    assert (plain, with_sector) == ("DS-4-2019", "DS-4-2019-JUS")
    assert key_sector(plain, with_sector) == "JUS"
    assert key_sector(plain, plain) is None
    assert key_sector("DS-4-2019", "DS-4-2019") is None
    assert key_sector("DS-4-2019", "DS-41-2019-JUS") is None  # another number's key
    assert (key_year("RM-148-2026"), yearless_key("RM-148-2026")) == ("2026", "RM-148")
    assert key_year("LEY-27972") is None and yearless_key("LEY-27972") is None
    assert yearless_key(with_sector) is None
