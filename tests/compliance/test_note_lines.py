"""A source's notes shown one line per change (docsys.compliance.archive.note_lines): SPIJ
notes each article a law changed, so the copy of Ley 27444 notes the Decreto Legislativo
1272 once per article; its relations page and the portal say it once, with the articles."""
from __future__ import annotations

import re

from docsys.compliance.archive import note_lines
from docsys.models import SourceRelation
from tests.archive.test_text_source import _import

D1272 = "Decreto Legislativo N° 1272"
LP = "https://lpderecho.pe/ley-procedimiento-administrativo-general-ley-27444/"


def _note(part: str, by: str = D1272, kind: str = "modifica", when: str | None = "2016-12-21",
          by_id: int | None = None) -> SourceRelation:
    return SourceRelation(kind=kind, part=part, by_label=by, by_document_id=by_id,
                          effective_date=when)


def test_one_line_per_norm_act_and_date_with_the_parts_it_names():
    lines = note_lines([_note("Artículo I"), _note("Artículo 5"), _note("Artículo 5"),
                        _note("El numeral 5 del artículo 2"), _note("Artículo 41", when=None),
                        _note("Artículo 7", by="Ley N° 31465", when="2022-05-04"),
                        _note("Artículo 6", kind="deroga")])
    assert [(n.label, n.by_label, n.effective_date) for n in lines] == [
        ("Modificada en parte (artículos I y 5; El numeral 5 del artículo 2) por", D1272,
         "2016-12-21"),
        ("Modificada en parte (Artículo 41) por", D1272, None),
        ("Modificada en parte (Artículo 7) por", "Ley N° 31465", "2022-05-04"),
        ("Derogada en parte (Artículo 6) por", D1272, "2016-12-21"),
    ]


def test_a_whole_norm_note_and_a_part_it_did_not_name():
    lines = note_lines([_note("Ley", kind="deroga"), _note("Artículo"), _note("")])
    assert [n.label for n in lines] == ["Derogada por", "Modificada en parte (Artículo) por"]
    assert note_lines([]) == []


def _law_with_notes() -> bytes:
    """A law in LP's format: a footnote under each article it names."""
    articles = "".join(f"\nArtículo {n}. [Título]\nTexto del artículo {n}.\n* Artículo "
                       "modificado por el Decreto Legislativo 1272, publicado el 21 de "
                       "diciembre de 2016.\n" for n in (5, 6, 7))
    return (f"---\ntitle: Ley del Procedimiento Administrativo General\nidentifier: "
            f"LEY-27444-2001\ncountry: pe\nrank: ley\npublication_date: '2001-04-11'\n"
            f"source: '{LP}'\n---\n\n# LEY N° 27444\n{articles}").encode()


def test_the_relations_page_and_the_portal_say_each_change_once(app, browser):
    document_id = _import(app, _law_with_notes())
    page = browser("asesor").get(f"/normas/{document_id}/relaciones").get_data(as_text=True)
    noted = re.search(r'<ul id="noted-by">(.*?)</ul>', page, re.DOTALL)[1]
    assert noted.count("<li>") == 1, noted
    assert ("Modificada en parte (artículos 5, 6 y 7) por Decreto Legislativo N° 1272, "
            "desde el 21/12/2016") in " ".join(noted.split())
    portal = app.test_client().get("/normas/ley/2001/27444").get_data(as_text=True)
    # its status and its relations, each once: not a line per article
    assert portal.count("Modificada en parte (") == portal.count(
        "Modificada en parte (artículos 5, 6 y 7) por") == 2
