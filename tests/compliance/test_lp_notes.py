"""The footnotes of the codes and laws the open data takes from LP (lpderecho.pe), read as
the source's relations like SPIJ's notes (docsys.compliance.spij), and the readings they
need: "D-L 25940" and "D.L. 25940" are decree-laws, a code's identifier that carries only
its year gives no number, and the Código Procesal Civil is cited by its name. The lines
here are written in the corpus's formats (DLEG-PENAL-1991.md, DLEG-CIVIL-1984.md,
CON-1993.md, DS-002-79-AA-1979.md), not copied from it."""
from __future__ import annotations

from docsys.archive.frontmatter import read_structured
from docsys.compliance.citations import extract_citations
from docsys.compliance.spij import source_relations, strip_notes


def _read(text):
    return [(n.kind, n.by.canonical_id, n.part, n.date) for n in source_relations(text)]


ARTICLE = "Artículo 5. [Del domicilio]\nEl domicilio se constituye por la residencia.\n"


def test_a_footnote_under_an_article_names_the_norm_that_changed_it_and_the_article():
    text = (ARTICLE + "* Artículo modificado por el artículo único de la Ley 30305, publicada "
            "el 10 de marzo de 2015.\n"
            "** Literal a) derogado por el literal c) de la Única Disposición Complementaria "
            "Derogatoria del Decreto Legislativo 1384, publicado el 4 de setiembre de 2018.*\n"
            "**Artículo incorporado por la **Ley 32251** publicada el 19 de enero de 2025 *\n"
            "** Título incorporado por Ley 31146, publicado en El Peruano el 30 de marzo de "
            "2021 (link: bit.ly/x).*\n")
    assert _read(text) == [
        ("modifica", "LEY-30305", "Artículo 5", "2015-03-10"),
        ("deroga", "DLEG-1384", "Literal a) del artículo 5", "2018-09-04"),
        ("modifica", "LEY-32251", "Artículo 5", "2025-01-19"),
        ("modifica", "LEY-31146", "Título", "2021-03-30")]
    # the heading above in the codes' other forms, and a part that names its article
    text = ("#### **Artículo 413-B.- Evasión***\nTexto.\n** Artículo incorporado por el DL "
            "1300, publicado el 30 de diciembre de 2016.*\nArtículo III.- Fines del proceso*\n"
            "Texto.\n* Párrafo segundo modificado por la Ley 30293, publicada el 28 de "
            "diciembre de 2014.\n** El inciso 3 del artículo 43 fue derogado por la Ley 29973, "
            "publicada el 24 de diciembre de 2012.*\n")
    assert [n[2] for n in _read(text)] == ["Artículo 413-B", "Párrafo segundo del artículo III",
                                           "El inciso 3 del artículo 43"]


def test_one_footnote_may_name_several_acts_but_not_those_on_another_norm():
    text = (ARTICLE + "* Artículo modificado por el D-L 25940, publicado el 11 de diciembre de "
            "1992 (link: lpd.pe/a). Luego, este artículo fue derogado por la Ley 27524, "
            "publicada el 6 de octubre de 2001 (link: lpd.pe/b).\n"
            "** Artículo incorporado por el DL 1244, publicado el 29 de octubre de 2016. Luego, "
            "fue modificado por el DL 1616, publicado el 21 de diciembre de 2023; y por el DL "
            "1697, publicado el 20 de enero de 2026*\n"
            "*Posteriormente, fue derogado por la Ley 27765, publicada el 27 de junio de 2002; "
            "la misma que fue derogada por el DL 1106, publicado el 19 de abril de 2012.\n")
    assert _read(text) == [
        ("modifica", "DLEY-25940", "Artículo 5", "1992-12-11"),
        ("deroga", "LEY-27524", "Artículo 5", "2001-10-06"),
        ("modifica", "DLEG-1244", "Artículo 5", "2016-10-29"),
        ("modifica", "DLEG-1616", "Artículo 5", "2023-12-21"),
        ("modifica", "DLEG-1697", "Artículo 5", "2026-01-20"),
        ("deroga", "LEY-27765", "Posteriormente,", "2002-06-27")]   # not the DL 1106


