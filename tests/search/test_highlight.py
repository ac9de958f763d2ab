"""Highlighting: locating query words in bodies by accent-folded substring search, with the
regex fallback for text whose folding changes length."""
from __future__ import annotations

from search import Visibility
from search.analysis import find_word_starts, fold_in_place
from search.embedded import EmbeddedBackend
from tests.search.conftest import make_doc

ALL = Visibility.everything()


def test_fold_in_place_keeps_positions():
    text = "RESOLUCIÓN Nº 12: Ñandú, pingüino, Camisea — “Año”"
    folded = fold_in_place(text)
    assert folded == "resolucion nº 12: nandu, pinguino, camisea — “ano”"
    assert len(folded) == len(text)


def test_fold_in_place_gives_up_when_lower_case_is_longer():
    assert fold_in_place("İstanbul") is None


def test_word_starts_only():
    folded = "licencia, licencias; sublicencia y licenciado"
    assert find_word_starts(folded, "licenci", 10) == [0, 10, 35]
    assert find_word_starts(folded, "licenci", 2) == [0, 10]


def test_marks_agree_with_the_stemmer_on_accented_text():
    backend = EmbeddedBackend(None)
    backend.index([make_doc(1, "RA", "Licencias y LICENCIA de funcionamiento",
                            "Otórgase la licencia; las licencias vencidas y la licenciatura "
                            "no están comprendidas. Resolución de Alcaldía.")])
    hit = backend.search("licencia resolucion", visibility=ALL).hits[0]
    assert hit.title_html == ("<mark>Licencias</mark> y <mark>LICENCIA</mark> de "
                              "funcionamiento")
    snippet = hit.snippets[0]
    assert "la <mark>licencia</mark>;" in snippet and "<mark>licencias</mark> vencidas" in snippet
    assert "<mark>Resolución</mark>" in snippet
    # "licenciatura" starts like the word but has another stem: not marked
    assert "licenciatura" in snippet and "<mark>licenciatura</mark>" not in snippet


def test_text_whose_folding_changes_length_is_still_highlighted():
    backend = EmbeddedBackend(None)
    backend.index([make_doc(1, "RA", "Convenio con İzmir sobre la licencia",
                            "Según el convenio firmado en İzmir, la licencia se renueva.")])
    hit = backend.search("licencia", visibility=ALL).hits[0]
    assert "<mark>licencia</mark>" in hit.title_html
    assert "la <mark>licencia</mark> se renueva" in hit.snippets[0]


def test_passages_deep_in_long_bodies_are_marked_where_they_are():
    body = ("VISTO: el expediente. " + "Que, el texto de relleno continúa. " * 30
            + "Se otorga la licencia de edificación al solicitante. "
            + "Que, otro párrafo sin relación alguna. " * 80
            + "Finalmente, la autorización sanitaria queda vigente.")
    backend = EmbeddedBackend(None)
    backend.index([make_doc(1, "RG", "Resolución de prueba", body)])
    near = backend.search("licencia edificación", visibility=ALL).hits[0].snippets[0]
    assert "la <mark>licencia</mark> de <mark>edificación</mark> al" in near
    far = backend.search("autorización sanitaria", visibility=ALL).hits[0].snippets[0]
    assert "la <mark>autorización</mark> <mark>sanitaria</mark> queda" in far
    assert far.startswith("…")


def test_a_passage_that_begins_on_a_word_boundary():
    # The passage starts 60 characters before the match, here exactly at a word.
    lead = "desarrollo " * 5 + "obra "
    assert len(lead) == 60
    body = "Que, el texto continúa. " * 5 + lead + "licencia de edificación otorgada."
    backend = EmbeddedBackend(None)
    backend.index([make_doc(1, "RG", "Resolución de prueba", body)])
    snippet = backend.search("licencia", visibility=ALL).hits[0].snippets[0]
    assert snippet.startswith("…desarrollo desarrollo")
    assert "obra <mark>licencia</mark> de edificación" in snippet
