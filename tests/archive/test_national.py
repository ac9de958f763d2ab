"""National norms in the archive: the registry of types, the structured import of the
open-data format (a small slice of ../shared/corpus/legalize-pe, read at test time) and
the page every search hit opens."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from docsys.archive.frontmatter import read_structured
from docsys.archive.metadata import guess_metadata
from docsys import blobs
from docsys.archive.service import import_directory
from docsys.compliance.citations import extract_citations
from docsys.db import transaction
from docsys.models import ArchivedNorm, Document, ImportedFile, SourceRelation
from search.numbers import find_number_in_query, number_key
from search.registry import registry

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "legalize-pe" / "pe"
SLICE = ["LEY-25211-1990.md", "LEY-27741-2002.md", "DU-039-2000.md", "RM-291-2006-VIVIENDA.md"]
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(),
                                  reason=f"corpus legalize-pe ausente ({CORPUS})")


def test_one_heading_parses_to_one_key_everywhere():
    heading = "RESOLUCIÓN GERENCIAL MUNICIPAL N° 045-2024-GM-MDM"
    assert number_key("", heading) == "RGM-45-2024"
    assert find_number_in_query(heading).key == "RGM-45-2024"
    [citation] = extract_citations("conforme a la " + heading)
    assert citation.archive_key == "RGM-45-2024"
    assert guess_metadata(heading + "\n\nVISTO: ...").doc_type == "RGM"


@pytest.mark.parametrize("query, key", [
    ("D.S. N.° 004-2019-JUS", "DS-4-2019"), ("R.M. 1110-2023-MINSA", "RM-1110-2023"),
    ("Decreto de Urgencia Nº 011-2023", "DU-11-2023"), ("D.Leg. 1440", "DLEG-1440"),
    ("ley nro. 27972", "LEY-27972"), ("D.S. 026-99-AG", "DS-26-1999"),
    ("Resolución Jefatural N° 080-2020-CENEPRED/J", "RJ-80-2020"),
])
def test_lawyers_spellings_of_national_numbers(query, key):
    assert find_number_in_query(query).key == key


def test_every_national_type_is_in_the_registry():
    codes = set(registry().codes("nacional"))
    assert {"CONST", "LEY", "DLEG", "DLEY", "DS", "DU", "RS", "RM", "RVM", "RD", "RJ", "RSI",
            "RC"} <= codes
    assert registry().by_rank("decreto_urgencia").code == "DU"


@needs_corpus
def test_front_matter_gives_the_metadata_and_the_heading_the_number():
    found = read_structured((CORPUS / "RM-291-2006-VIVIENDA.md").read_text("utf-8"))
    meta = found.metadata
    assert (meta.doc_type, meta.number, meta.year, str(meta.date)) == ("RM", 291, 2006,
                                                                       "2006-12-14") or (
        meta.doc_type, meta.number, meta.year) == ("RM", 291, 2006)
    assert found.official_number.endswith("291-2006-VIVIENDA")
    assert not meta.to_confirm() or meta.to_confirm() == ["office"]


@needs_corpus
def test_a_national_framework_imports_with_its_source_relations(importer, tmp_path):
    folder = tmp_path / "marco"
    folder.mkdir()
    for name in SLICE:
        shutil.copy(CORPUS / name, folder / name)
    summary = import_directory(importer.factory, importer.settings, folder, importer.actor_id)
    assert len(summary.imported) == len(SLICE) and not summary.failed
    assert not any(f.needs_review for f in summary.imported), [
        (f.filename, f.warnings) for f in summary.imported if f.needs_review]
    with transaction(importer.factory) as session:
        numbers = set(session.scalars(select(Document.official_number)))
        assert {"LEY N° 25211", "LEY N° 27741"} <= numbers
        target = session.scalar(select(Document).where(Document.number_key == "LEY-25211"))
        noted = session.scalars(select(SourceRelation).where(
            SourceRelation.document_id == target.id)).all()
        by_27741 = [r for r in noted if r.by_canonical_id == "LEY-27741"]
        assert by_27741 and by_27741[0].kind == "modifica"
        assert by_27741[0].by_document_id is not None   # the modifying law is in the archive
        assert target.legal_status in ("modificada", "derogada")


@needs_corpus
def test_structured_files_commit_together_and_a_bad_one_rolls_back_alone(importer, tmp_path,
                                                                          monkeypatch):
    folder = tmp_path / "grupo"
    folder.mkdir()
    for name in SLICE:
        shutil.copy(CORPUS / name, folder / name)
    shutil.copy(CORPUS / SLICE[0], folder / "ZZ-copia.md")  # same bytes, same group
    bad = (CORPUS / "DU-039-2000.md").read_bytes()
    real_put = blobs.put

    def disk_fails_for_one(session, blob_dir, data, mimetype, **options):
        if data == bad:  # a write error on this file's original only
            raise OSError(28, "No space left on device")
        return real_put(session, blob_dir, data, mimetype, **options)

    monkeypatch.setattr(blobs, "put", disk_fails_for_one)
    summary = import_directory(importer.factory, importer.settings, folder, importer.actor_id)
    assert sorted(f.filename for f in summary.imported) == sorted(
        n for n in SLICE if n != "DU-039-2000.md")
    assert [f.filename for f in summary.duplicates] == ["ZZ-copia.md"]
    assert [(f.filename, f.code) for f in summary.failed] == [("DU-039-2000.md", "unexpected")]
    with transaction(importer.factory) as session:
        assert len(session.scalars(select(ArchivedNorm)).all()) == len(SLICE) - 1
        records = {r.filename: r.status for r in session.scalars(select(ImportedFile))}
        assert records["DU-039-2000.md"] == "failed" and records["ZZ-copia.md"] == "duplicate"
        for norm in session.scalars(select(ArchivedNorm)):  # every original is on disk
            assert blobs.get(importer.settings.blob_dir, norm.original_sha256)


@pytest.mark.parametrize("heading, expected", [
    ("## **DECRETO SUPREMO Nº** 001-2013-SA\n\nEL PRESIDENTE DE LA REPÚBLICA", ("DS", 1, 2013)),
    ("## RESOLUCION MINISTERIAL N**º** 026-2021-MINSA (\\*)\n\nLima, 8 de enero del 2021",
     ("RM", 26, 2021)),
    ("LEY Nº 27972\n\nEL PRESIDENTE DE LA REPÚBLICA\n\nLima, 26 de mayo de 2003",
     ("LEY", 27972, 2003)),
])
def test_national_headings_as_el_peruano_and_spij_print_them(heading, expected):
    meta = guess_metadata("# Aprueban algo\n" + heading + "\n\nCONSIDERANDO:\n\nQue, ...")
    assert (meta.doc_type, meta.number, meta.year) == expected
    assert "doc_type" not in meta.to_confirm() and "number" not in meta.to_confirm()


def test_a_number_in_a_concordancias_block_is_not_the_norms():
    meta = guess_metadata("# Creando distritos\n\n**CONCORDANCIAS: [Ley N° 31092]**\n\n"
                          "El Congreso ha dado la ley siguiente:")
    assert meta.number != 31092


def test_a_gazette_page_with_several_norms_goes_to_review():
    page = ("DECRETO SUPREMO N° 004-2019-JUS\n\nAprueban el TUO...\n\n"
            "RESOLUCIÓN MINISTERIAL N° 0291-2006-VIVIENDA\n\nDesignan...\n")
    meta = guess_metadata(page)
    assert "doc_type" in meta.to_confirm() and any("varias normas" in n for n in meta.notes)


def test_structure_rules_read_the_registry():
    from docsys.compliance.structure_rules import detect_doc_type
    heading = "RESOLUCIÓN GERENCIAL MUNICIPAL N° 045-2024-GM-MDM\n\nVISTO: ..."
    assert detect_doc_type(heading) == "RGM"
    assert detect_doc_type("RESOLUCIÓN GERENCIAL N° 4-2024-GDUR-MDM\n") == "RG"


_LAW = "# Ley de prueba\n\n## LEY Nº {number}\n\nEL PRESIDENTE DE LA REPÚBLICA\n\nPOR CUANTO:\n\n" \
       "El Congreso ha dado la Ley siguiente:\n\nArtículo 1.- Objeto\nSe declara algo.\n\n{closing}"


@pytest.mark.parametrize("closing, year", [
    # the Congress's date, then the promulgation the next year: the promulgation's year
    ("Casa del Congreso, en Lima, a los veintiún días del mes de Diciembre de mil "
     "novecientos ochenticuatro.\n\nPOR TANTO:\n\nMando se publique y cumpla\n\nDado el Casa "
     "de Gobierno, en Lima, a los cuatro días del mes de enero de mil novecientos "
     "ochenticinco.", 1985),
    # a date cited in the text comes first; the closing formula is the law's
    ("Según el informe del 20 de diciembre de 2018, procede.\n\nEn Lima, a los doce días "
     "del mes de setiembre de dos mil trece.\n\nPOR TANTO:\n\nDado en Ayacucho, a los "
     "veintiocho días del mes de setiembre del año dos mil trece.", 2013),
    # an OCR'd year word ("veintisíis")
    ("Dado en la Casa de Gobierno, en Lima, a los diecinueve días del mes de enero del dos "
     "mil veintisíis.", 2026),
    # promulgated by the Congress ("ordeno que se publique y cumpla"), "treintiún"
    ("de conformidad con el artículo 108 de la Constitución, ordeno que se publique y "
     "cumpla.\n\nEn Lima, a los treintiún días del mes de mayo de dos mil cuatro.", 2004),
    # tens and units in one word, and with "y"
    ("Dado en la Casa de Gobierno, en Lima, a los treinta días del mes de Julio de mil "
     "novecientos noventaiuno.", 1991),
    ("Dado en la Casa de Gobierno, en Lima, a los tres días del mes de julio de mil "
     "novecientos sesenta y seis.", 1966),
    # an old law's SPIJ copy: no date, only its scan filed by year of publication
    ("[(Enlace Web: Hacer clic aquí para visualizar el texto en formato PDF)]"
     "(http://spij.minjus.gob.pe/Textos-PDF/Leyes/1951/Febrero/11585.pdf)", 1951),
])
def test_a_laws_year_is_read_from_its_closing_formulas(closing, year):
    number = "11585" if "11585" in closing else "24054"
    meta = guess_metadata(_LAW.format(number=number, closing=closing))
    assert (meta.doc_type, meta.number, meta.year) == ("LEY", int(number), year)


def test_a_scan_link_of_another_law_gives_no_year():
    closing = "(http://spij.minjus.gob.pe/Textos-PDF/Leyes/1951/Febrero/11586.pdf)"
    assert guess_metadata(_LAW.format(number="11585", closing=closing)).year is None


def test_a_bare_century_followed_by_another_word_stays_the_century():
    meta = guess_metadata(_LAW.format(number="27252", closing=(
        "Dado en la Casa de Gobierno, en Lima, a los seis días del mes de enero del año dos "
        "mil Ministro de Economía.")))
    assert meta.year == 2000


def test_a_heading_split_over_two_lines_gives_its_number_and_year():
    meta = guess_metadata("# Aceptan renuncia\n\n## RESOLUCIÓN SUPREMA\n\n## Nº 008-2026-MIDIS"
                          "\n\nLima, 6 de abril de 2026\n\nCONSIDERANDO:\n\nQue, ...")
    assert (meta.doc_type, meta.number, meta.year) == ("RS", 8, 2026)


# Headings as the development slice of legalize-pe prints them (short excerpts).
def test_a_heading_split_over_two_lines_in_lower_case():
    # RESOLUCION-SUPREMA-010-2026-MINEDU
    meta = guess_metadata("# Designan representante del Ministerio de Educación\n\n"
                          "## resolución suprema\n\n## nº 010-2026-minedu\n\n"
                          "Lima, 6 de abril de 2026\n\nVISTOS, los documentos ...")
    assert (meta.doc_type, meta.number, meta.year) == ("RS", 10, 2026)


def test_a_consideration_opening_with_a_citation_is_not_a_second_heading():
    # RESOLUCION-JEFATURAL-000043-2017-J-ONPE
    meta = guess_metadata(
        "# Aprueban la Directiva de Supervisión de Procesos Electorales\n\n"
        "## RESOLUCION JEFATURAL Nº 000043-2017-J-ONPE\n\nLima, 10 de febrero del 2017\n\n"
        "CONSIDERANDO:\n\nLey Nº 30157, Ley de las Organizaciones de Usuarios de Agua, en "
        "adelante la ley, en su artículo 11 dispone que ...")
    assert (meta.doc_type, meta.number, meta.year) == ("RJ", 43, 2017)
    assert not any("varias normas" in note for note in meta.notes)


def test_a_base_legal_list_is_not_a_gazette_page():
    # RESOLUCION-DIRECTORAL-038-84-EFC-CO-CI-1984
    meta = guess_metadata(
        "# Manual de Procedimientos del Registro Comercial\n\n## **RESOLUCION DIRECTORAL Nº** "
        "038-84-EFC-**CO-CI\n\n**1.** **OBJETIVO**\n\nFijar los procedimientos ...\n\n"
        "**2.** **BASE LEGAL**\n\n     - Decreto Ley Nº 19893\n\n     - Decreto Ley Nº 22974\n")
    assert (meta.doc_type, meta.number, meta.year) == ("RD", 38, 1984)
    assert not any("varias normas" in note for note in meta.notes)


def test_the_directorial_misspelling_is_a_resolucion_directoral():
    # RESOLUCION-DIRECTORAL-041-94-EM-DGM-1994
    meta = guess_metadata("# Aprueban formulario de la Declaración Jurada\n\n## RESOLUCION "
                          "DIRECTORIAL Nº 041-94-EM-DGM\n\nLima, 11 de marzo de 1994\n\n"
                          "CONSIDERANDO:\n\nQue, ...")
    assert (meta.doc_type, meta.number, meta.year) == ("RD", 41, 1994)
    assert find_number_in_query("Resolución Directorial 041-94-EM-DGM").key == "RD-41-1994"


def test_a_gazette_page_proposes_its_first_heading_for_review():
    # LEY-32467-2025: the file's title line, then the gazette's summary
    meta = guess_metadata(
        "# Ley N.° 32467\n\nOFICINA NACIONAL DE PROCESOS ELECTORALES\n\nR.J. N° "
        "000165-2025-JN/ONPE.- Disponen publicar relación de postulantes ...\n\nR.J. N° "
        "000166-2025-JN/ONPE.- Establecen la adjudicación económica ...\n")
    assert (meta.doc_type, meta.number) == ("LEY", 32467)
    assert {"doc_type", "number"} <= set(meta.to_confirm())
    assert any("varias normas" in note for note in meta.notes)


def test_html_entities_of_a_front_matter_title_are_decoded():
    # DS-013-99-RE-1999 (and about 200 other files of the sample) fold such a title
    text = ("---\ntitle: >-\n  Ratifican el Acuerdo sobre Protecci&oacute;n del Medio Ambiente"
            "\n  (Ley N&ordm; 26834)\nidentifier: DS-013-99-RE-1999\nrank: decreto_supremo\n"
            "publication_date: '1999-03-04'\n---\n\n## DECRETO SUPREMO Nº 013-99-RE\n")
    found = read_structured(text, "DS-013-99-RE-1999.md")
    assert found.title == "Ratifican el Acuerdo sobre Protección del Medio Ambiente (Ley Nº 26834)"
    assert found.metadata.sumilla == found.title


@pytest.mark.parametrize("stamp, year", [("Promulgado : 31-07-91", 1991),
                                         ("Promulgado     : 10.01.2006", 2006)])
def test_spijs_promulgation_stamp_dates_an_old_decree(stamp, year):
    # DLEG-654-1991: SPIJ's header of the Código de Ejecución Penal, no closing formula
    meta = guess_metadata("# Código de Ejecución Penal\n\n CODIGO DE EJECUCION PENAL\n\n "
                          f"DECRETO LEGISLATIVO Nº 654\n\n{stamp}\n\nPublicado : 02-08-91\n\n"
                          "CONCORDANCIA: D.S. Nº 015-2003-JUS (Reglamento)\n\n INDICE\n")
    assert (meta.doc_type, meta.number, meta.year) == ("DLEG", 654, year)


def test_an_ocr_damaged_day_word_still_dates_a_law():
    # LEY-32415-2025: "veintión" for "veintiún"
    meta = guess_metadata(_LAW.format(number="32415", closing=(
        "POR TANTO:\n\nMando se publique y cumpla.\n\nEn Lima, a los veintión días del mes "
        "de julio de dos mil veinticinco.")))
    assert (meta.number, meta.year, meta.date.isoformat()) == (32415, 2025, "2025-07-21")
