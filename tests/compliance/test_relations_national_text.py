"""The relation finder on excerpts of the development slice of legalize-pe (each cut short
from the norm named above it): gazette pages holding several norms, clause layouts and
spellings the finder missed, and reglamentos attributed to the decree that approved them."""
from __future__ import annotations

import pytest

from docsys.compliance.citations import parse_norm_reference
from docsys.compliance.relations import find_relations, norm_headings, own_spans


def found(text, own=None):
    return [(m.kind, m.target.canonical_id, m.articles) for m in find_relations(text, own=own)]


# LEY-31883-2023.md: one El Peruano page, two laws; the second modifies Ley 26298.
GAZETTE_PAGE = """# Ley N.° 31883


PODER LEGISLATIVO
CONGRESO DE
LA REPÚBLICA
LEY N° 31883
LA PRESIDENTA DE LA REPÚBLICA
POR CUANTO:
EL CONGRESO DE LA REPÚBLICA;
Ha dado la Ley siguiente:
LEY QUE PROMUEVE LA VACUNACIÓN CONTRA EL VIRUS DEL PAPILOMA HUMANO (VPH) EN LA
NIÑEZ Y ADOLESCENCIA
Artículo 1. Objeto de la Ley La presente ley tiene por objeto ampliar la cobertura de la vacunación contra el virus del papiloma humano (VPH).
Artículo 2. Cierre de brechas Se dispone que el Ministerio de Salud realice acciones necesarias para el cierre de brechas.

Dado en la Casa de Gobierno, en Lima, a los veintinueve días del mes de setiembre del año dos mil veintitrés.
DINA ERCILIA BOLUARTE ZEGARRA Presidenta de la República
2220735-1
LEY N° 31884
LA PRESIDENTA DE LA REPÚBLICA
POR CUANTO:
EL CONGRESO DE LA REPÚBLICA;
Ha dado la Ley siguiente:
LEY QUE MODIFICA LA LEY 26298, LEY DE CEMENTERIOS Y SERVICIOS FUNERARIOS
Artículo único. Modificación del artículo 8 de la Ley 26298, Ley de Cementerios y Servicios Funerarios
Se incorpora el tercer párrafo al artículo 8 de la Ley 26298, Ley de Cementerios y Servicios Funerarios, con la siguiente redacción:
"Artículo 8.- Las entidades públicas fijarán los derechos de las sepulturas."
Comuníquese a la señora Presidenta de la República para su promulgación.
"""


def test_a_gazette_page_gives_each_norm_only_the_clauses_under_its_own_heading():
    assert [h for _, h in norm_headings(GAZETTE_PAGE)] == ["LEY-31883", "LEY-31883", "LEY-31884"]
    assert found(GAZETTE_PAGE, own="LEY-31883") == []
    assert found(GAZETTE_PAGE, own="LEY-31884") == [("modifica", "LEY-26298", ("8",))]
    # without knowing which norm the text is, every clause is read (as before)
    assert found(GAZETTE_PAGE) == [("modifica", "LEY-26298", ("8",))]
    # the file's title ("# Ley N.° 31883") over the page's first heading is not a section
    start, end = own_spans(GAZETTE_PAGE, "LEY-31883")[0]
    assert GAZETTE_PAGE[start:].startswith("LEY N° 31883") and GAZETTE_PAGE[end:].startswith(
        "LEY N° 31884")


def test_a_page_without_other_norms_or_without_its_own_heading_is_read_whole():
    single = GAZETTE_PAGE.split("2220735-1")[1]
    assert own_spans(single, "LEY-31884") is None
    assert found(single, own="LEY-31884") == [("modifica", "LEY-26298", ("8",))]
    # a page that does not hold the norm's heading: nothing can be told apart
    assert own_spans(GAZETTE_PAGE, "LEY-31885") is None
    assert found(GAZETTE_PAGE, own="LEY-31885") == [("modifica", "LEY-26298", ("8",))]
    # the sector of a supreme decree's own id may be missing on either side
    page = ("DECRETO SUPREMO N° 004-2019-JUS\nEL PRESIDENTE DE LA REPÚBLICA\nCONSIDERANDO:\n"
            "Artículo 1.- Derógase la Ley N° 27806.\n\nRESOLUCIÓN MINISTERIAL N° 102-2023-MC\n"
            "Lima, 9 de marzo de 2023\nVISTOS:\nArtículo 1.- Derógase la Ley N° 28976.\n")
    assert found(page, own="DS-4-2019") == [("deroga", "LEY-27806", ())]
    assert found(page, own="RM-102-2023-MC") == [("deroga", "LEY-28976", ())]


