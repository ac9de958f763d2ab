"""Norms named by their title only (docsys.compliance.titles), and the relation finder
resolving such a clause's object through the archive's titles."""
from __future__ import annotations

from docsys.compliance.citations import parse_norm_reference
from docsys.compliance.relations import find_relations
from docsys.compliance.titles import TitleIndex
from search.folding import fold


def norm(title, number, kind, date=None):
    return (title, parse_norm_reference(number, kind), date)


ARCHIVE = [
    norm("Ley Orgánica del Registro Nacional de Identificación y Estado Civil", "26497", "LEY",
         "1995-07-12"),
    norm("Código de Procedimientos Penales", "9024", "LEY", "1940-03-23"),
    norm("Código de los Niños y Adolescentes", "27337", "LEY", "2000-08-07"),
    norm("Ley Orgánica del Poder Judicial", "767", "DLEG", "1991-12-04"),
    norm("Ley N° 32213", "32213", "LEY", "2024-12-27"),                      # a number
    norm("Aprueban el Reglamento de la Ley General de Pesca", "012-2001-PE", "DS"),  # a summary
    norm("Ley de Reforma Magisterial", "29944", "LEY", "2012-11-25"),
    norm("Ley de Reforma Magisterial", "30000", "LEY", "2013-05-01"),        # two of that name
]


def relations(text, index, date=None):
    return [(m.kind, m.target.canonical_id, m.articles)
            for m in find_relations(text, titles=index.until(date))]


def test_only_names_held_by_one_norm_are_kept():
    index = TitleIndex(ARCHIVE)
    assert len(index) == 4
    text = "Modifícase el artículo 68 de la Ley de Reforma Magisterial, en los términos:"
    assert index.find(text, fold(text), 0, len(text)) is None
    text = "la Ley N° 32213 y el Reglamento de la Ley General de Pesca"
    assert index.find(text, fold(text), 0, len(text)) is None


def test_a_clause_naming_its_object_by_title_only():
    """LEY-28413-2004.md, LEY-28190-2004.md, LEY-24710-1987.md."""
    index = TitleIndex(ARCHIVE)
    text = ("**PRIMERA.- Modifica el literal e) del artículo 44 de la Ley Orgánica del Registro "
            "Nacional de Identificación y Estado Civil**\n\n     Modifícase por la presente Ley "
            "el literal e) del artículo 44 de la Ley Orgánica del Registro Nacional de "
            "Identificación y Estado Civil, con el siguiente texto:\n")
    assert relations(text, index, "2004-12-01") == [("modifica", "LEY-26497", ("44.e",))]
    text = "Modifícase el artículo 40 del Código de los Niños y Adolescentes en los términos siguientes:"
    assert relations(text, index, "2004-03-26") == [("modifica", "LEY-27337", ("40",))]
    # without the archive's titles, nothing
    assert find_relations(text) == []


def test_a_name_the_text_does_not_end_a_later_norm_or_another_instrument_are_not_objects():
    index = TitleIndex(ARCHIVE)
    # the printed name goes on ("... Estado Civil Peruano"): a longer name, not this one
    text = ("Modifícase el artículo 44 de la Ley Orgánica del Registro Nacional de "
            "Identificación y Estado Civil Peruano, con el siguiente texto:")
    assert relations(text, index) == []
    # DLEG-52-1981.md names the Ley Orgánica del Poder Judicial of its time, not DLeg 767
    text = ("**Artículo 105.-** Deróganse el Título XXIII de la Ley Orgánica del Poder Judicial "
            "y los artículos 20, 29 y 30.")
    assert relations(text, index, "1981-03-18") == []
    assert relations(text, index, "1995-01-01") == [("deroga", "DLEG-767", ("el Título XXIII",))]
    # the reglamento of a law, or the law that changed the object, is not the law named
    text = ("Modifícase el artículo 5 del Reglamento del Código de los Niños y Adolescentes, "
            "en los términos siguientes:")
    assert relations(text, index) == []
    text = ("Derógase el artículo 3 de la norma, modificado por el Código de los Niños y "
            "Adolescentes.")
    assert relations(text, index) == []
    # a clause citing its object by number is read as before
    text = "Modifícase el artículo 40 de la Ley Nº 27337, Código de los Niños y Adolescentes:"
    assert relations(text, index) == [("modifica", "LEY-27337", ("40",))]
