"""A law consolidated in a Texto Único Ordenado: a later law modifying the law modifies the
TUO, the text in force that drafters cite ("modificatoria tácita", as SPIJ reports it).
The archive knows a TUO by its title (docsys.compliance.titles.TitleIndex.consolidation),
the relation finder proposes the TUO beside the law, and SPIJ's notes on a TUO's article
("..., correspondiendo al presente artículo del Texto Único Ordenado ...") are read as
the source's relations. Texts are written in the corpus's layouts (LEY-31724-2023.md,
DLEG-1633-2024.md, DS-015-2020-VIVIENDA.md), not copied from it."""
from __future__ import annotations

from sqlalchemy import select

from docsys.archive.service import import_directory
from docsys.compliance import pending
from docsys.compliance.citations import parse_norm_reference
from docsys.compliance.norms import confirm_relation
from docsys.compliance.relations import find_relations
from docsys.compliance.report import check_text
from docsys.compliance.spij import source_relations
from docsys.compliance.titles import TitleIndex
from docsys.db import transaction
from docsys.models import Document, NormRelation
from search import Visibility
from tests.archive.test_national_relations import write_norm
from tests.conftest import get_user


def norm(title, number, kind, date):
    return (title, parse_norm_reference(number, kind), date)


ARCHIVE = TitleIndex([
    norm("Ley del Procedimiento Administrativo General", "27444", "LEY", "2001-04-11"),
    norm("TUO de la Ley del Procedimiento Administrativo General", "006-2017-JUS", "DS",
         "2017-03-20"),
    norm("TUO de la Ley del Procedimiento Administrativo General", "004-2019-JUS", "DS",
         "2019-01-25"),
    norm("Aprueban Texto Único Ordenado de la Ley Nº 29344, Ley Marco de Aseguramiento "
         "Universal en Salud", "020-2014-SA", "DS", "2014-07-13"),
    norm("TUO del D.Leg. 728 - Ley de Productividad y Competitividad Laboral", "003-97-TR",
         "DS", "1997-03-27"),
    # not TUOs of a law: a reglamento's, and a title that only mentions one
    norm("TUO del Reglamento de la Ley de Conciliación", "017-2021-JUS", "DS", "2021-11-17"),
    norm("Precisan que el Gas natural no está comprendido en el Nuevo Apéndice III del TUO "
         "de la Ley del Impuesto General a las Ventas", "107-2004-EF", "DS", "2004-08-05"),
])


def tuo_of(number, kind, date=None):
    found = ARCHIVE.until(date).consolidation(parse_norm_reference(number, kind))
    return found.canonical_id if found else None


def test_a_tuo_is_known_by_its_title_naming_the_law_by_name_or_number():
    assert tuo_of("27444", "LEY", "2023-03-10") == "DS-4-2019-JUS"     # the latest before
    assert tuo_of("27444", "LEY", "2018-06-01") == "DS-6-2017-JUS"
    assert tuo_of("27444", "LEY", "2016-12-21") is None                # before any TUO
    assert tuo_of("27444", "LEY", "2019-01-25") == "DS-6-2017-JUS"     # not the same day's
    assert tuo_of("27444", "LEY") == "DS-4-2019-JUS"                   # undated: the latest
    assert tuo_of("29344", "LEY", "2019-05-23") == "DS-20-2014-SA"
    assert tuo_of("728", "DLEG", "2020-01-01") == "DS-3-1997-TR"
    assert tuo_of("27806", "LEY", "2020-01-01") is None


def relations(text, date):
    return [(m.kind, m.target.canonical_id, m.articles)
            for m in find_relations(text, titles=ARCHIVE.until(date))]


def test_a_law_modified_after_its_tuo_modifies_the_tuo_too():
    text = ("DISPOSICIÓN COMPLEMENTARIA MODIFICATORIA\n\nÚNICA.- Modificación del artículo 45 "
            "de la Ley 27444, Ley del Procedimiento Administrativo General\n\nSe modifica el "
            "párrafo 45.2 del artículo 45 de la Ley 27444, Ley del Procedimiento Administrativo "
            "General, en los siguientes términos:\n")
    # the TUO numbers its articles otherwise: it is modified, no article named
    assert relations(text, "2023-03-10") == [("modifica", "LEY-27444", ("45",)),
                                             ("modifica", "DS-4-2019-JUS", ())]
    assert relations(text, "2016-12-21") == [("modifica", "LEY-27444", ("45",))]
    assert find_relations(text) and len(find_relations(text)) == 1    # no archive: the law
    # a repeal of some articles does not repeal the TUO; of the whole law, it does
    part = "ÚNICA. Derogación\n\nDerógase el artículo 45 de la Ley 27444.\n"
    assert relations(part, "2023-03-10") == [("deroga", "LEY-27444", ("45",))]
    whole = "ÚNICA. Derogación\n\nDerógase la Ley Nº 29344.\n"
    assert relations(whole, "2024-01-01") == [("deroga", "LEY-29344", ()),
                                              ("deroga", "DS-20-2014-SA", ())]