def test_a_heading_whose_articles_came_out_under_another_heading_is_not_trusted():
    """LEY-32237-2025.md: a page read across its columns; the law's heading holds only
    signatures, its article came out under the next law's heading."""
    page = ("LEY N° 32237\n\nDINA ERCILIA BOLUARTE ZEGARRA Presidenta de la República\n\n"
            "LA PRESIDENTA DE LA REPÚBLICA POR CUANTO: EL CONGRESO DE LA REPÚBLICA; Ha dado "
            "la Ley siguiente:\n\n2360745-1\nLEY N° 32238\nLA PRESIDENTA DE LA REPÚBLICA POR "
            "CUANTO:\n\nLEY QUE MODIFICA LA LEY 26497\nArtículo único. Modificación del "
            "artículo 37 de la Ley 26497, Ley Orgánica del Registro Nacional de Identificación "
            "y Estado Civil\nSe modifica el numeral 37.1 del artículo 37 de la Ley 26497, "
            "conforme al siguiente texto:\n")
    assert own_spans(page, "LEY-32237") is None
    assert found(page, own="LEY-32237") == [("modifica", "LEY-26497", ("37",))]


@pytest.mark.parametrize("text, expected", [
    # DS-031-2001-AG.md: a label, then "Disposición Derogatoria." as its heading
    ("**Artículo 4.- Disposición Derogatoria.** Derógase el Artículo 4 del Decreto Supremo "
     "Nº 050-2000-AG, y las demás disposiciones legales que se opongan.",
     [("deroga", "DS-50-2000-AG", ("4",))]),
    # LEY-27755-2002.md: a heading that is a verb, and a TUO approved by a supreme decree
    ("**Artículo 10.- Deroga dispositivos legales**\n\nDeróganse los Artículos 9 y 10 del "
     "Texto Único Ordenado de la Ley de la COFOPRI aprobado por Decreto Supremo Nº "
     "009-99-MTC, y todas las demás normas que se opongan a la presente Ley.",
     [("deroga", "DS-9-1999-MTC", ("9", "10"))]),
    # LEY-27902-2003.md: El Peruano's swapped accents ("Modifácanse" for "Modifícanse")
    ("Artículo 4.- Modificación del Artículo 45 de la Ley Orgúnica de Gobiernos Regionales "
     "N° 27867\nModifácase el artículo 45 de la Ley Orgúnica de Gobiernos Regionales, Ley "
     "N° 27867, con el siguiente texto:", [("modifica", "LEY-27867", ("45",))]),
    ("Incorpáranse dentro del Título II de la Ley N° 27867, los artículos 11-A y 11-B, con "
     "el siguiente texto:", [("modifica", "LEY-27867", ())]),
    # DLEG-1684-2024.md: Markdown headings over the clause
    ("#### **DISPOSICIÓN COMPLEMENTARIA ****DEROGATORIA**\n#### **ÚNICA.- Derogación**\n"
     "Se deroga el Decreto Legislativo Nº 1131, Decreto Legislativo que crea la Secretaría "
     "de Seguridad y Defensa Nacional y su Reglamento de Organización y Funciones aprobado "
     "por Decreto Supremo Nº 036-2013-PCM.\n#### **POR TANTO:**\n",
     [("deroga", "DLEG-1131", ()), ("deroga", "DS-36-2013-PCM", ())]),
    # DS-002-2018-PRODUCE.md: "Reglamentos Técnicos" in the law's title is not a reglamento
    ("Modifíquese el literal c) del inciso 8.1 del artículo 8 del Reglamento del Decreto "
     "Legislativo Nº 1304, Decreto Legislativo que aprueba la Ley de Etiquetado y "
     "Verificación de los Reglamentos Técnicos de los Productos Industriales Manufacturados,"
     " aprobado mediante Decreto Supremo Nº 015-2017-PRODUCE, cuyo texto es el siguiente:",
     [("modifica", "DS-15-2017-PRODUCE", ("8.1.c",))]),
    # LEY-28923-2006.md: the parts repealed, one after each semicolon
    ("**SEGUNDA.- Derogatorias**\n\nDeróganse el artículo 5 del Decreto Legislativo Nº 803, "
     "Ley de Promoción del Acceso a la Propiedad Formal; el artículo 2 de la Ley Nº 27046, "
     "Ley Complementaria de Promoción del Acceso a la Propiedad Formal; el tercer párrafo del "
     "artículo 2 y el artículo 5 del Texto Único Ordenado de la Ley de Promoción del Acceso a "
     "la Propiedad Formal aprobado por Decreto Supremo Nº 009-99-MTC y toda disposición "
     "contenida en una ley que establezca funciones de COFOPRI.",
     [("deroga", "DLEG-803", ("5",)), ("deroga", "LEY-27046", ("2",)),
      ("deroga", "DS-9-1999-MTC", ())]),
    # DS-002-2023-IN.md: norms listed with their titles, the last one after ", y la"
    ("**Única.- Derogación**\n\nDeróguese el Decreto Supremo Nº 002-84-IN, Disponen en forma "
     "obligatoria adecuadas medidas de seguridad; la Resolución Ministerial Nº 0174-98-IN/"
     "03400000000, Encargan a Comité de Evaluación proponer proyecto de Reglamento, y la "
     "Resolución Ministerial Nº 0689-2000-IN/1701, Modifica el Reglamento de Requisitos "
     "Mínimos Obligatorios de Seguridad.",
     [("deroga", "DS-2-1984-IN", ()), ("deroga", "RM-174-1998-IN", ()),
      ("deroga", "RM-689-2000-IN", ())]),
    # LEY-27416-2001.md: fines left without effect, not the laws that set them
    ("**Artículo único.- Objeto de la ley**\n\nDéjase sin efecto las multas, a que se "
     "refieren los Artículos 250 y 251 de la Ley Nº 26859; el Artículo único de la Ley Nº "
     "27190; los literales a), b) y c) del Artículo 1 de la Resolución Nº 536-2000-JNE.",
     [("deroga", "LEY-26859", ("250", "251"))]),
])
def test_clauses_of_the_development_slice(text, expected):
    assert found(text) == expected


