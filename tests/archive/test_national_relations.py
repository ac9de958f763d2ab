"""Relations stated by national norms' operative text, laid out as national laws lay them
out, and what follows from them: the repealed norm's status, and the warning a draft gets
when it cites it."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from docsys.compliance import pending
from docsys.archive.service import import_directory
from docsys.compliance.norms import confirm_relation
from docsys.compliance.relations import find_relations
from docsys.compliance.report import check_text
from docsys.db import transaction
from docsys.models import Document, NormRelation
from search import Visibility
from tests.conftest import get_user


def found(text):
    return [(m.kind, m.target.canonical_id, m.articles) for m in find_relations(text)]


@pytest.mark.parametrize("text, expected", [
    ("CENTÉSIMA TERCERA.- Deróguese la Ley N° 27806, Ley de Transparencia.",
     [("deroga", "LEY-27806", ())]),
    ("**ÚNICA. Derogación** Derógase el Decreto Supremo N° 012-2013-PRODUCE.",
     [("deroga", "DS-12-2013-PRODUCE", ())]),
    ("Artículo único. Modificación del artículo 8 de la Ley 29735\nSe modifica el artículo 8 "
     "de la Ley 29735, Ley que regula el uso de las lenguas originarias, en los términos "
     "siguientes:", [("modifica", "LEY-29735", ("8",))]),
    ("SEGUNDA. Modificación del artículo 59 de la Ley 27867, Ley Orgánica de Gobiernos "
     "Regionales\nSe modifica el literal c) del artículo 59 de la Ley 27867, de acuerdo a lo "
     "siguiente:", [("modifica", "LEY-27867", ("59.c",))]),
    # a garbled verb: the clause's heading still names the act
    ("Artículo 2. Modificación del artículo 51 del Decreto Legislativo 052, Ley Orgánica del "
     "Ministerio Público\nModifácase el artículo 51 con el siguiente texto:",
     [("modifica", "DLEG-52", ("51",))]),
    ("Artículo 2.- Se incorpora el artículo 129-Q en el Código Penal, aprobado por Decreto "
     "Legislativo N° 635, con el texto siguiente:", [("modifica", "DLEG-635", ("129-Q",))]),
    ("Artículo 1.- Se incorpora el artículo 129-Q en el Código Penal, con el texto siguiente:",
     [("modifica", "DLEG-635", ("129-Q",))]),
    ("Artículo 3.- Déjase sin efecto las siguientes disposiciones:\n- Decreto Supremo N° "
     "004-2019-JUS.\n- Resolución Ministerial N° 012-2020-MINSA.\n\nArtículo 4.- Vigencia.",
     [("deroga", "DS-4-2019-JUS", ()), ("deroga", "RM-12-2020-MINSA", ())]),
    ("Artículo 1. Derogación de leyes Se derogan del ordenamiento jurídico vigente las "
     "siguientes leyes:\n\n7746 9886 27080\n\nArtículo 2. Vigencia",
     [("deroga", "LEY-7746", ()), ("deroga", "LEY-9886", ()), ("deroga", "LEY-27080", ())]),
    # a reglamento is repealed in the decree that approved it, not in its law
    ("Artículo 1.- Derógase el Reglamento de la Ley Nº 29033, Ley de Creación del Bono del "
     "Buen Pagador, aprobado por Decreto Supremo Nº 003-2008-VIVIENDA.",
     [("deroga", "DS-3-2008-VIVIENDA", ())]),
    ("Artículo 1.- Modifíquese el artículo 75 del Reglamento de la Ley Nº 29973, aprobado por "
     "Decreto Supremo Nº 002-2014-MIMP, en los términos siguientes:",
     [("modifica", "DS-2-2014-MIMP", ("75",))]),
    ("ÚNICA.- Derogación Se deroga el Decreto Legislativo Nº 1131, Decreto Legislativo que "
     "crea la Secretaría de Seguridad y Defensa Nacional y su Reglamento de Organización y "
     "Funciones aprobado por Decreto Supremo Nº 036-2013-PCM.",
     [("deroga", "DLEG-1131", ()), ("deroga", "DS-36-2013-PCM", ())]),
    # the section's heading on the line above, with no stop after it (LEY-32006-2024.md)
    ("Texto.\n\nDISPOSICIÓN COMPLEMENTARIA DEROGATORIA\nÚNICA. Derogación Se deroga el "
     "tercer párrafo del artículo 481 del Decreto Legislativo 295, Código Civil.\nPOR TANTO:",
     [("deroga", "DLEG-295", ("481",))]),
    # the norm's title in capitals on the lines above, no stop after it (LEY-31823-2023.md)
    ("Ha dado la Ley siguiente:\nLEY QUE MODIFICA EL ARTÍCULO 190 DEL CÓDIGO PENAL, PARA "
     "SANCIONAR\nEN MATERIA DE SEGURIDAD SOCIAL\nArtículo único. Modifícase el artículo 190 "
     "del Código Penal, el cual queda redactado en los siguientes términos:",
     [("modifica", "DLEG-635", ("190",))]),
    # a numbered paragraph of an article, no stop after its number (DU-012-2006.md)
    ("Artículo 7.- Derogación y suspensión de disposiciones de las Leyes Nº s. 28773 y "
     "28653\n\n      7.1 Deróguese la Quinta Disposición Final de la Ley Nº 28773, Ley que "
     "autoriza un Crédito Suplementario.\n\n      7.2 Suspéndase la aplicación.",
     [("deroga", "LEY-28773", ("la Quinta Disposición Final",))]),
    # the list right after the verb's colon, articles of a code among its items
    # (DLEG-1044-2008.md)
    ("Segunda.- Derogación expresa\n\nSe derogan expresamente: el Decreto Ley N° 26122; el "
     "Decreto Legislativo N° 691; el D.S. N° 039-2000-ITINCI; y los artículos 238, 239 y 240 "
     "del Código Penal.\n\n---\n",
     [("deroga", "DLEY-26122", ()), ("deroga", "DLEG-691", ()),
      ("deroga", "DS-39-2000-ITINCI", ()), ("deroga", "DLEG-635", ("238", "239", "240"))]),
])
def test_national_clause_layouts(text, expected):
    assert found(text) == expected


def test_a_considerando_states_no_relation():
    assert found("Que, mediante Decreto Supremo N° 012-2013-PRODUCE se derogó la Ley N° "
                 "27806;") == []


def write_norm(folder, name, rank, title, identifier, date, body):
    """A file of the open data (Markdown with its front matter) in ``folder``."""
    (folder / name).write_text(
        f"---\ntitle: {title}\nidentifier: {identifier}\ncountry: pe\nrank: {rank}\n"
        f"publication_date: '{date}'\nstatus: in_force\n---\n\n{body}\n", encoding="utf-8")


def test_a_repealed_national_norm_warns_the_draft_that_cites_it(importer, tmp_path):
    folder = tmp_path / "marco"
    folder.mkdir()
    write_norm(folder, "LEY-29033-2007.md", "ley", "Ley de Creación del Bono del Buen Pagador",
          "LEY-29033-2007", "2007-06-07",
          "# Ley N° 29033\n\n**LEY N° 29033**\n\nArtículo 1.- Objeto\nCréase el Bono.")
    write_norm(folder, "LEY-31999-2024.md", "ley", "Ley que deroga la Ley 29033",
          "LEY-31999-2024", "2024-03-01",
          "# Ley N° 31999\n\n**LEY N° 31999**\n\n**ÚNICA. Derogación**\n\nDerógase la Ley "
          "N° 29033, Ley de Creación del Bono del Buen Pagador.")
    summary = import_directory(importer.factory, importer.settings, folder, importer.actor_id)
    assert len(summary.imported) == 2 and not summary.failed
    # A bulk import analyses after its commits, as `flask docsys import` does on finishing.
    assert pending.process(importer.factory) == {"analizadas": 2, "fallidas": 0}
    with transaction(importer.factory) as session:
        relation = session.scalars(select(NormRelation)).one()
        target = session.get_one(Document, relation.target_document_id)
        assert (relation.kind, target.number_key, relation.status) == ("deroga", "LEY-29033",
                                                                      "propuesta")
        confirm_relation(session, relation, get_user(session, "archivo"),
                         effective_date="2024-03-02")
        assert target.legal_status == "derogada"
    with transaction(importer.factory) as session:
        report = check_text(session, "Que, conforme a la Ley N° 29033, se otorga el bono;",
                            visibility=Visibility.everything())
    repealed = [w for w in report.warnings if w.kind == "repealed"]
    assert repealed and "Ley N° 29033" in repealed[0].message, report.warnings


def test_the_new_wording_after_en_los_siguientes_terminos_is_not_a_list_of_objects():
    """"... en los siguientes términos:" introduces the new text, whose citations are not
    modified; "... las siguientes disposiciones:" introduces the norms repealed."""
    text = ("Artículo 2.- Modificación del artículo 24-A de la Ley N° 30512\n\n"
            "Se modifica el artículo 24-A de la Ley N° 30512, en los siguientes términos:\n\n"
            "La coordinación se realiza conforme a la Ley N° 27444, Ley del Procedimiento "
            "Administrativo General.\n\n")
    assert sorted((m.kind, m.target.canonical_id) for m in find_relations(text)) == [
        ("modifica", "LEY-30512")]
    listed = ("Única.- Deróganse las siguientes disposiciones:\n\na) La Ley N° 28976.\n"
              "b) El Decreto Legislativo N° 1149.\n\n")
    assert sorted((m.kind, m.target.canonical_id) for m in find_relations(listed)) == [
        ("deroga", "DLEG-1149"), ("deroga", "LEY-28976")]


def test_a_verb_in_the_title_of_the_norm_acted_on_is_not_an_act():
    text = ("ÚNICA. Modificación del artículo 4 del Decreto Legislativo 1316, Decreto "
            "Legislativo que modifica la Ley 27933, Ley del Sistema Nacional de Seguridad "
            "Ciudadana\n\nSe modifica el artículo 4 del Decreto Legislativo 1316, en los "
            "términos siguientes:")
    assert [(m.kind, m.target.canonical_id, m.articles) for m in find_relations(text)] == [
        ("modifica", "DLEG-1316", ("4",))]
