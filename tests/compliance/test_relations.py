"""Operative clauses that repeal, modify or regulate other norms."""
from __future__ import annotations

import pytest

from docsys.compliance.relations import find_relations


def rel(text):
    return [(r.kind, r.target.canonical_id, r.articles) for r in find_relations(text)]


@pytest.mark.parametrize("text, expected", [
    ("DERÓGUESE la Ordenanza Municipal N° 012-2019-MDM.", [("deroga", "OM-12-2019", ())]),
    ("ARTÍCULO PRIMERO.- DEJAR SIN EFECTO la Resolución de Alcaldía N° 030-2021-A-MDM y todo "
     "acto que se oponga a la presente.", [("deroga", "RA-30-2021", ())]),
    ("Artículo 2.- MODIFÍQUESE el artículo 3 de la Ordenanza Municipal N° 012-2019-MDM, el mismo "
     "que quedará redactado de la siguiente manera:\n“Artículo 3.- …”",
     [("modifica", "OM-12-2019", ("3",))]),
    ("ARTÍCULO TERCERO.- DERÓGUENSE los artículos 5 y 8 de la Ordenanza Municipal N° "
     "012-2019-MDM y la Ordenanza N° 015-2020-MDM.",
     [("deroga", "OM-12-2019", ("5", "8")), ("deroga", "OM-15-2020", ())]),
    ("INCORPÓRESE el artículo 15-A a la Ordenanza Municipal N° 008-2021-MDM.",
     [("modifica", "OM-8-2021", ("15-A",))]),
    ("ARTÍCULO PRIMERO.- APRUÉBESE el Reglamento de la Ordenanza Municipal N° 015-2024-MDM.",
     [("reglamenta", "OM-15-2024", ())]),
    ("Artículo 1.- La presente ordenanza deroga la Ordenanza Municipal N° 007-2016-MDM.",
     [("deroga", "OM-7-2016", ())]),
    ("SEGUNDA.- Derógase el Decreto de Alcaldía N° 003-2020-A-MDM.",
     [("deroga", "DA-3-2020", ())]),
    ("Artículo 1.- MODIFÍQUESE el artículo 12 del Reglamento de Organización y Funciones aprobado "
     "por la Ordenanza Municipal N° 012-2019-MDM:", [("modifica", "OM-12-2019", ("12",))]),
    ("Artículo 5.- INFRACCIONES Y SANCIONES\nIncorpórense en el Cuadro Único de Infracciones y "
     "Sanciones aprobado por la Ordenanza Municipal N° 008-2021-MDM las siguientes infracciones:",
     [("modifica", "OM-8-2021", ())]),
    ("DÉJESE SIN EFECTO, a partir de la fecha, la Resolución de Gerencia Municipal N° "
     "0045-2024-GM-MDM, aprobada por Acuerdo de Concejo N° 012-2024-MDM.",
     [("deroga", "RGM-45-2024", ())]),
])
def test_operative_clauses(text, expected):
    assert rel(text) == expected


@pytest.mark.parametrize("text", [
    "Que, mediante Ordenanza Municipal N° 004-2022-MDM se modificó el artículo 5 de la "
    "Ordenanza Municipal N° 012-2019-MDM;",
    "Que, la Ordenanza N° 5-2015-MDM deroga la Ordenanza N° 3-2014-MDM;",
    "ARTÍCULO PRIMERO.- APROBAR la Ordenanza que modifica la Ordenanza N° 012-2019-MDM.",
    "PRIMERA.- Deróguese toda norma que se oponga a la presente ordenanza.",
    "Que, el Concejo Municipal dispuso\nderogar la Ordenanza N° 3-2014-MDM, conforme",
    "Artículo 2.- La Gerencia podrá derogar la Ordenanza N° 5-2020-MDM.",
    "Artículo 2.- Se dispone la publicación; la Ley N° 27972 modifica el régimen.",
    "",
])
def test_not_operative(text):
    assert rel(text) == []


def test_evidence_is_the_clause_with_its_label():
    (r,) = find_relations("CONSIDERANDO:\nQue, …;\nSE RESUELVE:\nARTÍCULO SEGUNDO.- DERÓGUESE "
                          "la Ordenanza Municipal N° 012-2019-MDM. Otra cosa.")
    assert r.evidence == "ARTÍCULO SEGUNDO.- DERÓGUESE la Ordenanza Municipal N° 012-2019-MDM."
    assert r.whole_norm and r.to_dict()["target_label"] == "Ordenanza Municipal N° 012-2019-MDM"


def test_a_clause_repeated_is_one_relation():
    text = ("Artículo 1.- DERÓGUESE la Ordenanza N° 5-2020-MDM.\n"
            "Artículo 2.- DERÓGUESE la Ordenanza N° 5-2020-MDM.")
    assert rel(text) == [("deroga", "OM-5-2020", ())]


def test_a_reglamento_heading_is_not_the_law_it_regulates():
    text = ("QUINTA. Modificación de los artículos 13 y 30 del Reglamento de la Ley N° 30003, "
            "Ley que regula el Régimen Especial de Seguridad Social\n\nSe modifican los "
            "artículos 13 y 30 del citado Reglamento.")
    assert [m.target.canonical_id for m in find_relations(text)] == []


def test_a_reglamento_approved_by_a_linked_decree_is_that_decree():
    text = ("Artículo 2.- Derógase el Reglamento de la Ley Nº 29033, Ley de Creación del Bono "
            "del Buen Pagador, aprobado por[Decreto Supremo Nº 003-2008-VIVIENDA]"
            "(/spij-ext-web/detallenorma/H672513).")
    assert [(m.kind, m.target.canonical_id) for m in find_relations(text)] == [
        ("deroga", "DS-3-2008-VIVIENDA")]


@pytest.mark.parametrize("text, target, articles", [
    ("Artículo 1.- Incorpora al Código Penal el artículo 279-D", "DLEG-635", ("279-D",)),
    ("Artículo 1.- Incorpórase a la Sección Segunda, Capítulo III del Título XII del Código "
     "Penal el Artículo 296-D, el que queda redactado de la siguiente manera:", "DLEG-635",
     ("296-D",)),
    ("Artículo 2.- Incorpórase a la Ley N° 27444, los artículos 32-A y 32-B, con el texto "
     "siguiente:", "LEY-27444", ("32-A", "32-B")),
    ("Artículo 1.- Incorpórase el artículo 8-A a la Ley N° 27444.", "LEY-27444", ("8-A",)),
])
def test_an_article_incorporated_after_the_norm_is_the_relation_s(text, target, articles):
    """An incorporation names the norm first and the new article after it (Leyes 28824 and
    26332 on the Código Penal)."""
    (mention,) = find_relations(text)
    assert (mention.kind, mention.target.canonical_id, mention.articles) == (
        "modifica", target, articles)