def test_a_list_of_bare_numbers_of_supreme_decrees_with_a_heading_that_names_them():
    """LEY-32114-2024.md: one item read as a citation ("IT-DS 005-78-PM") does not hide
    the others, and "68" is 1968, not a year to come."""
    text = ("Artículo 3. Decretos supremos que se dejan sin efecto\nSe dejan sin efecto los "
            "siguientes decretos supremos:\n\n522 005-78-ICTI-\nIT-DS 005-78-PM\n003-79-PM\n\n"
            "053-68-HC 008-97-AG\n\nArtículo 4. Vigencia\n")
    targets = [t for kind, t, _ in found(text) if kind == "deroga"]
    assert {"DS-5-1978-PM", "DS-3-1979-PM", "DS-53-1968-HC", "DS-8-1997-AG"} <= set(targets)
    assert parse_norm_reference("053-68-HC", "DS").year == 1968
    assert parse_norm_reference("045-24-GM", "RA").year == 2024


@pytest.mark.parametrize("text, expected", [
    # LEY-28176-2004.md and DS-084-98-EF-1998.md: "Agrégase", "Inclúyase"
    ("**Artículo 1.- Inclusión de párrafo en el artículo 74 de la Ley Orgánica de "
     "Hidrocarburos**\n\nAgrégase el siguiente párrafo al artículo 74 de la Ley Nº 26221, Ley "
     "Orgánica de Hidrocarburos:\n\n“Mediante contrato-ley, el Estado podrá ...”",
     [("modifica", "LEY-26221", ("74",))]),
    ("**Artículo 5.-** Inclúyase como último párrafo del literal b) del Artículo 23 del "
     "Reglamento de los Regímenes de Garantía a la Inversión Privada, aprobado por Decreto "
     "Supremo Nº 162-92-EF, el siguiente texto:", [("modifica", "DS-162-1992-EF", ("23.b",))]),
    # DS-111-97-EF-1997.md: the decree that once incorporated the item is not the object
    ("**Artículo 2.-** Sustitúyase la partida arancelaria Nº 2105.00.00.00 (Helados y "
     "productos similares, incluso con cacao) incorporada en el Anexo del Decreto Nº "
     "100-93-EF por el Artículo 2 del Decreto Supremo Nº 035-97-EF, por la siguiente:", []),
    # LEY-32504-2025.md: workers brought into a labour regime, not a change of its law
    ("CUARTA. Incorporación en el régimen laboral de la actividad privada\nLos trabajadores "
     "del Poder Judicial contratados bajo el régimen laboral del Decreto Legislativo 1057, a "
     "plazo indeterminado, se incorporan al régimen laboral del Decreto Legislativo 728, Ley "
     "de Fomento del Empleo, y quedan sujetos al régimen laboral de la actividad privada.", []),
])
def test_more_clauses_of_the_development_slice(text, expected):
    assert found(text) == expected


def test_a_list_of_repealed_norms_ends_with_its_last_item_or_the_concordances():
    """DS-014-2011-SA.md: the norms listed after "Deróguese las siguientes disposiciones:"
    end with "- Las demás que se opongan ..."; SPIJ's CONCORDANCIAS block after it cites
    later norms, which this decree did not repeal."""
    text = ("\xa0 \xa0 \xa0 **Única.-** Deróguese las siguientes disposiciones:\n\n\xa0 \xa0 \xa0- "
            "Decreto Supremo Nº 021-2001-SA del 13 de julio del 2001, que aprueba el Reglamento "
            "de establecimientos Farmacéuticos.\n\n\xa0 \xa0 \xa0- Resolución Ministerial Nº "
            "304-2002-SA-DM, que aprueba la escala de multas.\n\n\xa0 \xa0 \xa0- Las demás que se "
            "opongan al presente Reglamento.\n\n\xa0 \xa0 \xa0CONCORDANCIAS AL DECRETO SUPREMO N° "
            "014-2011-SA\n\xa0 \xa0 \xa0[R.M. N° 937-2014-MINSA (Aprueban Listado)](/x)\n"
            "\xa0 \xa0 \xa0 [Ley N° 30681 (Ley que regula ...)](/y)\n")
    assert found(text) == [("deroga", "DS-21-2001-SA", ()), ("deroga", "RM-304-2002-SA", ())]


