"""The query parser: syntax, filters, known items, and every kind of bad input."""
from __future__ import annotations

import random
from datetime import date

import pytest

from search.query import (
    MAX_CLAUSES, MAX_QUERY_CHARS, KnownItem, Phrase, QueryTree, Term, parse_query,
)


def test_words_are_all_required():
    t = parse_query("licencia funcionamiento Kiteni")
    assert t.terms == ["licencia", "funcionamiento", "Kiteni"]
    assert t.has_text and not t.has_filters and t.warnings == []


def test_stop_words_are_dropped_from_required_words():
    assert parse_query("la licencia de funcionamiento").terms == ["licencia", "funcionamiento"]


def test_only_stop_words_warns():
    t = parse_query("de la")
    assert not t.has_text
    assert t.warnings == ["Se ignoraron palabras muy comunes («de», «la»); escriba palabras "
                          "con contenido para buscar."]


def test_phrases_keep_their_words():
    t = parse_query('"dejar sin efecto" licencia')
    assert t.phrases == ["dejar sin efecto"] and t.terms == ["licencia"]


def test_curly_quotes_are_quotes():
    assert parse_query("“recurso de apelación”").phrases == ["recurso de apelación"]


def test_word_with_punctuation_is_a_phrase():
    assert parse_query("012-2019").phrases == ["012 2019"]


def test_exclusions():
    t = parse_query('licencia -edificación -"sin efecto" NOT Kiteni')
    assert t.terms == ["licencia"]
    assert t.exclude == [Term("edificación"), Phrase("sin efecto"), Term("Kiteni")]


def test_or_groups_neighbours():
    t = parse_query("licencia edificación OR funcionamiento OR apertura Kiteni")
    assert t.terms == ["licencia", "Kiteni"]
    assert t.any_of == [(Term("edificación"), Term("funcionamiento"), Term("apertura"))]


def test_or_with_phrase():
    t = parse_query('"licencia de edificación" OR "licencia de funcionamiento"')
    assert t.any_of == [(Phrase("licencia de edificación"), Phrase("licencia de funcionamiento"))]


def test_and_is_the_default_and_ignored():
    assert parse_query("licencia AND edificación").terms == ["licencia", "edificación"]


def test_filters():
    t = parse_query('tipo:ordenanza tipo:RA año:2018-2020 oficina:gm estado:Vigentes '
                    'firmante:"Juan Pérez" desde:2019 hasta:2020-06')
    assert t.doc_types == ["OM", "RA"]
    assert t.years == [2018, 2019, 2020]
    assert t.offices == ["GM"]
    assert t.statuses == ["vigente"]
    assert t.signers == ["Juan Pérez"]
    assert (t.date_from, t.date_to) == (date(2019, 1, 1), date(2020, 6, 30))
    assert t.has_filters and not t.has_text


@pytest.mark.parametrize("text, codes", [
    ("tipo:OM,RA", ["OM", "RA"]), ("TIPO:rgm", ["RGM"]), ('tipo:"decreto de alcaldía"', ["DA"]),
    ("tipo:directiva", ["DIR"]), ("tipo:ley", ["LEY"]), ('tipo:"decreto supremo"', ["DS"]),
    ("tipo:acuerdo", ["AC"]), ('tipo:"resolución de gerencia"', ["RG"]), ("tipo:TUO", ["TUO"]),
])
def test_type_filter_aliases(text, codes):
    assert parse_query(text).doc_types == codes


@pytest.mark.parametrize("text", ["año:2019", "anio:2019", "AÑO:2019", "ano:2019"])
def test_year_field_spellings(text):
    assert parse_query(text).years == [2019]


@pytest.mark.parametrize("text, expected", [
    ("desde:2024-03-05", date(2024, 3, 5)), ("desde:05/03/2024", date(2024, 3, 5)),
    ("desde:2024-03", date(2024, 3, 1)), ("desde:2024", date(2024, 1, 1)),
])
def test_date_formats(text, expected):
    assert parse_query(text).date_from == expected


def test_dates_the_wrong_way_round_are_swapped():
    t = parse_query("desde:2024 hasta:2020")
    assert (t.date_from, t.date_to) == (date(2020, 1, 1), date(2024, 12, 31))
    assert t.warnings


# -- known items ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, key", [
    ("ordenanza 12-2019", "OM-12-2019"),
    ("ordenanza municipal n° 012-2019-mdm", "OM-12-2019"),
    ("Ordenanza Municipal Nº 012-2019-MDM", "OM-12-2019"),
    ("RGM 45-2024", "RGM-45-2024"),
    ("rgm n° 0045-2024-gm-mdm", "RGM-45-2024"),
    ("Ley 27972", "LEY-27972"),
    ("ley n° 27972", "LEY-27972"),
    ("Ley N.° 27.972", "LEY-27972"),
    ("D.S. N° 004-2019-JUS", "DS-4-2019"),
    ("decreto supremo 004-2019-jus", "DS-4-2019"),
    ("decreto legislativo 1440", "DLEG-1440"),
    ("RA 145-2023", "RA-145-2023"),
    ("resolución de alcaldía n° 145-2023-a-mdm", "RA-145-2023"),
    ("decreto de alcaldía 3-2020", "DA-3-2020"),
    ("acuerdo de concejo 34-2024", "AC-34-2024"),
    ("directiva 2-2024", "DIR-2-2024"),
    ("resolución de gerencia de desarrollo urbano n° 21-2024", "RG-21-2024"),
    ("número:12-2019 tipo:OM", "OM-12-2019"),
])
def test_known_item_numbers(text, key):
    assert parse_query(text).number_key == key