def test_a_list_of_the_norms_that_changed_it():
    text = (ARTICLE + "* Artículo modificado por los siguientes dispositivos:\n\n"
            "Artículo único de la Ley 31304, publicada el 23 de julio de 2021.\n"
            "*2. **Ley 31414**, publicada el 12 de febrero de 2022 (link: lpd.pe/c).*\n\n\n"
            "Artículo 6. [Otro]\nLa Ley 20000 no es parte de la lista.\n")
    assert _read(text) == [("modifica", "LEY-31304", "Artículo 5", "2021-07-23"),
                           ("modifica", "LEY-31414", "Artículo 5", "2022-02-12")]
    # the notes are no part of the norm's own text: the relation finder never reads them
    stripped = strip_notes(text)
    assert "31304" not in stripped and "31414" not in stripped and "La Ley 20000" in stripped


def test_what_is_no_footnote_of_an_act_is_not_read():
    text = ("**Artículo 2.- Incorporado por la Ley 30001 al régimen**\n"      # a heading
            "* La presente Ley QUEDARÁ DEROGADA por la Ley 30057, publicada el 4 de julio de "
            "2013.\n"                                                      # to come
            "* Reubicado desde el artículo 153 mediante la Ley 31146, publicada el 30 de "
            "marzo de 2021.\n"                                             # no change of text
            "* De conformidad con el artículo 1 de la Ley 30904, se precisa su alcance.\n")
    assert _read(text) == []


def test_a_spij_note_with_its_link_is_read_once_and_one_without_it_too():
    text = ("**_(\\*) Artículo modificado por el Artículo 2 del Decreto Supremo 117-84-AG, "
            "publicado el 23 de diciembre de 1984._**\n"
            "**(\\*) Artículo modificado por el [Artículo 1 de la Ley N° 31433](/spij-ext-web/"
            "detallenorma/H1), publicada el 06 marzo 2022\n")
    assert _read(text) == [("modifica", "LEY-31433", "Artículo", "2022-03-06"),
                           ("modifica", "DS-117-1984-AG", "Artículo", "1984-12-23")]


def test_a_decree_law_is_told_from_a_legislative_decree_by_its_number():
    """"D.L." and "DL" name both; decree-laws are numbered from about 17,000, legislative
    decrees had reached 1,700 by 2025."""
    cited = [c.canonical_id for c in extract_citations(
        "el D-L 25940, el D.L. N° 25844, el DL 1384, el Decreto Legislativo N° 1440 y el "
        "Decreto Ley 22175; el Código Procesal Civil y el Código Penal")]
    assert cited == ["DLEY-25940", "DLEY-25844", "DLEG-1384", "DLEG-1440", "DLEY-22175",
                     "DLEG-768", "DLEG-635"]


def _front(identifier: str, heading: str) -> str:
    return (f"---\ntitle: Código\nidentifier: {identifier}\ncountry: pe\nrank: "
            f"decreto_legislativo\npublication_date: '1984-07-25'\n---\n\n# Código\n\n"
            f"{heading}\n\nEL PRESIDENTE DE LA REPÚBLICA\n\nPOR CUANTO:\n\nArtículo 1.- Texto.\n")


def test_an_identifier_with_only_its_year_gives_no_number():
    """"DLEG-CIVIL-1984": the Código Civil is no Decreto Legislativo N° 1984. Its own
    heading gives the number; without one, the archivist does."""
    civil = read_structured(_front("DLEG-CIVIL-1984", "DECRETO LEGISLATIVO N° 295"))
    assert (civil.metadata.number, civil.official_number) == (295, "Decreto Legislativo N° 295")
    assert civil.metadata.to_confirm() == []
    unknown = read_structured(_front("DLEG-PENAL-1984", "CÓDIGO PENAL"))
    assert unknown.metadata.number is None and unknown.official_number is None
    assert "number" in unknown.metadata.to_confirm()
    # an identifier with a number and a year is read as before
    law = read_structured(_front("DLEG-1440-2018", "DECRETO LEGISLATIVO N° 1440"))
    assert (law.metadata.number, law.metadata.year) == (1440, 2018)