def test_spij_notes_that_say_del_or_el_for_por():
    """LEY-28238-2004.md: "(*) Artículo modificado del [Artículo 1 de la Ley Nº 32396]"."""
    from docsys.compliance.spij import source_relations
    notes = source_relations("(\\*) Artículo modificado del [Artículo 1 de la Ley Nº 32396]"
                             "(/spij-ext-web/detallenorma/H1409223), publicada el 01 julio "
                             "2025, cuyo texto es el siguiente:\n")
    assert [(n.kind, n.by.canonical_id, n.part, n.date) for n in notes] == [
        ("modifica", "LEY-32396", "Artículo", "2025-07-01")]


def test_a_spij_note_on_a_reglamento_names_the_decree_that_approved_it():
    """DS-038-2017-EM.md: the change is the decree's (it approved the reglamento), not the
    law's the reglamento regulates; and a date in bold (DS-020-2011-PRODUCE.md)."""
    from docsys.compliance.spij import source_relations
    notes = source_relations(
        "(\\*) Artículo modificado por la [Primera Disposición Complementaria Modificatoria "
        "del Reglamento de la Ley N° 32213 aprobado por el Artículo 1 del Decreto Supremo Nº "
        "009-2025-EM](/spij-ext-web/detallenorma/H1404836), publicado el 18 mayo 2025, cuyo "
        "texto es el siguiente:\n"
        "**(\\*) Disposición modificada por la [Única Disposición Complementaria Modificatoria"
        " del Decreto Supremo N° 001-2007-PRODUCE](/spij-ext-web/detallenorma/H1171707), "
        "publicada el** 07 enero 2017**, cuyo texto es el siguiente:**\n"
        "(\\*) Artículo modificado por el [Artículo 1 de la Ley N° 31000, que modifica el "
        "Reglamento aprobado por Decreto Supremo N° 005-2010-EM](/x), publicada el 2 enero "
        "2020\n")
    assert [(n.by.canonical_id, n.date) for n in notes] == [
        ("DS-9-2025-EM", "2025-05-18"), ("DS-1-2007-PRODUCE", "2017-01-07"),
        ("LEY-31000", "2020-01-02")]


def test_spij_notes_with_two_marks_a_number_or_bold_between_their_words():
    """LEY-ORGANICA-27867-2002.md "(**)", LEY-ORGANICA-26497-1995.md "(1)", LEY-31017-2020.md
    and DS-012-2013-PRODUCE.md with bold markers before "por" and before the link."""
    from docsys.compliance.spij import source_relations
    text = ("**(\\*\\*) Párrafo modificado por la [Segunda Disposición Complementaria "
            "Modificatoria de la Ley N° 30779](/spij-ext-web/detallenorma/H1208564), publicada "
            "el** 05 junio 2018**, cuyo texto es el siguiente:**\n"
            "(1) Literal agregado por el [Artículo 1 de la Ley Nº 27706](/spij-ext-web/"
            "detallenorma/H824703), publicada el 25-04-2002.\n"
            "**(\\*) DEROGADA DEL ORDENAMIENTO JURÍDICO VIGENTE por el** **[Artículo 1 de la "
            "Ley Nº 32114](/spij-ext-web/detallenorma/H1384043), publicada el 03 setiembre "
            "2024.\n"
            "**(\\*)** **DEROGADO** **por la [Única Disposición Complementaria Derogatoria del "
            "Decreto Supremo N° 010-2019-PRODUCE](/spij-ext-web/detallenorma/H1239667), "
            "publicado el** 14 julio 2019**,**\n"
            "3. Los bienes (2) incorporados por la [Ley N° 30001](/x) al patrimonio\n")
    assert [(n.kind, n.by.canonical_id, n.part, n.date) for n in source_relations(text)] == [
        ("modifica", "LEY-30779", "Párrafo", "2018-06-05"),
        ("modifica", "LEY-27706", "Literal", None),
        ("deroga", "LEY-32114", "", "2024-09-03"),
        ("deroga", "DS-10-2019-PRODUCE", "", "2019-07-14")]


def test_a_number_in_running_text_is_no_mark_and_hides_no_note_after_it():
    """"(2)" inside a line is no note mark; a note mark later on that line is still read."""
    from docsys.compliance.spij import source_relations
    text = ("Los bienes (2) y el inciso (\\*) Inciso derogado por la [Ley N° 30002](/x), "
            "publicada el 3 enero 2013.\n  **(3)** Numeral sustituido por el [Artículo 2 "
            "de la Ley Nº 30003](/y).\n")
    assert [(n.kind, n.by.canonical_id, n.part, n.note[:6]) for n in source_relations(text)] == [
        ("deroga", "LEY-30002", "Inciso", "(\\*) I"), ("modifica", "LEY-30003", "Numeral", "**(3)*")]