def test_known_item_words_leave_the_text():
    t = parse_query("licencia ordenanza 12-2019")
    assert t.terms == ["licencia"]
    assert t.numbers == [KnownItem("OM-12-2019", "ordenanza 12-2019", ("ordenanza", "12", "2019"))]


def test_known_items_in_or():
    t = parse_query("Ley 27972 OR Ley 27444")
    assert [a.key for a in t.any_of[0]] == ["LEY-27972", "LEY-27444"]
    assert t.number_key == "LEY-27972"


@pytest.mark.parametrize("text", ["ordenanzas 2019", "ordenanza 2024", '"ordenanza 12-2019"',
                                  "-ordenanza 12-2019", "licencia 2019"])
def test_not_a_known_item(text):
    assert parse_query(text).number_key is None


@pytest.mark.parametrize("text, key", [("ordenanza 12", "OM-12"), ("RM 148", "RM-148"),
                                       ("Resolución Ministerial Nro. 148", "RM-148"),
                                       ("D.S. N° 004", "DS-4")])
def test_a_yearly_number_typed_without_its_year_is_every_year_s(text, key):
    """"RM 148" asks for the RM 148 of every year (the index keys each yearly number
    without its year too); a number that reads as a year ("ordenanza 2024") does not."""
    assert parse_query(text).number_key == key


def test_number_filter_without_type_is_explained():
    t = parse_query("número:12-2019")
    assert t.number_key is None and "indique el tipo" in t.warnings[0]


# -- bad input ------------------------------------------------------------------------------

def test_unbalanced_quote_closes_at_the_end():
    t = parse_query('licencia "dejar sin efecto')
    assert t.phrases == ["dejar sin efecto"] and t.terms == ["licencia"]
    assert t.warnings == ["Se cerró una comilla sin pareja."]


def test_unbalanced_quote_in_filter_value():
    t = parse_query('firmante:"Juan Pérez')
    assert t.signers == ["Juan Pérez"] and "comilla" in t.warnings[0]


@pytest.mark.parametrize("text", ["OR", "OR licencia", "licencia OR", "licencia OR OR Kiteni",
                                  "licencia OR -Kiteni"])
def test_lone_or_is_dropped(text):
    t = parse_query(text)
    assert t.any_of == [] and any("OR" in w for w in t.warnings)


@pytest.mark.parametrize("text", ["-", "licencia -", "- licencia", "+", "NOT", "licencia NOT"])
def test_lone_minus_and_not_are_dropped(text):
    t = parse_query(text)
    assert t.exclude == [] and t.warnings


def test_unknown_field_is_read_as_words():
    t = parse_query("autor:perez licencia")
    assert t.terms == ["autor", "perez", "licencia"]
    assert "«autor:» no es un filtro conocido" in t.warnings[0]


def test_times_and_urls_are_words_without_a_field_warning():
    t = parse_query("10:30")
    assert t.phrases == ["10 30"] and t.warnings == []


@pytest.mark.parametrize("text, fragment", [
    ("estado:raro", "Estado desconocido"), ("año:abc", "no es un año válido"),
    ("desde:2024-13-01", "no es una fecha válida"), ("hasta:ayer", "no es una fecha válida"),
    ("tipo:", "no tiene valor"), ("-tipo:OM", "No se puede excluir un filtro"),
])
def test_bad_filter_values_are_ignored_with_a_warning(text, fragment):
    t = parse_query(text)
    assert not t.has_filters and any(fragment in w for w in t.warnings)


def test_very_long_query_is_truncated():
    t = parse_query("licencia " * 2000)
    assert len(t.text) <= MAX_QUERY_CHARS
    assert t.terms == ["licencia"]
    assert "demasiado larga" in t.warnings[0]


def test_ten_thousand_characters_without_spaces():
    t = parse_query("x" * 10_000)
    assert len(t.text) == MAX_QUERY_CHARS and not t.has_text
    assert any("40 caracteres" in w for w in t.warnings)


def test_too_many_words_are_capped():
    t = parse_query(" ".join(f"palabra{i}" for i in range(100)))
    assert len(t.terms) == MAX_CLAUSES and any("primeros" in w for w in t.warnings)


def test_parentheses_are_explained():
    t = parse_query("(licencia OR permiso) Kiteni")
    assert t.any_of == [(Term("licencia"), Term("permiso"))] and t.terms == ["Kiteni"]
    assert "paréntesis" in t.warnings[0]


@pytest.mark.parametrize("value", [None, "", "   ", 12345, '""', "\x00\x07", "🙂"])
def test_odd_values(value):
    t = parse_query(value)
    assert isinstance(t, QueryTree)


def test_random_garbage_never_raises():
    rng = random.Random(7)
    alphabet = 'ab ñá"-():ORNOT,.°º/\\\t\n*?~^!+|&“”«»tipo:año:desde:' + "\x00"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        tree = parse_query(text)
        assert isinstance(tree.warnings, list)