def test_an_imported_code_records_its_footnotes_and_its_page_shows_them(app, browser):
    """Imported with `flask docsys import`'s reader: the notes are stored as the source's
    relations (its status "modificada"), each with its article, and listed on its page;
    the law that made the change, imported later, is linked."""
    from sqlalchemy import select
    from docsys.archive.service import ImportSettings, finish_batch, import_bytes, start_batch
    from docsys.db import transaction
    from docsys.models import Document, SourceRelation
    from tests.conftest import get_user
    factory = app.extensions["docsys.sessions"]
    with transaction(factory) as session:
        actor = get_user(session, "archivo").id
    settings = ImportSettings.from_config(app.config)
    batch = start_batch(factory, actor, "pruebas", "Prueba")
    code = import_bytes(factory, settings, batch, actor, (
        "---\ntitle: Código Procesal Civil\nidentifier: DLEG-768-1993\ncountry: pe\nrank: "
        "decreto_legislativo\npublication_date: '1993-03-04'\n---\n\n"
        "# DECRETO LEGISLATIVO N° 768\n\nArtículo 5.- Competencia civil\nCorresponde a los "
        "órganos jurisdiccionales civiles el conocimiento de todo aquello que no esté "
        "atribuido a otros.\n\n* Artículo modificado por el artículo único de la Ley 30293, "
        "publicada el 28 de diciembre de 2014.\n").encode(), "DLEG-768-1993.md")
    # (no parenthesis anywhere: SPIJ's marks are not what tells a text may hold notes)
    law = import_bytes(factory, settings, batch, actor, (
        "---\ntitle: Ley que modifica el Código Procesal Civil\nidentifier: LEY-30293-2014\n"
        "country: pe\nrank: ley\npublication_date: '2014-12-28'\n---\n\n# LEY N° 30293\n\n"
        "Artículo único. Modifícase el artículo 5 del Código Procesal Civil.\n").encode(),
        "LEY-30293-2014.md")
    finish_batch(factory, batch)
    with transaction(factory) as session:
        document = session.get(Document, code.document_id)
        assert document.legal_status == "modificada"
        noted = session.scalars(select(SourceRelation).where(
            SourceRelation.document_id == document.id)).all()
        assert [(n.kind, n.by_canonical_id, n.part, n.effective_date, n.by_document_id)
                for n in noted] == [("modifica", "LEY-30293", "Artículo 5", "2014-12-28",
                                     law.document_id)]
    html = browser("asesor").get(f"/normas/{code.document_id}/relaciones").get_data(as_text=True)
    assert "Según las notas del texto importado" in html
    assert "Modificada en parte (Artículo 5) por" in html and "Ley N° 30293" in html


def test_a_heading_that_is_the_article_s_number_alone_holds_its_footnote():
    """The Ley General de Salud's copy: "**Artículo 22***" (the footnote's mark after the
    number, nothing else on the line) is the heading its note stands under, not the
    article before it."""
    text = ("**Artículo 21.-** Toda persona tiene el deber de participar.\n\n**Artículo 22***\n\n"
            "Para desempeñar actividades profesionales propias de la medicina se requiere "
            "tener título.\n\n** Artículo modificado por la Quinta Disposición Complementaria, "
            "Derogatoria y Final de la Ley 27853, publicada el 23 de octubre de 2002.*\n")
    assert _read(text) == [("modifica", "LEY-27853", "Artículo 22", "2002-10-23")]
    # a line that begins with an article and goes on is prose, not a heading
    prose = ("Artículo 5.- Del domicilio\nTexto.\nArtículo 9 de la Ley 26842 establece el "
             "deber.\n* Artículo modificado por la Ley 30305, publicada el 10 de marzo de 2015.\n")
    assert [n[2] for n in _read(prose)] == ["Artículo 5"]


def test_spij_s_note_names_the_article_it_stands_under():
    """SPIJ's "(*) Artículo modificado por ..." names no article: the one whose heading
    stands above it (indented with no-break spaces, as SPIJ's copies are; an article's new
    text, quoted after "cuyo texto es el siguiente:", is that article's too)."""
    nbsp = "\xa0 \xa0 "
    text = ("## DECRETO LEGISLATIVO N° 1260\n\n"
            f"{nbsp}**Artículo 25.- Titular de la Intendencia**\n\nEl Jefe de la entidad.(\\*)\n\n"
            "(\\*) Artículo modificado por el [Artículo 2 del Decreto Legislativo Nº 1593]"
            "(/spij-ext-web/detallenorma/H1), publicado el 16 diciembre 2023, cuyo texto es el "
            f"siguiente:\n\n{nbsp}“**Artículo 25.- Titular**\n\nEl Intendente Nacional.”\n\n"
            "(\\*) Literal incorporado por el [Artículo 2 de la Ley Nº 31417]"
            "(/spij-ext-web/detallenorma/H2), publicada el 15 febrero 2022.\n\n"
            f"{nbsp}“**Artículo 26.-** La adjudicación.”(\\*)\n\n"
            "(\\*) Artículo modificado por el [Artículo 1 de la Ley Nº 31000]"
            "(/spij-ext-web/detallenorma/H3), publicada el 2 enero 2020.\n")
    assert [(n.by.canonical_id, n.part) for n in source_relations(text)] == [
        ("DLEG-1593", "Artículo 25"), ("LEY-31417", "Literal del artículo 25"),
        ("LEY-31000", "Artículo 26")]