def test_each_item_of_a_list_names_one_norm_not_those_its_title_cites():
    """DLEG-1242-2016.md and DLEG-1260-2016.md: "modificado por el Decreto Legislativo
    1230", "Ley que modifica la Ley 27067" describe the item, they are not repealed."""
    text = ("**Única. -** Deróganse las siguientes disposiciones:\n\n a. El artículo 46 del "
            "Decreto Legislativo 1149 Ley de la Carrera y Situación del Personal de la Policía "
            "Nacional del Perú modificado por el Decreto Legislativo 1230.\n\n b. La Tercera "
            "Disposición Complementaria Final del Decreto Legislativo 1150 Ley del Régimen "
            "Disciplinario de la Policía Nacional del Perú.\n\nPOR TANTO:\n")
    assert found(text) == [("deroga", "DLEG-1149", ("46",)), (
        "deroga", "DLEG-1150", ("La Tercera Disposición Complementaria Final",))]
    laws = ("**Única.-** Deróganse las siguientes leyes:\n\n 1.[Ley 27067](/x)Ley del Cuerpo "
            "General de Bomberos Voluntarios del Perú.\n\n 2.[Ley 27140](/y), Ley que modifica "
            "la Ley 27067 - Ley del Cuerpo General de Bomberos.\n\nPOR TANTO:\n")
    assert found(laws) == [("deroga", "LEY-27067", ()), ("deroga", "LEY-27140", ())]


def test_a_copy_that_opens_with_the_end_of_the_norm_printed_before_it():
    """DLEG-1724-2026.md: the page's column starts with the last clause and signatures of
    Decreto Legislativo 1723; Decreto Legislativo 1724 is what follows its own heading."""
    page = ("# Decreto Legislativo N.° 1724\n\n\nDISPOSICIÓN COMPLEMENTARIA MODIFICATORIA\n"
            "ÚNICA.- Modificación de Disposiciones Complementarias Finales de la Ley N° 32323\n"
            "Se modifica la única Disposición Complementaria Final de la Ley N° 32323, en los "
            "términos siguientes:\n\"ÚNICA.- Normativa adicional ...\"\nPOR TANTO:\nMando se "
            "publique y cumpla, dando cuenta al Congreso de la República.\nDado en la Casa de "
            "Gobierno, en Lima, a los seis días del mes de febrero del año dos mil veintiséis.\n"
            "2484948-6\nDECRETO LEGISLATIVO N° 1724\nDecreto Legislativo que modifica el "
            "Decreto Legislativo N° 822, Ley sobre el Derecho de Autor\nEL PRESIDENTE DE LA "
            "REPÚBLICA\nPOR CUANTO:\nArtículo 1.- Incorporación del artículo 45-A en el Decreto "
            "Legislativo N° 822\nSe incorpora el artículo 45-A en el Decreto Legislativo N° 822, "
            "en los términos siguientes:\n")
    assert found(page, own="DLEG-1724") == [("modifica", "DLEG-822", ("45-A",))]
    # the same page without its closing formula before the heading is read whole
    whole = page.replace("Mando se publique y cumpla", "Se publica").replace(
        "Dado en la Casa de Gobierno", "En la sede")
    assert ("modifica", "LEY-32323", ("la única Disposición Complementaria Final",)) in found(
        whole, own="DLEG-1724")
    # a closing formula after the norm's own articles is its own: nothing is cut
    assert own_spans(page.split("2484948-6\n")[1] + "Mando se publique y cumpla.\n"
                     "DECRETO LEGISLATIVO N° 1724\nEL PRESIDENTE DE LA REPÚBLICA\n",
                     "DLEG-1724") is None


def test_a_budget_separata_gives_each_law_its_own_part():
    """LEY-32185-2024.md: the separata prints "Ha dado la Ley siguiente:" before each law's
    number; Ley 32185's own number is only in the table of contents, so it is the text
    before the next law's heading."""
    page = ("LEY N° 32185 LEY DE PRESUPUESTO DEL SECTOR PÚBLICO\n"
            "LEY N° 32187 LEY DE ENDEUDAMIENTO DEL SECTOR PÚBLICO\n\nLA PRESIDENTA DE LA "
            "REPÚBLICA POR CUANTO: EL CONGRESO DE LA REPÚBLICA; Ha dado la Ley siguiente:\n\n"
            "LEY DE PRESUPUESTO DEL SECTOR PÚBLICO PARA EL AÑO FISCAL 2025\nArtículo 1. "
            "Presupuesto\nDÉCIMA. Modificación del artículo 2 de la Ley 31456\nSe modifica el "
            "artículo 2 de la Ley 31456, en los términos siguientes:\n\n"
            "LA PRESIDENTA DE LA REPÚBLICA POR CUANTO: EL CONGRESO DE LA REPÚBLICA; Ha dado la "
            "Ley siguiente:\n\nLEY N° 32187\n\nLEY DE ENDEUDAMIENTO DEL SECTOR PÚBLICO PARA EL "
            "AÑO FISCAL 2025\nArtículo 1. Objeto\nDÉCIMO OCTAVA. Modificación de la Segunda "
            "Disposición Complementaria Final de la Ley N° 29230\nSe modifica la Segunda "
            "Disposición Complementaria Final de la Ley N° 29230, en los siguientes términos:\n")
    assert [h for _, h in norm_headings(page)] == ["LEY-32187"]
    assert found(page, own="LEY-32185") == [("modifica", "LEY-31456", ("2",))]
    # Ley 32187 is the only norm whose heading is found: its copy is read whole, as before
    assert ("modifica", "LEY-29230", ()) in found(page, own="LEY-32187")
    # the text before the first other heading holds no article: nothing is told apart
    bare = page.replace("Artículo 1. Presupuesto\n", "")
    assert own_spans(bare, "LEY-32185") is None