def test_an_article_heading_with_a_numbered_paragraph_opens_the_clause_below():
    """DLEG-1633-2024.md: the heading's "207.2" held a period, and the clause under it,
    opening with an infinitive, went unread."""
    text = ("Artículo 2.- Modificación del numeral 207.2 del artículo 207 de la Ley N° 27444, "
            "Ley del Procedimiento Administrativo General\nModificar el numeral 207.2 del "
            "artículo 207 de la Ley N° 27444, Ley del Procedimiento Administrativo General, "
            "conforme al siguiente texto:\n")
    assert relations(text, "2024-08-30") == [("modifica", "LEY-27444", ("207.2",)),
                                             ("modifica", "DS-4-2019-JUS", ())]


def test_spij_s_note_on_the_tuo_article_that_stands_for_the_law_s_is_read():
    text = ("## DECRETO SUPREMO Nº 015-2020-VIVIENDA\n\nArtículo 4.- Definiciones\nTexto.\n\n"
            "(\\*) De conformidad con el [Artículo 2 del Decreto Legislativo Nº 1559]"
            "(/spij-ext-web/detallenorma/H1), publicado el 25 mayo 2023, se dispone la "
            "modificación del artículo 4 del Decreto Legislativo Nº 1192, correspondiendo al "
            "presente artículo del Texto Único Ordenado del Decreto Legislativo Nº 1192.(\\*)\n"
            "(\\*) De conformidad con la [Única Disposición Complementaria Derogatoria del "
            "Decreto Legislativo Nº 1595](/spij-ext-web/detallenorma/H2), publicado el 17 "
            "diciembre 2023, se dispone la derogación del artículo 30 de la Ley Nº 29090, "
            "correspondiendo al presente artículo en el Texto Único Ordenado.\n"
            # SPIJ's other notes of that form tell of no act on this norm
            "(\\*) De conformidad con el [Artículo 1 del Decreto Supremo Nº 004-2021-VIVIENDA]"
            "(/spij-ext-web/detallenorma/H3), publicado el 02 marzo 2021, se dispone que el "
            "plazo se computa en días hábiles.\n")
    assert [(n.kind, n.by.canonical_id, n.part, n.date) for n in source_relations(text)] == [
        ("modifica", "DLEG-1559", "Artículo 4", "2023-05-25"),    # the article above
        ("deroga", "DLEG-1595", "Artículo 4", "2023-12-17")]


def test_the_archive_proposes_the_tuo_and_a_draft_citing_it_hears_of_the_change(importer,
                                                                                  tmp_path):
    folder = tmp_path / "marco"
    folder.mkdir()
    write_norm(folder, "LEY-27444-2001.md", "ley", "Ley del Procedimiento Administrativo General",
          "LEY-27444-2001", "2001-04-11", "# LEY N° 27444\n\nArtículo 45.- Plazos\nTexto.")
    write_norm(folder, "DS-004-2019-JUS.md", "decreto_supremo",
          "TUO de la Ley del Procedimiento Administrativo General", "DS-004-2019-JUS",
          "2019-01-25", "# DECRETO SUPREMO Nº 004-2019-JUS\n\nArtículo 1.- Apruébase el Texto "
          "Único Ordenado de la Ley N° 27444.")
    write_norm(folder, "LEY-31724-2023.md", "ley", "Ley que modifica la Ley 27444",
          "LEY-31724-2023", "2023-03-10",
          "# LEY N° 31724\n\n**ÚNICA.- Modificación del artículo 45 de la Ley 27444**\n\nSe "
          "modifica el párrafo 45.2 del artículo 45 de la Ley 27444, Ley del Procedimiento "
          "Administrativo General, en los siguientes términos:\n\n“45.2 Texto nuevo.”")
    summary = import_directory(importer.factory, importer.settings, folder, importer.actor_id)
    assert len(summary.imported) == 3 and not summary.failed
    assert pending.process(importer.factory)["fallidas"] == 0
    with transaction(importer.factory) as session:
        proposed = {(session.get_one(Document, r.target_document_id).number_key,
                     tuple(r.articles)): r.id
                    for r in session.scalars(select(NormRelation))}
        assert set(proposed) == {("LEY-27444", ("45",)), ("DS-4-2019", ())}
        relation = session.get_one(NormRelation, proposed[("DS-4-2019", ())])
        confirm_relation(session, relation, get_user(session, "archivo"),
                         effective_date="2023-03-11")
        assert session.get_one(Document, relation.target_document_id).legal_status == \
            "modificada"
    with transaction(importer.factory) as session:
        report = check_text(session, "Que, conforme al artículo 45 del Texto Único Ordenado de "
                            "la Ley N° 27444, aprobado por Decreto Supremo N° 004-2019-JUS;",
                            visibility=Visibility.everything())
    modified = [w for w in report.warnings if w.kind == "modified"]
    assert modified and "Ley N° 31724" in modified[0].message, report.warnings
