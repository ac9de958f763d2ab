"""Spanish ordinal words (article numbering) and long dates."""
from __future__ import annotations

import datetime as dt

import pytest

from docsys.rendering.ordinals import MAX_ORDINAL, long_date, ordinal_upper, parse_iso_date


@pytest.mark.parametrize("number, word", [
    (1, "PRIMERO"), (2, "SEGUNDO"), (3, "TERCERO"), (4, "CUARTO"), (5, "QUINTO"),
    (6, "SEXTO"), (7, "SÉPTIMO"), (8, "OCTAVO"), (9, "NOVENO"), (10, "DÉCIMO"),
    (11, "DÉCIMO PRIMERO"), (12, "DÉCIMO SEGUNDO"), (13, "DÉCIMO TERCERO"),
    (17, "DÉCIMO SÉPTIMO"), (19, "DÉCIMO NOVENO"), (20, "VIGÉSIMO"), (21, "VIGÉSIMO PRIMERO"),
    (29, "VIGÉSIMO NOVENO"), (30, "TRIGÉSIMO"), (34, "TRIGÉSIMO CUARTO"), (40, "CUADRAGÉSIMO"),
    (45, "CUADRAGÉSIMO QUINTO"), (50, "QUINCUAGÉSIMO"), (58, "QUINCUAGÉSIMO OCTAVO"),
    (60, "SEXAGÉSIMO"), (67, "SEXAGÉSIMO SÉPTIMO"), (70, "SEPTUAGÉSIMO"), (80, "OCTOGÉSIMO"),
    (83, "OCTOGÉSIMO TERCERO"), (90, "NONAGÉSIMO"), (99, "NONAGÉSIMO NOVENO"),
    (100, "CENTÉSIMO"), (101, "CENTÉSIMO PRIMERO"), (110, "CENTÉSIMO DÉCIMO"),
    (111, "CENTÉSIMO DÉCIMO PRIMERO"), (120, "CENTÉSIMO VIGÉSIMO"),
    (145, "CENTÉSIMO CUADRAGÉSIMO QUINTO"), (199, "CENTÉSIMO NONAGÉSIMO NOVENO"),
    (200, "DUCENTÉSIMO"), (250, "DUCENTÉSIMO QUINCUAGÉSIMO"), (300, "TRICENTÉSIMO"),
    (999, "NONINGENTÉSIMO NONAGÉSIMO NOVENO"),
])
def test_ordinal_words(number, word):
    assert ordinal_upper(number) == word


def test_ordinals_are_distinct_upper_case_words_up_to_199():
    words = [ordinal_upper(n) for n in range(1, 200)]
    assert len(set(words)) == 199
    for word in words:
        assert word == word.upper()
        assert "  " not in word and word == word.strip()


@pytest.mark.parametrize("bad", [0, -1, MAX_ORDINAL + 1])
def test_ordinal_out_of_range(bad):
    with pytest.raises(ValueError):
        ordinal_upper(bad)


@pytest.mark.parametrize("bad", ["1", 1.0, None, True])
def test_ordinal_needs_an_int(bad):
    with pytest.raises(TypeError):
        ordinal_upper(bad)


@pytest.mark.parametrize("value, text", [
    ("2024-03-12", "12 de marzo de 2024"),
    ("2024-01-01", "1 de enero de 2024"),
    ("2025-09-30", "30 de setiembre de 2025"),
    ("2026-12-31", "31 de diciembre de 2026"),
    (dt.date(2024, 2, 29), "29 de febrero de 2024"),
    (dt.datetime(2024, 7, 28, 10, 30), "28 de julio de 2024"),
    (" 2024-05-01 ", "1 de mayo de 2024"),
])
def test_long_date(value, text):
    assert long_date(value) == text


@pytest.mark.parametrize("value", ["", None, "   ", "2024-02-30", "12/03/2024", "hoy", 20240312])
def test_long_date_of_a_non_date_is_empty(value):
    assert long_date(value) == ""
    assert parse_iso_date(value) is None


def test_every_month_has_its_name():
    names = [long_date(f"2024-{m:02d}-15").split(" de ")[1] for m in range(1, 13)]
    assert names == ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                     "setiembre", "octubre", "noviembre", "diciembre"]