def test_instruments_listed_with_the_norms_that_approved_them():
    """RESOLUCION-JEFATURAL-406-2010-JNAC-RENIEC.md: two directives, each with the
    resolution that approved it; the repeal acts on both resolutions."""
    text = ("**Artículo Primero.-** Dejar sin efecto las Directivas DI-010-GO/005 “Depuración - "
            "Registros del Estado Civil”, Segunda Edición, aprobada mediante Resolución "
            "Jefatural Nº 845-2004-JEF/RENIEC y DI-222-GRC/007 “Reconstitución de Actas "
            "Registrales”, Primera Versión, aprobada mediante Resolución Jefatural Nº "
            "666-2009-JNAC/RENIEC (16OCT2009).\n")
    assert found(text) == [("deroga", "RJ-845-2004-JEF", ()), ("deroga", "RJ-666-2009-JNAC", ())]
    # a norm cited later as the one that approved something else is not an object
    # when the first object is not an approved instrument
    other = ("Artículo 2.- Derógase la Resolución Jefatural Nº 845-2004-JEF/RENIEC y el "
             "formato, aprobado mediante Resolución Jefatural Nº 666-2009-JNAC/RENIEC.\n")
    assert found(other) == [("deroga", "RJ-845-2004-JEF", ())]


def test_the_tuo_printed_after_its_approving_decree_is_not_the_decrees_act():
    """DS-007-2010-PCM.md: the decree approves the Texto Único Ordenado of the civil
    service norms; the repeal the TUO reprints is Decreto Legislativo 1023's."""
    decree = ("DECRETO SUPREMO Nº 007-2010-PCM\nEL PRESIDENTE DE LA REPÚBLICA\nCONSIDERANDO:\n"
              "**Artículo 1.- Aprobación** Apruébase el Texto Único Ordenado de la Normatividad "
              "del Servicio Civil.\n**Artículo 2.- Derogación**\nDeróguese el Decreto Supremo "
              "Nº 005-90-PCM.\n\nDado en la Casa de Gobierno, en Lima, a los trece días del mes "
              "de enero del año dos mil diez.\n\n**TEXTO ÚNICO ORDENADO DE LA NORMATIVA DEL "
              "SERVICIO CIVIL  \n**\n**DISPOSICIÓN COMPLEMENTARIA DEROGATORIA DEL DECRETO "
              "LEGISLATIVO Nº 1023  \n**\n**Única.- Derogación de normas**\n\nDeróguese el "
              "Título II de la Ley Nº 28175, Ley Marco de Servicio civil.\n")
    assert found(decree) == [("deroga", "DS-5-1990-PCM", ())]
    assert found(decree, own="DS-7-2010-PCM") == [("deroga", "DS-5-1990-PCM", ())]
    # the same words without the decree's closing formula before them: a norm's own title
    signed_elsewhere = decree.replace("Dado en la Casa de Gobierno", "En la sede")
    assert ("deroga", "LEY-28175", ("el Título II",)) in found(signed_elsewhere)


def test_an_ocr_marker_before_the_law_number():
    """LEY-28245-2004.md (an OCR'd gazette page): the degree sign of "Ley N° 26410" was
    read as "*"; the amendment is found all the same."""
    text = ("Artículo 9*.- De las funciones del CONAM\n\nModifícase el artículo 4% de la Ley N* "
            "26410, Ley del\nConsejo Nacional del Ambiente, de acuerdo al siguien-\nte texto:\n")
    assert [(kind, target) for kind, target, _ in found(text)] == [("modifica", "LEY-26410")]


def test_a_sector_printed_after_a_space_keys_the_decree_to_its_sector():
    """DS-006-2007-DE-EP.md: "D.S. Nº 021-2006 DE/EP" is the Defence sector's decree, not a
    decree 021-2006 of whatever sector."""
    text = ("**DISPOSICIÓN FINAL  \n**\n\n      El presente Reglamento deja sin efecto el "
            "Reglamento del D.L. Nº 21148, D.S. Nº 021-2006 DE/EP del 14 de septiembre del "
            "2006.  \n")
    assert ("deroga", "DS-21-2006-DE", ()) in found(text)
    assert not [t for _, t, _ in found(text) if t == "DS-21-2006"]


def test_a_copy_that_opens_with_the_end_of_the_norm_before_its_ocr_heading():
    """LEY-28832-2006.md: the copy opens with the end of Ley 28831 (which amends Ley
    28411); Ley 28832's own heading was OCR'd as "LEY N? 28832"."""
    text = ("SEGUNDA.- Incorpórase el numeral 70.6 al artículo\n70% de la Ley N* 28411, Ley "
            "General del Sistema\nNacional de Presupuesto, según el siguiente texto:\n\n"
            "Comuníquese al señor Presidente de la República\npara su promulgación.\n\n"
            "Dado en la Casa de Gobierno, en Lima, a los veintiún\ndías del mes de julio del "
            "año dos mil seis.\n\n00354-38\n\nLEY N? 28832\nEL PRESIDENTE DE LA REPÚBLICA\n"
            "POR CUANTO:\n\nEl Congreso de la República\nha dado la Ley siguiente:\n\n"
            "LEY PARA ASEGURAR EL DESARROLLO\nEFICIENTE DE LA GENERACIÓN ELÉCTRICA\n"
            "Artículo 1*.- Definiciones\nPara efectos de la presente Ley.\n")
    assert found(text, own="LEY-28832") == []
    assert [t for _, t, _ in found(text)] == ["LEY-28411"]


# LEY-31809-2023.md, cut short: a page read across its columns. "LEY N° 31809" and the
# start of its formula stand at the top; Ley 31808 follows under its own heading; Ley
# 31809's articles come after Ley 31808's gazette code under no heading; then Ley 31810.
COLUMNS_PAGE = """PODER LEGISLATIVO

LEY N° 31809
LA PRESIDENTA DE LA REPÚBLICA

CONGRESO DE

POR CUANTO:

LA REPÚBLICA
LEY N° 31808
LA PRESIDENTA DE LA REPÚBLICA
POR CUANTO:
EL CONGRESO DE LA REPÚBLICA;
Ha dado la Ley siguiente:
LEY QUE DECLARA DE INTERÉS NACIONAL LA CONSTRUCCIÓN DE UNA PLANTA DE FERTILIZANTE
Artículo único. Declaración de interés nacional Se declara de interés nacional la construcción de una planta.
Comuníquese a la señora Presidenta de la República para su promulgación.
Dado en la Casa de Gobierno, en Lima, a los veintiocho días del mes de junio del año dos mil veintitrés.
2191769-1

EL CONGRESO DE LA REPÚBLICA;
Ha dado la Ley siguiente:
LEY PARA EL FOMENTO
DE UN PERÚ CONECTADO
Artículo 1. Objeto de la Ley La presente ley tiene por objeto implementar la renovación tecnológica de redes.
ÚNICA. Modificación del artículo 2 de la Ley 31456, Ley que amplía la vigencia de la Ley 30228
Se modifica el artículo 2 de la Ley 31456, Ley que amplía la vigencia de la Ley 30228, en los siguientes términos:
Dado en la Casa de Gobierno, en Lima, a los veintiocho días del mes de junio del año dos mil veintitrés.
2191769-2
LEY N° 31810
LA PRESIDENTA DE LA REPÚBLICA
POR CUANTO:
EL CONGRESO DE LA REPÚBLICA;
Ha dado la Ley siguiente:
LEY QUE MODIFICA LA LEY 29158, LEY ORGÁNICA DEL PODER EJECUTIVO
Artículo único. Incorporación del artículo 8-A a la Ley 29158, Ley Orgánica del Poder Ejecutivo
Se incorpora el artículo 8-A en la Ley 29158, Ley Orgánica del Poder Ejecutivo, con la siguiente redacción:
"""


def test_a_norm_whose_articles_stand_under_no_heading_between_two_gazette_codes():
    assert [(k, t) for k, t, _ in found(COLUMNS_PAGE, own="LEY-31809")] == [
        ("modifica", "LEY-31456")]
    assert [(k, t) for k, t, _ in found(COLUMNS_PAGE, own="LEY-31810")] == [
        ("modifica", "LEY-29158")]
    whole = [("modifica", "LEY-31456"), ("modifica", "LEY-29158")]
    # without the codes nothing tells where Ley 31809's text is: the page is read whole
    no_codes = COLUMNS_PAGE.replace("2191769-1\n", "").replace("2191769-2\n", "")
    assert [(k, t) for k, t, _ in found(no_codes, own="LEY-31809")] == whole
    # a heading stacked right on the next one, with no formula of its own, may own either text
    stacked = COLUMNS_PAGE.replace("LA PRESIDENTA DE LA REPÚBLICA\n\nCONGRESO DE\n\nPOR CUANTO:"
                                   "\n\nLA REPÚBLICA\n", "\n")
    assert [(k, t) for k, t, _ in found(stacked, own="LEY-31809")] == whole
    # a part that opens with a heading not read as one is that norm's, not Ley 31809's
    other = COLUMNS_PAGE.replace("\nEL CONGRESO DE LA REPÚBLICA;\nHa dado la Ley siguiente:\nLEY PARA",
                                 "\nRESOLUCIÓN LEGISLATIVA DEL CONGRESO 001-2023-2024-CR\nPOR "
                                 "CUANTO:\nLEY PARA")
    assert [(k, t) for k, t, _ in found(other, own="LEY-31809")] == whole


# LEY-32238-2025.md, read across its columns: Ley 32237's title, article and closing come
# out under "LEY N° 32238" before 32238's own enacting formula.
INTERLEAVED_PAGE = """# Ley N.° 32238

PODER LEGISLATIVO
Dado en la Casa de Gobierno, en Lima, a los nueve días del mes de enero del año dos mil veinticinco.
CONGRESO DE LA REPÚBLICA
LEY N° 32237
DINA ERCILIA BOLUARTE ZEGARRA Presidenta de la República
LA PRESIDENTA DE LA REPÚBLICA POR CUANTO: EL CONGRESO DE LA REPÚBLICA; Ha dado la Ley siguiente:
2360745-1
LEY N° 32238
LA PRESIDENTA DE LA REPÚBLICA POR CUANTO:
LEY QUE MODIFICA LA LEY 26497, LEY ORGÁNICA DEL REGISTRO NACIONAL DE IDENTIFICACIÓN Y ESTADO CIVIL
Artículo único. Modificación del artículo 37 de la Ley 26497, Ley Orgánica del Registro Nacional de Identificación y Estado Civil
Se modifica el numeral 37.1 del artículo 37 de la Ley 26497, Ley Orgánica del Registro Nacional de Identificación y Estado Civil, conforme al siguiente texto:
Comuníquese a la señora Presidenta de la República para su promulgación.
POR TANTO:
Mando se publique y cumpla.

EL CONGRESO DE LA REPÚBLICA;
Ha dado la Ley siguiente:
LEY QUE PROMUEVE LA UNIDAD FAMILIAR EN LA CARRERA PÚBLICA MAGISTERIAL
Artículo 1. Modificación del artículo 68 de la Ley 29944, Ley de Reforma Magisterial
Se modifica el artículo 68 de la Ley 29944, Ley de Reforma Magisterial, quedando redactado del siguiente modo:
Comuníquese a la señora Presidenta de la República para su promulgación.
LEY N° 32239
LA PRESIDENTA DE LA REPÚBLICA POR CUANTO: EL CONGRESO DE LA REPÚBLICA; Ha dado la Ley siguiente:
Artículo 1. Objeto de la Ley La presente ley tiene por objeto sanear el límite.
"""


def test_a_law_s_articles_follow_its_enacting_formula_on_a_page_read_across_columns():
    assert [(k, t) for k, t, _ in found(INTERLEAVED_PAGE, own="LEY-32238")] == [
        ("modifica", "LEY-29944")]
    # without another law's closing between them, the heading's text is the law's own
    unclosed = INTERLEAVED_PAGE.replace("Mando se publique y cumpla.\n", "")
    assert [(k, t) for k, t, _ in found(unclosed, own="LEY-32238")] == [
        ("modifica", "LEY-26497"), ("modifica", "LEY-29944")]


def test_a_verb_opening_the_line_after_a_labelled_heading_in_lower_case():
    """LEY-27104-1999.md: the heading in bold on its own line, the repeal on the next."""
    text = ("     **Tercera.- De la Comisión Nacional sobre la Diversidad Biológica  \n"
            "**     Derógase el Artículo 32 de la Ley Nº 26839 sobre la conservación y "
            "aprovechamiento sostenible de la diversidad biológica.\n")
    assert found(text) == [("deroga", "LEY-26839", ("32",))]
    # a sentence running on after the label is not a heading: "Que, ... Derógase" stays out
    sentence = ("Tercera.- Que, la Comisión Nacional sobre la Diversidad Biológica señaló\n"
                "que derógase el Artículo 32 de la Ley Nº 26839.\n")
    assert found(sentence) == []


def test_what_a_law_delegates_is_no_act_of_its_own():
    """LEY-32527-2025.md delegates legislative powers; its list of matters ("2.1.4.
    Modificar el Código Penal ...") is what the executive may do. A municipality's
    infinitive ("MODIFICAR el artículo 5 de la Ordenanza ...") is its act."""
    delegation = ("Artículo 2. Materias de la delegación de facultades legislativas\nEl "
                  "Congreso de la República delega facultades para legislar al Poder Ejecutivo "
                  "en las siguientes materias:\n2.1.4. Modificar el Código Penal, Decreto "
                  "Legislativo 635, a fin de tipificar un delito.\n2.1.5. Derogar la Ley 30000."
                  "\nDISPOSICIÓN FINAL ÚNICA. Derógase la Ley 29000.\n")
    assert found(delegation) == [("deroga", "LEY-29000", ())]
    municipal = ("SE RESUELVE:\nARTÍCULO PRIMERO.- MODIFICAR el artículo 5 de la Ordenanza "
                 "Municipal N° 012-2019-MDM.\n")
    assert found(municipal) == [("modifica", "OM-12-2019", ("5",))]
    # DLEG-1561-2023.md: the decree made under a delegation cites it, and acts
    decree = ("Que, el literal b) del numeral 2.2 del artículo 2 de la Ley N° 31696, Ley que "
              "delega en el Poder Ejecutivo la facultad de legislar, permite modificar la Ley "
              "27444;\nDECRETA:\nArtículo 2.- Modificar los artículos 36 y 37 de la Ley N° "
              "27444, Ley del Procedimiento Administrativo General\n")
    assert found(decree) == [("modifica", "LEY-27444", ("36", "37"))]
